/**
 * The core records: who acts, what is requested, the stored action and its audit events.
 *
 * Records keep every field present (`null` when absent) so that they have one shape: easy to store,
 * to diff and to read in a debugger, and fast for the engine to copy.
 *
 * @module
 */
import * as z from 'zod';
import { CommentSchema, NoteTextSchema } from './text.js';
import {
  ActionIdSchema,
  AlertIdSchema,
  ApprovalIdSchema,
  AuditEventIdSchema,
  IncidentIdSchema,
  InvestigationIdSchema,
  PrincipalIdSchema,
} from './ids.js';
import { ActionSourceIdSchema } from './sources.js';
import { TargetSchema, WorkloadSchema } from './targets.js';
import { toPlainJson } from './json.js';

// An audit event's hash (and a record's audit head): a SHA-256 digest as 64 lowercase hex digits.
const AuditHashSchema = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Every state of the action lifecycle (DESIGN.md, Lifecycle).
 *
 * @example
 * ```ts
 * import { ACTION_STATUSES } from 'actioncenter';
 * ACTION_STATUSES.includes('undoFailed'); // true
 * ```
 */
export const ACTION_STATUSES = [
  'pending',
  'approved',
  'running',
  'succeeded',
  'failed',
  'timedOut',
  'rejected',
  'expired',
  'cancelled',
  'undoing',
  'undone',
  'undoFailed',
] as const;

/**
 * Schema of an {@link ActionStatus}.
 *
 * @example
 * ```ts
 * import { ActionStatusSchema } from 'actioncenter/adapter-kit';
 * ActionStatusSchema.parse('pending');
 * ```
 */
export const ActionStatusSchema = z.enum(ACTION_STATUSES);
/**
 * One of {@link ACTION_STATUSES}.
 *
 * @example
 * ```ts
 * import type { ActionStatus } from 'actioncenter';
 * const s: ActionStatus = 'succeeded';
 * ```
 */
export type ActionStatus = z.infer<typeof ActionStatusSchema>;

/**
 * The verdict an automated investigation reached on the entity (drives the approval policy).
 *
 * @example
 * ```ts
 * import { VerdictSchema } from 'actioncenter/adapter-kit';
 * VerdictSchema.parse('malicious');
 * ```
 */
export const VerdictSchema = z.enum(['malicious', 'suspicious']);
/**
 * `malicious` or `suspicious`.
 *
 * @example
 * ```ts
 * import type { Verdict } from 'actioncenter/adapter-kit';
 * const v: Verdict = 'suspicious';
 * ```
 */
export type Verdict = z.infer<typeof VerdictSchema>;

/**
 * Schema of an {@link Actor}.
 *
 * @example
 * ```ts
 * import { ActorSchema } from 'actioncenter/adapter-kit';
 * ActorSchema.parse({ type: 'principal', id: 'alice@contoso.com' });
 * ```
 */
export const ActorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('principal'), id: PrincipalIdSchema }),
  z.object({ type: z.literal('system'), component: z.string().min(1).max(100) }),
]);
/**
 * Who did something: a principal, or the system (an automated investigation, the expiry sweep, the
 * executor).
 *
 * @example
 * ```ts
 * import type { Actor } from 'actioncenter';
 * const automation: Actor = { type: 'system', component: 'automatedInvestigation' };
 * ```
 */
export type Actor = z.infer<typeof ActorSchema>;

/**
 * Milliseconds since the Unix epoch. Time always comes in from outside (a `Clock` port or an
 * argument); the core never reads the clock.
 *
 * @example
 * ```ts
 * import { TimestampSchema } from 'actioncenter/adapter-kit';
 * TimestampSchema.parse(Date.UTC(2026, 0, 1));
 * ```
 */
export const TimestampSchema = z.number().int().nonnegative().max(8.64e15);
/**
 * Milliseconds since the Unix epoch.
 *
 * @example
 * ```ts
 * import type { Timestamp } from 'actioncenter/adapter-kit';
 * const t: Timestamp = Date.UTC(2026, 0, 1);
 * ```
 */
export type Timestamp = number;

/**
 * Schema of a plain JSON object (see {@link toPlainJson}): no prototype-pollution keys
 * (`__proto__`, `constructor`, `prototype`) at any depth, no functions, symbols, BigInts, Dates,
 * class instances, getters or cycles, at most 32 deep and 64 KiB of JSON text. Its output is a plain
 * copy, read once. Action parameters pass through it before the action type's own schema, and audit
 * details through it when read back.
 *
 * @example
 * ```ts
 * import { SafeObjectSchema } from 'actioncenter/adapter-kit';
 * SafeObjectSchema.safeParse(JSON.parse('{"__proto__": {"admin": true}}')).success; // false
 * SafeObjectSchema.safeParse({ at: new Date(0) }).success; // false
 * ```
 */
export const SafeObjectSchema = z
  .unknown()
  // Copied before the record schema reads it: the record schema would turn an own `__proto__` key
  // into the copy's prototype, and recurse into whatever depth it is given.
  .transform((value, ctx) => {
    const plain = toPlainJson(value);
    if (plain.ok) return plain.value;
    ctx.addIssue({
      code: 'custom',
      path: [...plain.error.path],
      message: plain.error.message,
      params: { reason: plain.error.code },
    });
    return z.NEVER;
  })
  .pipe(z.record(z.string(), z.unknown()));

/**
 * Schema of an {@link ActionRequest}: what a caller submits. The parameters are checked against the
 * action type's own schema by the catalogue.
 *
 * @example
 * ```ts
 * import { ActionRequestSchema } from 'actioncenter/adapter-kit';
 * ActionRequestSchema.safeParse({
 *   actionType: 'isolateDevice',
 *   target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
 *   parameters: { isolationType: 'full' },
 *   source: 'manualDeviceAction',
 *   requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }).success; // true
 * ```
 */
export const ActionRequestSchema = z.strictObject({
  actionType: z.string().min(1).max(100),
  target: TargetSchema,
  parameters: SafeObjectSchema.default({}),
  source: ActionSourceIdSchema,
  requestedBy: ActorSchema,
  investigationId: InvestigationIdSchema.nullable().default(null),
  // Optional rather than defaulted, so that requests built in code before they existed still type-check.
  /** The incident the action was taken from or while reviewing (seed 001). */
  incidentId: IncidentIdSchema.nullish(),
  /** The alert the action was taken from or while investigating (seed 001). */
  alertId: AlertIdSchema.nullish(),
  verdict: VerdictSchema.nullable().default(null),
  comment: CommentSchema.nullable().default(null),
  /** A principal may propose instead of acting: the action starts pending for someone else. */
  propose: z.boolean().default(false),
  /** A repeated submit with the same key returns the first result. */
  idempotencyKey: z.string().min(1).max(200).nullable().default(null),
  /**
   * Time-limited action (issue 16): once it succeeds, the center requests its undo this long after
   * (at least a minute, at most 366 days); only for types with an undo counterpart.
   */
  revertAfterMs: z
    .number()
    .int()
    .min(60_000)
    .max(366 * 24 * 3_600_000)
    .nullish(),
});
/**
 * A request to take an action, after parsing.
 *
 * @example
 * ```ts
 * import type { ActionRequest } from 'actioncenter';
 * function describe(r: ActionRequest) { return `${r.actionType} from ${r.source}`; }
 * ```
 */
export type ActionRequest = z.infer<typeof ActionRequestSchema>;
/**
 * A request to take an action, as accepted on input (defaults may be left out). This is the wide
 * type, for code that handles requests of any catalogue: `actionType` is any string and `parameters`
 * anything. Where requests are written in code, use {@link CatalogRequestInput} (or
 * {@link BuiltInRequestInput}), which makes an unknown type or parameters that do not fit compile errors.
 *
 * @example
 * ```ts
 * import type { ActionRequestInput } from 'actioncenter';
 * const r: ActionRequestInput = {
 *   actionType: 'blockUrl', target: { kind: 'url', url: 'https://evil.example/' },
 *   parameters: { url: 'https://evil.example/' }, source: 'automatedEmailAction',
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * };
 * ```
 */
export type ActionRequestInput = z.input<typeof ActionRequestSchema>;

/**
 * Schema of an execution failure: a machine-readable code and a message.
 *
 * @example
 * ```ts
 * import { ActionFailureSchema } from 'actioncenter/adapter-kit';
 * ActionFailureSchema.parse({ code: 'deviceOffline', message: 'The device did not respond' });
 * ```
 */
export const ActionFailureSchema = z.object({ code: z.string().min(1).max(100), message: z.string().max(2000) });
/**
 * Why an action failed, timed out or could not be undone.
 *
 * @example
 * ```ts
 * import type { ActionFailure } from 'actioncenter';
 * const f: ActionFailure = { code: 'timeout', message: 'Deadline passed' };
 * ```
 */
export type ActionFailure = z.infer<typeof ActionFailureSchema>;

/** Control characters but tab and line breaks (the comment rule), and lone surrogates (no UTF-8 form). */
const DETAIL_TEXT = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Cs}]*$/u;
/** Keys: no control, format or surrogate characters, and none of the prototype names. */
const DETAIL_KEY = /^[^\p{Cc}\p{Cf}\p{Cs}]+$/u;
const FORBIDDEN_DETAIL_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The most keys {@link ExecutionDetailsSchema} takes (and a record keeps), and the longest key and text value.
 *
 * @example
 * ```ts
 * import { EXECUTION_DETAILS_LIMITS } from 'actioncenter/adapter-kit';
 * EXECUTION_DETAILS_LIMITS.maxKeys; // 32
 * ```
 */
export const EXECUTION_DETAILS_LIMITS = Object.freeze({ maxKeys: 32, maxKeyLength: 100, maxTextLength: 500 });

/**
 * Schema of {@link ExecutionDetails}: at most 32 keys (1-100 printable characters, no prototype
 * names), each a JSON scalar: text of at most 500 characters (no control characters but tab and
 * line breaks), a finite number, a boolean or null. What an executor or a report says about the
 * work, kept on the record.
 *
 * @example
 * ```ts
 * import { ExecutionDetailsSchema } from 'actioncenter/adapter-kit';
 * ExecutionDetailsSchema.safeParse({ machineActionStatus: 'InProgress', progress: 40 }).success; // true
 * ExecutionDetailsSchema.safeParse({ nested: { no: 1 } }).success; // false
 * ```
 */
export const ExecutionDetailsSchema = z
  .unknown()
  // An own `__proto__` key (JSON.parse makes one) would be dropped by the record schema, not refused.
  .refine(
    (value) =>
      typeof value !== 'object' || value === null || !Object.keys(value).some((k) => FORBIDDEN_DETAIL_KEYS.has(k)),
    { message: 'must not hold a prototype name as a key' },
  )
  .pipe(
    z
      .record(
        z
          .string()
          .min(1)
          .max(EXECUTION_DETAILS_LIMITS.maxKeyLength)
          .regex(DETAIL_KEY, 'must not contain control or format characters')
          .refine((key) => !FORBIDDEN_DETAIL_KEYS.has(key), 'must not be a prototype name'),
        z.union([
          z
            .string()
            .max(EXECUTION_DETAILS_LIMITS.maxTextLength)
            .regex(DETAIL_TEXT, 'must not contain control characters'),
          z.number().finite(),
          z.boolean(),
          z.null(),
        ]),
      )
      .refine((details) => Object.keys(details).length <= EXECUTION_DETAILS_LIMITS.maxKeys, {
        message: `at most ${EXECUTION_DETAILS_LIMITS.maxKeys} keys`,
      }),
  );
/**
 * Result details of an execution: flat JSON scalars by name (e.g. Defender's machine action status).
 *
 * @example
 * ```ts
 * import type { ExecutionDetails } from 'actioncenter';
 * const d: ExecutionDetails = { machineActionStatus: 'Succeeded', filesCollected: 12 };
 * ```
 */
export type ExecutionDetails = Readonly<Record<string, string | number | boolean | null>>;

/**
 * Schema of an external reference: the remote system's id of the dispatched work (e.g. a Defender
 * machine action id), 1-200 printable characters.
 *
 * @example
 * ```ts
 * import { ExternalReferenceSchema } from 'actioncenter/adapter-kit';
 * ExternalReferenceSchema.safeParse('7f3c1d2e-machine-action').success; // true
 * ExternalReferenceSchema.safeParse('').success; // false
 * ```
 */
export const ExternalReferenceSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(DETAIL_KEY, 'must not contain control or format characters');

/**
 * Schema of an {@link ActionRecord}: one action as stored.
 *
 * @example
 * ```ts
 * import { ActionRecordSchema } from 'actioncenter/adapter-kit';
 * const parsed = ActionRecordSchema.safeParse(JSON.parse('{}'));
 * parsed.success; // false
 * ```
 */
export const ActionRecordSchema = z.object({
  id: ActionIdSchema,
  /** Optimistic-concurrency version: 1 when created, +1 on every committed change. */
  version: z.number().int().positive(),
  actionType: z.string().min(1).max(100),
  workload: WorkloadSchema,
  source: ActionSourceIdSchema,
  target: TargetSchema,
  parameters: SafeObjectSchema,
  status: ActionStatusSchema,
  investigationId: InvestigationIdSchema.nullable(),
  /** The incident it was taken from or while reviewing; records stored before it existed read back as null. */
  incidentId: IncidentIdSchema.nullable().default(null),
  /** The alert it was taken from or while investigating; records stored before it existed read back as null. */
  alertId: AlertIdSchema.nullable().default(null),
  approvalId: ApprovalIdSchema.nullable(),
  verdict: VerdictSchema.nullable(),
  requestedBy: ActorSchema,
  /** The comment given when the action was requested or proposed. */
  requestComment: CommentSchema.nullable(),
  createdAt: TimestampSchema,
  /**
   * When a pending action expires; on an approved one never started, when it expires unstarted
   * (the type's or policy's `approvedExpiryMs`, issue 16). Null otherwise.
   */
  expiresAt: TimestampSchema.nullable(),
  /** Who approved, rejected, cancelled or expired it, when, and with what comment. */
  decidedBy: ActorSchema.nullable(),
  decidedAt: TimestampSchema.nullable(),
  decisionComment: CommentSchema.nullable(),
  startedAt: TimestampSchema.nullable(),
  /** When the executor must have finished (set on start). */
  deadlineAt: TimestampSchema.nullable(),
  completedAt: TimestampSchema.nullable(),
  failure: ActionFailureSchema.nullable(),
  /** The counterpart action that undoes (or undid) this one. */
  undoActionId: ActionIdSchema.nullable(),
  /** On a counterpart action: the action it undoes. */
  undoOf: ActionIdSchema.nullable(),
  undoRequestedBy: ActorSchema.nullable(),
  undoRequestedAt: TimestampSchema.nullable(),
  undoCompletedAt: TimestampSchema.nullable(),
  updatedAt: TimestampSchema,
  /**
   * The remote system's id of the work, when the executor answered `accepted` (reports must name
   * it); records stored before it existed read back as null.
   */
  externalReference: ExternalReferenceSchema.nullable().default(null),
  /**
   * What the executor or its reports said about the work (merged, at most 32 keys); records stored
   * before it existed read back as null.
   */
  executionDetails: ExecutionDetailsSchema.nullable().default(null),
  /**
   * How many times it was started (each start is an attempt; a transient failure retried by its
   * type's policy starts it again); records stored before it existed read back as 0.
   */
  attempt: z.number().int().nonnegative().max(1000).default(0),
  /**
   * Approved after a transient failure (a `retry`): the earliest time of its next start (the
   * backoff); null otherwise. Records stored before it existed read back as null.
   */
  retryAt: TimestampSchema.nullable().default(null),
  /**
   * While the action is open (pending, approved, running), the key that no other open action may
   * share (set by the engine from type + target when duplicates are refused or joined); null otherwise.
   */
  openKey: z.string().min(1).max(2000).nullable(),
  /**
   * The `hash` of the action's last audit event (its chain's head): the engine chains the next event
   * to it without reading the trail, and a deleted last event no longer matches it. Null before the
   * first chained event; records stored before the chain existed read back as null.
   */
  auditHead: AuditHashSchema.nullable().default(null),
  /** How many notes were added (`addNote`, issue 16); records stored before it existed read back as 0. */
  noteCount: z.number().int().nonnegative().default(0),
  /** The last note added, who added it and when; null when none (and on records stored before notes). */
  lastNote: z.object({ text: NoteTextSchema, by: ActorSchema, at: TimestampSchema }).nullable().default(null),
  /**
   * Time-limited action (issue 16): how long after its success the center requests its undo (the
   * request's `revertAfterMs`, changed by `setRevert` while open); null when not time-limited.
   */
  revertAfterMs: z.number().int().positive().nullable().default(null),
  /**
   * Succeeded and time-limited: when the center requests its undo (system actor `autoRevert`);
   * cleared by any undo request, set or cleared by `setRevert`. Null otherwise.
   */
  revertAt: TimestampSchema.nullable().default(null),
  /**
   * Approval deadline (issue 16): when a pending action not decided by then escalates (the earliest
   * `decideWithinMs` of the matching requirement rules after its creation); null when it has none,
   * once escalated and once decided. Records stored before it existed read back as null.
   */
  escalateAt: TimestampSchema.nullable().default(null),
  /** When the approval deadline passed and the action escalated (`escalate` event); null otherwise. */
  escalatedAt: TimestampSchema.nullable().default(null),
  /** Who may approve since the escalation (the matching rules' `escalateTo`); empty otherwise. */
  escalatedTo: z.array(PrincipalIdSchema).max(50).default([]),
  /**
   * N-of-M approvals (issue 16): how many distinct approvals a pending action needs, from the approval
   * policy's requirement rules when it was created. Set once: a later policy change does not move
   * actions already in flight. Records stored before it existed read back as 1.
   */
  requiredApprovals: z.number().int().min(1).max(10).default(1),
  /**
   * The approvals given while the action waited for more (`addApproval`), in order; the approval that
   * reaches `requiredApprovals` is the `approve` decision itself (`decidedBy`), not listed here.
   */
  approvals: z
    .array(z.object({ by: PrincipalIdSchema, at: TimestampSchema, comment: CommentSchema.nullable() }))
    .max(10)
    .default([]),
  /** A manual retry (`retry`, issue 16): the failed or timed-out action it retries; null otherwise. */
  retryOf: ActionIdSchema.nullable().default(null),
  /** Retried (`retry`, issue 16): the action that retries it; null otherwise. */
  retriedBy: ActionIdSchema.nullable().default(null),
  /** How many manual retries led to it: 0 for an original, its original's + 1 for a retry. */
  retryCount: z.number().int().nonnegative().max(100).default(0),
});
/**
 * One action as stored: its request, its state and everything decided about it.
 *
 * @example
 * ```ts
 * import type { ActionRecord } from 'actioncenter';
 * const isPending = (a: ActionRecord) => a.status === 'pending';
 * ```
 */
export type ActionRecord = z.infer<typeof ActionRecordSchema>;

/**
 * The events of the lifecycle plus `created` (the first audit event of every action).
 *
 * @example
 * ```ts
 * import { AUDIT_EVENT_TYPES } from 'actioncenter/adapter-kit';
 * AUDIT_EVENT_TYPES[0]; // 'created'
 * ```
 */
export const AUDIT_EVENT_TYPES = [
  'created',
  'approve',
  'reject',
  'expire',
  'cancel',
  'start',
  'succeed',
  'fail',
  'timeOut',
  'requestUndo',
  'undoSucceeded',
  'undoFailed',
  // Dispatch and report (issue 15): appended, so that the earlier events keep their places.
  'accept',
  'progress',
  'reportDiscarded',
  // Retries of transient failures (issue 15): appended for the same reason.
  'retry',
  // Notes and time-limited actions (issue 16): audit-only, the status unchanged.
  'addNote',
  'setRevert',
  // Approval deadlines (issue 16): audit-only, the status unchanged.
  'escalate',
  // N-of-M approvals (issue 16): one approval short of the required number, the status unchanged.
  'addApproval',
  // Manual retry (issue 16): audit-only on the failed or timed-out original, naming its retry.
  'retried',
] as const;

/**
 * Schema of an {@link AuditEvent}.
 *
 * @example
 * ```ts
 * import { AuditEventSchema } from 'actioncenter/adapter-kit';
 * AuditEventSchema.safeParse({}).success; // false
 * ```
 */
export const AuditEventSchema = z.object({
  id: AuditEventIdSchema,
  actionId: ActionIdSchema,
  /** 1 for `created`, then +1 per event of the same action: the audit order. */
  sequence: z.number().int().positive(),
  type: z.enum(AUDIT_EVENT_TYPES),
  at: TimestampSchema,
  actor: ActorSchema,
  from: ActionStatusSchema.nullable(),
  to: ActionStatusSchema,
  comment: CommentSchema.nullable(),
  /** Event-specific data (the failure, the counterpart id, ...). */
  details: SafeObjectSchema,
  /**
   * SHA-256 (64 lowercase hex digits) of the event's canonical JSON, `previousHash` included
   * (`chainAuditEvent`); events stored before the chain existed read back as null (unchained).
   */
  hash: AuditHashSchema.nullable().default(null),
  /**
   * The `hash` of the previous event of the same action (the chain is per action, in `sequence`
   * order); null on an action's first chained event, and on events stored before the chain existed.
   */
  previousHash: AuditHashSchema.nullable().default(null),
});
/**
 * One line of an action's audit trail: who did what, when, from which state to which.
 *
 * @example
 * ```ts
 * import type { AuditEvent } from 'actioncenter';
 * const line = (e: AuditEvent) => `${e.type}: ${e.from ?? '-'} -> ${e.to}`;
 * ```
 */
export type AuditEvent = z.infer<typeof AuditEventSchema>;
