/**
 * SHA-256 (FIPS 180-4) of a string's UTF-8 bytes, in plain TypeScript: the core stays free of
 * dependencies and of `node:crypto` (it runs in browsers and edge runtimes too), and open keys need a
 * hash whose collisions are practically impossible (a collision would refuse a legitimate action as a
 * duplicate), and the audit chain hashes every audit event the engine commits, so it reuses its
 * buffers rather than allocating per call.
 *
 * @module
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

// Scratch space reused by every call (the function is synchronous and never re-entered): the
// message schedule and the padded message, grown when a longer text comes. The audit chain hashes
// every event the engine commits (a bulk approval: thousands per call), so no allocation but the
// returned string.
const W = new Int32Array(64);
const H = new Int32Array(8);
let buffer = new Uint8Array(1024);
const encoder = new TextEncoder();
const HEX_DIGITS = new Uint8Array(Array.from('0123456789abcdef', (c) => c.charCodeAt(0)));
const HEX_OUT = new Uint8Array(64);
// ASCII digits only, so any single-byte decoding reads them as they are.
const HEX_DECODER = new TextDecoder('latin1');

/** The text's UTF-8 bytes at the start of `buffer` (grown as needed); their count. */
function encode(text: string): number {
  const n = text.length;
  // Room for the worst case (3 bytes per UTF-16 unit) plus the padding (at most 72 bytes).
  if (buffer.length < n * 3 + 72) buffer = new Uint8Array(Math.max(buffer.length * 2, n * 3 + 72));
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      // Not ASCII: the encoder does the rest (surrogate pairs, lone surrogates as U+FFFD).
      return i + encoder.encodeInto(text.slice(i), buffer.subarray(i)).written;
    }
    buffer[i] = c;
  }
  return n;
}

/**
 * The SHA-256 digest of `text` (encoded as UTF-8; lone surrogates become U+FFFD), as 64 lowercase
 * hex digits.
 *
 * @example
 * ```ts
 * import { sha256Hex } from './sha256.js';
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export function sha256Hex(text: string): string {
  const length = encode(text);
  return sha256HexOfBytes(buffer, length);
}

/**
 * The SHA-256 digest of `data`'s first `length` bytes, as 64 lowercase hex digits. `data` must
 * have room for the padding after them (`length` + 72 bytes in all), which it overwrites: callers
 * pass a scratch buffer of their own (the audit chain writes its canonical JSON into one).
 *
 * @example
 * ```ts
 * import { sha256HexOfBytes } from './sha256.js';
 * sha256HexOfBytes(new Uint8Array(80).fill(0x61, 0, 3), 3); // sha256Hex('aaa')
 * ```
 */
export function sha256HexOfBytes(data: Uint8Array, length: number): string {
  // The message, the 0x80 byte, zero padding, and the bit length as a 64-bit big-endian number.
  const blocks = Math.ceil((length + 9) / 64);
  const end = blocks * 64;
  data[length] = 0x80;
  data.fill(0, length + 1, end - 8);
  const bits = length * 8;
  const high = Math.floor(bits / 2 ** 32);
  const low = bits >>> 0;
  data[end - 8] = high >>> 24;
  data[end - 7] = (high >>> 16) & 0xff;
  data[end - 6] = (high >>> 8) & 0xff;
  data[end - 5] = high & 0xff;
  data[end - 4] = low >>> 24;
  data[end - 3] = (low >>> 16) & 0xff;
  data[end - 2] = (low >>> 8) & 0xff;
  data[end - 1] = low & 0xff;

  // Int32 arithmetic (`| 0`) throughout: V8 keeps 32-bit integers unboxed, where unsigned values
  // above 2^31 (`>>> 0`) would be boxed as heap numbers outside registers.
  const h: Int32Array = H;
  h[0] = 0x6a09e667;
  h[1] = 0xbb67ae85 | 0;
  h[2] = 0x3c6ef372;
  h[3] = 0xa54ff53a | 0;
  h[4] = 0x510e527f;
  h[5] = 0x9b05688c | 0;
  h[6] = 0x1f83d9ab;
  h[7] = 0x5be0cd19;
  const w: Int32Array = W;
  for (let offset = 0; offset < end; offset += 64) {
    for (let t = 0; t < 16; t++) {
      const j = offset + t * 4;
      w[t] = (data[j]! << 24) | (data[j + 1]! << 16) | (data[j + 2]! << 8) | data[j + 3]!;
    }
    for (let t = 16; t < 64; t++) {
      const a = w[t - 15]!;
      const b = w[t - 2]!;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
    }
    let a: number = h[0]!;
    let b: number = h[1]!;
    let c: number = h[2]!;
    let d: number = h[3]!;
    let e: number = h[4]!;
    let f: number = h[5]!;
    let g: number = h[6]!;
    let hh: number = h[7]!;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h[0] = (h[0]! + a) | 0;
    h[1] = (h[1]! + b) | 0;
    h[2] = (h[2]! + c) | 0;
    h[3] = (h[3]! + d) | 0;
    h[4] = (h[4]! + e) | 0;
    h[5] = (h[5]! + f) | 0;
    h[6] = (h[6]! + g) | 0;
    h[7] = (h[7]! + hh) | 0;
  }
  // The hex digits as bytes, then one string (TextDecoder: no intermediate strings nor arrays).
  const out = HEX_OUT;
  for (let i = 0; i < 8; i++) {
    const word = h[i]!;
    for (let k = 0; k < 8; k++) out[i * 8 + k] = HEX_DIGITS[(word >>> (28 - k * 4)) & 0xf]!;
  }
  return HEX_DECODER.decode(out);
}
