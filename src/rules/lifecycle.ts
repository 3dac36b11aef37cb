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
 * - dispatch and report: `running` → accept / progress → `running` (the remote reference, details);
 *   a report that comes too late is `reportDiscarded`, taken by every state a started action can
 *   end in (succeeded, failed, timedOut, cancelled, undoing, undone, undoFailed), status unchanged;
 * - retries (issue 15): `running` → retry → `approved` (a transient failure, only while the type's
 *   retry policy has attempts left: guard `retryable`), `retryAt` the earliest next start;
 * - every other state accepts nothing.
 *
 * The table lives in `lifecycle-table.ts`, the events in `lifecycle-events.ts`, the effects in
 * `lifecycle-effects.ts`; creation in `lifecycle-create.ts`. `transition` is three steps, each of
 * its own: the record step (`transitionRecord`, `lifecycle-record.ts`), and the effects and audit
 * draft derived from the two records and the event (`transitionEffects`, `transitionAudit`,
 * `lifecycle-derive.ts`). This module holds `transition`, and re-exports the rest.
 *
 * @module
 */
import type { ActionRecord, Timestamp } from '../catalog/records.js';
import type { InvalidTransitionError } from '../errors.js';
import type { Result } from '../result.js';
import type { AuditDraft } from './lifecycle-create.js';
import { transitionAudit, transitionEffects } from './lifecycle-derive.js';
import type { LifecycleEffect } from './lifecycle-effects.js';
import type { LifecycleEvent } from './lifecycle-events.js';
import { transitionRecord, type TransitionContext } from './lifecycle-record.js';

export {
  LIFECYCLE_EVENT_TYPES,
  LifecycleEventTypeSchema,
  DECISION_EVENT_TYPES,
  UNDO_EVENT_TYPES,
  REPORT_EVENT_TYPES,
  RETRY_EVENT_TYPES,
  NOTE_EVENT_TYPES,
  APPROVAL_EVENT_TYPES,
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
  attemptsOf,
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
export { transitionRecord, type TransitionContext } from './lifecycle-record.js';
export { canRetry, retryAtOf, retryDelayMs } from './lifecycle-retry.js';
export { transitionAudit, transitionEffects } from './lifecycle-derive.js';

// ---- transition --------------------------------------------------------------------------------

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
 *   `expiresAt`; `start` sets `startedAt` and `deadlineAt` (= `at` + the type's `deadlineMs`),
 *   counts the `attempt` and clears an earlier attempt's failure; `retry` sets `failure`, clears
 *   `deadlineAt` and sets `retryAt` (the backoff, {@link "actioncenter/adapter-kit"!retryDelayMs});
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
 * The three parts are steps of their own: {@link transitionRecord} (the record, or the same error),
 * then {@link transitionEffects} and {@link transitionAudit} from the two records and the event.
 * A caller that needs only the next record (the engine, per action of a bulk operation) takes the
 * record step alone.
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
  // The record step, then what follows from it: the engine takes the same parts one by one.
  const step = transitionRecord(action, event, context);
  if (!step.ok) return step;
  const next = step.value;
  return {
    ok: true,
    value: {
      action: next,
      effects: transitionEffects(action, next, event),
      audit: transitionAudit(action, next, event),
    },
  };
}

/**
 * Is the action past its expiry? A pending action at or after its `expiresAt`, or (issue 16) an
 * approved one never started (attempt 0, no retry waiting) at or after its unstarted expiry. The
 * engine's expiry sweep sends such actions an `expire` event, by `{ type: 'system', component:
 * 'expiry' }` by convention.
 *
 * @example
 * ```ts
 * import { isExpired } from 'actioncenter/adapter-kit';
 * const action = { status: 'pending', expiresAt: Date.UTC(2026, 0, 8) } as const; // or a whole ActionRecord
 * isExpired(action, Date.UTC(2026, 0, 8)); // true
 * isExpired(action, Date.UTC(2026, 0, 7)); // false
 * isExpired({ status: 'approved', expiresAt: Date.UTC(2026, 0, 8), attempt: 1 }, Date.UTC(2026, 0, 9)); // false (started once)
 * ```
 */
export function isExpired(
  action: Pick<ActionRecord, 'status' | 'expiresAt'> & {
    readonly attempt?: number;
    readonly startedAt?: number | null;
    readonly retryAt?: number | null;
  },
  now: Timestamp,
): boolean {
  if (action.expiresAt === null || now < action.expiresAt) return false;
  if (action.status === 'pending') return true;
  // Approved: only one never started expires (a retry-waiting one keeps waiting for its backoff).
  return (
    action.status === 'approved' &&
    (action.attempt ?? 0) === 0 &&
    (action.startedAt ?? null) === null &&
    (action.retryAt ?? null) === null
  );
}
