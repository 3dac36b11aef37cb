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
 * `lifecycle-effects.ts`; this module holds creation and `transition`, and re-exports the rest.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { ActionId, ApprovalId } from '../catalog/ids.js';
import type { ActionRecord, ActionRequest, Actor, AuditEvent, Failure, Timestamp } from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import type { InvalidTransitionError } from '../errors.js';
import { err, ok, type Result } from '../result.js';
import type { LifecycleEffect } from './lifecycle-effects.js';
import type { LifecycleEvent, LifecycleEventType } from './lifecycle-events.js';
import { isFinal, lifecycleEdge, type TransitionRefusalReason } from './lifecycle-table.js';

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
  FINAL_STATES,
  isFinal,
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

// ---- creation ----------------------------------------------------------------------------------

/**
 * An audit event before the engine gives it its id, its action id and its sequence number.
 *
 * @example
 * ```ts
 * import type { AuditDraft } from 'actioncenter';
 * const line = (d: AuditDraft) => `${d.type}: ${d.from ?? '-'} -> ${d.to}`;
 * ```
 */
export type AuditDraft = Omit<AuditEvent, 'id' | 'sequence' | 'actionId'>;

/**
 * A newly created action: the record to store (version 1), its `created` audit draft, and the
 * effects the engine carries out (`run` when it starts approved, and `notify`).
 *
 * @example
 * ```ts
 * import type { CreatedAction } from 'actioncenter';
 * const startsAtOnce = (c: CreatedAction) => c.effects.some((e) => e.type === 'run');
 * ```
 */
export interface CreatedAction {
  readonly action: ActionRecord;
  readonly audit: AuditDraft;
  readonly effects: readonly LifecycleEffect[];
}

/**
 * What {@link createActionRecord} needs besides the request.
 *
 * @example
 * ```ts
 * import { asId, builtInCatalog, DEFAULT_PENDING_EXPIRY_MS, type ActionRecordInit, type ActionId } from 'actioncenter';
 * const init: ActionRecordInit = {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: builtInCatalog.require('quarantineFile'), approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * };
 * ```
 */
export interface ActionRecordInit {
  readonly id: ActionId;
  readonly now: Timestamp;
  /** Where the approval policy put it: waiting for a decision, or approved to run at once. */
  readonly status: 'pending' | 'approved';
  /** The request's action type (its id and workload are copied into the record). */
  readonly actionType: ActionTypeDefinition;
  readonly approvalId: ApprovalId | null;
  /** How long a pending action waits before it expires (ignored when approved). */
  readonly pendingExpiryMs: number;
  /** On a counterpart: the action it undoes. */
  readonly undoOf?: ActionId | null;
}

/**
 * The largest timestamp a record may hold (`TimestampSchema`'s bound, the end of JavaScript's
 * date range): computed times (expiry, deadline) are clamped to it so records stay valid.
 */
const MAX_TIMESTAMP = 8.64e15;

/** `at` + `ms`, clamped to the timestamps a record may hold. */
function addMs(at: Timestamp, ms: number): Timestamp {
  return Math.min(at + Math.max(0, ms), MAX_TIMESTAMP);
}

/**
 * Creates the record of a submitted action, at version 1, and its `created` audit draft (`from`
 * null, `to` the starting status, by the requester, with the request's comment). A pending action
 * expires at `now + pendingExpiryMs`; an approved one has no expiry. An action that starts approved
 * has no `decidedBy`: nobody decided, the approval policy let it run.
 *
 * The request is trusted (parse it with `parseActionRequest` first) and must be of `actionType`;
 * the record copies what it keeps, so later changes to the request do not reach it.
 *
 * @example
 * ```ts
 * import { createActionRecord, parseActionRequest, unwrap, builtInCatalog, asId, DEFAULT_PENDING_EXPIRY_MS, type ActionId } from 'actioncenter';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'isolateDevice',
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }));
 * const { action, audit } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'approved',
 *   actionType: builtInCatalog.require('isolateDevice'), approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * action.version; // 1
 * audit.type; // 'created'
 * ```
 */
export function createActionRecord(request: ActionRequest, init: ActionRecordInit): CreatedAction {
  const pending = init.status === 'pending';
  const action: ActionRecord = {
    id: init.id,
    version: 1,
    actionType: init.actionType.id,
    workload: init.actionType.workload,
    source: request.source,
    target: structuredClone(request.target),
    parameters: structuredClone(request.parameters),
    status: init.status,
    investigationId: request.investigationId,
    approvalId: init.approvalId,
    verdict: request.verdict,
    requestedBy: copyActor(request.requestedBy),
    requestComment: request.comment,
    createdAt: init.now,
    expiresAt: pending ? addMs(init.now, init.pendingExpiryMs) : null,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    startedAt: null,
    deadlineAt: null,
    completedAt: null,
    failure: null,
    undoActionId: null,
    undoOf: init.undoOf ?? null,
    undoRequestedBy: null,
    undoRequestedAt: null,
    undoCompletedAt: null,
    updatedAt: init.now,
    openKey: null,
  };
  return { action, audit: createdAudit(action), effects: createdEffects(action) };
}

/**
 * What {@link createUndoCounterpart} needs: the counterpart's id, the time, who asked for the undo
 * and why, and the counterpart's action type (the original type's `undo.counterpart`).
 *
 * @example
 * ```ts
 * import { asId, builtInCatalog, type UndoCounterpartInit, type ActionId } from 'actioncenter';
 * const init: UndoCounterpartInit = {
 *   id: asId<ActionId>('act-2'), now: Date.UTC(2026, 0, 2), by: { type: 'principal', id: 'alice@contoso.com' },
 *   comment: 'False positive', counterpartType: builtInCatalog.require('releaseFromQuarantine'),
 * };
 * ```
 */
export interface UndoCounterpartInit {
  readonly id: ActionId;
  readonly now: Timestamp;
  readonly by: Actor;
  readonly comment: string | null;
  readonly counterpartType: ActionTypeDefinition;
}

/**
 * Creates the linked counterpart action that carries out an undo (release from quarantine for
 * quarantine file, ...): approved at once (the undo request was the decision), on the same target,
 * from the original's source and investigation, with `undoOf` = the original's id, requested by the
 * one who asked for the undo. It appears in History with that link. Its parameters are `{}`: every
 * counterpart acts on the target alone.
 *
 * The engine pairs it with a `requestUndo` {@link transition} of the original naming this id.
 *
 * @example
 * ```ts
 * import { createUndoCounterpart, builtInCatalog, asId, type ActionRecord, type ActionId } from 'actioncenter';
 * declare const quarantined: ActionRecord; // a succeeded quarantineFile action
 * const { action } = createUndoCounterpart(quarantined, {
 *   id: asId<ActionId>('act-2'), now: Date.UTC(2026, 0, 2), by: { type: 'principal', id: 'alice@contoso.com' },
 *   comment: 'False positive', counterpartType: builtInCatalog.require('releaseFromQuarantine'),
 * });
 * action.undoOf === quarantined.id; // true
 * ```
 */
export function createUndoCounterpart(original: ActionRecord, init: UndoCounterpartInit): CreatedAction {
  const action: ActionRecord = {
    id: init.id,
    version: 1,
    actionType: init.counterpartType.id,
    workload: init.counterpartType.workload,
    source: original.source,
    target: structuredClone(original.target),
    parameters: {},
    status: 'approved',
    investigationId: original.investigationId,
    approvalId: null,
    // The verdict justified the remediation, not its reversal.
    verdict: null,
    requestedBy: copyActor(init.by),
    requestComment: init.comment,
    createdAt: init.now,
    expiresAt: null,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    startedAt: null,
    deadlineAt: null,
    completedAt: null,
    failure: null,
    undoActionId: null,
    undoOf: original.id,
    undoRequestedBy: null,
    undoRequestedAt: null,
    undoCompletedAt: null,
    updatedAt: init.now,
    openKey: null,
  };
  return { action, audit: createdAudit(action), effects: createdEffects(action) };
}

function createdAudit(action: ActionRecord): AuditDraft {
  const details: Record<string, unknown> = {};
  if (action.expiresAt !== null) details['expiresAt'] = action.expiresAt;
  if (action.approvalId !== null) details['approvalId'] = action.approvalId;
  if (action.undoOf !== null) details['undoOf'] = action.undoOf;
  return {
    type: 'created',
    at: action.createdAt,
    actor: copyActor(action.requestedBy),
    from: null,
    to: action.status,
    comment: action.requestComment,
    details,
  };
}

function createdEffects(action: ActionRecord): LifecycleEffect[] {
  const notify: LifecycleEffect = { type: 'notify', actionId: action.id, from: null, to: action.status };
  return action.status === 'approved' ? [{ type: 'run', actionId: action.id }, notify] : [notify];
}

// A record owns its objects: none is shared with the event or request it came from, so a caller
// that later edits those cannot reach into stored state.
function copyActor(actor: Actor): Actor {
  return actor.type === 'principal' ? { type: 'principal', id: actor.id } : { type: 'system', component: actor.component };
}

// ---- transition --------------------------------------------------------------------------------

/**
 * What {@link transition} needs besides the action and the event: the action's type, whose flags
 * guard two edges (`cancellableWhileRunning`, `undo`) and whose `deadlineMs` sets the deadline on
 * `start`. It must be the type the action's `actionType` names.
 *
 * @example
 * ```ts
 * import { builtInCatalog, type TransitionContext } from 'actioncenter';
 * const context: TransitionContext = { actionType: builtInCatalog.require('isolateDevice') };
 * ```
 */
export interface TransitionContext {
  readonly actionType: ActionTypeDefinition;
}

/**
 * One accepted step: the next record (a new object, `version` + 1), the effects the engine must
 * carry out, in order, and the step's audit draft.
 *
 * @example
 * ```ts
 * import type { TransitionResult } from 'actioncenter';
 * const summary = (r: TransitionResult) => `${r.audit.from} -> ${r.audit.to} (v${r.action.version})`;
 * ```
 */
export interface TransitionResult {
  readonly action: ActionRecord;
  readonly effects: readonly LifecycleEffect[];
  readonly audit: AuditDraft;
}

/**
 * Applies one lifecycle event to an action, purely. On success the result holds:
 * - `action`: a new record (the input is not touched, at any depth) with the next `status`,
 *   `version` + 1, `updatedAt` = `event.at`, and the fields the event implies: a decision
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
 * `event.at` may be earlier than the action's `updatedAt`: clocks of different workers skew, and
 * refusing would strand actions, so the event's time is recorded as given.
 *
 * Trusts its arguments' types: parse outside input with {@link parseLifecycleEvent} first.
 *
 * @example
 * ```ts
 * import { transition, builtInCatalog, type ActionRecord } from 'actioncenter';
 * declare const pending: ActionRecord; // a pending isolateDevice action
 * const r = transition(pending, { type: 'approve', by: { type: 'principal', id: 'alice@contoso.com' }, at: Date.now(), comment: 'Confirmed' },
 *   { actionType: builtInCatalog.require('isolateDevice') });
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
  const next: ActionRecord = {
    ...action,
    ...changesOf(event, context.actionType),
    status: edge.to,
    version: action.version + 1,
    updatedAt: event.at,
  };
  return ok({ action: next, effects: effectsOf(action, next, event), audit: auditOf(action, next, event) });
}

/**
 * Is a pending action past its expiry? (`now >= expiresAt`.) The engine's expiry sweep sends such
 * actions an `expire` event, by `{ type: 'system', component: 'expiry' }` by convention.
 *
 * @example
 * ```ts
 * import { isExpired, type ActionRecord } from 'actioncenter';
 * declare const action: ActionRecord;
 * isExpired(action, Date.UTC(2026, 0, 8));
 * ```
 */
export function isExpired(action: Pick<ActionRecord, 'status' | 'expiresAt'>, now: Timestamp): boolean {
  return action.status === 'pending' && action.expiresAt !== null && now >= action.expiresAt;
}

// The record fields an event sets, besides status, version and updatedAt.
function changesOf(event: LifecycleEvent, actionType: ActionTypeDefinition): Partial<ActionRecord> {
  switch (event.type) {
    case 'approve':
    case 'reject':
    case 'expire':
    case 'cancel':
      // The decision leaves `pending` (or ends the action), so no expiry is due any more.
      return { decidedBy: copyActor(event.by), decidedAt: event.at, decisionComment: event.comment, expiresAt: null };
    case 'start':
      return { startedAt: event.at, deadlineAt: addMs(event.at, actionType.deadlineMs) };
    case 'succeed':
      return { completedAt: event.at, failure: null };
    case 'fail':
    case 'timeOut':
      return { completedAt: event.at, failure: copyFailure(event.failure) };
    case 'requestUndo':
      // A retry after `undoFailed` starts afresh: the earlier attempt's failure and end are history (audit).
      return {
        undoActionId: event.undoActionId,
        undoRequestedBy: copyActor(event.by),
        undoRequestedAt: event.at,
        undoCompletedAt: null,
        failure: null,
      };
    case 'undoSucceeded':
      return { undoCompletedAt: event.at, failure: null };
    case 'undoFailed':
      return { undoCompletedAt: event.at, failure: copyFailure(event.failure) };
    default:
      return assertNever(event);
  }
}

function effectsOf(before: ActionRecord, after: ActionRecord, event: LifecycleEvent): LifecycleEffect[] {
  const notify: LifecycleEffect = { type: 'notify', actionId: after.id, from: before.status, to: after.status };
  const first = commandOf(before, event);
  return first === null ? [notify] : [first, notify];
}

// The effect that acts on the outside world, if the step has one.
function commandOf(before: ActionRecord, event: LifecycleEvent): LifecycleEffect | null {
  switch (event.type) {
    case 'approve':
      return { type: 'run', actionId: before.id };
    case 'cancel':
      return before.status === 'running' ? { type: 'abort', actionId: before.id } : null;
    case 'timeOut':
      // Whoever noticed the deadline (a sweep, another worker) may not own the execution: ask to stop it.
      return { type: 'abort', actionId: before.id };
    case 'requestUndo':
      return { type: 'undo', actionId: before.id, undoActionId: event.undoActionId };
    case 'reject':
    case 'expire':
    case 'start':
    case 'succeed':
    case 'fail':
    case 'undoSucceeded':
    case 'undoFailed':
      return null;
    default:
      return assertNever(event);
  }
}

function auditOf(before: ActionRecord, after: ActionRecord, event: LifecycleEvent): AuditDraft {
  return {
    type: event.type,
    at: event.at,
    actor: copyActor(event.by),
    from: before.status,
    to: after.status,
    comment: event.comment,
    details: detailsOf(before, after, event),
  };
}

// Event-specific audit data, plain JSON (it must pass SafeObjectSchema).
function detailsOf(before: ActionRecord, after: ActionRecord, event: LifecycleEvent): Record<string, unknown> {
  switch (event.type) {
    case 'expire':
      return before.expiresAt === null ? {} : { expiresAt: before.expiresAt };
    case 'start':
      return { deadlineAt: after.deadlineAt };
    case 'fail':
    case 'timeOut':
    case 'undoFailed':
      return { failure: copyFailure(event.failure) };
    case 'requestUndo':
      return { undoActionId: event.undoActionId };
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'succeed':
    case 'undoSucceeded':
      return {};
    default:
      return assertNever(event);
  }
}

function copyFailure(failure: Failure): Failure {
  return { code: failure.code, message: failure.message };
}

const REFUSALS: { readonly [R in TransitionRefusalReason]: string } = {
  finalState: 'the action is final and accepts no such event',
  noSuchTransition: 'the lifecycle has no such step from this state',
  notCancellableWhileRunning: 'actions of this type cannot be cancelled while running',
  notUndoable: 'actions of this type cannot be undone',
};

function invalidTransition(action: ActionRecord, event: LifecycleEventType, reason: TransitionRefusalReason): InvalidTransitionError {
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
