/**
 * The core's SHA-256 (open keys, the audit chain) agrees with node:crypto on any text: ASCII and
 * not, lone surrogates (U+FFFD, as TextEncoder writes them), every length around the padding's
 * block boundaries, and texts longer than its reused buffer (which then grows).
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/rules/sha256.js';

const reference = (text: string) => createHash('sha256').update(new TextEncoder().encode(text)).digest('hex');
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

describe('sha256Hex', () => {
  it('the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on any UTF-16 text, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: utf16Unit, maxLength: 300 }), fc.string({ maxLength: 300 })), (text) => {
        expect(sha256Hex(text)).toBe(reference(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees at every length around the block boundaries, and past its buffer, ASCII or not', () => {
    for (let n = 0; n <= 200; n++) {
      for (const tail of ['', 'é', '\u{1F6E1}']) {
        const text = 'a'.repeat(n) + tail;
        expect(sha256Hex(text)).toBe(reference(text));
      }
    }
    for (const text of ['x'.repeat(5000), 'é'.repeat(3000), 'b'.repeat(100) + '\ud800'.repeat(900)])
      expect(sha256Hex(text)).toBe(reference(text));
    // After a long text grew the buffer, short ones are still right (no stale bytes).
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
