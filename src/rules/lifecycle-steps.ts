/**
 * The transition table compiled for the record step's hot path (internal, not exported by any entry
 * point): for each event, the states that accept it, with where each leads, its guard and whether
 * the next state is open. Built once from {@link LIFECYCLE_TRANSITIONS} and {@link LIFECYCLE_GUARDS},
 * so it cannot drift from them; refusals are explained by `lifecycleEdge` ({@link refused}).
 *
 * Why: two `Map` lookups (state, then event) and a `Set` lookup (is the next state open?) were a
 * fifth of a transition (bench/: lifecycle transitions). Here it is one property load by the event
 * type and one to three identity comparisons of the state.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { ActionRecord, ActionStatus } from '../catalog/records.js';
import type { InvalidTransitionError } from '../errors.js';
import { err, type Result } from '../result.js';
import type { LifecycleEventType } from './lifecycle-events.js';
import {
  LIFECYCLE_GUARDS,
  LIFECYCLE_TRANSITIONS,
  approvalsLeftOf,
  attemptsOf,
  guardRefusal,
  isFinal,
  isOpen,
  lifecycleEdge,
  type TransitionRefusalReason,
  type LifecycleGuard,
  type LifecycleGuardTable,
  type LifecycleTransitionTable,
} from './lifecycle-table.js';

/** One edge of the table, from the side of its event. */
export interface CompiledStep {
  readonly from: ActionStatus;
  readonly to: ActionStatus;
  readonly guard: LifecycleGuard | null;
  /** Is `to` open? (The next record keeps its open key only then.) */
  readonly open: boolean;
}

const TABLE: LifecycleTransitionTable = LIFECYCLE_TRANSITIONS;
const GUARDS: LifecycleGuardTable = LIFECYCLE_GUARDS;

function stepsOf(event: LifecycleEventType): readonly CompiledStep[] {
  const steps: CompiledStep[] = [];
  for (const from of Object.keys(TABLE) as ActionStatus[]) {
    const to = TABLE[from][event];
    if (to !== undefined)
      steps.push(Object.freeze({ from, to, guard: GUARDS[from]?.[event] ?? null, open: isOpen(to) }));
  }
  return Object.freeze(steps);
}

// One literal with every event type (the compiler refuses a missing one): one fixed shape.
const STEPS: { readonly [E in LifecycleEventType]: readonly CompiledStep[] } = {
  approve: stepsOf('approve'),
  reject: stepsOf('reject'),
  expire: stepsOf('expire'),
  cancel: stepsOf('cancel'),
  start: stepsOf('start'),
  succeed: stepsOf('succeed'),
  fail: stepsOf('fail'),
  timeOut: stepsOf('timeOut'),
  requestUndo: stepsOf('requestUndo'),
  undoSucceeded: stepsOf('undoSucceeded'),
  undoFailed: stepsOf('undoFailed'),
  accept: stepsOf('accept'),
  progress: stepsOf('progress'),
  reportDiscarded: stepsOf('reportDiscarded'),
  retry: stepsOf('retry'),
  escalate: stepsOf('escalate'),
  addNote: stepsOf('addNote'),
  setRevert: stepsOf('setRevert'),
  addApproval: stepsOf('addApproval'),
  retried: stepsOf('retried'),
};

/**
 * The step `event` takes from `status` for an action of `actionType`, or null when the table or a
 * guard refuses it (ask `lifecycleEdge` why). Total: a key outside the types (e.g. an inherited
 * name such as `constructor`) finds no step rather than throwing. `attempt`: the action's starts
 * (`attemptsOf`), read by the retry guard only.
 */
export function acceptedStep(
  status: ActionStatus,
  event: LifecycleEventType,
  actionType: ActionTypeDefinition,
  attempt = 1,
  escalated = false,
  approvalsLeft = 1,
): CompiledStep | null {
  // Typed as possibly absent: an event type outside the types finds nothing rather than throwing.
  const steps: readonly CompiledStep[] | undefined = STEPS[event];
  if (steps === undefined) return null;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    if (step === undefined || step.from !== status) continue;
    return step.guard === null || guardRefusal(step.guard, actionType, attempt, escalated, approvalsLeft) === null
      ? step
      : null;
  }
  return null;
}

const REFUSALS: { readonly [R in TransitionRefusalReason]: string } = {
  finalState: 'the action is final and accepts no such event',
  noSuchTransition: 'the lifecycle has no such step from this state',
  notCancellableWhileRunning: 'actions of this type cannot be cancelled while running',
  notUndoable: 'actions of this type cannot be undone',
  notRetryable: 'actions of this type are not retried (no retry policy)',
  retriesExhausted: 'the action was started as many times as its retry policy allows',
  alreadyEscalated: 'the approval deadline already escalated this action',
  alreadyStarted: 'only an approved action never started expires',
  approvalsOutstanding: 'the action needs more approvals than this one (add the approval instead)',
  lastApproval: 'this approval is the last one needed (approve instead)',
};

/**
 * The error of a step {@link acceptedStep} refused, with the reason `lifecycleEdge` gives. Both
 * read the same tables, so the edge is a refusal here; were it not, "no such transition" would
 * still be true of the compiled table.
 */
export function refused(
  action: ActionRecord,
  event: LifecycleEventType,
  actionType: ActionTypeDefinition,
): Result<never, InvalidTransitionError> {
  const edge = lifecycleEdge(
    action.status,
    event,
    actionType,
    attemptsOf(action),
    (action.escalatedAt ?? null) !== null,
    approvalsLeftOf(action),
  );
  return err(invalidTransition(action, event, edge.accepted ? 'noSuchTransition' : edge.reason));
}

function invalidTransition(
  action: ActionRecord,
  event: LifecycleEventType,
  reason: TransitionRefusalReason,
): InvalidTransitionError {
  return {
    code: 'invalidTransition',
    message: `Action "${action.id}" (${action.actionType}) is ${action.status} and does not accept "${event}": ${REFUSALS[reason]}`,
    actionId: action.id,
    state: action.status,
    event,
    final: isFinal(action.status),
    reason,
  };
}
