/**
 * Results: every public operation of actioncenter returns a value, never throws for bad input.
 *
 * The shape follows zod's `safeParse`: `{ ok: true, value }` or `{ ok: false, error }`, where `error`
 * is an {@link ActionCenterError} keyed on `code`.
 *
 * @module
 */
import type { ActionCenterError } from './errors.js';

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
  readonly ok: true;
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
  readonly ok: false;
  readonly error: E;
}

/**
 * Either a value or a typed error. Narrow on `ok`.
 *
 * @example
 * ```ts
 * import { parseActionRequest, type Result } from 'actioncenter';
 * const r = parseActionRequest({});
 * if (!r.ok) console.log(r.error.code); // 'invalidInput'
 * ```
 */
export type Result<T, E = ActionCenterError> = Ok<T> | Err<E>;

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
 * import { ActionCenterFailure, unwrap, parseActionRequest } from 'actioncenter';
 * try { unwrap(parseActionRequest({})); } catch (e) {
 *   if (e instanceof ActionCenterFailure) console.log(e.error.code);
 * }
 * ```
 */
export class ActionCenterFailure<E extends { code: string; message: string } = ActionCenterError> extends Error {
  readonly error: E;
  constructor(error: E) {
    super(`${error.code}: ${error.message}`);
    this.name = 'ActionCenterFailure';
    this.error = error;
  }
}

/**
 * Convenience for scripts: returns the value of an `ok` result, throws {@link ActionCenterFailure}
 * for an error. Library code and UIs should narrow on `ok` instead.
 *
 * @example
 * ```ts
 * import { unwrap, ok } from 'actioncenter';
 * unwrap(ok(1)); // 1
 * ```
 */
export function unwrap<T, E extends { code: string; message: string }>(result: Result<T, E>): T {
  if (result.ok) return result.value;
  throw new ActionCenterFailure(result.error);
}
