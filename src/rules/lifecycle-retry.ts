/**
 * Retries of transient failures (issue 15), as pure rules: the wait before the next start (an
 * exponential backoff from the action type's retry policy) and whether an action has a start left.
 * The lifecycle's `retry` step (running → approved) sets `retryAt` from them; `dueAtOf` gives an
 * approved action its `retryAt` as due time, and the engine starts it no earlier.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { RetryPolicy } from '../catalog/retry-policy.js';
import type { ActionRecord, Timestamp } from '../catalog/records.js';
import { addMs } from './lifecycle-create.js';
import { attemptsOf, maxAttemptsOf } from './lifecycle-attempts.js';

/** The cap of a policy built by hand without one (`defineActionType` fills it in). */
const DEFAULT_MAX_BACKOFF_MS = 60 * 60 * 1000;

/**
 * The wait after attempt `attempt` (1 for the first start) failed transiently:
 * `min(backoffMs * 2^(attempt - 1), maxBackoffMs)`, in milliseconds (never negative).
 *
 * @example
 * ```ts
 * import { retryDelayMs } from 'actioncenter/adapter-kit';
 * const policy = { maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 5000 };
 * [1, 2, 3, 4].map((n) => retryDelayMs(policy, n)); // [1000, 2000, 4000, 5000]
 * ```
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  const base = Number.isFinite(policy.backoffMs) && policy.backoffMs > 0 ? policy.backoffMs : 0;
  const cap =
    typeof policy.maxBackoffMs === 'number' && Number.isFinite(policy.maxBackoffMs)
      ? Math.max(policy.maxBackoffMs, base)
      : Math.max(DEFAULT_MAX_BACKOFF_MS, base);
  // At most 2^30: past that the cap holds anyway (a policy allows 20 attempts).
  const doublings = Math.min(Math.max(0, Math.floor(attempt) - 1), 30);
  return Math.min(base * 2 ** doublings, cap);
}

/**
 * When a running action that failed transiently at `at` may start again: `at` + the wait after its
 * current attempt ({@link retryDelayMs}), or null when its type has no retry policy.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { retryAtOf } from 'actioncenter/adapter-kit';
 * retryAtOf({ attempt: 1, startedAt: 0 }, builtInCatalog.require('isolateDevice'), 60_000); // 90_000 (30 s later)
 * ```
 */
export function retryAtOf(
  action: Pick<ActionRecord, 'attempt' | 'startedAt'>,
  actionType: ActionTypeDefinition,
  at: Timestamp,
): Timestamp | null {
  const policy = actionType.retry;
  if (policy === undefined || policy === null) return null;
  return addMs(at, retryDelayMs(policy, attemptsOf(action)));
}

/**
 * May a running action of `actionType` be retried after a transient failure? Its type has a retry
 * policy and it was started fewer times than the policy's `maxAttempts`. Exactly when the lifecycle
 * accepts `retry` from `running`; otherwise a transient failure is a final `fail`.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { canRetry } from 'actioncenter/adapter-kit';
 * const isolate = builtInCatalog.require('isolateDevice'); // three starts at most
 * canRetry({ status: 'running', attempt: 2, startedAt: 0 }, isolate); // true
 * canRetry({ status: 'running', attempt: 3, startedAt: 0 }, isolate); // false
 * ```
 */
export function canRetry(
  action: Pick<ActionRecord, 'status' | 'attempt' | 'startedAt'>,
  actionType: ActionTypeDefinition,
): boolean {
  const max = maxAttemptsOf(actionType);
  return action.status === 'running' && max !== null && attemptsOf(action) < max;
}
