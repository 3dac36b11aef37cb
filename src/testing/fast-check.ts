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
