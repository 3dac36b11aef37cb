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
import { ActionIdSchema } from '../catalog/ids.js';
import { AUDIT_EVENT_TYPES, ActorSchema, ActionFailureSchema, TimestampSchema } from '../catalog/records.js';
import { CommentSchema } from '../catalog/text.js';
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
  plainEvent('succeed'),
  failureEvent('fail'),
  failureEvent('timeOut'),
  // The engine creates the linked counterpart action and names it here.
  z.strictObject({ type: z.literal('requestUndo'), ...common, undoActionId: ActionIdSchema }),
  plainEvent('undoSucceeded'),
  failureEvent('undoFailed'),
]);

/**
 * One lifecycle event after parsing: who (`by`), when (`at`), an optional `comment`, and what the
 * event needs besides: `failure` on `fail`, `timeOut` and `undoFailed`, the counterpart's
 * `undoActionId` on `requestUndo`.
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
