/**
 * Results: every public operation of actioncenter returns a value, never throws for bad input.
 *
 * The shape follows zod's `safeParse`: `{ ok: true, value }` or `{ ok: false, error }`, where `error`
 * is an error value keyed on `code` (each operation names its own union; every one is a member of
 * `ActionCenterError`).
 *
 * @module
 */
import type { z } from 'zod';
import { invalidInput, type ErrorValue, type InvalidInputError } from './errors.js';

/**
 * A successful result carrying `value`.
 *
 * @example
 * ```ts
 * import { ok } from 'actioncenter';
 * const r = ok(42);
 * if (r.ok) console.log(r.value); // 42
 * ```
 */
export interface Ok<T> {
  /** Always `true`: the operation succeeded and `value` holds its result. */
  readonly ok: true;
  /** The result. */
  readonly value: T;
}

/**
 * A failed result carrying a typed `error`.
 *
 * @example
 * ```ts
 * import { err } from 'actioncenter';
 * const r = err({ code: 'unknownActionType', message: 'no such type', actionTypeId: 'x' });
 * if (!r.ok) console.log(r.error.code); // 'unknownActionType'
 * ```
 */
export interface Err<E> {
  /** Always `false`: the operation failed and `error` says why. */
  readonly ok: false;
  /** Why it failed: an error value keyed on `code`. */
  readonly error: E;
}

/**
 * Either a value or a typed error. Narrow on `ok`. `E` defaults to the base {@link ErrorValue}
 * (`code` and `message`); operations name their own error union.
 *
 * @example
 * ```ts
 * import { parseActionRequest, type Result } from 'actioncenter';
 * const r = parseActionRequest({});
 * if (!r.ok) console.log(r.error.code); // 'invalidInput'
 * ```
 */
export type Result<T, E = ErrorValue> = Ok<T> | Err<E>;

/**
 * Builds a successful {@link Result}.
 *
 * @example
 * ```ts
 * import { ok } from 'actioncenter';
 * ok('done'); // { ok: true, value: 'done' }
 * ```
 */
export function ok<T>(value: T): Ok<T> {
  return { ok: true, value };
}

/**
 * Builds a failed {@link Result}.
 *
 * @example
 * ```ts
 * import { err } from 'actioncenter';
 * err({ code: 'invalidInput', message: 'bad', issues: [] });
 * ```
 */
export function err<E>(error: E): Err<E> {
  return { ok: false, error };
}

/**
 * Thrown by {@link unwrap}: carries the typed error as `error`.
 *
 * @example
 * ```ts
 * import { ActionCenterException, unwrap, parseActionRequest } from 'actioncenter';
 * try { unwrap(parseActionRequest({})); } catch (e) {
 *   if (e instanceof ActionCenterException) console.log(e.error.code);
 * }
 * ```
 */
export class ActionCenterException<E extends ErrorValue = ErrorValue> extends Error {
  readonly error: E;
  constructor(error: E) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ActionCenterException';
    this.error = error;
  }
}

/**
 * Convenience for scripts: returns the value of an `ok` result, throws {@link ActionCenterException}
 * for an error. Library code and UIs should narrow on `ok` instead.
 *
 * @example
 * ```ts
 * import { unwrap, ok } from 'actioncenter';
 * unwrap(ok(1)); // 1
 * ```
 */
export function unwrap<T, E extends ErrorValue>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw new ActionCenterException(result.error);
}

/**
 * Describes anything that was thrown, without ever throwing itself: a revoked Proxy or an object
 * whose `message` getter throws is described too. For error payloads and messages.
 *
 * @example
 * ```ts
 * import { describeThrown } from 'actioncenter/adapter-kit';
 * describeThrown(new Error('boom')); // 'boom'
 * describeThrown(42); // '42'
 * ```
 */
export function describeThrown(cause: unknown): string {
  try {
    if (cause instanceof Error) return String(cause.message).slice(0, 500);
    if (typeof cause === 'string') return cause.slice(0, 500);
    if (typeof cause === 'object' && cause !== null) return 'a non-Error object was thrown';
    return String(cause).slice(0, 500);
  } catch {
    // `instanceof` and getters run user code on a Proxy; the description must not fail in turn.
    return 'an unreadable value was thrown';
  }
}

/**
 * Validates input with a zod schema inside a guard. zod's `safeParse` itself throws when reading the
 * input throws (a revoked Proxy, a throwing getter, a trap): that becomes an `invalidInput` error
 * whose single issue has code `unreadable`, so every entry point built on this never throws.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { safeParseInput } from 'actioncenter/adapter-kit';
 * const revocable = Proxy.revocable({}, {});
 * revocable.revoke();
 * const r = safeParseInput(z.object({ a: z.string() }), revocable.proxy, 'settings');
 * if (!r.ok) console.log(r.error.issues[0]?.code); // 'unreadable'
 * ```
 */
export function safeParseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what: string,
): Result<z.output<S>, InvalidInputError> {
  try {
    const parsed = schema.safeParse(value);
    // Inside the guard too: describing an issue reads the input again (its type, for the message).
    return parsed.success ? ok(parsed.data) : err(invalidInput(what, parsed.error.issues));
  } catch (cause) {
    return err(unreadableInput(what, cause));
  }
}

/**
 * The `invalidInput` error for input that could not even be read (reading it threw).
 *
 * @example
 * ```ts
 * import { unreadableInput } from 'actioncenter/adapter-kit';
 * unreadableInput('principal', new TypeError('revoked')).issues[0]?.code; // 'unreadable'
 * ```
 */
export function unreadableInput(
  what: string,
  cause: unknown,
  path: readonly (string | number)[] = [],
): InvalidInputError {
  const message = `could not be read: ${describeThrown(cause)}`;
  return {
    code: 'invalidInput',
    message: `Invalid ${what}: ${path.length > 0 ? path.join('.') : '(root)'}: ${message}`,
    issues: [{ path: [...path], code: 'unreadable', message }],
  };
}

/**
 * Exhaustiveness helper: a call compiles only when every case was handled before it.
 *
 * @example
 * ```ts
 * import { type Workload } from 'actioncenter';
 * import { assertNever } from 'actioncenter/adapter-kit';
 * function label(w: Workload): string {
 *   switch (w) { case 'endpoint': return 'Devices'; case 'email': return 'Email'; case 'identity': return 'Identities'; default: return assertNever(w); }
 * }
 * ```
 */
export function assertNever(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
