/**
 * What a status means downstream: an action's outcome, and how an undo counterpart's end ends the
 * undo of its original (split from lifecycle-table.ts, which re-exports them).
 *
 * @module
 */
import type { ActionStatus } from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';

/**
 * What an action's status means downstream: the status itself, except that `expired` counts as
 * `rejected` ("the behaviour is the same as if the action is rejected", automation-levels.md).
 *
 * @example
 * ```ts
 * import type { ActionOutcome } from 'actioncenter/adapter-kit';
 * const o: ActionOutcome = 'rejected';
 * ```
 */
export type ActionOutcome = Exclude<ActionStatus, 'expired'>;

/**
 * Maps a status to its {@link ActionOutcome}: an expired action is treated as a rejected one
 * ("the behaviour is the same as if the action is rejected", automation-levels.md). The status
 * itself stays `expired`, so views can still tell the two apart.
 *
 * @example
 * ```ts
 * import { outcomeOf } from 'actioncenter/adapter-kit';
 * outcomeOf('expired'); // 'rejected'
 * outcomeOf('succeeded'); // 'succeeded'
 * ```
 */
export function outcomeOf(status: ActionStatus): ActionOutcome {
  return status === 'expired' ? 'rejected' : status;
}

/**
 * How the end of an undo counterpart ends the undo of the original action it is linked to
 * (`undoOf`): a counterpart that succeeded undid it (`undoSucceeded`); one that failed, timed out,
 * or was cancelled, rejected or expired did not (`undoFailed`, which may be retried); an open one
 * (pending, approved, running) has not ended yet (`null`).
 *
 * @example
 * ```ts
 * import { undoResultOfCounterpart } from 'actioncenter/adapter-kit';
 * undoResultOfCounterpart('succeeded'); // 'undoSucceeded'
 * undoResultOfCounterpart('cancelled'); // 'undoFailed'
 * undoResultOfCounterpart('running'); // null
 * ```
 */
export function undoResultOfCounterpart(counterpartStatus: ActionStatus): 'undoSucceeded' | 'undoFailed' | null {
  switch (counterpartStatus) {
    case 'pending':
    case 'approved':
    case 'running':
      return null;
    // Later undo of the counterpart itself does not change that it ran: the original was undone.
    case 'succeeded':
    case 'undoing':
    case 'undone':
    case 'undoFailed':
      return 'undoSucceeded';
    case 'failed':
    case 'timedOut':
    case 'rejected':
    case 'expired':
    case 'cancelled':
      return 'undoFailed';
    default:
      return assertNever(counterpartStatus);
  }
}
