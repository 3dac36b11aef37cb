/**
 * One CSV field, neutralised against formula injection and quoted as RFC 4180 asks: the cell
 * function every CSV writer of the library ends in (see csv.ts for why the neutralisation).
 *
 * @module
 */

// A field needs quotes when it holds the delimiter, a quote or a line break (RFC 4180, 2.6).
const NEEDS_QUOTES = /[",\r\n]/;
const QUOTES = /"/g;

// Characters an importer may trim or normalise away before it looks for a formula: white space
// (NBSP, vertical tab, form feed, line breaks), other control characters (NUL) and invisible format
// characters (BOM, zero-width space).
const LEADING_INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}]+/u;
// `=`, `+`, `-`, `@` and the forms Unicode normalisation (NFKC) turns into them: fullwidth, small,
// and the minus sign.
const TRIGGERS = new Set([
  61, 43, 45, 64, 0xff1d, 0xff0b, 0xff0d, 0xff20, 0xfe66, 0xfe62, 0xfe63, 0x2212, 0x207a, 0x208a, 0x207c, 0x208c,
]);

// OWASP's triggers (`=`, `+`, `-`, `@`, tab, carriage return) as the first character, or a trigger
// after invisible characters (defence in depth for importers that trim or normalise first). For a
// first character `c` outside printable ASCII (csvCell checks that usual case itself).
function startsLikeFormula(text: string, c: number): boolean {
  if (c === 9 || c === 13 || TRIGGERS.has(c)) return true;
  const rest = text.replace(LEADING_INVISIBLE, '');
  return rest.length > 0 && TRIGGERS.has(rest.charCodeAt(0));
}

/**
 * One CSV field: neutralised against formula injection (a leading `'` when the text starts with
 * `=`, `+`, `-`, `@`, tab or carriage return, or with such a trigger or its fullwidth or small form
 * after white space, control or invisible characters), then quoted when it holds a comma, a double
 * quote, a CR or an LF, with inner quotes doubled (RFC 4180).
 *
 * @example
 * ```ts
 * import { csvCell } from 'actioncenter/adapter-kit';
 * csvCell('LAPTOP-1'); // 'LAPTOP-1'
 * csvCell('say "hi", then leave'); // '"say ""hi"", then leave"'
 * csvCell('=HYPERLINK("http://evil.example")'); // '"\'=HYPERLINK(""http://evil.example"")"'
 * csvCell('-5'); // "'-5"
 * csvCell(' \u200b＝1+1'); // "' \u200b＝1+1"
 * ```
 */
export function csvCell(text: string): string {
  if (text.length === 0) return text;
  const c = text.charCodeAt(0);
  // Fast path, inline (a million-row export calls this ten million times): printable ASCII first.
  const formula = c > 32 && c < 127 ? c === 61 || c === 43 || c === 45 || c === 64 : startsLikeFormula(text, c);
  const safe = formula ? `'${text}` : text;
  if (!NEEDS_QUOTES.test(safe)) return safe;
  return `"${safe.includes('"') ? safe.replace(QUOTES, '""') : safe}"`;
}
