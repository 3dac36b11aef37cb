/**
 * `transition` as it was before the split (commit 2c29cd1, one function building the record, the
 * effects and the audit draft): the oracle the split's property tests compare with, so that
 * "transition returns exactly what it returned" is checked against the code it replaced, not
 * against itself. Test-only; not to be kept in step with src/ (it is the old behaviour on purpose).
 */
import type { ActionFailure, ActionRecord, ActionStatus } from '../../src/catalog/records.js';
import { assertNever } from '../../src/catalog/targets.js';
import type { InvalidTransitionError } from '../../src/errors.js';
import type { Result } from '../../src/result.js';
import { addMs, copyActor, type AuditDraft } from '../../src/rules/lifecycle-create.js';
import type { LifecycleEffect } from '../../src/rules/lifecycle-effects.js';
import type { LifecycleEvent } from '../../src/rules/lifecycle-events.js';
import type { TransitionContext, TransitionResult } from '../../src/rules/lifecycle.js';
import { acceptedStep, refused } from '../../src/rules/lifecycle-steps.js';
import { undoResultOfCounterpart } from '../../src/rules/lifecycle-table.js';

export function referenceTransition(
  action: ActionRecord,
  event: LifecycleEvent,
  context: TransitionContext,
): Result<TransitionResult, InvalidTransitionError> {
  // Issue 15, retries: how many times it was started (records stored before counting: at least 1
  // once started), for the retry guard and the next attempt.
  const starts = Math.max(action.attempt, action.startedAt !== null ? 1 : 0);
  // Issue 16, N-of-M approvals: how many approvals are still needed, this one included.
  const approvalsLeft = Math.max(1, (action.requiredApprovals ?? 1) - (action.approvals ?? []).length);
  const step = acceptedStep(
    action.status,
    event.type,
    context.actionType,
    starts,
    (action.escalatedAt ?? null) !== null,
    approvalsLeft,
  );
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
  let externalReference = action.externalReference;
  let executionDetails = action.executionDetails;
  let attempt = action.attempt;
  let retryAt: number | null = null;
  // Issue 16: notes and time-limited actions.
  let noteCount = action.noteCount;
  let lastNote = action.lastNote;
  let revertAfterMs = action.revertAfterMs;
  let revertAt = action.revertAt;
  let approvals = action.approvals ?? [];
  let retriedBy = action.retriedBy ?? null;
  // Issue 16: the approval deadline (cleared by a decision or the escalation) and the escalation.
  let escalateAt = action.escalateAt ?? null;
  let escalatedAt = action.escalatedAt ?? null;
  let escalatedTo = action.escalatedTo ?? [];
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
      escalateAt = null;
      if (event.type === 'approve') {
        command = { type: 'run', actionId: action.id };
        // Issue 16: an approved action expires unstarted after the context's (else the type's) approved expiry.
        const ms =
          context.approvedExpiryMs !== undefined
            ? context.approvedExpiryMs
            : (context.actionType.approvedExpiryMs ?? null);
        if (ms !== null) {
          expiresAt = addMs(at, ms);
          details = { expiresAt };
        }
        // Issue 16: the approval that completed the required number says so.
        if ((action.requiredApprovals ?? 1) > 1) details = { ...details, approvals: action.requiredApprovals };
      } else if (event.type === 'cancel' && action.status === 'running')
        command = { type: 'abort', actionId: action.id };
      else if (event.type === 'expire' && action.expiresAt !== null) details = { expiresAt: action.expiresAt };
      break;
    case 'start':
      startedAt = at;
      deadlineAt = addMs(at, context.actionType.deadlineMs);
      // Issue 16: started, the unstarted expiry no longer applies.
      expiresAt = null;
      attempt = starts + 1;
      failure = null;
      details = attempt > 1 ? { deadlineAt, attempt } : { deadlineAt };
      break;
    // Issue 15, retries: approved again after the backoff, min(backoff * 2^(attempt-1), cap).
    case 'retry': {
      const policy = context.actionType.retry;
      if (policy === undefined || policy === null) throw new Error('the guard let a retry through without a policy');
      attempt = starts;
      retryAt = addMs(at, Math.min(policy.backoffMs * 2 ** (starts - 1), policy.maxBackoffMs));
      deadlineAt = null;
      failure = copyFailure(event.failure);
      details = { attempt, failure: copyFailure(event.failure), retryAt };
      if (event.details !== undefined) {
        executionDetails = merged(executionDetails, event.details);
        details['executorDetails'] = { ...event.details };
      }
      break;
    }
    case 'succeed':
      completedAt = at;
      failure = null;
      // Issue 15: a success's details are merged onto the record and kept in the audit.
      if (event.details !== undefined) {
        executionDetails = merged(executionDetails, event.details);
        details = { executorDetails: { ...event.details } };
      }
      // Issue 16: a time-limited action's undo is due `revertAfterMs` after its success.
      if (revertAfterMs !== null) {
        revertAt = addMs(at, revertAfterMs);
        details = { ...details, revertAt };
      } else revertAt = null;
      break;
    case 'fail':
    case 'timeOut':
      completedAt = at;
      failure = copyFailure(event.failure);
      details = { failure: copyFailure(event.failure) };
      if (event.type === 'fail' && event.details !== undefined) {
        executionDetails = merged(executionDetails, event.details);
        details['executorDetails'] = { ...event.details };
      }
      // Whoever noticed the deadline (a sweep, another worker) may not own the execution: ask to stop it.
      if (event.type === 'timeOut') command = { type: 'abort', actionId: action.id };
      break;
    // Issue 15: dispatch and report. `accept` records the remote reference, `progress` details;
    // `reportDiscarded` changes no field (the audit keeps the late report).
    case 'accept':
      externalReference = event.reference;
      details = { reference: event.reference };
      if (event.details !== undefined) {
        executionDetails = merged(executionDetails, event.details);
        details['executorDetails'] = { ...event.details };
      }
      break;
    case 'progress':
      executionDetails = merged(executionDetails, event.details);
      details = { executorDetails: { ...event.details } };
      break;
    case 'reportDiscarded':
      details = { outcome: event.outcome, reference: event.reference };
      if (event.failure !== null) details['failure'] = copyFailure(event.failure);
      if (event.details !== undefined) details['executorDetails'] = { ...event.details };
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
      // Issue 16: any undo request cancels the scheduled revert.
      if (revertAt !== null) details['revertAt'] = revertAt;
      revertAt = null;
      break;
    // Issue 16, manual retry: the original names its retry, its status unchanged.
    case 'retried':
      retriedBy = event.retryActionId;
      details = { retryActionId: event.retryActionId };
      break;
    // Issue 16, approval deadlines: escalated once, to the group the event names.
    case 'escalate':
      details = { escalateAt, escalatedTo: [...event.escalatedTo] };
      escalatedAt = at;
      escalateAt = null;
      escalatedTo = [...event.escalatedTo];
      break;
    // Issue 16, manual retry: the original names its retry, its status unchanged.
    case 'retried':
      retriedBy = event.retryActionId;
      details = { retryActionId: event.retryActionId };
      break;
    // Issue 16, N-of-M approvals: one approval more, still pending.
    case 'addApproval':
      approvals = [...approvals, { by: event.by.id, at, comment: event.comment }];
      details = { approvals: approvals.length, requiredApprovals: action.requiredApprovals ?? 1 };
      break;
    // Issue 16: a note counts and is the last; a revert change sets the field given.
    case 'addNote':
      noteCount += 1;
      lastNote = { text: event.comment, by: actor, at };
      // Regression (model run): a note on an action waiting for its retry's backoff cleared `retryAt`.
      retryAt = action.retryAt;
      break;
    case 'setRevert':
      retryAt = action.retryAt;
      if (event.revertAt !== undefined) {
        details = { field: 'revertAt', from: revertAt, to: event.revertAt };
        revertAt = event.revertAt;
      } else {
        // Absent keeps it; null clears it (`??` would read a clearing as keeping: seed -555337183).
        const to = event.revertAfterMs === undefined ? revertAfterMs : event.revertAfterMs;
        details = { field: 'revertAfterMs', from: revertAfterMs, to };
        revertAfterMs = to;
      }
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
    externalReference,
    executionDetails,
    attempt,
    retryAt,
    // Leaving the open statuses releases the open key: a new action on the target may open.
    openKey: step.open ? action.openKey : null,
    // The audit chain is the engine's: the record step carries the head over.
    auditHead: action.auditHead,
    noteCount,
    lastNote,
    revertAfterMs,
    revertAt,
    escalateAt,
    escalatedAt,
    escalatedTo,
    requiredApprovals: action.requiredApprovals ?? 1,
    approvals,
    retryOf: action.retryOf ?? null,
    retriedBy,
    retryCount: action.retryCount ?? 0,
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

/** The record's details with the new ones over them, keeping at most 32 keys (new keys past that are left out). */
function merged(
  current: Readonly<Record<string, string | number | boolean | null>> | null,
  added: Readonly<Record<string, string | number | boolean | null>>,
): Record<string, string | number | boolean | null> {
  const out = new Map<string, string | number | boolean | null>(Object.entries(current ?? {}));
  for (const [key, value] of Object.entries(added)) if (out.has(key) || out.size < 32) out.set(key, value);
  return Object.fromEntries(out);
}

function copyFailure(failure: ActionFailure): ActionFailure {
  return { code: failure.code, message: failure.message };
}
