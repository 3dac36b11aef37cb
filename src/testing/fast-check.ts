/**
 * The part of fast-check the testing tools use, as a type only.
 *
 * Nothing in `actioncenter/testing` imports fast-check at run time: every function takes the
 * caller's instance (`fc`) as its first argument, as Effect's `Arbitrary` does, so that the
 * arbitraries built are those of the caller's fast-check version and can never clash with another
 * copy. Both `import fc from 'fast-check'` and `import * as fc from 'fast-check'` fit.
 *
 * @module
 */
import type * as FastCheckModule from 'fast-check';

/**
 * The fast-check functions the testing tools call: pass your own `fc`.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { actionCenterArbitraries, type FastCheck } from 'actioncenter/testing';
 * const instance: FastCheck = fc;
 * const arbitraries = actionCenterArbitraries(instance);
 * ```
 */
export type FastCheck = Pick<
  typeof FastCheckModule,
  | 'array'
  | 'assert'
  | 'asyncProperty'
  | 'boolean'
  | 'constant'
  | 'constantFrom'
  | 'dictionary'
  | 'double'
  | 'integer'
  | 'jsonValue'
  | 'nat'
  | 'oneof'
  | 'option'
  | 'record'
  | 'string'
  | 'stringMatching'
  | 'subarray'
  | 'tuple'
  | 'uniqueArray'
  | 'uuid'
  | 'webUrl'
>;

/** A fast-check arbitrary (type only). */
export type Arbitrary<T> = FastCheckModule.Arbitrary<T>;

/**
 * The fast-check versions the testing tools are tested with (3.22 brought `string({ unit })`, the
 * oldest API they call). package.json's optional peer range says the same.
 *
 * @example
 * ```ts
 * import { SUPPORTED_FAST_CHECK } from 'actioncenter/testing';
 * console.log(SUPPORTED_FAST_CHECK); // '^3.22.0 || ^4.0.0'
 * ```
 */
export const SUPPORTED_FAST_CHECK = '^3.22.0 || ^4.0.0';

/**
 * Throws a clear error when `fc` is not a fast-check these tools work with: a version outside
 * {@link SUPPORTED_FAST_CHECK}, or an object missing the functions they call. Test tooling throws
 * (as fast-check itself does on a misuse), so the message reaches the test runner's report.
 */
export function assertSupportedFastCheck(fc: unknown, caller: string): void {
  const version = typeof fc === 'object' && fc !== null ? (fc as { __version?: unknown }).__version : undefined;
  const [major, minor] = typeof version === 'string' ? version.split('.').map(Number) : [];
  const supported = major === 4 || (major === 3 && minor !== undefined && minor >= 22);
  if (typeof version === 'string' && !supported) {
    throw new TypeError(
      `${caller}: actioncenter/testing needs fast-check ${SUPPORTED_FAST_CHECK}; the fast-check passed is ${version}`,
    );
  }
  const missing = (['string', 'record', 'oneof', 'constantFrom', 'integer'] as const).filter(
    (name) => typeof (fc as Record<string, unknown> | null)?.[name] !== 'function',
  );
  if (missing.length > 0) {
    throw new TypeError(
      `${caller}: pass fast-check itself (import fc from 'fast-check'; ${SUPPORTED_FAST_CHECK}); the value passed lacks ${missing.join(', ')}`,
    );
  }
}
