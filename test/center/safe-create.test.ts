// Issue 11, item 6 (construction): createActionCenter throws ActionCenterException for options it cannot
// use, as documented; safeCreateActionCenter is its Result form and never throws, whatever it is given.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { safeCreateActionCenter } from '../../src/index.js';

const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const throwingGetter = () =>
  Object.defineProperty({}, 'clock', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });

describe('safeCreateActionCenter', () => {
  test.each([
    ['a negative maxSelection', { maxSelection: -1 }],
    ['a clock without now', { clock: {} }],
    ['an unknown duplicates policy', { duplicates: 'sometimes' }],
    ['a reserved system component', { systemComponents: ['expiry'] }],
    ['a revoked Proxy', revoked()],
    ['a throwing getter', throwingGetter()],
  ])('%s is invalidInput, not a throw', (_, options) => {
    const made = safeCreateActionCenter(options as never);
    expect(made.ok).toBe(false);
    if (!made.ok) expect(made.error.code).toBe('invalidInput');
  });

  test('valid options make a working center', async () => {
    const made = safeCreateActionCenter({ maxSelection: 5 });
    expect(made.ok).toBe(true);
    if (made.ok)
      expect(
        (
          await made.value.list({
            principal: { id: 'r', assignments: [{ role: 'securityReader', assignedIn: 'entraId' }] },
            query: {},
          })
        ).ok,
      ).toBe(true);
  });

  test('property: never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(), (options) => {
        expect(() => safeCreateActionCenter(options as never)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
