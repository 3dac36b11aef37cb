/**
 * The events of the action lifecycle, as data: their names, their payloads and the zod schema that
 * checks them when they come from outside.
 *
 * Every event says who (`by`), when (`at`, epoch milliseconds) and, optionally, why (`comment`).
 * Time comes in with the event: the lifecycle never reads a clock.
 *
 * @module
 */
import * as z from 'zod';
import { ActionIdSchema, PrincipalIdSchema } from '../catalog/ids.js';
import {
  AUDIT_EVENT_TYPES,
  ActorSchema,
  ActionFailureSchema,
  ExecutionDetailsSchema,
  ExternalReferenceSchema,
  TimestampSchema,
} from '../catalog/records.js';
import { CommentSchema, NoteTextSchema } from '../catalog/text.js';
import type { InvalidInputError } from '../errors.js';
import { safeParseInput, type Result } from '../result.js';

/**
 * Every event of the action lifecycle (DESIGN.md, Lifecycle), in the order an action meets them.
 *
 * @example
 * ```ts
 * import { LIFECYCLE_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * LIFECYCLE_EVENT_TYPES.includes('requestUndo'); // true
 * ```
 */
// The audit event types are `created` followed by these (catalog/records.ts holds the one list:
// the catalog may not import the rules).
export const LIFECYCLE_EVENT_TYPES = Object.freeze(AUDIT_EVENT_TYPES.slice(1)) as unknown as Tail<
  typeof AUDIT_EVENT_TYPES
>;

type Tail<T extends readonly unknown[]> = T extends readonly [unknown, ...infer Rest] ? Readonly<Rest> : never;

/**
 * One of {@link LIFECYCLE_EVENT_TYPES}.
 *
 * @example
 * ```ts
 * import type { LifecycleEventType } from 'actioncenter/adapter-kit';
 * const e: LifecycleEventType = 'approve';
 * ```
 */
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

/**
 * Schema of a {@link LifecycleEventType}.
 *
 * @example
 * ```ts
 * import { LifecycleEventTypeSchema } from 'actioncenter/adapter-kit';
 * LifecycleEventTypeSchema.safeParse('approve').success; // true
 * ```
 */
export const LifecycleEventTypeSchema = z.enum(LIFECYCLE_EVENT_TYPES);

/**
 * The events that decide what happens to the action itself: its approval, its execution and their
 * outcomes. A final state accepts none of them (only the undo events go on after a final state),
 * but for a late success: `timedOut` accepts `succeed` when the executor reports it after the deadline.
 *
 * @example
 * ```ts
 * import { DECISION_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * const decisions: readonly string[] = DECISION_EVENT_TYPES;
 * decisions.includes('approve'); // true
 * decisions.includes('requestUndo'); // false
 * ```
 */
export const DECISION_EVENT_TYPES = Object.freeze([
  'approve',
  'reject',
  'expire',
  'cancel',
  'start',
  'succeed',
  'fail',
  'timeOut',
] as const satisfies readonly LifecycleEventType[]);

/**
 * The events of an undo: its request and its two outcomes. Undo is not a decision about the
 * action, so `succeeded` (and a failed undo, `undoFailed`) still accept `requestUndo`.
 *
 * @example
 * ```ts
 * import { UNDO_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * UNDO_EVENT_TYPES; // ['requestUndo', 'undoSucceeded', 'undoFailed']
 * ```
 */
export const UNDO_EVENT_TYPES = Object.freeze([
  'requestUndo',
  'undoSucceeded',
  'undoFailed',
] as const satisfies readonly LifecycleEventType[]);

/**
 * The event of a retry (issue 15): `retry` takes a running action whose executor answered with a
 * transient failure back to `approved`, to be started again after a backoff, while its type's retry
 * policy has attempts left. Like the report events, it decides nothing final.
 *
 * @example
 * ```ts
 * import { RETRY_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * RETRY_EVENT_TYPES; // ['retry']
 * ```
 */
export const RETRY_EVENT_TYPES = Object.freeze(['retry'] as const satisfies readonly LifecycleEventType[]);

/**
 * The event of a manual retry (issue 16, `center.retry`): `retried` records on a failed or timed-out
 * action that a new attempt was created (its id: `retryActionId`). Audit-only: the status is unchanged.
 *
 * @example
 * ```ts
 * import { MANUAL_RETRY_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * MANUAL_RETRY_EVENT_TYPES; // ['retried']
 * ```
 */
export const MANUAL_RETRY_EVENT_TYPES = Object.freeze(['retried'] as const satisfies readonly LifecycleEventType[]);

/**
 * The events of dispatch and report (issue 15): `accept` (the executor dispatched the work; the
 * remote reference is recorded), `progress` (a report's details while it runs) and
 * `reportDiscarded` (a report that came too late, kept in the audit trail, the status unchanged).
 * None decides anything: `accept` and `progress` keep an action running, and `reportDiscarded` is
 * taken by every state an action that ran can be in once it ended.
 *
 * @example
 * ```ts
 * import { REPORT_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * REPORT_EVENT_TYPES; // ['accept', 'progress', 'reportDiscarded']
 * ```
 */
export const REPORT_EVENT_TYPES = Object.freeze([
  'accept',
  'progress',
  'reportDiscarded',
] as const satisfies readonly LifecycleEventType[]);

/**
 * The audit-only events of issue 16 that a person (or the `autoRevert` timer's owner) adds without
 * deciding anything: `addNote` (a note; its text is the event's comment) and `setRevert` (the
 * revert time of a time-limited action set or cleared). Every state keeps its status on them.
 *
 * @example
 * ```ts
 * import { NOTE_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * NOTE_EVENT_TYPES; // ['addNote', 'setRevert']
 * ```
 */
export const NOTE_EVENT_TYPES = Object.freeze([
  'addNote',
  'setRevert',
] as const satisfies readonly LifecycleEventType[]);

/**
 * The event of N-of-M approvals (issue 16): `addApproval` records one approval of a pending action
 * that needs more than one (the action's `requiredApprovals`) while it is still short of them; the
 * approval that reaches the number is `approve`. The status is unchanged.
 *
 * @example
 * ```ts
 * import { APPROVAL_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * APPROVAL_EVENT_TYPES; // ['addApproval']
 * ```
 */
export const APPROVAL_EVENT_TYPES = Object.freeze(['addApproval'] as const satisfies readonly LifecycleEventType[]);

/**
 * The event of approval deadlines (issue 16): `escalate` records, once, that a pending action was
 * not decided within its deadline (system actor `escalation`) and who may approve since
 * (`escalatedTo`). The status is unchanged.
 *
 * @example
 * ```ts
 * import { ESCALATION_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * ESCALATION_EVENT_TYPES; // ['escalate']
 * ```
 */
export const ESCALATION_EVENT_TYPES = Object.freeze(['escalate'] as const satisfies readonly LifecycleEventType[]);

// Who, when and why: carried by every event.
const common = {
  by: ActorSchema,
  at: TimestampSchema,
  comment: CommentSchema.nullable().default(null),
};

const plainEvent = <T extends LifecycleEventType>(type: T) => z.strictObject({ type: z.literal(type), ...common });
const failureEvent = <T extends LifecycleEventType>(type: T) =>
  z.strictObject({ type: z.literal(type), ...common, failure: ActionFailureSchema });

/**
 * Schema of a {@link LifecycleEvent}, discriminated on `type`. Unknown keys are refused: a `start`
 * event cannot smuggle in its own `deadlineAt` (the lifecycle computes it from the action type).
 *
 * @example
 * ```ts
 * import { LifecycleEventSchema } from 'actioncenter/adapter-kit';
 * LifecycleEventSchema.safeParse({ type: 'approve', by: { type: 'principal', id: 'alice@contoso.com' }, at: 0 }).success; // true
 * ```
 */
export const LifecycleEventSchema = z.discriminatedUnion('type', [
  plainEvent('approve'),
  plainEvent('reject'),
  plainEvent('expire'),
  plainEvent('cancel'),
  // The deadline is not in the event: it is `at` + the action type's `deadlineMs`.
  plainEvent('start'),
  // `details`: what the executor (or a report) said about the work, merged onto the record.
  z.strictObject({ type: z.literal('succeed'), ...common, details: ExecutionDetailsSchema.optional() }),
  z.strictObject({
    type: z.literal('fail'),
    ...common,
    failure: ActionFailureSchema,
    details: ExecutionDetailsSchema.optional(),
  }),
  failureEvent('timeOut'),
  // The engine creates the linked counterpart action and names it here.
  z.strictObject({ type: z.literal('requestUndo'), ...common, undoActionId: ActionIdSchema }),
  plainEvent('undoSucceeded'),
  failureEvent('undoFailed'),
  // The executor dispatched the work: the remote system's reference is recorded, the action runs on.
  z.strictObject({
    type: z.literal('accept'),
    ...common,
    reference: ExternalReferenceSchema,
    details: ExecutionDetailsSchema.optional(),
  }),
  // A report of progress from the remote system: details only, the action runs on.
  z.strictObject({ type: z.literal('progress'), ...common, details: ExecutionDetailsSchema }),
  // A transient failure with attempts left (the type's retry policy): approved again, started
  // no earlier than the backoff the lifecycle computes (`retryAt`); the failure is kept.
  z.strictObject({
    type: z.literal('retry'),
    ...common,
    failure: ActionFailureSchema,
    details: ExecutionDetailsSchema.optional(),
  }),
  // A note (issue 16): its text is the comment, required; the status is unchanged.
  z.strictObject({ type: z.literal('addNote'), by: ActorSchema, at: TimestampSchema, comment: NoteTextSchema }),
  // The revert of a time-limited action (issue 16) set or cleared: `revertAt` on a succeeded
  // action, `revertAfterMs` on an open one (whichever is given is set; null clears it).
  z.strictObject({
    type: z.literal('setRevert'),
    ...common,
    revertAt: TimestampSchema.nullable().optional(),
    revertAfterMs: z.number().int().positive().nullable().optional(),
  }),
  // The approval deadline passed (issue 16): the pending action escalates, once, to these principals
  // (the matching requirement rules' `escalateTo`, possibly none); the status is unchanged.
  z.strictObject({ type: z.literal('escalate'), ...common, escalatedTo: z.array(PrincipalIdSchema).max(50) }),
  // One approval of several (issue 16), by a principal (only people approve); the status is unchanged.
  z.strictObject({
    type: z.literal('addApproval'),
    ...common,
    by: z.object({ type: z.literal('principal'), id: PrincipalIdSchema }),
  }),
  // Retried by hand (issue 16): the failed or timed-out action names its retry; the status is unchanged.
  z.strictObject({ type: z.literal('retried'), ...common, retryActionId: ActionIdSchema }),
  // A report that came too late (the action was cancelled, timed out or ended otherwise): kept in
  // the audit trail, the action unchanged but for its version.
  z.strictObject({
    type: z.literal('reportDiscarded'),
    ...common,
    outcome: z.enum(['succeeded', 'failed', 'partial', 'progress']),
    reference: ExternalReferenceSchema,
    failure: ActionFailureSchema.nullable(),
    details: ExecutionDetailsSchema.optional(),
  }),
]);

/**
 * One lifecycle event after parsing: who (`by`), when (`at`), an optional `comment`, and what the
 * event needs besides: `failure` on `fail`, `timeOut` and `undoFailed`, the counterpart's
 * `undoActionId` on `requestUndo`, the remote `reference` on `accept`, execution `details` on
 * `progress` (optional on `succeed`, `fail`, `accept` and `retry`), the late report on
 * `reportDiscarded`, and the transient `failure` on `retry`.
 *
 * @example
 * ```ts
 * import type { LifecycleEvent } from 'actioncenter';
 * const expire: LifecycleEvent = { type: 'expire', by: { type: 'system', component: 'expiry' }, at: Date.UTC(2026, 0, 8), comment: null };
 * ```
 */
export type LifecycleEvent = z.output<typeof LifecycleEventSchema>;

/**
 * A lifecycle event as accepted on input (`comment` may be left out).
 *
 * @example
 * ```ts
 * import type { LifecycleEventInput } from 'actioncenter/adapter-kit';
 * const e: LifecycleEventInput = { type: 'reject', by: { type: 'principal', id: 'bob@contoso.com' }, at: 0 };
 * ```
 */
export type LifecycleEventInput = z.input<typeof LifecycleEventSchema>;

/**
 * The event of one type, e.g. `LifecycleEventOf<'fail'>` carries a `failure`.
 *
 * @example
 * ```ts
 * import type { LifecycleEventOf } from 'actioncenter/adapter-kit';
 * const failed = (e: LifecycleEventOf<'fail'>) => e.failure.code;
 * ```
 */
export type LifecycleEventOf<T extends LifecycleEventType> = Extract<LifecycleEvent, { readonly type: T }>;

/**
 * Validates a lifecycle event that comes from outside (an API call, a queue, a test script).
 * {@link actioncenter!transition} itself trusts its types: parse first.
 *
 * @example
 * ```ts
 * import { parseLifecycleEvent } from 'actioncenter/adapter-kit';
 * const r = parseLifecycleEvent({ type: 'fail', by: { type: 'system', component: 'executor' }, at: 0 });
 * if (!r.ok) console.log(r.error.issues[0]?.path); // ['failure']
 * ```
 */
export function parseLifecycleEvent(input: unknown): Result<LifecycleEvent, InvalidInputError> {
  return safeParseInput(LifecycleEventSchema, input, 'lifecycle event');
}
