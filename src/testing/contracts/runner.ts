/**
 * What the contract suites need from a test runner, typed structurally so that vitest, jest,
 * node:test (with a two-line `expect`) or a hand-rolled runner fit: a function that registers a
 * named async test, and an `expect` with `toBe` and `toEqual`.
 *
 * @module
 */
import * as z from 'zod';

/**
 * Registers one named async test: vitest's and jest's `test`/`it`, node:test's `test`, or your own.
 * When the suite is given a `timeout`, it is passed as the third argument (milliseconds), as
 * vitest's and jest's `test(name, fn, timeout)` take it; without one, only two arguments are passed.
 *
 * @example
 * ```ts
 * import type { ContractTest } from 'actioncenter/testing';
 * const collected: { name: string; body: () => Promise<void>; timeout: number | undefined }[] = [];
 * const test: ContractTest = (name, body, timeout) => collected.push({ name, body, timeout });
 * ```
 */
export type ContractTest = (name: string, body: () => Promise<void>, timeout?: number) => unknown;

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
  /** Throws unless the actual value is `expected` (`Object.is`). */
  toBe(expected: unknown): void;
  /** Throws unless the actual value deeply equals `expected` (plain data). */
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

/**
 * The longest delay a JavaScript timer can wait (2^31 - 1 ms, about 24.8 days): runners time tests
 * with `setTimeout`, which fires at once for anything longer.
 */
const MAX_TIMER_MS = 2_147_483_647;

const TimeoutSchema = z
  .number({ error: 'must be a number of milliseconds' })
  .int('must be a whole number of milliseconds')
  .min(1, 'must be at least 1 ms')
  .max(MAX_TIMER_MS, `must be at most ${MAX_TIMER_MS} ms (the longest a timer can wait)`)
  .optional();

/** The suite option `timeout` as read: the milliseconds to pass (none: the runner's default), or why it is refused. */
export type CheckedTimeout =
  { readonly ok: true; readonly value: number | undefined } | { readonly ok: false; readonly message: string };

/** Reads and checks the suite option `timeout` (a throwing getter included: that is refused too). */
export function contractTimeout(options: { readonly timeout?: unknown }): CheckedTimeout {
  let raw: unknown;
  try {
    raw = options.timeout;
  } catch (e) {
    return { ok: false, message: `timeout could not be read (${e instanceof Error ? e.message : String(e)})` };
  }
  const parsed = TimeoutSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const shown =
    typeof raw === 'number' || typeof raw === 'bigint'
      ? String(raw)
      : typeof raw === 'string'
        ? JSON.stringify(raw)
        : typeof raw;
  return { ok: false, message: `timeout ${parsed.error.issues[0]?.message ?? 'is invalid'} (got ${shown})` };
}

/**
 * Registers the cases of the groups not skipped, each on a fresh instance from the factory, with
 * the suite's `timeout` when it has one. An invalid `timeout` registers, instead of the cases, one
 * test that fails and says why: registering runs while the runner collects tests, where a throw
 * would hide which suite and option are wrong.
 */
export function registerCases<G extends string, I>(
  options: {
    readonly test: ContractTest;
    readonly name: string;
    readonly suite: string;
    readonly skip: readonly G[];
    readonly factory: () => I | Promise<I>;
    readonly teardown?: ((instance: I) => void | Promise<void>) | undefined;
    readonly timeout: CheckedTimeout;
  },
  cases: readonly ContractCase<G, I>[],
): void {
  const timeout = options.timeout;
  if (!timeout.ok) {
    const message = `${options.suite}: ${timeout.message}`;
    options.test(`${options.name} › options: ${message}`, () => Promise.reject(new RangeError(message)));
    return;
  }
  for (const c of cases) {
    if (options.skip.includes(c.group)) continue;
    const name = `${options.name} › ${c.group}: ${c.title}`;
    const body = async () => {
      const instance = await options.factory();
      try {
        await c.run(instance);
      } finally {
        await options.teardown?.(instance);
      }
    };
    // Two arguments when no timeout is set: some runners read a third one differently.
    if (timeout.value === undefined) options.test(name, body);
    else options.test(name, body, timeout.value);
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
