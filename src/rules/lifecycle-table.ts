/**
 * The lifecycle's transition table, as data: which state accepts which event and where it leads,
 * the guards that depend on the action type, and the final states.
 *
 * The table is the single source of truth: {@link transition} and {@link acceptedEvents} both read
 * it through {@link lifecycleEdge}, so what a UI offers and what the engine accepts cannot drift
 * apart. Acceptance depends on the state and the action type only, never on the event's payload.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { ActionStatus } from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import type { InvalidTransitionError } from '../errors.js';
import { attemptsOf, maxAttemptsOf } from './lifecycle-attempts.js';
import { LIFECYCLE_EVENT_TYPES, type LifecycleEventType } from './lifecycle-events.js';
import { isFinal } from './lifecycle-statuses.js';

export { attemptsOf } from './lifecycle-attempts.js';
export { FINAL_STATUSES, OPEN_STATUSES, isFinal, isOpen, type FinalStatus } from './lifecycle-statuses.js';
export { outcomeOf, undoResultOfCounterpart, type ActionOutcome } from './lifecycle-outcomes.js';

/**
 * The shape of a transition table: one row per state (the compiler refuses a table that misses
 * one), and in each row the events the state accepts with the state each leads to.
 *
 * @example
 * ```ts
 * import type { LifecycleTransitionTable } from 'actioncenter/adapter-kit';
 * const next = (t: LifecycleTransitionTable) => t.pending.approve; // 'approved' in the built-in table
 * ```
 */
export type LifecycleTransitionTable = {
  readonly [S in ActionStatus]: { readonly [E in LifecycleEventType]?: ActionStatus };
};

/**
 * The lifecycle (DESIGN.md, Lifecycle) as a table: `LIFECYCLE_TRANSITIONS[state][event]` is the next
 * state, or absent when the state does not accept the event. Two edges carry a guard on the action
 * type ({@link LIFECYCLE_GUARDS}): cancelling a running action, and requesting an undo.
 *
 * @example
 * ```ts
 * import { LIFECYCLE_TRANSITIONS } from 'actioncenter/adapter-kit';
 * LIFECYCLE_TRANSITIONS.pending.expire; // 'expired'
 * LIFECYCLE_TRANSITIONS.succeeded.requestUndo; // 'undoing'
 * ```
 */
export const LIFECYCLE_TRANSITIONS = deepFreeze({
  // `addNote` (issue 16): every state takes a note, its status unchanged; `setRevert`: the revert of
  // a time-limited action, while open (its delay) and once succeeded (its time), on undoable types.
  pending: {
    approve: 'approved',
    reject: 'rejected',
    expire: 'expired',
    cancel: 'cancelled',
    addNote: 'pending',
    setRevert: 'pending',
    // The approval deadline passed (issue 16): audit-only, once (guard `notEscalated`).
    escalate: 'pending',
    // N-of-M approvals (issue 16): one approval short of the required number (guard `approvalsShort`).
    addApproval: 'pending',
  },
  // An approved action that cannot be started (its type left the catalogue) fails without running.
  // `expire` (issue 16): approved but never started past its `expiresAt` (guard `neverStarted`).
  approved: {
    start: 'running',
    cancel: 'cancelled',
    fail: 'failed',
    addNote: 'approved',
    setRevert: 'approved',
    expire: 'expired',
  },
  // `accept`: dispatched, the remote reference recorded; `progress`: a report's details. Both run on.
  running: {
    succeed: 'succeeded',
    fail: 'failed',
    timeOut: 'timedOut',
    cancel: 'cancelled',
    accept: 'running',
    progress: 'running',
    // A transient failure with attempts left: approved again, started after the backoff.
    retry: 'approved',
    addNote: 'running',
    setRevert: 'running',
  },
  // `reportDiscarded` (every state an action that ran may be in when a report comes too late): an
  // audit-only step, the status unchanged.
  succeeded: { requestUndo: 'undoing', reportDiscarded: 'succeeded', addNote: 'succeeded', setRevert: 'succeeded' },
  // `retried` (issue 16): a manual retry was created; the original stays as it ended.
  failed: { reportDiscarded: 'failed', addNote: 'failed', retried: 'failed' },
  // A success the executor reports after the deadline: the remote side did the work, so the action
  // is recorded as succeeded (late), and can be undone.
  timedOut: { succeed: 'succeeded', reportDiscarded: 'timedOut', addNote: 'timedOut', retried: 'timedOut' },
  rejected: { addNote: 'rejected' },
  expired: { addNote: 'expired' },
  cancelled: { reportDiscarded: 'cancelled', addNote: 'cancelled' },
  undoing: { undoSucceeded: 'undone', undoFailed: 'undoFailed', reportDiscarded: 'undoing', addNote: 'undoing' },
  undone: { reportDiscarded: 'undone', addNote: 'undone' },
  // A failed undo may be retried.
  undoFailed: { requestUndo: 'undoing', reportDiscarded: 'undoFailed', addNote: 'undoFailed' },
} as const satisfies LifecycleTransitionTable);

/**
 * A condition on the action type that an edge of the table needs:
 * `cancellableWhileRunning` (the type's flag, cancel-machine-action.md), `undoable` (the type has
 * an undo counterpart) or `retryable` (the type has a retry policy and the action has attempts left:
 * the one guard that reads the record, its `attempt`).
 *
 * @example
 * ```ts
 * import type { LifecycleGuard } from 'actioncenter/adapter-kit';
 * const g: LifecycleGuard = 'undoable';
 * ```
 */
export type LifecycleGuard =
  | 'cancellableWhileRunning'
  | 'undoable'
  | 'retryable'
  // Issue 16, guards on the record: not escalated yet (`escalatedAt` null); never started (attempt 0).
  | 'notEscalated'
  | 'neverStarted'
  // Issue 16, N-of-M approvals, guards on the record's approvals: `approve` is the last approval
  // needed (`approvalsComplete`); `addApproval` leaves at least one more needed (`approvalsShort`).
  | 'approvalsComplete'
  | 'approvalsShort';

/**
 * The guarded edges of {@link LIFECYCLE_TRANSITIONS}: `LIFECYCLE_GUARDS[state][event]` names the
 * condition the action type must meet for the edge to be taken.
 *
 * @example
 * ```ts
 * import { LIFECYCLE_GUARDS } from 'actioncenter/adapter-kit';
 * LIFECYCLE_GUARDS.running.cancel; // 'cancellableWhileRunning'
 * ```
 */
export const LIFECYCLE_GUARDS = deepFreeze({
  pending: {
    setRevert: 'undoable',
    escalate: 'notEscalated',
    approve: 'approvalsComplete',
    addApproval: 'approvalsShort',
  },
  approved: { setRevert: 'undoable', expire: 'neverStarted' },
  running: { cancel: 'cancellableWhileRunning', retry: 'retryable', setRevert: 'undoable' },
  succeeded: { requestUndo: 'undoable', setRevert: 'undoable' },
  undoFailed: { requestUndo: 'undoable' },
} as const satisfies LifecycleGuardTable);

/**
 * The shape of {@link LIFECYCLE_GUARDS}: for some states, some events, the guard their edge needs.
 *
 * @example
 * ```ts
 * import type { LifecycleGuardTable } from 'actioncenter/adapter-kit';
 * const noGuards: LifecycleGuardTable = {};
 * ```
 */
export type LifecycleGuardTable = {
  readonly [S in ActionStatus]?: { readonly [E in LifecycleEventType]?: LifecycleGuard };
};

/**
 * Why a state refuses an event: the `reason` of an {@link InvalidTransitionError}.
 *
 * @example
 * ```ts
 * import type { TransitionRefusalReason } from 'actioncenter/adapter-kit';
 * const r: TransitionRefusalReason = 'notCancellableWhileRunning';
 * ```
 */
export type TransitionRefusalReason = InvalidTransitionError['reason'];

/**
 * What the table says of one event in one state for one action type: accepted (and where it
 * leads), or refused (and why).
 *
 * @example
 * ```ts
 * import type { LifecycleEdge } from 'actioncenter/adapter-kit';
 * const show = (e: LifecycleEdge) => (e.accepted ? `-> ${e.to}` : `refused: ${e.reason}`);
 * ```
 */
export type LifecycleEdge =
  | { readonly accepted: true; readonly to: ActionStatus }
  | { readonly accepted: false; readonly reason: TransitionRefusalReason };

/**
 * Looks an event up in the table for a state and an action type, guards included. Refusals say
 * why: `finalState` (a final state and an event it does not accept), `notCancellableWhileRunning`,
 * `notUndoable`, `notRetryable`, `retriesExhausted`, or `noSuchTransition` (a non-final state
 * without that edge). `attempt`: how many times the action was started ({@link attemptsOf}; 1
 * when left out), for the retry and `neverStarted` guards; `escalated`: has the action escalated
 * (`escalatedAt` set; false when left out), for the `notEscalated` guard; `approvalsLeft`: approvals
 * still needed, this one included ({@link approvalsLeftOf}; 1 when left out), for the approval guards.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { lifecycleEdge } from 'actioncenter/adapter-kit';
 * lifecycleEdge('rejected', 'approve', builtInCatalog.require('isolateDevice')); // { accepted: false, reason: 'finalState' }
 * ```
 */
export function lifecycleEdge(
  status: ActionStatus,
  event: LifecycleEventType,
  actionType: ActionTypeDefinition,
  attempt = 1,
  escalated = false,
  approvalsLeft = 1,
): LifecycleEdge {
  const entry = EDGES.get(status)?.get(event);
  if (entry === undefined) return REFUSED[isFinal(status) ? 'finalState' : 'noSuchTransition'];
  if (entry.guard !== undefined) {
    const refusal = guardRefusal(entry.guard, actionType, attempt, escalated, approvalsLeft);
    if (refusal !== null) return REFUSED[refusal];
  }
  return entry.edge;
}

// The literal tables, widened to their shapes so that any state and event can index them.
const TABLE: LifecycleTransitionTable = LIFECYCLE_TRANSITIONS;
const GUARDS: LifecycleGuardTable = LIFECYCLE_GUARDS;

/**
 * The two tables joined once into maps, state → event → (edge, guard), with every edge object
 * made once (edges are immutable): looking an event up costs two small-map lookups and no
 * allocation, where indexing the frozen tables by variable keys took four megamorphic property
 * lookups per transition (bench/: lifecycle transitions).
 */
const EDGES: ReadonlyMap<
  string,
  ReadonlyMap<string, { readonly edge: LifecycleEdge; readonly guard: LifecycleGuard | undefined }>
> = new Map(
  (Object.keys(TABLE) as ActionStatus[]).map((status) => [
    status,
    new Map(
      (Object.keys(TABLE[status]) as LifecycleEventType[]).map((event) => [
        event,
        {
          edge: Object.freeze({ accepted: true as const, to: TABLE[status][event] as ActionStatus }),
          guard: GUARDS[status]?.[event],
        },
      ]),
    ),
  ]),
);

const REFUSED: { readonly [R in TransitionRefusalReason]: LifecycleEdge } = Object.freeze({
  finalState: Object.freeze({ accepted: false, reason: 'finalState' }),
  noSuchTransition: Object.freeze({ accepted: false, reason: 'noSuchTransition' }),
  notCancellableWhileRunning: Object.freeze({ accepted: false, reason: 'notCancellableWhileRunning' }),
  notUndoable: Object.freeze({ accepted: false, reason: 'notUndoable' }),
  notRetryable: Object.freeze({ accepted: false, reason: 'notRetryable' }),
  retriesExhausted: Object.freeze({ accepted: false, reason: 'retriesExhausted' }),
  alreadyEscalated: Object.freeze({ accepted: false, reason: 'alreadyEscalated' }),
  alreadyStarted: Object.freeze({ accepted: false, reason: 'alreadyStarted' }),
  approvalsOutstanding: Object.freeze({ accepted: false, reason: 'approvalsOutstanding' }),
  lastApproval: Object.freeze({ accepted: false, reason: 'lastApproval' }),
});

/**
 * Why `actionType` (and, for `retryable`, an action started `attempt` times) fails `guard`, or null
 * when it passes (internal: `lifecycle-steps.ts` shares it). `escalated`: has the action escalated.
 */
export function guardRefusal(
  guard: LifecycleGuard,
  actionType: ActionTypeDefinition,
  attempt: number,
  escalated = false,
  approvalsLeft = 1,
): TransitionRefusalReason | null {
  switch (guard) {
    case 'cancellableWhileRunning':
      return actionType.cancellableWhileRunning ? null : 'notCancellableWhileRunning';
    case 'undoable':
      return actionType.undo !== null ? null : 'notUndoable';
    case 'retryable': {
      const max = maxAttemptsOf(actionType);
      if (max === null) return 'notRetryable';
      return attempt < max ? null : 'retriesExhausted';
    }
    case 'notEscalated':
      return escalated ? 'alreadyEscalated' : null;
    case 'neverStarted':
      // A retry-waiting action (started before) never expires this way: its attempt is history.
      return attempt === 0 ? null : 'alreadyStarted';
    // `approvalsLeft`: approvals still needed, this one included (`approvalsLeftOf`).
    case 'approvalsComplete':
      return approvalsLeft <= 1 ? null : 'approvalsOutstanding';
    case 'approvalsShort':
      return approvalsLeft > 1 ? null : 'lastApproval';
    default:
      return assertNever(guard);
  }
}

/**
 * The events an action accepts now, guards included, in the order of {@link LIFECYCLE_EVENT_TYPES}.
 * {@link actioncenter!transition} accepts an event exactly when it is listed here.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { acceptedEvents } from 'actioncenter/adapter-kit';
 * const pending = { status: 'pending' } as const; // or a whole ActionRecord
 * acceptedEvents(pending, { actionType: builtInCatalog.require('isolateDevice') }); // ['approve', 'reject', 'expire', 'cancel']
 * acceptedEvents({ status: 'succeeded' }, { actionType: builtInCatalog.require('isolateDevice') }); // ['requestUndo', 'reportDiscarded']
 * ```
 */
export function acceptedEvents(
  action: {
    readonly status: ActionStatus;
    readonly attempt?: number;
    readonly startedAt?: number | null;
    readonly escalatedAt?: number | null;
    readonly requiredApprovals?: number;
    readonly approvals?: readonly unknown[];
  },
  context: { readonly actionType: ActionTypeDefinition },
): LifecycleEventType[] {
  const attempt = attemptsOf(action);
  const escalated = action.escalatedAt !== undefined && action.escalatedAt !== null;
  const left = approvalsLeftOf(action);
  return LIFECYCLE_EVENT_TYPES.filter(
    (event) => lifecycleEdge(action.status, event, context.actionType, attempt, escalated, left).accepted,
  );
}

/**
 * How many approvals a pending action still needs, the next one included: its `requiredApprovals`
 * (1 when absent: records stored before N-of-M approvals) less the approvals it has; at least 1.
 *
 * @example
 * ```ts
 * import { approvalsLeftOf } from 'actioncenter/adapter-kit';
 * approvalsLeftOf({ requiredApprovals: 2, approvals: [] }); // 2
 * approvalsLeftOf({}); // 1
 * ```
 */
export function approvalsLeftOf(action: {
  readonly requiredApprovals?: number;
  readonly approvals?: readonly unknown[];
}): number {
  return Math.max(1, (action.requiredApprovals ?? 1) - (action.approvals?.length ?? 0));
}

// Tables are shared constants: freeze every level so no caller can edit the lifecycle at run time.
function deepFreeze<T extends object>(value: T): T {
  for (const key of Object.keys(value)) {
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === 'object' && child !== null) deepFreeze(child);
  }
  return Object.freeze(value);
}
