/**
 * Creating actions: the record of a submitted action, and the linked counterpart that carries out
 * an undo. Pure: time and ids come in through the arguments.
 *
 * @module
 */
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { ActionId, ApprovalId } from '../catalog/ids.js';
import type { ActionRecord, ActionRequest, Actor, AuditEvent, Timestamp } from '../catalog/records.js';
import { manualSourceOf } from '../catalog/sources.js';
import type { LifecycleEffect } from './lifecycle-effects.js';

// ---- creation ----------------------------------------------------------------------------------

/**
 * An audit event before the engine gives it its id, its action id, its sequence number and its
 * place in the action's hash chain (`hash`, `previousHash`).
 *
 * @example
 * ```ts
 * import type { AuditDraft } from 'actioncenter/adapter-kit';
 * const line = (d: AuditDraft) => `${d.type}: ${d.from ?? '-'} -> ${d.to}`;
 * ```
 */
export type AuditDraft = Omit<AuditEvent, 'id' | 'sequence' | 'actionId' | 'hash' | 'previousHash'>;

/**
 * A newly created action: the record to store (version 1), its `created` audit draft, and the
 * effects the engine carries out (`run` when it starts approved, and `notify`).
 *
 * @example
 * ```ts
 * import type { CreatedAction } from 'actioncenter/adapter-kit';
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
 * import { builtInCatalog, type ActionId } from 'actioncenter';
 * import { asId, DEFAULT_PENDING_EXPIRY_MS, type ActionRecordInit } from 'actioncenter/adapter-kit';
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
  /**
   * Approval deadline (issue 16): a pending action not decided this long after creation escalates
   * (`escalateAt`); null or left out: none. Ignored when approved.
   */
  readonly escalateAfterMs?: number | null;
  /**
   * How long an action that starts approved may wait unstarted before it expires (issue 16); null
   * or left out: never. Ignored when pending (its approval sets it then).
   */
  readonly approvedExpiryMs?: number | null;
  /**
   * N-of-M approvals (issue 16): how many distinct approvals a pending action needs (1..10; default
   * 1), fixed at creation so a later policy change does not move it. Ignored when approved.
   */
  readonly requiredApprovals?: number;
  /** On a counterpart: the action it undoes. */
  readonly undoOf?: ActionId | null;
  /** On a manual retry (issue 16): the failed or timed-out action it retries. */
  readonly retryOf?: ActionId | null;
  /** On a manual retry: how many retries led to it (its original's + 1). Default 0. */
  readonly retryCount?: number;
  /**
   * The key no second open action may share (`openKeyOf(type, target)`), or `null` (default) when
   * duplicates are allowed. Released by `transition` when the action leaves the open statuses.
   */
  readonly openKey?: string | null;
}

/**
 * The largest timestamp a record may hold (`TimestampSchema`'s bound, the end of JavaScript's
 * date range): computed times (expiry, deadline) are clamped to it so records stay valid.
 */
const MAX_TIMESTAMP = 8.64e15;

/**
 * No escalation group: one frozen empty list shared by every record without one (stores keep
 * records frozen; a fresh array per record would be copied by each). Internal.
 */
export const NO_PRINCIPALS = Object.freeze([]) as unknown as ActionRecord['escalatedTo'];

/** No approvals yet: one frozen empty list shared by every new record (as {@link NO_PRINCIPALS}). Internal. */
export const NO_APPROVALS = Object.freeze([]) as unknown as ActionRecord['approvals'];

/** `at` + `ms` (clamped), or null when there is no `ms`. */
function afterMs(at: Timestamp, ms: number | null | undefined): Timestamp | null {
  return ms === null || ms === undefined ? null : addMs(at, ms);
}

/** `at` + `ms`, clamped to the timestamps a record may hold. */
export function addMs(at: Timestamp, ms: number): Timestamp {
  return Math.min(at + Math.max(0, ms), MAX_TIMESTAMP);
}

/**
 * Creates the record of a submitted action, at version 1, and its `created` audit draft (`from`
 * null, `to` the starting status, by the requester, with the request's comment). A pending action
 * expires at `now + pendingExpiryMs` and escalates at `now + escalateAfterMs` when given; an
 * approved one expires unstarted at `now + approvedExpiryMs` when given, else never. An action that starts approved
 * has no `decidedBy`: nobody decided, the approval policy let it run.
 *
 * The request is trusted (parse it with `parseActionRequest` first) and must be of `actionType`;
 * the record copies what it keeps, so later changes to the request do not reach it.
 *
 * @example
 * ```ts
 * import { parseActionRequest, unwrap, builtInCatalog, type ActionId } from 'actioncenter';
 * import { createActionRecord, asId, DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
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
    expiresAt: pending ? addMs(init.now, init.pendingExpiryMs) : afterMs(init.now, init.approvedExpiryMs),
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
    externalReference: null,
    executionDetails: null,
    attempt: 0,
    retryAt: null,
    openKey: init.openKey ?? null,
    // The engine sets it to its `created` event's hash (the chain starts there).
    auditHead: null,
    noteCount: 0,
    lastNote: null,
    // Time-limited (issue 16): the engine accepts it only for types with an undo counterpart.
    revertAfterMs: request.revertAfterMs ?? null,
    revertAt: null,
    escalateAt: pending ? afterMs(init.now, init.escalateAfterMs) : null,
    escalatedAt: null,
    escalatedTo: NO_PRINCIPALS,
    requiredApprovals: pending ? (init.requiredApprovals ?? 1) : 1,
    approvals: NO_APPROVALS,
    retryOf: init.retryOf ?? null,
    retriedBy: null,
    retryCount: init.retryCount ?? 0,
  };
  return { action, audit: createdAudit(action), effects: createdEffects(action) };
}

/**
 * What {@link createUndoCounterpart} needs: the counterpart's id, the time, who asked for the undo
 * and why, and the counterpart's action type (the original type's `undo.counterpart`).
 *
 * @example
 * ```ts
 * import { builtInCatalog, type ActionId } from 'actioncenter';
 * import { asId, type UndoCounterpartInit, type PrincipalId } from 'actioncenter/adapter-kit';
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
  /**
   * The open key the counterpart holds (`openKeyOf(counterpartType, target)`), or `null` (default):
   * a release holds its conflict group's key, so that no isolate opens beside it.
   */
  readonly openKey?: string | null;
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
 * The engine pairs it with a `requestUndo` {@link actioncenter!transition} of the original naming this id.
 *
 * @example
 * ```ts
 * import { parseActionRequest, transition, unwrap, builtInCatalog, type ActionId } from 'actioncenter';
 * import {
 *   createActionRecord,
 *   createUndoCounterpart,
 *   parseLifecycleEvent,
 *   asId,
 *   DEFAULT_PENDING_EXPIRY_MS,
 *   type PrincipalId,
 * } from 'actioncenter/adapter-kit';
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
    externalReference: null,
    executionDetails: null,
    attempt: 0,
    retryAt: null,
    openKey: init.openKey ?? null,
    // The engine sets it to its `created` event's hash (the chain starts there).
    auditHead: null,
    noteCount: 0,
    lastNote: null,
    revertAfterMs: null,
    revertAt: null,
    escalateAt: null,
    escalatedAt: null,
    escalatedTo: NO_PRINCIPALS,
    requiredApprovals: 1,
    approvals: NO_APPROVALS,
    retryOf: null,
    retriedBy: null,
    retryCount: 0,
  };
  return { action, audit: createdAudit(action), effects: createdEffects(action) };
}

function createdAudit(action: ActionRecord): AuditDraft {
  const details: Record<string, unknown> = {};
  if (action.expiresAt !== null) details['expiresAt'] = action.expiresAt;
  if (action.approvalId !== null) details['approvalId'] = action.approvalId;
  if (action.escalateAt !== null) details['escalateAt'] = action.escalateAt;
  if (action.requiredApprovals > 1) details['requiredApprovals'] = action.requiredApprovals;
  if (action.revertAfterMs !== null) details['revertAfterMs'] = action.revertAfterMs;
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
export function copyActor(actor: Actor): Actor {
  return actor.type === 'principal'
    ? { type: 'principal', id: actor.id }
    : { type: 'system', component: actor.component };
}
