/**
 * `report`: the outcome of dispatched work (the executor answered `accepted`) arrives later, from
 * any process, naming the action and the remote reference. A system entry point: no principal, the
 * audit actor is the executor component.
 *
 * - running, reference matching: the outcome is recorded (succeeded, failed; a partial result is a
 *   failure whose message says so), or `progress` details are merged while it runs on;
 * - past its deadline while still running: a success is recorded late, a failure is a time-out
 *   (as `run` would have recorded it), so the order of a report and a `run` tick does not matter;
 * - timed out: a success is recorded late (timedOut → succeeded), as `finish` does;
 * - the same outcome already recorded (or the same progress already on the record): a duplicate,
 *   nothing changes, no audit event;
 * - too late otherwise (cancelled, timed out, another outcome recorded): an audit event
 *   `reportDiscarded` keeps the report, the record is unchanged but for its version and audit head
 *   (the new event's hash); the same late report again is a duplicate.
 * Two reports on one action never both win: each commit expects the version it read; on a
 * conflict the report re-reads once and decides again.
 *
 * @module
 */
import * as z from 'zod';
import {
  ActionFailureSchema,
  ExecutionDetailsSchema,
  ExternalReferenceSchema,
  type ActionFailure,
  type ActionRecord,
  type AuditEvent,
  type ExecutionDetails,
} from '../../catalog/records.js';
import type {
  ClockInvalidError,
  InternalError,
  InvalidInputError,
  InvalidTransitionError,
  UnknownActionTypeError,
} from '../../errors.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import type { LifecycleEvent } from '../../rules/lifecycle.js';
import { readClock } from '../clock-reading.js';
import type { NotFoundError, NotRunningError, ReferenceMismatchError } from '../errors.js';
import type { RepositoryError } from '../ports.js';
import { commitPlans } from './commit.js';
import { EXECUTOR, readFields, safely, type EngineContext } from './context.js';
import { planEvent } from './plan.js';

/**
 * What the remote system reports: a final outcome (`succeeded`, `failed`, `partial`: some of the
 * work done, recorded as a failure) or `progress` (details only; the action runs on). Details are
 * flat scalars, at most 32 keys (`ExecutionDetailsSchema`); larger ones are refused, not cut.
 *
 * @example
 * ```ts
 * import type { ReportOutcome } from 'actioncenter';
 * const done: ReportOutcome = { status: 'succeeded', details: { machineActionStatus: 'Succeeded' } };
 * const going: ReportOutcome = { status: 'progress', details: { machineActionStatus: 'InProgress' } };
 * ```
 */
export type ReportOutcome =
  | { readonly status: 'succeeded'; readonly details?: ExecutionDetails }
  | { readonly status: 'failed'; readonly failure: ActionFailure; readonly details?: ExecutionDetails }
  | { readonly status: 'partial'; readonly failure: ActionFailure; readonly details?: ExecutionDetails }
  | { readonly status: 'progress'; readonly details: ExecutionDetails };

/**
 * Input of `center.report`: the action, the reference its executor answered `accepted` with, and
 * the outcome.
 *
 * @example
 * ```ts
 * import type { ReportInput } from 'actioncenter';
 * const input: ReportInput = { actionId: 'act-1', reference: 'machine-action-7f3c', outcome: { status: 'succeeded' } };
 * ```
 */
export interface ReportInput {
  /** The action the work belongs to. */
  readonly actionId: string;
  /** The remote system's id of the work: must be the action's `externalReference`. */
  readonly reference: string;
  /** What happened. */
  readonly outcome: ReportOutcome;
}

/**
 * What `center.report` did: `recorded` (the outcome or progress is on the record; `late` for a
 * success after the deadline), or not: `duplicate` (already recorded: nothing changed) or
 * `discarded` (too late: kept in the audit trail as `reportDiscarded`, the status unchanged).
 * `action` is the record as it is now.
 *
 * @example
 * ```ts
 * import type { ReportResult } from 'actioncenter';
 * const line = (r: ReportResult) => (r.recorded ? `now ${r.action.status}` : `not recorded: ${r.reason}`);
 * ```
 */
export type ReportResult =
  | { readonly recorded: true; readonly late: boolean; readonly action: ActionRecord }
  | { readonly recorded: false; readonly reason: 'duplicate' | 'discarded'; readonly action: ActionRecord };

/**
 * The errors of `center.report`. `notFound`, `notRunning` and `referenceMismatch` changed nothing;
 * `conflict` after a retry (others kept changing the action: report again); `unknownActionType`
 * when the action's type left the catalogue.
 *
 * @example
 * ```ts
 * import type { ReportError } from 'actioncenter';
 * const retry = (e: ReportError) => e.code === 'conflict' || e.code === 'repositoryUnavailable';
 * ```
 */
export type ReportError =
  | InvalidInputError
  | NotFoundError
  | NotRunningError
  | ReferenceMismatchError
  | InvalidTransitionError
  | UnknownActionTypeError
  | RepositoryError
  | ClockInvalidError
  | InternalError;

// Failure codes take no line breaks nor format characters (the record's own schema is looser).
const FailureSchema = ActionFailureSchema.extend({
  code: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[^\p{Cc}\p{Cf}\p{Cs}]+$/u, 'must not contain control or format characters'),
  message: z
    .string()
    .max(2000)
    .regex(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}]*$/u, 'must not contain control characters'),
}).strict();

const ReportSchema = z.strictObject({
  actionId: z.string().min(1).max(200),
  reference: ExternalReferenceSchema,
  outcome: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('succeeded'), details: ExecutionDetailsSchema.optional() }),
    z.strictObject({ status: z.literal('failed'), failure: FailureSchema, details: ExecutionDetailsSchema.optional() }),
    z.strictObject({
      status: z.literal('partial'),
      failure: FailureSchema,
      details: ExecutionDetailsSchema.optional(),
    }),
    z.strictObject({ status: z.literal('progress'), details: ExecutionDetailsSchema }),
  ]),
});
type Report = z.output<typeof ReportSchema>;

/** The statuses in which the action's own outcome was a success (an undo came after). */
const SUCCEEDED = new Set(['succeeded', 'undoing', 'undone', 'undoFailed']);

/** What a report does to the action as read. */
type Decision =
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'discard' }
  | {
      readonly kind: 'record';
      readonly event: LifecycleEvent;
      readonly late: boolean;
      readonly audit?: Readonly<Record<string, unknown>>;
    };

/** The `report` operation. */
export async function report(ctx: EngineContext, input: unknown): Promise<Result<ReportResult, ReportError>> {
  const fields = readFields(input, ['actionId', 'reference', 'outcome'], 'report input');
  if (!fields.ok) return fields;
  const parsed = safeParseInput(ReportSchema, fields.value, 'report input');
  if (!parsed.ok) return parsed;
  const r = parsed.value;
  const now = readClock(ctx.clock);
  if (!now.ok) return now;
  // One retry: a conflict means someone else changed the action; read it again and decide again.
  for (let attempt = 0; ; attempt++) {
    const read = await safely(() => ctx.repository.get(r.actionId));
    if (!read.ok) return read;
    const action = read.value;
    if (action === null) return err({ code: 'notFound', message: `No action "${r.actionId}"`, actionId: r.actionId });
    if (action.startedAt === null)
      return err({
        code: 'notRunning',
        message: `Action "${action.id}" never started (it is ${action.status}): there is nothing to report on`,
        actionId: action.id,
        status: action.status,
      });
    if (action.externalReference !== r.reference)
      return err({
        code: 'referenceMismatch',
        message: `Action "${action.id}" was not dispatched as this reference`,
        actionId: action.id,
      });
    let decision = decide(action, r, now.value);
    if (decision.kind === 'discard' && (await alreadyDiscarded(ctx, action, r))) decision = { kind: 'duplicate' };
    if (decision.kind === 'duplicate') return ok({ recorded: false, reason: 'duplicate', action });
    const event: LifecycleEvent = decision.kind === 'record' ? decision.event : discardEvent(r, now.value);
    const audit = decision.kind === 'record' ? decision.audit : undefined;
    const step = await planEvent(ctx, action, event, audit === undefined ? {} : { details: audit });
    if (!step.ok) return step;
    const committed = await commitPlans(ctx, [step.value]);
    if (committed.ok) {
      const after = step.value.result;
      return ok(
        decision.kind === 'record'
          ? { recorded: true, late: decision.late, action: after }
          : { recorded: false, reason: 'discarded', action: after },
      );
    }
    if (committed.error.code !== 'conflict' || attempt >= 1) return committed;
  }
}

/** The rules above, for the action as read (started, reference matching). */
function decide(action: ActionRecord, r: Report, now: number): Decision {
  const outcome = r.outcome;
  const at = now;
  if (action.status === 'running') {
    if (outcome.status === 'progress')
      return sameDetails(action.executionDetails, outcome.details)
        ? { kind: 'duplicate' }
        : {
            kind: 'record',
            late: false,
            event: { type: 'progress', by: EXECUTOR, at, comment: null, details: outcome.details },
          };
    const overdue = action.deadlineAt !== null && now > action.deadlineAt;
    if (outcome.status === 'succeeded') return succeed(action, outcome.details, at, overdue);
    const failure = failureOf(outcome);
    if (overdue) {
      // As `run` would have recorded it had its tick come first: the device's answer in the audit.
      const reported: Record<string, unknown> = { outcome: outcome.status, failure };
      if (outcome.details !== undefined) reported['details'] = outcome.details;
      return {
        kind: 'record',
        late: false,
        event: {
          type: 'timeOut',
          by: EXECUTOR,
          at,
          comment: null,
          failure: { code: 'deadlineExceeded', message: 'The deadline passed before the outcome was reported' },
        },
        audit: { reported },
      };
    }
    const event: LifecycleEvent = { type: 'fail', by: EXECUTOR, at, comment: null, failure };
    return {
      kind: 'record',
      late: false,
      event: outcome.details === undefined ? event : { ...event, details: outcome.details },
    };
  }
  if (action.status === 'timedOut' && outcome.status === 'succeeded') return succeed(action, outcome.details, at, true);
  if (SUCCEEDED.has(action.status) && outcome.status === 'succeeded') return { kind: 'duplicate' };
  if (action.status === 'failed' && (outcome.status === 'failed' || outcome.status === 'partial')) {
    const failure = failureOf(outcome);
    if (action.failure?.code === failure.code && action.failure.message === failure.message)
      return { kind: 'duplicate' };
  }
  return { kind: 'discard' };
}

function succeed(action: ActionRecord, details: ExecutionDetails | undefined, at: number, late: boolean): Decision {
  const event: LifecycleEvent = { type: 'succeed', by: EXECUTOR, at, comment: null };
  return {
    kind: 'record',
    late,
    event: details === undefined ? event : { ...event, details },
    // The late mark `finish` gives a success after the deadline.
    ...(late
      ? { audit: { late: true, ...(action.deadlineAt === null ? {} : { deadlineAt: action.deadlineAt }) } }
      : {}),
  };
}

/** The failure as recorded: a partial result is a failure whose message says so (as for an executor's). */
function failureOf(outcome: Report['outcome'] & { failure: ActionFailure }): ActionFailure {
  return outcome.status === 'partial'
    ? { code: outcome.failure.code, message: `Partial: ${outcome.failure.message}`.slice(0, 2000) }
    : { code: outcome.failure.code, message: outcome.failure.message };
}

function discardEvent(r: Report, at: number): LifecycleEvent {
  const outcome = r.outcome;
  const event: LifecycleEvent = {
    type: 'reportDiscarded',
    by: EXECUTOR,
    at,
    comment: null,
    outcome: outcome.status,
    reference: r.reference,
    failure: outcome.status === 'failed' || outcome.status === 'partial' ? failureOf(outcome) : null,
  };
  return outcome.details === undefined ? event : { ...event, details: outcome.details };
}

/** Every reported detail already on the record with the same value. */
function sameDetails(current: ExecutionDetails | null, reported: ExecutionDetails): boolean {
  if (current === null) return false;
  return Object.keys(reported).every((k) => Object.hasOwn(current, k) && Object.is(current[k], reported[k]));
}

/**
 * Whether the trail already keeps this very report as discarded (or as the time-out it caused):
 * the same late report twice adds one audit event, not two. A store that cannot answer: not.
 */
async function alreadyDiscarded(ctx: EngineContext, action: ActionRecord, r: Report): Promise<boolean> {
  const trail = await safely(() => ctx.repository.auditTrail(action.id));
  if (!trail.ok) return false;
  const wanted = fingerprint({
    outcome: r.outcome.status,
    failure: r.outcome.status === 'failed' || r.outcome.status === 'partial' ? failureOf(r.outcome) : null,
    details: r.outcome.details ?? null,
  });
  return trail.value.some((e) => fingerprintOf(e) === wanted);
}

function fingerprintOf(event: AuditEvent): string | null {
  const d = event.details;
  if (event.type === 'reportDiscarded')
    return fingerprint({ outcome: d['outcome'], failure: d['failure'] ?? null, details: d['executorDetails'] ?? null });
  const reported = d['reported'];
  if (event.type === 'timeOut' && typeof reported === 'object' && reported !== null) {
    const p = reported as Record<string, unknown>;
    return fingerprint({ outcome: p['outcome'], failure: p['failure'] ?? null, details: p['details'] ?? null });
  }
  return null;
}

/** JSON with object keys sorted: the same report gives the same text whatever its key order. */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
