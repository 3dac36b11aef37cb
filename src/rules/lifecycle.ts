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
import type { Result } from '../result.js';
import type { LifecycleEffect } from './lifecycle-effects.js';
import type { LifecycleEvent, LifecycleEventType } from './lifecycle-events.js';
import { undoResultOfCounterpart } from './lifecycle-table.js';
import { addMs, copyActor, type AuditDraft } from './lifecycle-create.js';
import { acceptedStep, refused } from './lifecycle-steps.js';

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
  const step = acceptedStep(action.status, event.type, context.actionType);
  if (step === null) return refused(action, event.type, context.actionType);
  // Times never go backwards on a record: an event dated before the record's last change (a clock
  // that went back, or workers whose clocks skew) is recorded at that last change, and the audit
  // says by how much the clock was behind.
  const skew = action.updatedAt - event.at;
  const at = skew > 0 ? action.updatedAt : event.at;
  // One copy of the actor, shared by the record and the audit draft: the result owns it (nothing
  // is shared with the event), and one allocation fewer per step.
  const actor = copyActor(event.by);
  // The fields an event may set, as they are; the switch changes those its event sets, and the
  // record is built after it by one literal.
  let expiresAt = action.expiresAt;
  let decidedBy = action.decidedBy;
  let decidedAt = action.decidedAt;
  let decisionComment = action.decisionComment;
  let startedAt = action.startedAt;
  let deadlineAt = action.deadlineAt;
  let completedAt = action.completedAt;
  let failure = action.failure;
  let undoActionId = action.undoActionId;
  let undoRequestedBy = action.undoRequestedBy;
  let undoRequestedAt = action.undoRequestedAt;
  let undoCompletedAt = action.undoCompletedAt;
  // One switch per step: what the event sets on the new record (besides status, version and
  // updatedAt), the effect that acts on the outside world if any, and the audit details. One
  // switch rather than one per concern: three dispatches and calls were 15% of a transition
  // (bench/: lifecycle transitions).
  let command: LifecycleEffect | null = null;
  let details: Record<string, unknown> | null = null;
  switch (event.type) {
    case 'approve':
    case 'reject':
    case 'expire':
    case 'cancel':
      // A decision: who, when, why. It leaves `pending` (or ends the action): no expiry is due any more.
      decidedBy = actor;
      decidedAt = at;
      decisionComment = event.comment;
      expiresAt = null;
      if (event.type === 'approve') command = { type: 'run', actionId: action.id };
      else if (event.type === 'cancel' && action.status === 'running') command = { type: 'abort', actionId: action.id };
      else if (event.type === 'expire' && action.expiresAt !== null) details = { expiresAt: action.expiresAt };
      break;
    case 'start':
      startedAt = at;
      deadlineAt = addMs(at, context.actionType.deadlineMs);
      details = { deadlineAt };
      break;
    case 'succeed':
      completedAt = at;
      failure = null;
      break;
    case 'fail':
    case 'timeOut':
      completedAt = at;
      failure = copyFailure(event.failure);
      details = { failure: copyFailure(event.failure) };
      // Whoever noticed the deadline (a sweep, another worker) may not own the execution: ask to stop it.
      if (event.type === 'timeOut') command = { type: 'abort', actionId: action.id };
      break;
    case 'requestUndo':
      // A retry after `undoFailed` starts afresh: the earlier attempt's failure and end are history (audit).
      undoActionId = event.undoActionId;
      undoRequestedBy = actor;
      undoRequestedAt = at;
      undoCompletedAt = null;
      failure = null;
      command = { type: 'undo', actionId: action.id, undoActionId: event.undoActionId };
      details = { undoActionId: event.undoActionId };
      break;
    case 'undoSucceeded':
      undoCompletedAt = at;
      failure = null;
      break;
    case 'undoFailed':
      undoCompletedAt = at;
      failure = copyFailure(event.failure);
      details = { failure: copyFailure(event.failure) };
      break;
    default:
      return assertNever(event);
  }
  // Audit details are plain JSON (they must pass SafeObjectSchema).
  if (skew > 0) (details ??= {})['clockSkewMs'] = skew;
  const to = step.to;
  // An undo counterpart that just ended ends the undo of its original, whichever way it ended.
  const settle = action.undoOf === null ? null : settleUndoOf(action, to, event);
  // The next record: one literal, not a spread nor a copy edited afterwards. Not a spread: V8 builds
  // a spread copy of a record (which holds number fields such as `createdAt`) on a slow path, with
  // most fields out of line, at ten times the time and several times the garbage; literal-built
  // records all share one compact hidden class (bench/: lifecycle and bulk approve). Every field
  // listed, in `ActionRecord` order: a field added to ActionRecord fails to compile here until it
  // is set too. Fields outside the `ActionRecord` type are not copied.
  const next: { [K in keyof ActionRecord]-?: ActionRecord[K] } = {
    id: action.id,
    version: action.version + 1,
    actionType: action.actionType,
    workload: action.workload,
    source: action.source,
    target: action.target,
    parameters: action.parameters,
    status: to,
    investigationId: action.investigationId,
    incidentId: action.incidentId,
    alertId: action.alertId,
    approvalId: action.approvalId,
    verdict: action.verdict,
    requestedBy: action.requestedBy,
    requestComment: action.requestComment,
    createdAt: action.createdAt,
    expiresAt,
    decidedBy,
    decidedAt,
    decisionComment,
    startedAt,
    deadlineAt,
    completedAt,
    failure,
    undoActionId,
    undoOf: action.undoOf,
    undoRequestedBy,
    undoRequestedAt,
    undoCompletedAt,
    updatedAt: at,
    // Leaving the open statuses releases the open key: a new action on the target may open.
    openKey: step.open ? action.openKey : null,
  };
  const notify: LifecycleEffect = { type: 'notify', actionId: action.id, from: action.status, to };
  const audit: AuditDraft = {
    type: event.type,
    at,
    actor,
    from: action.status,
    to,
    comment: event.comment,
    details: details ?? NO_DETAILS,
  };
  const effects: readonly LifecycleEffect[] =
    settle !== null
      ? command === null
        ? [notify, settle]
        : [command, notify, settle]
      : command === null
        ? [notify]
        : [command, notify];
  return { ok: true, value: { action: next, effects, audit } };
}

// The details of most steps: nothing to say. One frozen object shared by them all.
const NO_DETAILS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The `settleUndo` effect of a counterpart's step, or null: only when the counterpart leaves an
 * open status for one that ends the undo ({@link undoResultOfCounterpart}). A success after a
 * time-out (already settled as failed) settles nothing again.
 */
function settleUndoOf(action: ActionRecord, to: ActionStatus, event: LifecycleEvent): LifecycleEffect | null {
  const originalId = action.undoOf;
  const result = undoResultOfCounterpart(to);
  if (originalId === null || result === null || undoResultOfCounterpart(action.status) !== null) return null;
  if (result === 'undoSucceeded') return { type: 'settleUndo', actionId: action.id, originalId, result, failure: null };
  const failure: ActionFailure =
    event.type === 'fail' || event.type === 'timeOut'
      ? copyFailure(event.failure)
      : {
          code: `counterpart${to.charAt(0).toUpperCase()}${to.slice(1)}`,
          message: `The undo action ${action.id} ended ${to}`,
        };
  return { type: 'settleUndo', actionId: action.id, originalId, result, failure };
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
