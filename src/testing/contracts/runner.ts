/**
 * What the contract suites need from a test runner, typed structurally so that vitest, jest,
 * node:test (with a two-line `expect`) or a hand-rolled runner fit: a function that registers a
 * named async test, and an `expect` with `toBe` and `toEqual`.
 *
 * @module
 */

/**
 * Registers one named async test: vitest's and jest's `test`/`it`, node:test's `test`, or your own.
 *
 * @example
 * ```ts
 * import type { ContractTest } from 'actioncenter/testing';
 * const collected: { name: string; body: () => Promise<void> }[] = [];
 * const test: ContractTest = (name, body) => collected.push({ name, body });
 * ```
 */
export type ContractTest = (name: string, body: () => Promise<void>) => unknown;

/**
 * The two assertions the suites use: `toBe` (`Object.is`) and `toEqual` (deep equality of plain
 * data). Each throws when it fails.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import type { ContractAssertion } from 'actioncenter/testing';
 * const that = (actual: unknown): ContractAssertion => ({
 *   toBe: (expected) => assert.equal(actual, expected),
 *   toEqual: (expected) => assert.deepEqual(actual, expected),
 * });
 * ```
 */
export interface ContractAssertion {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
}

/**
 * vitest's or jest's `expect`, or any function of that shape. The suites pass a message saying what
 * is checked; runners that take none ignore it.
 *
 * @example
 * ```ts
 * import assert from 'node:assert/strict';
 * import type { ContractExpect } from 'actioncenter/testing';
 * const expect: ContractExpect = (actual, message) => ({
 *   toBe: (expected) => assert.equal(actual, expected, message),
 *   toEqual: (expected) => assert.deepEqual(actual, expected, message),
 * });
 * ```
 */
export type ContractExpect = (actual: unknown, message?: string) => ContractAssertion;

/** One test of a suite: its group, its title and what it does with a fresh instance. */
export interface ContractCase<G extends string, I> {
  readonly group: G;
  readonly title: string;
  readonly run: (instance: I) => Promise<void>;
}

/** Registers the cases of the groups not skipped, each on a fresh instance from the factory. */
export function registerCases<G extends string, I>(
  options: {
    readonly test: ContractTest;
    readonly name: string;
    readonly skip: readonly G[];
    readonly factory: () => I | Promise<I>;
    readonly teardown?: ((instance: I) => void | Promise<void>) | undefined;
  },
  cases: readonly ContractCase<G, I>[],
): void {
  for (const c of cases) {
    if (options.skip.includes(c.group)) continue;
    options.test(`${options.name} › ${c.group}: ${c.title}`, async () => {
      const instance = await options.factory();
      try {
        await c.run(instance);
      } finally {
        await options.teardown?.(instance);
      }
    });
  }
}

/**
 * Resolves with the promise's value, or rejects when it has not settled after `ms` milliseconds
 * (the timer is cleared either way, so a passing run leaves nothing behind).
 */
export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
