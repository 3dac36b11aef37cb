/**
 * The action lifecycle as a typed, pure state machine (DESIGN.md, Lifecycle).
 *
 * `transition(action, event, context)` returns the next record, the effects the engine must carry
 * out and the audit draft of the step, and carries out none of them: like XState's pure
 * `transition`, it is a function of its arguments only. Time comes in with the event (`at`); no
 * clock, no randomness, no I/O.
 *
 * - `pending` → approve → `approved`, reject → `rejected`, expire → `expired`, cancel → `cancelled`;
 * - `approved` → start → `running`, cancel → `cancelled`;
 * - `running` → succeed → `succeeded`, fail → `failed`, timeOut → `timedOut`, cancel → `cancelled`
 *   (only for types that are `cancellableWhileRunning`);
 * - `succeeded` → requestUndo → `undoing` (only for types with an undo) → undoSucceeded → `undone`,
 *   or undoFailed → `undoFailed` → requestUndo → `undoing` (a retry);
 * - every other state accepts nothing.
 *
 * The table lives in `lifecycle-table.ts`, the events in `lifecycle-events.ts`, the effects in
 * `lifecycle-effects.ts`; creation in
 * `lifecycle-create.ts`; this module holds `transition`, and re-exports the rest.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type {
  ActionRecord,
  ActionRequest,
  ActionStatus,
  Actor,
  AuditEvent,
  ActionFailure,
  Timestamp,
} from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import type { InvalidTransitionError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { LifecycleEffect } from './lifecycle-effects.js';
import type { LifecycleEvent, LifecycleEventType } from './lifecycle-events.js';
import {
  isFinal,
  isOpen,
  lifecycleEdge,
  undoResultOfCounterpart,
  type TransitionRefusalReason,
} from './lifecycle-table.js';
import { addMs, copyActor, type AuditDraft } from './lifecycle-create.js';

export {
  LIFECYCLE_EVENT_TYPES,
  LifecycleEventTypeSchema,
  DECISION_EVENT_TYPES,
  UNDO_EVENT_TYPES,
  LifecycleEventSchema,
  parseLifecycleEvent,
  type LifecycleEventType,
  type LifecycleEvent,
  type LifecycleEventInput,
  type LifecycleEventOf,
} from './lifecycle-events.js';
export {
  LIFECYCLE_TRANSITIONS,
  LIFECYCLE_GUARDS,
  FINAL_STATUSES,
  OPEN_STATUSES,
  isFinal,
  isOpen,
  lifecycleEdge,
  acceptedEvents,
  outcomeOf,
  undoResultOfCounterpart,
  type LifecycleTransitionTable,
  type LifecycleGuard,
  type LifecycleGuardTable,
  type FinalStatus,
  type TransitionRefusalReason,
  type LifecycleEdge,
  type ActionOutcome,
} from './lifecycle-table.js';
export { LIFECYCLE_EFFECT_TYPES, type LifecycleEffect, type LifecycleEffectType } from './lifecycle-effects.js';
export {
  createActionRecord,
  createUndoCounterpart,
  type ActionRecordInit,
  type AuditDraft,
  type CreatedAction,
  type UndoCounterpartInit,
} from './lifecycle-create.js';

// ---- transition --------------------------------------------------------------------------------

/**
 * What {@link transition} needs besides the action and the event: the action's type, whose flags
 * guard two edges (`cancellableWhileRunning`, `undo`) and whose `deadlineMs` sets the deadline on
 * `start`. It must be the type the action's `actionType` names.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { type TransitionContext } from 'actioncenter/adapter-kit';
 * const context: TransitionContext = { actionType: builtInCatalog.require('isolateDevice') };
 * ```
 */
export interface TransitionContext {
  /** The action's type: its guards (cancellable while running, undoable) and deadline apply. */
  readonly actionType: ActionTypeDefinition;
}

/**
 * One accepted step: the next record (a new object, `version` + 1), the effects the engine must
 * carry out, in order, and the step's audit draft.
 *
 * @example
 * ```ts
 * import type { TransitionResult } from 'actioncenter/adapter-kit';
 * const summary = (r: TransitionResult) => `${r.audit.from} -> ${r.audit.to} (v${r.action.version})`;
 * ```
 */
export interface TransitionResult {
  /** The record after the event, one version later. */
  readonly action: ActionRecord;
  /** What the engine carries out after committing (`run`, `abort`, `notify`, ...). */
  readonly effects: readonly LifecycleEffect[];
  /** The audit event of this change, before the engine gives it ids and a sequence. */
  readonly audit: AuditDraft;
}

/**
 * Applies one lifecycle event to an action, purely. On success the result holds:
 * - `action`: a new record (the input is not touched, at any depth) with the next `status`,
 *   `version` + 1, `updatedAt` = `event.at` (never earlier than before, below), and the fields the event implies: a decision
 *   (approve, reject, expire, cancel) sets `decidedBy`/`decidedAt`/`decisionComment` and clears
 *   `expiresAt`; `start` sets `startedAt` and `deadlineAt` (= `at` + the type's `deadlineMs`);
 *   `succeed`/`fail`/`timeOut` set `completedAt` (and `failure`); `requestUndo` sets
 *   `undoActionId`/`undoRequestedBy`/`undoRequestedAt` and clears the failure and completion of an
 *   earlier failed undo; `undoSucceeded`/`undoFailed` set `undoCompletedAt` (and `failure`);
 * - `effects`: what the engine must do next ({@link LifecycleEffect}); `transition` runs none;
 * - `audit`: one audit draft, `from` the old status `to` the new, by `event.by`, with its comment
 *   and event-specific `details` (the failure, the counterpart id, the deadline) as plain JSON.
 *
 * An event the action does not accept is an {@link InvalidTransitionError} naming the state and the
 * event, never a silent no-op; a decision on a final action is one too (reason `finalState`).
 *
 * Times never go backwards on a record: an `event.at` earlier than the action's `updatedAt` (a clock
 * that went back, workers whose clocks skew) is recorded at `updatedAt`, and the audit details say
 * by how much (`clockSkewMs`). Refusing would strand actions (a worker could never record the
 * outcome of work it did); clamping keeps every record's times in order.
 *
 * Trusts its arguments' types: parse outside input with {@link "actioncenter/adapter-kit"!parseLifecycleEvent} first.
 *
 * @example
 * ```ts
 * import { parseActionRequest, transition, unwrap, builtInCatalog, type ActionId } from 'actioncenter';
 * import {
 *   createActionRecord,
 *   parseLifecycleEvent,
 *   asId,
 *   DEFAULT_PENDING_EXPIRY_MS,
 * } from 'actioncenter/adapter-kit';
 * const isolateDevice = builtInCatalog.require('isolateDevice');
 * const request = unwrap(parseActionRequest({
 *   actionType: 'isolateDevice', target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' }, source: 'automatedDeviceAction', requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * }));
 * const { action: pending } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: isolateDevice, approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * const approve = unwrap(parseLifecycleEvent({ type: 'approve', by: { type: 'principal', id: 'bob@contoso.com' }, at: Date.UTC(2026, 0, 1, 9), comment: 'Confirmed' }));
 * const r = transition(pending, approve, { actionType: isolateDevice });
 * if (r.ok) r.value.effects; // [{ type: 'run', actionId }, { type: 'notify', actionId, from: 'pending', to: 'approved' }]
 * else r.error.reason; // e.g. 'finalState'
 * ```
 */
export function transition(
  action: ActionRecord,
  event: LifecycleEvent,
  context: TransitionContext,
): Result<TransitionResult, InvalidTransitionError> {
  const edge = lifecycleEdge(action.status, event.type, context.actionType);
  if (!edge.accepted) return err(invalidTransition(action, event.type, edge.reason));
  // Times never go backwards on a record: an event dated before the record's last change (a clock
  // that went back, or workers whose clocks skew) is recorded at that last change, and the audit
  // says by how much the clock was behind.
  const skew = action.updatedAt - event.at;
  const at = skew > 0 ? action.updatedAt : event.at;
  const next = nextRecord(action, edge.to, at);
  // One switch per step: what the event sets on the new record (besides status, version and
  // updatedAt), the effect that acts on the outside world if any, and the audit details. One
  // switch rather than one per concern: three dispatches and calls were 15% of a transition
  // (bench/: lifecycle transitions).
  let command: LifecycleEffect | null = null;
  let details: Record<string, unknown>;
  switch (event.type) {
    case 'approve':
      decided(next, event, at);
      command = { type: 'run', actionId: action.id };
      details = {};
      break;
    case 'reject':
      decided(next, event, at);
      details = {};
      break;
    case 'expire':
      decided(next, event, at);
      details = action.expiresAt === null ? {} : { expiresAt: action.expiresAt };
      break;
    case 'cancel':
      decided(next, event, at);
      if (action.status === 'running') command = { type: 'abort', actionId: action.id };
      details = {};
      break;
    case 'start':
      next.startedAt = at;
      next.deadlineAt = addMs(at, context.actionType.deadlineMs);
      details = { deadlineAt: next.deadlineAt };
      break;
    case 'succeed':
      next.completedAt = at;
      next.failure = null;
      details = {};
      break;
    case 'fail':
      next.completedAt = at;
      next.failure = copyFailure(event.failure);
      details = { failure: copyFailure(event.failure) };
      break;
    case 'timeOut':
      next.completedAt = at;
      next.failure = copyFailure(event.failure);
      // Whoever noticed the deadline (a sweep, another worker) may not own the execution: ask to stop it.
      command = { type: 'abort', actionId: action.id };
      details = { failure: copyFailure(event.failure) };
      break;
    case 'requestUndo':
      // A retry after `undoFailed` starts afresh: the earlier attempt's failure and end are history (audit).
      next.undoActionId = event.undoActionId;
      next.undoRequestedBy = copyActor(event.by);
      next.undoRequestedAt = at;
      next.undoCompletedAt = null;
      next.failure = null;
      command = { type: 'undo', actionId: action.id, undoActionId: event.undoActionId };
      details = { undoActionId: event.undoActionId };
      break;
    case 'undoSucceeded':
      next.undoCompletedAt = at;
      next.failure = null;
      details = {};
      break;
    case 'undoFailed':
      next.undoCompletedAt = at;
      next.failure = copyFailure(event.failure);
      details = { failure: copyFailure(event.failure) };
      break;
    default:
      return assertNever(event);
  }
  const notify: LifecycleEffect = { type: 'notify', actionId: next.id, from: action.status, to: next.status };
  // An undo counterpart that just ended ends the undo of its original, whichever way it ended.
  const settle = action.undoOf === null ? null : settleUndoOf(action, next, event);
  // Audit details are plain JSON (they must pass SafeObjectSchema).
  if (skew > 0) details['clockSkewMs'] = skew;
  const audit: AuditDraft = {
    type: event.type,
    at,
    actor: copyActor(event.by),
    from: action.status,
    to: next.status,
    comment: event.comment,
    details,
  };
  const effects: LifecycleEffect[] = command === null ? [notify] : [command, notify];
  if (settle !== null) effects.push(settle);
  return ok({ action: next, effects, audit });
}

/**
 * The `settleUndo` effect of a counterpart's step, or null: only when the counterpart leaves an
 * open status for one that ends the undo ({@link undoResultOfCounterpart}). A success after a
 * time-out (already settled as failed) settles nothing again.
 */
function settleUndoOf(action: ActionRecord, next: ActionRecord, event: LifecycleEvent): LifecycleEffect | null {
  const originalId = action.undoOf;
  const result = undoResultOfCounterpart(next.status);
  if (originalId === null || result === null || undoResultOfCounterpart(action.status) !== null) return null;
  if (result === 'undoSucceeded') return { type: 'settleUndo', actionId: next.id, originalId, result, failure: null };
  const failure: ActionFailure =
    event.type === 'fail' || event.type === 'timeOut'
      ? copyFailure(event.failure)
      : {
          code: `counterpart${next.status.charAt(0).toUpperCase()}${next.status.slice(1)}`,
          message: `The undo action ${next.id} ended ${next.status}`,
        };
  return { type: 'settleUndo', actionId: next.id, originalId, result, failure };
}

// A decision (approve, reject, expire, cancel): who, when, why. It leaves `pending` (or ends the
// action), so no expiry is due any more.
function decided(next: RecordDraft, event: LifecycleEvent, at: Timestamp): void {
  next.decidedBy = copyActor(event.by);
  next.decidedAt = at;
  next.decisionComment = event.comment;
  next.expiresAt = null;
}

type RecordDraft = { -readonly [K in keyof ActionRecord]: ActionRecord[K] };

/**
 * The next version of a record: a shallow copy of every field, in `ActionRecord` order, by one
 * object literal, with the new status, version and update time. Not a spread: V8 builds a spread
 * copy of a record (which holds number fields such as `createdAt`) on a slow path, with most
 * fields out of line, at ten times the time and several times the garbage; literal-built records
 * all share one compact hidden class (bench/: lifecycle and bulk approve). Fields outside the
 * `ActionRecord` type are not copied.
 */
function nextRecord(a: ActionRecord, status: ActionStatus, at: Timestamp): RecordDraft {
  // Every field listed: a field added to ActionRecord fails to compile here until it is copied too.
  const copy: { [K in keyof ActionRecord]-?: ActionRecord[K] } = {
    id: a.id,
    version: a.version + 1,
    actionType: a.actionType,
    workload: a.workload,
    source: a.source,
    target: a.target,
    parameters: a.parameters,
    status,
    investigationId: a.investigationId,
    incidentId: a.incidentId,
    alertId: a.alertId,
    approvalId: a.approvalId,
    verdict: a.verdict,
    requestedBy: a.requestedBy,
    requestComment: a.requestComment,
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt,
    decisionComment: a.decisionComment,
    startedAt: a.startedAt,
    deadlineAt: a.deadlineAt,
    completedAt: a.completedAt,
    failure: a.failure,
    undoActionId: a.undoActionId,
    undoOf: a.undoOf,
    undoRequestedBy: a.undoRequestedBy,
    undoRequestedAt: a.undoRequestedAt,
    undoCompletedAt: a.undoCompletedAt,
    updatedAt: at,
    // Leaving the open statuses releases the open key: a new action on the target may open.
    openKey: a.openKey !== null && isOpen(status) ? a.openKey : null,
  };
  return copy;
}

/**
 * Is a pending action past its expiry? (`now >= expiresAt`.) The engine's expiry sweep sends such
 * actions an `expire` event, by `{ type: 'system', component: 'expiry' }` by convention.
 *
 * @example
 * ```ts
 * import { isExpired } from 'actioncenter/adapter-kit';
 * const action = { status: 'pending', expiresAt: Date.UTC(2026, 0, 8) } as const; // or a whole ActionRecord
 * isExpired(action, Date.UTC(2026, 0, 8)); // true
 * isExpired(action, Date.UTC(2026, 0, 7)); // false
 * ```
 */
export function isExpired(action: Pick<ActionRecord, 'status' | 'expiresAt'>, now: Timestamp): boolean {
  return action.status === 'pending' && action.expiresAt !== null && now >= action.expiresAt;
}

function copyFailure(failure: ActionFailure): ActionFailure {
  return { code: failure.code, message: failure.message };
}

const REFUSALS: { readonly [R in TransitionRefusalReason]: string } = {
  finalState: 'the action is final and accepts no such event',
  noSuchTransition: 'the lifecycle has no such step from this state',
  notCancellableWhileRunning: 'actions of this type cannot be cancelled while running',
  notUndoable: 'actions of this type cannot be undone',
};

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
