/**
 * Attempts (issue 15, retries): how many times an action was started, and how many starts its
 * type's retry policy allows. Shared by the table's retry guard and the retry rules.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';

/**
 * How many times an action was started: its `attempt`, and at least 1 once it has started (records
 * stored before attempts were counted read back with `attempt` 0). The retry guard compares it
 * with the type's `maxAttempts`; a record without a start time and no attempt counts 1 (a caller
 * asking about a running action without saying more).
 *
 * @example
 * ```ts
 * import { attemptsOf } from 'actioncenter/adapter-kit';
 * attemptsOf({ attempt: 2, startedAt: 1000 }); // 2
 * attemptsOf({ attempt: 0, startedAt: 1000 }); // 1 (stored before attempts were counted)
 * ```
 */
export function attemptsOf(action: { readonly attempt?: number; readonly startedAt?: number | null }): number {
  const attempt = typeof action.attempt === 'number' && Number.isInteger(action.attempt) ? action.attempt : 0;
  const started = action.startedAt === undefined || action.startedAt !== null ? 1 : 0;
  return Math.max(attempt, started);
}

/**
 * The starts a type's retry policy allows, or null when it retries nothing (no policy, or one
 * that does not read as one: a definition built by hand and never checked by a catalogue).
 */
export function maxAttemptsOf(actionType: ActionTypeDefinition): number | null {
  const policy = actionType.retry;
  if (policy === undefined || policy === null) return null;
  const max = policy.maxAttempts;
  return typeof max === 'number' && Number.isInteger(max) && max >= 2 ? max : null;
}
