/**
 * What a lifecycle step implies besides its next record, derived from the record before, the
 * record after (`transitionRecord`'s) and the event: the effects the engine carries out and
 * the step's audit draft. Pure, like the step. `transition` returns all three; the engine takes the
 * record step, then the effects, and builds its stored audit event from the same parts without a
 * draft in between ({@link stepAuditEvent}).
 *
 * @module
 */
import type { ActionId, AuditEventId } from '../catalog/ids.js';
import type { ActionFailure, ActionRecord, ActionStatus, Actor, AuditEvent } from '../catalog/records.js';
import type { AuditDraft } from './lifecycle-create.js';
import type { LifecycleEffect } from './lifecycle-effects.js';
import type { LifecycleEvent } from './lifecycle-events.js';
import { copyFailure, ownActor } from './lifecycle-record.js';
import { undoResultOfCounterpart } from './lifecycle-table.js';

/**
 * The effects of an accepted step, in the order the engine carries them out: the command that acts
 * on the outside world if any (`run` after approve, `abort` after a cancel while running or a
 * time-out, `undo` after requestUndo), `notify`, and `settleUndo` when an undo counterpart ends.
 * Exactly the `effects` of {@link "actioncenter"!transition}'s result for the same step.
 *
 * `next` must be what {@link "actioncenter"!transitionRecord} returned for `previous` and `event`
 * (the effects read its status).
 *
 * @example
 * ```ts
 * import { transitionRecord, type ActionRecord, type LifecycleEvent } from 'actioncenter';
 * import { transitionEffects, type TransitionContext } from 'actioncenter/adapter-kit';
 * function effectsOf(action: ActionRecord, event: LifecycleEvent, context: TransitionContext) {
 *   const next = transitionRecord(action, event, context);
 *   return next.ok ? transitionEffects(action, next.value, event) : []; // e.g. [{ type: 'run', ... }, { type: 'notify', ... }]
 * }
 * ```
 */
export function transitionEffects(
  previous: ActionRecord,
  next: ActionRecord,
  event: LifecycleEvent,
): readonly LifecycleEffect[] {
  const id = previous.id;
  let command: LifecycleEffect | null = null;
  if (event.type === 'approve') command = { type: 'run', actionId: id };
  else if (event.type === 'timeOut' || (event.type === 'cancel' && previous.status === 'running'))
    // Whoever noticed the deadline (a sweep, another worker) may not own the execution: ask to stop it.
    command = { type: 'abort', actionId: id };
  else if (event.type === 'requestUndo') command = { type: 'undo', actionId: id, undoActionId: event.undoActionId };
  const notify: LifecycleEffect = { type: 'notify', actionId: id, from: previous.status, to: next.status };
  // An undo counterpart that just ended ends the undo of its original, whichever way it ended.
  const settle = previous.undoOf === null ? null : settleUndoOf(previous, next.status, event);
  if (settle !== null) return command === null ? [notify, settle] : [command, notify, settle];
  return command === null ? [notify] : [command, notify];
}

/**
 * The audit draft of an accepted step: `from` the old status `to` the new, at the record's new
 * `updatedAt`, by the event's actor (the record's own copy when the record keeps it), with the
 * event's comment and its `details` as plain JSON: the failure, the counterpart id, the deadline,
 * the expiry an `expire` ended, and `clockSkewMs` when the event was dated before the action's
 * last change. Exactly the `audit` of {@link "actioncenter"!transition}'s result for the same step.
 *
 * `next` must be what {@link "actioncenter"!transitionRecord} returned for `previous` and `event`.
 *
 * @example
 * ```ts
 * import { transitionRecord, type ActionRecord, type LifecycleEvent } from 'actioncenter';
 * import { transitionAudit, type TransitionContext } from 'actioncenter/adapter-kit';
 * function auditLine(action: ActionRecord, event: LifecycleEvent, context: TransitionContext): string | null {
 *   const next = transitionRecord(action, event, context);
 *   if (!next.ok) return null;
 *   const draft = transitionAudit(action, next.value, event);
 *   return `${draft.type}: ${draft.from ?? '-'} -> ${draft.to}`;
 * }
 * ```
 */
export function transitionAudit(previous: ActionRecord, next: ActionRecord, event: LifecycleEvent): AuditDraft {
  return {
    type: event.type,
    at: next.updatedAt,
    actor: auditActor(next, event),
    from: previous.status,
    to: next.status,
    comment: event.comment,
    details: auditDetails(previous, next, event),
  };
}

/**
 * The stored audit event of an accepted step (internal: the engine's), built from the same parts
 * as {@link transitionAudit} in one literal, without a draft: the draft's fields, then the new
 * event's `id`, the action's id and the sequence of its trail (its version after the change), and
 * its link in the action's hash chain: `previousHash` is the action's `auditHead`; `hash` is left
 * null for the engine to set (`auditEventHash`), which chains it.
 */
export function stepAuditEvent(
  previous: ActionRecord,
  next: ActionRecord,
  event: LifecycleEvent,
  id: AuditEventId,
): AuditEvent {
  return {
    id,
    actionId: next.id,
    sequence: next.version,
    type: event.type,
    at: next.updatedAt,
    actor: auditActor(next, event),
    from: previous.status,
    to: next.status,
    comment: event.comment,
    details: auditDetails(previous, next, event),
    hash: null,
    previousHash: previous.auditHead,
  };
}

/**
 * The actor of a step's audit: the record's own when the step records who (a decision, an undo
 * request), shared by the record and the audit; otherwise the event's if frozen, else a copy.
 */
function auditActor(next: ActionRecord, event: LifecycleEvent): Actor {
  switch (event.type) {
    case 'approve':
    case 'reject':
    case 'expire':
    case 'cancel':
      return next.decidedBy ?? ownActor(event.by);
    case 'requestUndo':
      return next.undoRequestedBy ?? ownActor(event.by);
    default:
      return ownActor(event.by);
  }
}

/** Audit details: plain JSON (they must pass SafeObjectSchema); the same object for every step without. */
function auditDetails(
  previous: ActionRecord,
  next: ActionRecord,
  event: LifecycleEvent,
): Readonly<Record<string, unknown>> {
  let details: Record<string, unknown> | null = null;
  switch (event.type) {
    case 'expire':
      if (previous.expiresAt !== null) details = { expiresAt: previous.expiresAt };
      break;
    case 'approve':
      // When it expires if never started (issue 16, an approved expiry), when it has one.
      if (next.expiresAt !== null) details = { expiresAt: next.expiresAt };
      // N-of-M approvals (issue 16): this approval completed the required number.
      if ((next.requiredApprovals ?? 1) > 1) (details ??= {})['approvals'] = next.requiredApprovals;
      break;
    case 'addApproval':
      // One approval of several (issue 16): how many the action has now, of how many it needs.
      details = { approvals: (next.approvals ?? []).length, requiredApprovals: next.requiredApprovals ?? 1 };
      break;
    case 'escalate':
      // The deadline that passed and who may approve since (issue 16).
      details = { escalateAt: previous.escalateAt ?? null, escalatedTo: [...next.escalatedTo] };
      break;
    case 'start':
      details = { deadlineAt: next.deadlineAt };
      // A retry's start says which attempt it is (the first says nothing more, as before retries).
      if (next.attempt > 1) details['attempt'] = next.attempt;
      break;
    case 'retry':
      // The attempt that failed, why, and when the next may start.
      details = { attempt: next.attempt, failure: copyFailure(event.failure), retryAt: next.retryAt };
      if (event.details !== undefined) details['executorDetails'] = { ...event.details };
      break;
    case 'succeed':
      if (event.details !== undefined) details = { executorDetails: { ...event.details } };
      // A time-limited action: when its undo is now due (issue 16).
      if (next.revertAt !== null) (details ??= {})['revertAt'] = next.revertAt;
      break;
    case 'fail':
      details = { failure: copyFailure(event.failure) };
      if (event.details !== undefined) details['executorDetails'] = { ...event.details };
      break;
    case 'timeOut':
    case 'undoFailed':
      details = { failure: copyFailure(event.failure) };
      break;
    case 'retried':
      details = { retryActionId: event.retryActionId };
      break;
    case 'requestUndo':
      details = { undoActionId: event.undoActionId };
      // The scheduled revert this request ends (issue 16): the revert itself, or a manual undo before it.
      if (previous.revertAt !== null) details['revertAt'] = previous.revertAt;
      break;
    case 'setRevert': {
      // Which of the two was set (`revertAt` once succeeded, `revertAfterMs` while open), from what to what.
      const field = event.revertAt !== undefined ? 'revertAt' : 'revertAfterMs';
      details = { field, from: previous[field], to: next[field] };
      break;
    }
    case 'accept':
      details = { reference: event.reference };
      if (event.details !== undefined) details['executorDetails'] = { ...event.details };
      break;
    case 'progress':
      details = { executorDetails: { ...event.details } };
      break;
    case 'reportDiscarded':
      // What was reported, so the trail keeps it though the record does not take it.
      details = { outcome: event.outcome, reference: event.reference };
      if (event.failure !== null) details['failure'] = copyFailure(event.failure);
      if (event.details !== undefined) details['executorDetails'] = { ...event.details };
      break;
    default:
      break;
  }
  // The event was dated before the record's last change: the step recorded it then, and says by
  // how much the clock was behind.
  const skew = previous.updatedAt - event.at;
  if (skew > 0) (details ??= {})['clockSkewMs'] = skew;
  return details ?? NO_DETAILS;
}

// The details of most steps: nothing to say. One frozen object shared by them all.
const NO_DETAILS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The `settleUndo` effect of a counterpart's step, or null: only when the counterpart leaves an
 * open status for one that ends the undo ({@link undoResultOfCounterpart}). A success after a
 * time-out (already settled as failed) settles nothing again.
 */
function settleUndoOf(action: ActionRecord, to: ActionStatus, event: LifecycleEvent): LifecycleEffect | null {
  const originalId: ActionId | null = action.undoOf;
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
