/**
 * A zod schema of {@link ActionCenterError}, the union of every error value (a TypeScript type only
 * elsewhere), so that its JSON Schema is generated like the others.
 *
 * @module
 */
import { ACTION_STATUSES, type ActionCenterError, type ActionCenterErrorCode } from 'actioncenter';
import {
  AccessDecisionSchema,
  BULK_OPERATIONS,
  SELECTION_REFUSAL_REASONS,
  UNDO_INELIGIBLE_REASONS,
} from 'actioncenter/adapter-kit';
import * as z from 'zod';

// Every code of the union, checked both ways by the compiler: a code added to ActionCenterError and
// missing here (or one removed) fails to compile, so the shipped JSON Schema cannot fall behind.
const CODES: { readonly [C in ActionCenterErrorCode]: true } = {
  invalidInput: true,
  unknownActionType: true,
  invalidParameters: true,
  targetKindMismatch: true,
  sourceNotApplicable: true,
  duplicateActionType: true,
  unknownUndoCounterpart: true,
  undoCounterpartWorkloadMismatch: true,
  invalidTransition: true,
  selectionRefused: true,
  notFound: true,
  accessDenied: true,
  submissionRefused: true,
  duplicateOpenAction: true,
  conflictingAction: true,
  alreadyRetried: true,
  retryLimitReached: true,
  alreadyApproved: true,
  justificationRequired: true,
  idempotencyKeyConflict: true,
  systemNotAuthorized: true,
  actorMismatch: true,
  undoIneligible: true,
  referenceMismatch: true,
  notRunning: true,
  aborted: true,
  conflict: true,
  corruptRecord: true,
  repositoryUnavailable: true,
  queryTooBroad: true,
  clockInvalid: true,
  internalError: true,
};

/** Every {@link ActionCenterErrorCode}, in the union's order. */
export const ERROR_CODES = Object.keys(CODES) as readonly ActionCenterErrorCode[];

const text = z.string();
const ids = z.array(z.string());
const IssueSchema = z.strictObject({ path: z.array(z.union([z.string(), z.number()])), code: text, message: text });
const issues = z.array(IssueSchema);

/** Each code's payload (beside `code` and `message`), as its interface in the library has it. */
const PAYLOADS = {
  invalidInput: { issues },
  unknownActionType: { actionTypeId: text },
  invalidParameters: { actionTypeId: text, issues },
  targetKindMismatch: { actionTypeId: text, expected: text, actual: text },
  sourceNotApplicable: { actionTypeId: text, source: text, workload: text },
  duplicateActionType: { actionTypeId: text },
  unknownUndoCounterpart: { actionTypeId: text, counterpartId: text },
  undoCounterpartWorkloadMismatch: {
    actionTypeId: text,
    counterpartId: text,
    workload: text,
    counterpartWorkload: text,
  },
  invalidTransition: {
    actionId: text,
    state: text,
    event: text,
    final: z.boolean(),
    reason: z.enum([
      'noSuchTransition',
      'finalState',
      'notCancellableWhileRunning',
      'notUndoable',
      'notRetryable',
      'retriesExhausted',
      'alreadyEscalated',
      'alreadyStarted',
      'approvalsOutstanding',
      'lastApproval',
    ]),
  },
  selectionRefused: {
    operation: z.enum(BULK_OPERATIONS),
    reasons: z.array(z.enum(SELECTION_REFUSAL_REASONS)),
    offending: z.array(
      z.looseObject({
        actionId: text,
        reason: z.enum(SELECTION_REFUSAL_REASONS),
        undoReason: z.enum(UNDO_INELIGIBLE_REASONS).nullable(),
        message: text,
        decision: AccessDecisionSchema.nullable(),
      }),
    ),
  },
  notFound: { actionId: text },
  accessDenied: { decision: AccessDecisionSchema },
  submissionRefused: { rule: text, reason: text },
  duplicateOpenAction: { existingActionId: text },
  conflictingAction: { openActionId: text, openActionType: text, targetIdentity: text },
  alreadyRetried: { actionId: text, retriedBy: text },
  retryLimitReached: { actionId: text, retryCount: z.number(), maxRetries: z.number() },
  alreadyApproved: { actionId: text, principalId: text, approvals: z.number(), requiredApprovals: z.number() },
  justificationRequired: {
    operation: z.enum(['submit', 'approve', 'reject', 'cancel', 'undo', 'retry', 'setRevert']),
    actionIds: ids,
    actionTypes: ids,
  },
  idempotencyKeyConflict: { idempotencyKey: text },
  systemNotAuthorized: { component: text, reason: z.enum(['notAccepted', 'reserved']) },
  actorMismatch: { expected: text, actual: text },
  undoIneligible: { actionId: text, reason: z.enum(UNDO_INELIGIBLE_REASONS) },
  referenceMismatch: { actionId: text },
  notRunning: { actionId: text, status: z.enum(ACTION_STATUSES) },
  aborted: {
    operation: z.enum(['approve', 'reject', 'cancel', 'undo', 'retry', 'exportCsv']),
    phase: z.enum(['reading', 'checking', 'committing']),
  },
  conflict: {
    reason: z.enum(['staleVersion', 'alreadyExists', 'openKeyTaken', 'idempotencyKeyTaken']),
    actionIds: ids,
  },
  corruptRecord: { actionId: text, issues },
  repositoryUnavailable: {},
  queryTooBroad: { sortColumn: text, limit: z.number(), atLeast: z.number() },
  clockInvalid: {
    value: text,
    reason: z.enum(['notANumber', 'notFinite', 'negative', 'notInteger', 'tooLarge', 'threw']),
  },
  internalError: { operation: text, component: text },
} satisfies { readonly [C in ActionCenterErrorCode]: z.core.$ZodLooseShape };

const member = <C extends ActionCenterErrorCode>(code: C) =>
  z.looseObject({ code: z.literal(code), message: text, ...PAYLOADS[code] });

/**
 * An error value as it travels (an HTTP body's `error`, a log line): its `code`, a `message`, and
 * the code's payload, one member per code. Fields beyond the payload are allowed (additional
 * properties), so that a consumer validating with an older schema accepts an error that gained one.
 */
export const ActionCenterErrorSchema = z.discriminatedUnion(
  'code',
  ERROR_CODES.map(member) as unknown as [ReturnType<typeof member>, ...ReturnType<typeof member>[]],
);

/** One code's error value as the schema types it. */
type MemberInput<C extends ActionCenterErrorCode> = { code: C; message: string } & z.input<
  z.ZodObject<(typeof PAYLOADS)[C]>
>;

type ErrorOf<C extends ActionCenterErrorCode> = Extract<ActionCenterError, { code: C }>;
/** A schema's type as the library writes its interfaces: read-only, without the loose index signature. */
type AsInterface<T> = T extends readonly (infer I)[]
  ? readonly AsInterface<I>[]
  : T extends object
    ? { readonly [K in keyof T as string extends K ? never : K]: AsInterface<T[K]> }
    : T;
/** An error type with its branded ids as the plain strings they travel as. */
type Debranded<T> = T extends string & z.core.$brand<string>
  ? string
  : T extends readonly (infer I)[]
    ? readonly Debranded<I>[]
    : T extends object
      ? { readonly [K in keyof T]: Debranded<T[K]> }
      : T;
/** The codes whose error value does not fit its member, or whose member asks for more: none. */
type Misfits = {
  [C in ActionCenterErrorCode]: ErrorOf<C> extends AsInterface<MemberInput<C>>
    ? AsInterface<MemberInput<C>> extends Debranded<ErrorOf<C>>
      ? never
      : C
    : C;
}[ActionCenterErrorCode];

/**
 * Compile-time check, both ways per code: every error value the library can return fits its
 * member, and a member asks for nothing the library does not give (a payload field renamed,
 * retyped or added in the library fails to compile here, naming the code).
 */
export const ERROR_TYPES_MATCH: [Misfits] extends [never] ? true : Misfits = true;
