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
import type {
  ActionRecord,
  ActionRequest,
  ActionStatus,
  Actor,
  AuditEvent,
  Failure,
  Timestamp,
} from '../catalog/records.js';
import { assertNever } from '../catalog/targets.js';
import { manualSourceOf } from '../catalog/sources.js';
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
  /** The new record, at version 1. */
  readonly action: ActionRecord;
  /** Its `created` audit event, before the engine gives it ids and a sequence. */
  readonly audit: AuditDraft;
  /** What the engine does next: `run` when it starts approved, and `notify`. */
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
  /** The new action's id. */
  readonly id: ActionId;
  /** Creation time, epoch milliseconds (UTC). */
  readonly now: Timestamp;
  /** Where the approval policy put it: waiting for a decision, or approved to run at once. */
  readonly status: 'pending' | 'approved';
  /** The request's action type (its id and workload are copied into the record). */
  readonly actionType: ActionTypeDefinition;
  /** The approval id a pending action is decided under (seed 002's Approval ID column), or `null`. */
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
    incidentId: request.incidentId ?? null,
    alertId: request.alertId ?? null,
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
 * import { asId, builtInCatalog, type UndoCounterpartInit, type ActionId, type PrincipalId } from 'actioncenter';
 * const init: UndoCounterpartInit = {
 *   id: asId<ActionId>('act-2'), now: Date.UTC(2026, 0, 2), by: { type: 'principal', id: asId<PrincipalId>('alice@contoso.com') },
 *   comment: 'False positive', counterpartType: builtInCatalog.require('releaseFromQuarantine'),
 * };
 * ```
 */
export interface UndoCounterpartInit {
  /** The counterpart action's id. */
  readonly id: ActionId;
  /** When the undo was asked for, epoch milliseconds (UTC). */
  readonly now: Timestamp;
  /** Who asked for the undo; the counterpart is requested by them. */
  readonly by: Actor;
  /** Why, as given with the undo request, or `null`. */
  readonly comment: string | null;
  /** The counterpart's action type: the original type's `undo.counterpart`. */
  readonly counterpartType: ActionTypeDefinition;
}

/**
 * Creates the linked counterpart action that carries out an undo (release from quarantine for
 * quarantine file, ...): approved at once (the undo request was the decision, recorded as the undoer's
 * in `decidedBy`), on the same target and investigation, with `undoOf` = the original's id, requested
 * by the one who asked for the undo. Its source is the manual source of its workload
 * ({@link manualSourceOf}: a person undid it, whatever took the original). It appears in History
 * with that link. Its parameters are `{}`: every
 * counterpart acts on the target alone.
 *
 * The engine pairs it with a `requestUndo` {@link transition} of the original naming this id.
 *
 * @example
 * ```ts
 * import {
 *   createActionRecord, createUndoCounterpart, parseActionRequest, parseLifecycleEvent, transition, unwrap,
 *   builtInCatalog, asId, DEFAULT_PENDING_EXPIRY_MS, type ActionId, type PrincipalId,
 * } from 'actioncenter';
 * const quarantineFile = builtInCatalog.require('quarantineFile');
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Temp\\evil.exe' },
 *   parameters: {}, source: 'manualDeviceAction', requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }));
 * // A quarantine that ran and succeeded: created approved, started, succeeded.
 * let { action: quarantined } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'approved',
 *   actionType: quarantineFile, approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * for (const type of ['start', 'succeed'] as const) {
 *   const event = unwrap(parseLifecycleEvent({ type, by: { type: 'system', component: 'executor' }, at: Date.UTC(2026, 0, 1) }));
 *   quarantined = unwrap(transition(quarantined, event, { actionType: quarantineFile })).action;
 * }
 * const { action } = createUndoCounterpart(quarantined, {
 *   id: asId<ActionId>('act-2'), now: Date.UTC(2026, 0, 2), by: { type: 'principal', id: asId<PrincipalId>('alice@contoso.com') },
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
    // A person's undo is a manual action of its workload, not a copy of the original's source
    // (an automated source would claim the system took it).
    source: manualSourceOf(init.counterpartType.workload),
    target: structuredClone(original.target),
    parameters: {},
    status: 'approved',
    investigationId: original.investigationId,
    incidentId: original.incidentId,
    alertId: original.alertId,
    approvalId: null,
    // The verdict justified the remediation, not its reversal.
    verdict: null,
    requestedBy: copyActor(init.by),
    requestComment: init.comment,
    createdAt: init.now,
    expiresAt: null,
    // Taken at once on the undoer's say-so: the decision is theirs.
    decidedBy: copyActor(init.by),
    decidedAt: init.now,
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
  return actor.type === 'principal'
    ? { type: 'principal', id: actor.id }
    : { type: 'system', component: actor.component };
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
  /** The action's type: its guards (cancellable while running, undoable) and deadline apply. */
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
 * Trusts its arguments' types: parse outside input with {@link parseLifecycleEvent} first.
 *
 * @example
 * ```ts
 * import {
 *   createActionRecord, parseActionRequest, parseLifecycleEvent, transition, unwrap,
 *   builtInCatalog, asId, DEFAULT_PENDING_EXPIRY_MS, type ActionId,
 * } from 'actioncenter';
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
  return ok({ action: next, effects: command === null ? [notify] : [command, notify], audit });
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
    openKey: a.openKey,
  };
  return copy;
}

/**
 * Is a pending action past its expiry? (`now >= expiresAt`.) The engine's expiry sweep sends such
 * actions an `expire` event, by `{ type: 'system', component: 'expiry' }` by convention.
 *
 * @example
 * ```ts
 * import { isExpired } from 'actioncenter';
 * const action = { status: 'pending', expiresAt: Date.UTC(2026, 0, 8) } as const; // or a whole ActionRecord
 * isExpired(action, Date.UTC(2026, 0, 8)); // true
 * isExpired(action, Date.UTC(2026, 0, 7)); // false
 * ```
 */
export function isExpired(action: Pick<ActionRecord, 'status' | 'expiresAt'>, now: Timestamp): boolean {
  return action.status === 'pending' && action.expiresAt !== null && now >= action.expiresAt;
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
