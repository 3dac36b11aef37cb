// The testing kit works with the caller's fast-check, 3.22 and later or 4; with any other it says so.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  SUPPORTED_FAST_CHECK,
  actionCenterArbitraries,
  actionCenterCommands,
  arbitraryFromSchema,
} from '../../src/testing/index.js';
import { z } from 'zod';
import type { FastCheck } from '../../src/testing/index.js';

const withVersion = (version: string) => ({ ...fc, __version: version }) as unknown as FastCheck;

describe('the fast-check the testing kit is given', () => {
  test('the range matches the optional peer range in package.json', async () => {
    const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as {
      peerDependencies: Record<string, string>;
    };
    expect(pkg.peerDependencies['fast-check']).toBe(SUPPORTED_FAST_CHECK);
  });

  test.each(['3.22.0', '3.23.2', '4.0.0', '4.10.2'])('fast-check %s is accepted', (version) => {
    expect(() => actionCenterArbitraries(withVersion(version))).not.toThrow();
  });

  test.each(['2.17.0', '3.21.0', '5.0.0'])('fast-check %s is refused with the supported range named', (version) => {
    for (const call of [
      () => actionCenterArbitraries(withVersion(version)),
      () => actionCenterCommands(withVersion(version)),
      () => arbitraryFromSchema(withVersion(version), z.string()),
    ]) {
      expect(call).toThrow(`needs fast-check ${SUPPORTED_FAST_CHECK}; the fast-check passed is ${version}`);
    }
  });

  test('something that is not fast-check is refused with what it lacks', () => {
    expect(() => actionCenterArbitraries({} as FastCheck)).toThrow(
      /lacks string, record, oneof, constantFrom, integer/,
    );
    expect(() => actionCenterArbitraries(null as unknown as FastCheck)).toThrow(/pass fast-check itself/);
  });
});
