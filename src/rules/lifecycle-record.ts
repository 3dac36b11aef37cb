/**
 * The record step of the lifecycle: the next record of an action after an event, and nothing else.
 * The effects and the audit draft of the step are derived from the two records and the event
 * (`lifecycle-derive.ts`) when someone needs them: the engine builds its stored audit event
 * directly from them, and `transition` composes all three.
 *
 * Why a step of its own: a step that also returns effects and an audit draft allocates eight to
 * ten objects where a table lookup + record copy allocates one; the record step allocates the
 * record, its result and (for a decision or an undo request, a failure) one copy (bench/: lifecycle
 * transitions).
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import {
  EXECUTION_DETAILS_LIMITS,
  type ActionFailure,
  type ActionRecord,
  type Actor,
  type ExecutionDetails,
} from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import type { InvalidTransitionError } from '../errors.js';
import type { Result } from '../result.js';
import { addMs, copyActor, NO_PRINCIPALS } from './lifecycle-create.js';
import type { LifecycleEvent } from './lifecycle-events.js';
import { retryAtOf } from './lifecycle-retry.js';
import { acceptedStep, refused } from './lifecycle-steps.js';
import { approvalsLeftOf, attemptsOf } from './lifecycle-table.js';

/**
 * What {@link "actioncenter"!transition} needs besides the action and the event: the action's type, whose flags
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
  /**
   * How long an approved action may wait unstarted before it expires (issue 16): `approve` sets
   * `expiresAt` = its time + this; null: never. Left out: the type's `approvedExpiryMs` (the engine
   * passes the type's, else its approval policy's).
   */
  readonly approvedExpiryMs?: number | null;
}

/**
 * The record step of {@link "actioncenter"!transition}: applies one lifecycle event to an action,
 * purely, and returns only the next record (the `action` of `transition`'s result, field for field)
 * or the same {@link InvalidTransitionError} `transition` returns. The step's effects and audit
 * draft follow from the two records and the event: {@link "actioncenter/adapter-kit"!transitionEffects}
 * and {@link "actioncenter/adapter-kit"!transitionAudit}; `transition` is the three together.
 *
 * The next record is new (the input is not touched) and owns the actor it records: a copy of
 * `event.by`, or `event.by` itself when it is frozen (it cannot change; one frozen actor is shared
 * by every record an operation changes). An `event.at` earlier than the action's `updatedAt` is recorded at `updatedAt`
 * (times never go backwards on a record; the audit draft says by how much the clock was behind).
 * Trusts its arguments' types, as `transition` does; an event type outside the types is a refusal.
 *
 * @example
 * ```ts
 * import { parseActionRequest, transitionRecord, unwrap, builtInCatalog, type ActionId } from 'actioncenter';
 * import { createActionRecord, parseLifecycleEvent, asId, DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
 * const isolateDevice = builtInCatalog.require('isolateDevice');
 * const request = unwrap(parseActionRequest({
 *   actionType: 'isolateDevice', target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' }, source: 'automatedDeviceAction', requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * }));
 * const { action: pending } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: isolateDevice, approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * const approve = unwrap(parseLifecycleEvent({ type: 'approve', by: { type: 'principal', id: 'bob@contoso.com' }, at: Date.UTC(2026, 0, 1, 9), comment: null }));
 * const r = transitionRecord(pending, approve, { actionType: isolateDevice });
 * if (r.ok) r.value.status; // 'approved' (version 2)
 * else r.error.reason; // e.g. 'finalState'
 * ```
 */
export function transitionRecord(
  action: ActionRecord,
  event: LifecycleEvent,
  context: TransitionContext,
): Result<ActionRecord, InvalidTransitionError> {
  const escalatedAt = action.escalatedAt ?? null;
  const step = acceptedStep(
    action.status,
    event.type,
    context.actionType,
    attemptsOf(action),
    escalatedAt !== null,
    approvalsLeftOf(action),
  );
  if (step === null) return refused(action, event.type, context.actionType);
  // Times never go backwards on a record: an event dated before the record's last change (a clock
  // that went back, or workers whose clocks skew) is recorded at that last change.
  const at = action.updatedAt > event.at ? action.updatedAt : event.at;
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
  let externalReference = action.externalReference;
  let executionDetails = action.executionDetails;
  let attempt = action.attempt;
  // Due only while approved after a retry: every other step clears it.
  let retryAt: number | null = null;
  let noteCount = action.noteCount;
  let lastNote = action.lastNote;
  let revertAfterMs = action.revertAfterMs;
  let revertAt = action.revertAt;
  // Approval deadline (issue 16): due while pending and not escalated; a decision or the escalation clears it.
  let escalateAt = action.escalateAt ?? null;
  let nextEscalatedAt = escalatedAt;
  let escalatedTo = action.escalatedTo ?? NO_PRINCIPALS;
  // N-of-M approvals (issue 16): records stored before them have neither field.
  let approvals: ActionRecord['approvals'] = action.approvals ?? [];
  let retriedBy = action.retriedBy ?? null;
  switch (event.type) {
    case 'retried':
      // A manual retry (issue 16) was created: the original names it, its own status unchanged.
      retriedBy = event.retryActionId;
      break;
    case 'approve':
    case 'reject':
    case 'expire':
    case 'cancel':
      // A decision: who (the record's own copy), when, why. It leaves `pending` (or ends the
      // action): no expiry is due any more.
      decidedBy = ownActor(event.by);
      decidedAt = at;
      decisionComment = event.comment;
      // An approved action may expire unstarted (issue 16): the approval starts that clock.
      expiresAt = event.type === 'approve' ? approvedExpiryOf(context, at) : null;
      escalateAt = null;
      break;
    case 'escalate':
      nextEscalatedAt = at;
      escalateAt = null;
      escalatedTo = event.escalatedTo.length === 0 ? NO_PRINCIPALS : [...event.escalatedTo];
      break;
    case 'start':
      startedAt = at;
      deadlineAt = addMs(at, context.actionType.deadlineMs);
      // Started: an approved action's unstarted expiry no longer applies.
      expiresAt = null;
      attempt = attemptsOf(action) + 1;
      // A start after a retry: the earlier attempt's failure is history (audit).
      failure = null;
      break;
    case 'retry':
      // Approved again: no deadline until the next start, which is not before the backoff.
      attempt = attemptsOf(action);
      retryAt = retryAtOf(action, context.actionType, at) ?? at;
      deadlineAt = null;
      failure = copyFailure(event.failure);
      if (event.details !== undefined) executionDetails = mergeDetails(executionDetails, event.details);
      break;
    case 'succeed':
      completedAt = at;
      failure = null;
      // A time-limited action (issue 16): its undo is due this long after its success, however it came.
      revertAt = revertAfterMs === null ? null : addMs(at, revertAfterMs);
      if (event.details !== undefined) executionDetails = mergeDetails(executionDetails, event.details);
      break;
    case 'fail':
      completedAt = at;
      failure = copyFailure(event.failure);
      if (event.details !== undefined) executionDetails = mergeDetails(executionDetails, event.details);
      break;
    case 'timeOut':
      completedAt = at;
      failure = copyFailure(event.failure);
      break;
    case 'accept':
      externalReference = event.reference;
      if (event.details !== undefined) executionDetails = mergeDetails(executionDetails, event.details);
      break;
    case 'progress':
      executionDetails = mergeDetails(executionDetails, event.details);
      break;
    case 'reportDiscarded':
      // Audit only: the version and `updatedAt` move (the audit event needs its own sequence), no field else.
      break;
    case 'addApproval':
      // One approval more, the action still pending (the guard: at least one more is needed).
      approvals = [...approvals, { by: event.by.id, at, comment: event.comment }];
      break;
    case 'addNote':
      noteCount = noteCount + 1;
      lastNote = { text: event.comment, by: ownActor(event.by), at };
      // Audit only: an action waiting for its retry's backoff keeps waiting.
      retryAt = action.retryAt;
      break;
    case 'setRevert':
      retryAt = action.retryAt;
      if (event.revertAt !== undefined) revertAt = event.revertAt;
      if (event.revertAfterMs !== undefined) revertAfterMs = event.revertAfterMs;
      break;
    case 'requestUndo':
      // A retry after `undoFailed` starts afresh: the earlier attempt's failure and end are history (audit).
      undoActionId = event.undoActionId;
      undoRequestedBy = ownActor(event.by);
      undoRequestedAt = at;
      undoCompletedAt = null;
      failure = null;
      // Any undo request cancels the scheduled revert (a manual undo before the time, or the revert itself).
      revertAt = null;
      break;
    case 'undoSucceeded':
      undoCompletedAt = at;
      failure = null;
      break;
    case 'undoFailed':
      undoCompletedAt = at;
      failure = copyFailure(event.failure);
      break;
    default:
      return assertNever(event);
  }
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
    status: step.to,
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
    externalReference,
    executionDetails,
    attempt,
    retryAt,
    // Leaving the open statuses releases the open key: a new action on the target may open.
    openKey: step.open ? action.openKey : null,
    // The engine sets it to the step's audit event's hash once chained.
    auditHead: action.auditHead,
    noteCount,
    lastNote,
    revertAfterMs,
    revertAt,
    escalateAt,
    escalatedAt: nextEscalatedAt,
    escalatedTo,
    requiredApprovals: action.requiredApprovals ?? 1,
    approvals,
    retryOf: action.retryOf ?? null,
    retriedBy,
    retryCount: action.retryCount ?? 0,
  };
  // The same shape as `ok()` builds, written out: one allocation, no call.
  return { ok: true, value: next };
}

/** `at` + the approved expiry the context gives (else the type's), or null when there is none. */
function approvedExpiryOf(context: TransitionContext, at: number): number | null {
  const ms =
    context.approvedExpiryMs !== undefined ? context.approvedExpiryMs : (context.actionType.approvedExpiryMs ?? null);
  return ms === null ? null : addMs(at, ms);
}

/**
 * The actor a step records: the event's own object when it is frozen (it cannot change: the
 * engine's actors are frozen once and shared by every record of an operation), else a copy the
 * record owns (an unfrozen object is the caller's to change).
 */
export function ownActor(actor: Actor): Actor {
  return Object.isFrozen(actor) ? actor : copyActor(actor);
}

/**
 * The record's execution details with `added` merged in (a new object; later values win): at most
 * {@link EXECUTION_DETAILS_LIMITS}`.maxKeys` keys, so a key beyond them that the record does not
 * hold yet is left out (the audit event of the step still carries every detail it was given).
 */
export function mergeDetails(
  current: ExecutionDetails | null,
  added: Readonly<Record<string, string | number | boolean | null>>,
): ExecutionDetails {
  const out: Record<string, string | number | boolean | null> = {};
  let count = 0;
  if (current !== null)
    for (const key of Object.keys(current)) {
      out[key] = current[key] as string | number | boolean | null;
      count += 1;
    }
  for (const key of Object.keys(added)) {
    if (!Object.hasOwn(out, key)) {
      if (count >= EXECUTION_DETAILS_LIMITS.maxKeys) continue;
      count += 1;
    }
    out[key] = added[key] as string | number | boolean | null;
  }
  return out;
}

/** A copy the result owns (the event's object is the caller's). */
export function copyFailure(failure: ActionFailure): ActionFailure {
  return { code: failure.code, message: failure.message };
}
