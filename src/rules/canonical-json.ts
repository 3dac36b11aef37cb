/**
 * Canonical JSON written straight as UTF-8 bytes into a reused buffer, for the audit chain's
 * hashes: the engine hashes every audit event it commits (thousands in a bulk operation), and
 * building the text as a string first (then encoding it) allocated several kilobytes per event.
 *
 * The bytes are exactly the UTF-8 encoding of `JSON.stringify` of the value with object keys sorted
 * (code-unit order) at every depth: the same escapes (`\"`, `\\`, `\b`, `\f`, `\n`, `\r`, `\t`,
 * `\u00XX` for other control characters, `\uXXXX` for lone surrogates), numbers as JSON writes them,
 * undefined and function members left out (`null` in arrays). Pure: no I/O; the buffer is scratch
 * space (the writer is synchronous and never re-entered).
 *
 * @module
 */

let out = new Uint8Array(4096);
let pos = 0;

const HEX = '0123456789abcdef';

/** Room for `n` more bytes (plus the SHA-256 padding the caller adds after the text: 72). */
function room(n: number): void {
  if (pos + n + 72 <= out.length) return;
  const bigger = new Uint8Array(Math.max(out.length * 2, pos + n + 72));
  bigger.set(out.subarray(0, pos));
  out = bigger;
}

/** ASCII text known to need no escape (keys and punctuation of the caller's own). */
export function writeAscii(text: string): void {
  room(text.length);
  for (let i = 0; i < text.length; i++) out[pos++] = text.charCodeAt(i);
}

function unicodeEscape(c: number): void {
  out[pos++] = 0x5c; // \
  out[pos++] = 0x75; // u
  out[pos++] = HEX.charCodeAt((c >>> 12) & 0xf);
  out[pos++] = HEX.charCodeAt((c >>> 8) & 0xf);
  out[pos++] = HEX.charCodeAt((c >>> 4) & 0xf);
  out[pos++] = HEX.charCodeAt(c & 0xf);
}

/** A JSON string literal, escaped as JSON.stringify escapes it, encoded as UTF-8. */
export function writeString(text: string): void {
  const n = text.length;
  // At most 6 bytes per code unit (an escape), plus the quotes.
  room(n * 6 + 2);
  out[pos++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c) out[pos++] = c;
      else if (c === 0x22 || c === 0x5c) {
        out[pos++] = 0x5c;
        out[pos++] = c;
      } else if (c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) {
        out[pos++] = 0x5c;
        out[pos++] = c === 0x08 ? 0x62 : c === 0x09 ? 0x74 : c === 0x0a ? 0x6e : c === 0x0c ? 0x66 : 0x72;
      } else unicodeEscape(c);
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >>> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[pos++] = 0xf0 | (cp >>> 18);
        out[pos++] = 0x80 | ((cp >>> 12) & 0x3f);
        out[pos++] = 0x80 | ((cp >>> 6) & 0x3f);
        out[pos++] = 0x80 | (cp & 0x3f);
        i++;
      } else unicodeEscape(c); // a lone surrogate: JSON.stringify escapes it
    } else {
      out[pos++] = 0xe0 | (c >>> 12);
      out[pos++] = 0x80 | ((c >>> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
  out[pos++] = 0x22;
}

/** A number as JSON.stringify writes it (non-finite: null); small non-negative integers without a string. */
export function writeNumber(value: number): void {
  if (Number.isSafeInteger(value) && value >= 0) {
    // Digits from the right, into place (timestamps, sequences: every event has them).
    let digits = 1;
    for (let v = value; v >= 10; v = Math.floor(v / 10)) digits++;
    room(digits);
    let v = value;
    for (let i = pos + digits - 1; i >= pos; i--) {
      out[i] = 0x30 + (v % 10);
      v = Math.floor(v / 10);
    }
    pos += digits;
    return;
  }
  writeAscii(Number.isFinite(value) ? JSON.stringify(value) : 'null');
}

/** Any JSON value, keys sorted at every depth. */
export function writeValue(value: unknown): void {
  if (value === null) return writeAscii('null');
  switch (typeof value) {
    case 'string':
      return writeString(value);
    case 'number':
      return writeNumber(value);
    case 'boolean':
      return writeAscii(value ? 'true' : 'false');
    case 'object':
      break;
    default:
      // undefined, functions, symbols, bigints: not JSON (audit events never hold them).
      return writeAscii('null');
  }
  if (Array.isArray(value)) {
    writeAscii('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) writeAscii(',');
      const item: unknown = value[i];
      writeValue(item === undefined || typeof item === 'function' ? null : item);
    }
    return writeAscii(']');
  }
  const record = value as Record<string, unknown>;
  // Up to two keys (an actor, most details), found and ordered without an array: every event has them.
  let k1: string | undefined;
  let k2: string | undefined;
  let more = false;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    if (k1 === undefined) k1 = key;
    else if (k2 === undefined) k2 = key;
    else {
      more = true;
      break;
    }
  }
  writeAscii('{');
  if (more) {
    const keys = Object.keys(record).sort();
    let first = true;
    for (const key of keys) first = writeMember(record, key, first);
  } else if (k1 !== undefined) {
    if (k2 !== undefined && k2 < k1) writeMember(record, k1, writeMember(record, k2, true));
    else if (k2 !== undefined) writeMember(record, k2, writeMember(record, k1, true));
    else writeMember(record, k1, true);
  }
  writeAscii('}');
}

/** One member of an object (left out when undefined or a function); whether none was written yet. */
function writeMember(record: Record<string, unknown>, key: string, first: boolean): boolean {
  const member = record[key];
  if (member === undefined || typeof member === 'function') return first;
  if (!first) writeAscii(',');
  writeString(key);
  writeAscii(':');
  writeValue(member);
  return false;
}

/** Starts a new text: the buffer's bytes are written from the start again. */
export function resetCanonical(): void {
  pos = 0;
}

/** The buffer (valid until the next write), with room for the SHA-256 padding after the text. */
export function canonicalBuffer(): Uint8Array {
  return out;
}

/** How many bytes the text has. */
export function canonicalLength(): number {
  return pos;
}
