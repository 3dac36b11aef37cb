/**
 * Text as the adapter stores it in the typed columns ("column text"), so that PostgreSQL can store
 * any JavaScript string there and orders it exactly as JavaScript does.
 *
 * Two differences between JavaScript strings and PostgreSQL text are bridged:
 * - Order. The reference order of the views compares strings by UTF-16 code units; `COLLATE "C"`
 *   compares UTF-8 bytes, that is code points. They agree except that a character above U+FFFF (a
 *   surrogate pair, D800–DFFF, in UTF-16) sorts BEFORE U+E000–U+FFFF in JavaScript and after them
 *   in PostgreSQL. Column text shifts every code unit from U+D800 up by 0x800: surrogates land on
 *   E000–E7FF, E000–FFFF on E800–107FF.
 * - Storability. PostgreSQL text cannot hold NUL, nor an unpaired surrogate (no UTF-8 form). The
 *   shift above gives surrogates a form of their own; NUL becomes U+0001 U+0001, and U+0001 (the
 *   escape) becomes U+0001 U+0002.
 *
 * Every code unit gets a code of its own, the codes keep the order of code units and none is a
 * prefix of another, so the map is one-to-one and keeps the order of whole strings: equality,
 * `IN` lists and `ORDER BY ... COLLATE "C"` on column text give exactly the reference answers. Text
 * without NUL, U+0001 or code units from U+D800 up (nearly all text) is stored as it is.
 *
 * @module
 */

const ENCODED_UNIT = /[\u0000\u0001\uD800-\uFFFF]/;
const ENCODED_UNITS = /[\u0000\u0001\uD800-\uFFFF]/g;
const SHIFT = 0x800;

function encodeUnit(unit: string): string {
  const u = unit.charCodeAt(0);
  if (u === 0) return '\u0001\u0001';
  if (u === 1) return '\u0001\u0002';
  return String.fromCodePoint(u + SHIFT);
}

/**
 * The column text of a string (see the module comment).
 *
 * @example
 * ```ts
 * import { columnText } from './text.js';
 * columnText('LAPTOP-1'); // 'LAPTOP-1'
 * columnText('a\u0000b'); // 'a\u0001\u0001b'
 * ```
 */
export function columnText(value: string): string {
  return ENCODED_UNIT.test(value) ? value.replace(ENCODED_UNITS, encodeUnit) : value;
}

/**
 * The string a column text came from (the inverse of {@link columnText}). A U+0001 not followed by
 * U+0001 or U+0002 (a row edited by hand) is kept as it is.
 *
 * @example
 * ```ts
 * import { columnText, originalText } from './text.js';
 * originalText(columnText('a\u0000\u{1F600}')); // 'a\u0000\u{1F600}'
 * ```
 */
export function originalText(stored: string): string {
  if (!/[\u0001\uE000-\uFFFF\uD800-\uDBFF]/.test(stored)) return stored;
  // One replace, not a string built a character at a time: that made a rope of every character,
  // and each Map lookup with such a key walked it (the commit checks of 10,000 open keys: 2 s).
  return stored.replace(DECODED_UNITS, decodeUnit);
}

// An escape pair, a shifted BMP unit, or a supplementary character (a shifted E000-FFFF unit).
const DECODED_UNITS = /\u0001[\u0001\u0002]|[\uE000-\uFFFF]|[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

function decodeUnit(match: string): string {
  if (match === '\u0001\u0001') return '\u0000';
  if (match === '\u0001\u0002') return '\u0001';
  return String.fromCharCode((match.codePointAt(0) as number) - SHIFT);
}

// A NUL, or an unpaired surrogate: JSONB cannot hold either. JSON.stringify writes both as \u escapes
// (and paired surrogates as they are); an escape is real only after an even run of backslashes.
const UNSTORABLE_JSON = /(?<!\\)(?:\\\\)*\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})/;

/**
 * Does this JSON text (from `JSON.stringify`) hold a string JSONB cannot store: a NUL character,
 * or an unpaired surrogate? Such records are stored as JSON text instead.
 *
 * @example
 * ```ts
 * import { jsonbCannotHold } from './text.js';
 * jsonbCannotHold(JSON.stringify({ a: 'x\u0000' })); // true
 * jsonbCannotHold(JSON.stringify({ a: '\\u0000' })); // false: a backslash, then "u0000"
 * ```
 */
export function jsonbCannotHold(json: string): boolean {
  return UNSTORABLE_JSON.test(json);
}
