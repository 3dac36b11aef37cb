/**
 * Action histories: a record created from a request with `createActionRecord`, then moved through
 * the lifecycle one `transition` at a time, with the audit event of every step. Records built this
 * way are consistent by construction (version = number of audit events, last event's `to` = status,
 * timestamps in order), and every state the lifecycle can reach is reachable.
 *
 * @module
 */
import {
  ACTION_STATUSES,
  transition,
  type ActionId,
  type ActionRecord,
  type ActionRequest,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type ExecutionDetails,
  type AuditEvent,
  type ActionFailure,
  type LifecycleEvent,
} from 'actioncenter';
import {
  LIFECYCLE_EVENT_TYPES,
  DEFAULT_PENDING_EXPIRY_MS,
  asId,
  chainAuditEvent,
  createActionRecord,
  lifecycleEdge,
  type ApprovalId,
  type AuditDraft,
  type LifecycleEventType,
  type PrincipalId,
  type Timestamp,
} from 'actioncenter/adapter-kit';

/**
 * One step of an {@link ActionHistory}: the record after the step and the audit event that
 * recorded it (the first step is the creation, version 1, event `created`).
 *
 * @example
 * ```ts
 * import type { ActionHistoryStep } from 'actioncenter/testing';
 * const line = (s: ActionHistoryStep) => `v${s.action.version}: ${s.event.type} -> ${s.action.status}`;
 * ```
 */
export interface ActionHistoryStep {
  /** The record after this step. */
  readonly action: ActionRecord;
  /** The audit event of this step. */
  readonly event: AuditEvent;
}

/**
 * An action and how it got there: every version of the record, each with its audit event.
 * `action` is the last version and `events` its audit trail (sequence 1 to `action.version`).
 * Replay `steps` as commits to put the action into a repository the way the engine would.
 *
 * @example
 * ```ts
 * import type { ActionHistory } from 'actioncenter/testing';
 * const consistent = (h: ActionHistory) => h.events.length === h.action.version && h.events.at(-1)?.to === h.action.status;
 * ```
 */
export interface ActionHistory {
  /** The last version of the record. */
  readonly action: ActionRecord;
  /** Every version of the record with the audit event that made it, in order. */
  readonly steps: readonly ActionHistoryStep[];
  /** The audit trail: sequence 1 to `action.version`. */
  readonly events: readonly AuditEvent[];
}

/**
 * How an {@link ActionHistory} starts: the record's id, when it is created, whether it starts
 * pending or approved, and optionally its approval id, pending expiry and the action it undoes.
 *
 * @example
 * ```ts
 * import type { HistoryStart } from 'actioncenter/testing';
 * const start: HistoryStart = { id: 'act-1', createdAt: Date.UTC(2026, 0, 1), status: 'pending' };
 * ```
 */
export interface HistoryStart {
  /** The action's id. */
  readonly id: string;
  /** When it is created, epoch milliseconds (UTC). */
  readonly createdAt: Timestamp;
  /** Whether it starts pending or approved. */
  readonly status: 'pending' | 'approved';
  /** Default `apr-<id>` for a pending action, null for an approved one. */
  readonly approvalId?: string | null;
  /** Default 7 days. */
  readonly pendingExpiryMs?: number;
  /** For a counterpart: the id of the action it undoes. Default `null`. */
  readonly undoOf?: string | null;
  /** Approval deadline (issue 16): a pending action escalates this long after creation. Default: none. */
  readonly escalateAfterMs?: number | null;
  /**
   * Expiry of an approved action never started (issue 16), from creation (approved) or approval
   * (pending). Default: the type's `approvedExpiryMs`, else none.
   */
  readonly approvedExpiryMs?: number | null;
  /** N-of-M approvals (issue 16): how many approvals a pending action needs (1..10). Default 1. */
  readonly requiredApprovals?: number;
  /** For a manual retry (issue 16): the id of the action it retries. Default `null`. */
  readonly retryOf?: string | null;
  /** For a manual retry: how many retries led to it (its original's + 1). Default 0. */
  readonly retryCount?: number;
}

/**
 * One lifecycle step to apply: the event type and, optionally, who, how long after the previous
 * step, why, the failure (for fail, timeOut, undoFailed) and the counterpart id (for requestUndo).
 * Defaults: decisions and undo requests by `alice@contoso.com`, expiry by the system's `expiry`
 * (at the expiry time at the earliest), execution events by the system's `executor`, one minute
 * after the previous step.
 *
 * @example
 * ```ts
 * import type { HistoryStepInput } from 'actioncenter/testing';
 * const steps: HistoryStepInput[] = [{ type: 'approve', comment: 'Confirmed' }, { type: 'start' }, { type: 'succeed' }];
 * ```
 */
export interface HistoryStepInput {
  /** The lifecycle event to apply. */
  readonly type: LifecycleEventType;
  /** Who sends it. Default: a principal for decisions, the system (expiry, executor) for the rest. */
  readonly by?: Actor;
  /** Milliseconds after the previous step. Default: one minute. */
  readonly afterMs?: number;
  /** The event's comment. Default `null`. */
  readonly comment?: string | null;
  /** The failure of `fail`, `retry`, `timeOut` and `undoFailed`. Default: a device that did not respond. */
  readonly failure?: ActionFailure;
  /** The counterpart's id for `requestUndo`. Default: `<action id>~undo<next version>`. */
  readonly undoActionId?: string;
  /** The remote reference of `accept` and `reportDiscarded`. Default: the record's, else `<action id>-ref`. */
  readonly reference?: string;
  /** Execution details of `succeed`, `fail`, `accept`, `progress` (default `{ progress: 50 }`) and `reportDiscarded`. */
  readonly details?: ExecutionDetails;
  /**
   * `setRevert` (issue 16): the revert time set on a succeeded action (default: an hour after the
   * step), or the delay set on an open one (default: an hour); null clears it.
   */
  readonly revert?: number | null;
  /** The escalation group of `escalate` (issue 16). Default: none. */
  readonly escalatedTo?: readonly string[];
}

const DEFAULT_DECIDER: Actor = { type: 'principal', id: asId('alice@contoso.com') };
const EXPIRY: Actor = { type: 'system', component: 'expiry' };
const ESCALATION: Actor = { type: 'system', component: 'escalation' };
const EXECUTOR: Actor = { type: 'system', component: 'executor' };
const DEFAULT_FAILURE: ActionFailure = { code: 'deviceOffline', message: 'The device did not respond' };
const MINUTE = 60_000;
const MAX_TIMESTAMP = 8.64e15;

/** A history being built: what was built so far. */
interface Building {
  readonly steps: ActionHistoryStep[];
  readonly actionType: ActionTypeDefinition;
  /** The approved expiry `approve` sets (issue 16); left out: the type's. */
  readonly approvedExpiryMs?: number | null;
}

/** The step's event, chained to the record's audit head as the engine chains it; the head moves to it. */
function auditEvent(action: ActionRecord, draft: AuditDraft): AuditEvent {
  const event = chainAuditEvent(
    { ...draft, id: asId(`${action.id}~evt${action.version}`), actionId: action.id, sequence: action.version },
    action.auditHead,
  );
  // The record is the step's own (fresh from the rules), as in the engine.
  action.auditHead = event.hash;
  return event;
}

/** Starts a history: the created record (version 1) and its `created` event. */
export function startHistory(request: ActionRequest, actionType: ActionTypeDefinition, start: HistoryStart): Building {
  const pending = start.status === 'pending';
  const created = createActionRecord(request, {
    id: asId<ActionId>(start.id),
    now: start.createdAt,
    status: start.status,
    actionType,
    approvalId:
      start.approvalId !== undefined
        ? (start.approvalId as ApprovalId | null)
        : pending
          ? asId<ApprovalId>(`apr-${start.id}`)
          : null,
    pendingExpiryMs: start.pendingExpiryMs ?? DEFAULT_PENDING_EXPIRY_MS,
    undoOf: (start.undoOf ?? null) as ActionId | null,
    escalateAfterMs: start.escalateAfterMs ?? null,
    requiredApprovals: start.requiredApprovals ?? 1,
    retryOf: (start.retryOf ?? null) as ActionId | null,
    retryCount: start.retryCount ?? 0,
    approvedExpiryMs:
      start.approvedExpiryMs !== undefined ? start.approvedExpiryMs : (actionType.approvedExpiryMs ?? null),
  });
  const steps = [{ action: created.action, event: auditEvent(created.action, created.audit) }];
  return start.approvedExpiryMs === undefined
    ? { actionType, steps }
    : { actionType, steps, approvedExpiryMs: start.approvedExpiryMs };
}

/** The current record of a history being built. */
export function currentOf(building: Building): ActionRecord {
  return (building.steps[building.steps.length - 1] as ActionHistoryStep).action;
}

/** Applies one step; throws when the lifecycle refuses it (a mistake in the steps given). */
export function applyStep(building: Building, step: HistoryStepInput): void {
  const action = currentOf(building);
  const event = lifecycleEventOf(action, step);
  const context =
    building.approvedExpiryMs === undefined
      ? { actionType: building.actionType }
      : { actionType: building.actionType, approvedExpiryMs: building.approvedExpiryMs };
  const result = transition(action, event, context);
  if (!result.ok) throw new Error(`Cannot build the history of ${action.id}: ${result.error.message}`);
  building.steps.push({ action: result.value.action, event: auditEvent(result.value.action, result.value.audit) });
}

/** The finished history. */
export function finishHistory(building: Building): ActionHistory {
  const steps = [...building.steps];
  return { action: currentOf(building), steps, events: steps.map((s) => s.event) };
}

/** `{ details }` when the step gives some, else nothing (the event's `details` is optional). */
function detailsOf(step: HistoryStepInput): { details?: ExecutionDetails } {
  return step.details === undefined ? {} : { details: step.details };
}

function referenceOf(action: ActionRecord, step: HistoryStepInput): string {
  return step.reference ?? action.externalReference ?? `${action.id}-ref`;
}

function lifecycleEventOf(action: ActionRecord, step: HistoryStepInput): LifecycleEvent {
  let at = Math.min(action.updatedAt + Math.max(0, step.afterMs ?? MINUTE), MAX_TIMESTAMP);
  const comment = step.comment ?? null;
  const failure = step.failure ?? DEFAULT_FAILURE;
  switch (step.type) {
    case 'approve':
    case 'reject':
    case 'cancel':
      return { type: step.type, by: step.by ?? DEFAULT_DECIDER, at, comment };
    case 'expire':
      // The expiry sweep runs at the expiry time at the earliest.
      if (action.expiresAt !== null) at = Math.max(at, action.expiresAt);
      return { type: 'expire', by: step.by ?? EXPIRY, at, comment };
    case 'escalate':
      // The sweep escalates at the deadline at the earliest.
      if (action.escalateAt !== null) at = Math.max(at, action.escalateAt);
      return {
        type: 'escalate',
        by: step.by ?? ESCALATION,
        at,
        comment,
        escalatedTo: (step.escalatedTo ?? []).map((p) => asId<PrincipalId>(p)),
      };
    case 'start':
    case 'undoSucceeded':
      return { type: step.type, by: step.by ?? EXECUTOR, at, comment };
    case 'succeed':
      return { type: 'succeed', by: step.by ?? EXECUTOR, at, comment, ...detailsOf(step) };
    case 'fail':
      return { type: 'fail', by: step.by ?? EXECUTOR, at, comment, failure, ...detailsOf(step) };
    case 'retry':
      return { type: 'retry', by: step.by ?? EXECUTOR, at, comment, failure, ...detailsOf(step) };
    case 'timeOut':
    case 'undoFailed':
      return { type: step.type, by: step.by ?? EXECUTOR, at, comment, failure };
    case 'accept':
      return {
        type: 'accept',
        by: step.by ?? EXECUTOR,
        at,
        comment,
        reference: referenceOf(action, step),
        ...detailsOf(step),
      };
    case 'progress':
      return { type: 'progress', by: step.by ?? EXECUTOR, at, comment, details: step.details ?? { progress: 50 } };
    case 'reportDiscarded':
      return {
        type: 'reportDiscarded',
        by: step.by ?? EXECUTOR,
        at,
        comment,
        outcome: 'failed',
        reference: referenceOf(action, step),
        failure,
        ...detailsOf(step),
      };
    case 'requestUndo':
      return {
        type: 'requestUndo',
        by: step.by ?? DEFAULT_DECIDER,
        at,
        comment,
        undoActionId: asId<ActionId>(step.undoActionId ?? `${action.id}~undo${action.version + 1}`),
      };
    case 'addApproval': {
      // Approvals come from distinct principals (the engine refuses a second): the step's principal
      // when it has not approved yet, else one named after the count.
      const given = step.by?.type === 'principal' ? step.by.id : null;
      const id =
        given !== null && !(action.approvals ?? []).some((a) => a.by === given)
          ? given
          : asId<PrincipalId>(`approver${(action.approvals ?? []).length + 1}@contoso.com`);
      return { type: 'addApproval', by: { type: 'principal', id }, at, comment };
    }
    case 'addNote':
      // A note's text is its comment, never blank.
      return {
        type: 'addNote',
        by: step.by ?? DEFAULT_DECIDER,
        at,
        comment: comment !== null && comment.trim() !== '' ? comment : 'Note',
      };
    case 'setRevert':
      // Succeeded: when the revert is due; open: how long after success.
      return action.status === 'succeeded'
        ? {
            type: 'setRevert',
            by: step.by ?? DEFAULT_DECIDER,
            at,
            comment,
            revertAt: step.revert ?? Math.min(at + 60 * MINUTE, MAX_TIMESTAMP),
          }
        : { type: 'setRevert', by: step.by ?? DEFAULT_DECIDER, at, comment, revertAfterMs: step.revert ?? 60 * MINUTE };
    case 'retried':
      // A manual retry (issue 16): the new attempt's id (the step's `undoActionId` serves), or one derived.
      return {
        type: 'retried',
        by: step.by ?? DEFAULT_DECIDER,
        at,
        comment,
        retryActionId: asId<ActionId>(step.undoActionId ?? `${action.id}~retry${action.version + 1}`),
      };
    default:
      throw new Error(`Unknown lifecycle event "${String((step as { type: unknown }).type)}"`);
  }
}

/**
 * Builds an action's history from a parsed request: creates the record with `createActionRecord`
 * and applies each step with `transition`. Throws when a step is not accepted in the state it
 * meets (the message names the action, the state and the event): the steps are yours to fix.
 *
 * @example
 * ```ts
 * import { builtInCatalog, parseActionRequest, unwrap } from 'actioncenter';
 * import { buildActionHistory } from 'actioncenter/testing';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', source: 'automatedDeviceAction', verdict: 'suspicious',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G', path: 'C:\\x.exe' },
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * }));
 * const history = buildActionHistory(request, builtInCatalog.require('quarantineFile'),
 *   { id: 'act-1', createdAt: Date.UTC(2026, 0, 1), status: 'pending' },
 *   [{ type: 'approve' }, { type: 'start' }, { type: 'succeed' }, { type: 'requestUndo' }]);
 * history.action.status; // 'undoing'
 * history.events.length; // 5
 * ```
 */
export function buildActionHistory(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  start: HistoryStart,
  steps: readonly HistoryStepInput[],
): ActionHistory {
  const building = startHistory(request, actionType, start);
  for (const step of steps) applyStep(building, step);
  return finishHistory(building);
}

/**
 * For each status, how many steps it takes at least to reach `target` from it for actions of this
 * type (`Infinity` when it cannot), over the lifecycle table with the type's guards.
 */
export function distancesTo(target: ActionStatus, actionType: ActionTypeDefinition): ReadonlyMap<ActionStatus, number> {
  const distance = new Map<ActionStatus, number>(ACTION_STATUSES.map((s) => [s, Infinity]));
  distance.set(target, 0);
  // Bellman-Ford over a dozen states: simple and plenty fast.
  for (let round = 0; round < ACTION_STATUSES.length; round++) {
    let changed = false;
    for (const from of ACTION_STATUSES) {
      for (const event of LIFECYCLE_EVENT_TYPES) {
        // Not `retry`: whether it is taken depends on the attempts the action has left, so a walk
        // cannot count on it to reach a state.
        if (event === 'retry') continue;
        const edge = lifecycleEdge(from, event, actionType);
        if (!edge.accepted) continue;
        const through = (distance.get(edge.to) ?? Infinity) + 1;
        if (through < (distance.get(from) ?? Infinity)) {
          distance.set(from, through);
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return distance;
}
