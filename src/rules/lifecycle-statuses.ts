/**
 * The lifecycle's final and open statuses (split from lifecycle-table.ts, which re-exports them).
 *
 * @module
 */
import type { ActionStatus } from '../catalog/records.js';

/**
 * The statuses where the action has reached its outcome. A final state accepts no decision
 * ({@link "actioncenter/adapter-kit"!DECISION_EVENT_TYPES}); `succeeded` and `undoFailed` still accept `requestUndo`, since an
 * undo is not a decision about the action. One exception, for a fact rather than a decision:
 * `timedOut` accepts `succeed`, a success the executor reports after the deadline (it did the work).
 *
 * @example
 * ```ts
 * import { FINAL_STATUSES } from 'actioncenter';
 * FINAL_STATUSES.includes('expired'); // true
 * ```
 */
export const FINAL_STATUSES = Object.freeze([
  'succeeded',
  'failed',
  'timedOut',
  'rejected',
  'expired',
  'cancelled',
  'undone',
  'undoFailed',
] as const satisfies readonly ActionStatus[]);

/**
 * One of {@link FINAL_STATUSES}.
 *
 * @example
 * ```ts
 * import type { FinalStatus } from 'actioncenter/adapter-kit';
 * const s: FinalStatus = 'rejected';
 * ```
 */
export type FinalStatus = (typeof FINAL_STATUSES)[number];

const FINAL = new Set<ActionStatus>(FINAL_STATUSES);

/**
 * The statuses in which an action is open: waiting for a decision, for the executor, or running.
 * An open action holds its open key (no second open action of the same type on the same target);
 * leaving them releases it ({@link actioncenter!transition} clears `openKey`).
 *
 * @example
 * ```ts
 * import { OPEN_STATUSES } from 'actioncenter/adapter-kit';
 * OPEN_STATUSES.includes('running'); // true
 * ```
 */
export const OPEN_STATUSES = Object.freeze([
  'pending',
  'approved',
  'running',
] as const satisfies readonly ActionStatus[]);

const OPEN = new Set<string>(OPEN_STATUSES);

/**
 * Is the action open (one of {@link OPEN_STATUSES})?
 *
 * @example
 * ```ts
 * import { isOpen } from 'actioncenter/adapter-kit';
 * isOpen('approved'); // true
 * isOpen('succeeded'); // false
 * ```
 */
export function isOpen(status: string): status is (typeof OPEN_STATUSES)[number] {
  return OPEN.has(status);
}

/**
 * Has the action reached its outcome? (See {@link FINAL_STATUSES}.)
 *
 * @example
 * ```ts
 * import { isFinal } from 'actioncenter';
 * isFinal('running'); // false
 * isFinal('succeeded'); // true
 * ```
 */
export function isFinal(status: ActionStatus): status is FinalStatus {
  return FINAL.has(status);
}
