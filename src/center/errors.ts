/**
 * Errors of the engine's operations (beyond the catalogue's and the rules').
 *
 * @module
 */
import type {
  ClockInvalidError,
  DuplicateActionTypeError,
  InternalError,
  InvalidInputError,
  InvalidParametersError,
  InvalidTransitionError,
  SourceNotApplicableError,
  TargetKindMismatchError,
  UndoCounterpartWorkloadMismatchError,
  UnknownActionTypeError,
  UnknownUndoCounterpartError,
} from '../errors.js';
import type { ActionStatus } from '../catalog/records.js';
import type { AccessDecision } from '../rules/principals.js';
import type { SelectionRefusedError } from '../rules/selection.js';
import type { UndoIneligibleReason } from '../rules/undo.js';
import type { ConflictError, CorruptRecordError, QueryTooBroadError, RepositoryUnavailableError } from './ports.js';

/**
 * No action has this id.
 *
 * @example
 * ```ts
 * import type { NotFoundError } from 'actioncenter/adapter-kit';
 * const e: NotFoundError = { code: 'notFound', message: 'No action "a9"', actionId: 'a9' };
 * ```
 */
export interface NotFoundError {
  /** Discriminant: always `'notFound'`. Match on it, not on the message. */
  readonly code: 'notFound';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The id that matched no action. */
  readonly actionId: string;
}

/**
 * The access policy said no; `decision` says which rule, why, and what is missing.
 *
 * @example
 * ```ts
 * import type { AccessDeniedError } from 'actioncenter/adapter-kit';
 * const why = (e: AccessDeniedError) => e.decision.allowed ? '' : e.decision.reason;
 * ```
 */
export interface AccessDeniedError {
  /** Discriminant: always `'accessDenied'`. Match on it, not on the message. */
  readonly code: 'accessDenied';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The access policy's denial: the rule, the reason and what is missing. */
  readonly decision: AccessDecision;
}

/**
 * The approval policy refused a submitted action (e.g. automation level "none").
 *
 * @example
 * ```ts
 * import type { SubmissionRefusedError } from 'actioncenter/adapter-kit';
 * const e: SubmissionRefusedError = { code: 'submissionRefused', message: 'No automated response', rule: 'automationLevel.none', reason: 'automationDisabled' };
 * ```
 */
export interface SubmissionRefusedError {
  /** Discriminant: always `'submissionRefused'`. Match on it, not on the message. */
  readonly code: 'submissionRefused';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The approval rule that refused (`automationLevel.none`, ...). */
  readonly rule: string;
  /** Why, as a code (`automationDisabled`, ...). */
  readonly reason: string;
}

/**
 * Another open action of the same type already targets the same entity, and the center is
 * configured to refuse duplicates.
 *
 * @example
 * ```ts
 * import type { DuplicateOpenActionError } from 'actioncenter/adapter-kit';
 * const e: DuplicateOpenActionError = { code: 'duplicateOpenAction', message: '...', existingActionId: 'a1' };
 * ```
 */
export interface DuplicateOpenActionError {
  /** Discriminant: always `'duplicateOpenAction'`. Match on it, not on the message. */
  readonly code: 'duplicateOpenAction';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The open action of the same type on the same target. */
  readonly existingActionId: string;
}

/**
 * An open action of another type in the same conflict group (isolate and release from isolation)
 * already acts on the same target: refused whatever the duplicates policy (`join` and `allow` are
 * about the same type only). Nothing was changed.
 *
 * @example
 * ```ts
 * import type { ConflictingActionError } from 'actioncenter/adapter-kit';
 * const e: ConflictingActionError = {
 *   code: 'conflictingAction', message: '...', openActionId: 'a1', openActionType: 'isolateDevice', targetIdentity: 'device:d1',
 * };
 * ```
 */
export interface ConflictingActionError {
  /** Discriminant: always `'conflictingAction'`. Match on it, not on the message. */
  readonly code: 'conflictingAction';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The open action that holds the target. */
  readonly openActionId: string;
  /** Its action type. */
  readonly openActionType: string;
  /** The target's identity (`targetIdentityOf`), e.g. `device:d1`. */
  readonly targetIdentity: string;
}

/**
 * `retry` of an action that was retried already: retry the retry (named here) instead.
 *
 * @example
 * ```ts
 * import type { AlreadyRetriedError } from 'actioncenter/adapter-kit';
 * const e: AlreadyRetriedError = { code: 'alreadyRetried', message: '...', actionId: 'a1', retriedBy: 'a2' };
 * ```
 */
export interface AlreadyRetriedError {
  /** Discriminant: always `'alreadyRetried'`. Match on it, not on the message. */
  readonly code: 'alreadyRetried';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action asked to be retried. */
  readonly actionId: string;
  /** Its retry, the new attempt. */
  readonly retriedBy: string;
}

/**
 * `retry` of an action whose type allows no more retries (`maxRetries`, counted along the chain of
 * retries).
 *
 * @example
 * ```ts
 * import type { RetryLimitReachedError } from 'actioncenter/adapter-kit';
 * const e: RetryLimitReachedError = { code: 'retryLimitReached', message: '...', actionId: 'a1', retryCount: 3, maxRetries: 3 };
 * ```
 */
export interface RetryLimitReachedError {
  /** Discriminant: always `'retryLimitReached'`. Match on it, not on the message. */
  readonly code: 'retryLimitReached';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action asked to be retried. */
  readonly actionId: string;
  /** How many retries led to it (0: an original). */
  readonly retryCount: number;
  /** Its type's limit. */
  readonly maxRetries: number;
}

/**
 * An approval by a principal who approved the action already: N-of-M approvals come from distinct
 * principals (issue 16). An item failure (outcome `invalidState`); nothing changed for that item.
 *
 * @example
 * ```ts
 * import type { AlreadyApprovedError } from 'actioncenter/adapter-kit';
 * const e: AlreadyApprovedError = { code: 'alreadyApproved', message: '...', actionId: 'a1', principalId: 'bob@contoso.com', approvals: 1, requiredApprovals: 2 };
 * ```
 */
export interface AlreadyApprovedError {
  /** Discriminant: always `'alreadyApproved'`. Match on it, not on the message. */
  readonly code: 'alreadyApproved';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action approved again. */
  readonly actionId: string;
  /** Who approved it again. */
  readonly principalId: string;
  /** How many approvals it has. */
  readonly approvals: number;
  /** How many it needs. */
  readonly requiredApprovals: number;
}

/**
 * The approval policy's requirement rules ask for a justification (a non-blank comment) for this
 * operation on one or more of the actions, and none was given (issue 16). The whole operation is
 * refused; nothing changed.
 *
 * @example
 * ```ts
 * import type { JustificationRequiredError } from 'actioncenter/adapter-kit';
 * const e: JustificationRequiredError = { code: 'justificationRequired', message: '...', operation: 'undo', actionIds: ['a1'], actionTypes: ['isolateDevice'] };
 * ```
 */
export interface JustificationRequiredError {
  /** Discriminant: always `'justificationRequired'`. Match on it, not on the message. */
  readonly code: 'justificationRequired';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The operation refused. */
  readonly operation: 'submit' | 'approve' | 'reject' | 'cancel' | 'undo' | 'retry' | 'setRevert';
  /** The actions that need the justification (empty for a submission: it has no id yet). */
  readonly actionIds: readonly string[];
  /** Their action types, each once. */
  readonly actionTypes: readonly string[];
}

/**
 * The actor of a request does not fit its source or the principal given (automated sources are
 * taken by the system; manual ones by the principal who calls).
 *
 * @example
 * ```ts
 * import type { ActorMismatchError } from 'actioncenter/adapter-kit';
 * const e: ActorMismatchError = { code: 'actorMismatch', message: '...', expected: 'principal', actual: 'system' };
 * ```
 */
export interface ActorMismatchError {
  /** Discriminant: always `'actorMismatch'`. Match on it, not on the message. */
  readonly code: 'actorMismatch';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The kind of requester the source needs (`principal` for manual sources, `system` for automated ones). */
  readonly expected: string;
  /** The kind of requester the request gave. */
  readonly actual: string;
}

/**
 * An action that cannot be undone, with seed 001's reason: wrong state, type not undoable, source not
 * eligible, already undone, or an undo under way.
 *
 * @example
 * ```ts
 * import type { UndoIneligibleError } from 'actioncenter/adapter-kit';
 * const e: UndoIneligibleError = { code: 'undoIneligible', message: 'Live response actions cannot be undone', actionId: 'a1', reason: 'sourceNotEligible' };
 * ```
 */
export interface UndoIneligibleError {
  /** Discriminant: always `'undoIneligible'`. Match on it, not on the message. */
  readonly code: 'undoIneligible';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action that cannot be undone. */
  readonly actionId: string;
  /** Seed 001's reason: wrong state, type not undoable, source not eligible, already undone, ... */
  readonly reason: UndoIneligibleReason;
}

/**
 * An idempotency key reused for a different request: the same requester sent another type, target,
 * parameters, source, proposal or references under a key it used before. Nothing was created, and
 * nothing about the first action is told.
 *
 * @example
 * ```ts
 * import type { IdempotencyKeyConflictError } from 'actioncenter/adapter-kit';
 * const e: IdempotencyKeyConflictError = { code: 'idempotencyKeyConflict', message: '...', idempotencyKey: 'k-1' };
 * ```
 */
export interface IdempotencyKeyConflictError {
  /** Discriminant: always `'idempotencyKeyConflict'`. Match on it, not on the message. */
  readonly code: 'idempotencyKeyConflict';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The key that was reused. */
  readonly idempotencyKey: string;
}

/**
 * A system request from a component the center does not accept (see the `systemComponents` option),
 * or one whose name the center keeps for itself. Nothing was created.
 *
 * @example
 * ```ts
 * import type { SystemNotAuthorizedError } from 'actioncenter/adapter-kit';
 * const e: SystemNotAuthorizedError = { code: 'systemNotAuthorized', message: '...', component: 'scanner', reason: 'notAccepted' };
 * ```
 */
export interface SystemNotAuthorizedError {
  /** Discriminant: always `'systemNotAuthorized'`. Match on it, not on the message. */
  readonly code: 'systemNotAuthorized';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The component named by the request (cut to 100 characters). */
  readonly component: string;
  /** `notAccepted`: not in the accepted list; `reserved`: a name the engine uses for itself. */
  readonly reason: 'notAccepted' | 'reserved';
}

/**
 * A report named an action whose external reference is another (or which has none: its executor
 * never answered `accepted`). Nothing was changed.
 *
 * @example
 * ```ts
 * import type { ReferenceMismatchError } from 'actioncenter/adapter-kit';
 * const e: ReferenceMismatchError = { code: 'referenceMismatch', message: 'Action "a1" was dispatched as another reference', actionId: 'a1' };
 * ```
 */
export interface ReferenceMismatchError {
  /** Discriminant: always `'referenceMismatch'`. Match on it, not on the message. */
  readonly code: 'referenceMismatch';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action the report named. */
  readonly actionId: string;
}

/**
 * A report named an action that never started (pending, approved, or decided before it ran).
 * Nothing was changed.
 *
 * @example
 * ```ts
 * import type { NotRunningError } from 'actioncenter/adapter-kit';
 * const e: NotRunningError = { code: 'notRunning', message: 'Action "a1" has not started', actionId: 'a1', status: 'approved' };
 * ```
 */
export interface NotRunningError {
  /** Discriminant: always `'notRunning'`. Match on it, not on the message. */
  readonly code: 'notRunning';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action the report named. */
  readonly actionId: string;
  /** Its status when the report came. */
  readonly status: ActionStatus;
}

/**
 * A long operation stopped because its `signal` aborted, before it changed anything: a bulk
 * decision, undo or retry aborted while reading, checking, or right before its commit (once the
 * commit starts it completes), or a CSV export whose stream was cut short.
 *
 * @example
 * ```ts
 * import type { AbortedError } from 'actioncenter/adapter-kit';
 * const e: AbortedError = { code: 'aborted', message: 'approve aborted while checking', operation: 'approve', phase: 'checking' };
 * ```
 */
export interface AbortedError {
  /** Discriminant: always `'aborted'`. Match on it, not on the message. */
  readonly code: 'aborted';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The operation the signal stopped. */
  readonly operation: 'approve' | 'reject' | 'cancel' | 'undo' | 'retry' | 'exportCsv';
  /** Where it stopped: nothing was committed in any of them (an export's rows so far were handed on). */
  readonly phase: 'reading' | 'checking' | 'committing';
}

/**
 * Every error actioncenter returns. Switch on `code`; each member carries its own payload.
 * It lives in the center layer, above the layers whose errors it names (the base's, the rules', the
 * ports'), so that one `switch` covers them all while every import still points down.
 *
 * @example
 * ```ts
 * import type { ActionCenterError } from 'actioncenter';
 * function describe(e: ActionCenterError): string {
 *   switch (e.code) {
 *     case 'invalidInput': return `bad input at ${e.issues.map((i) => i.path.join('.')).join(', ')}`;
 *     default: return e.message;
 *   }
 * }
 * ```
 */
export type ActionCenterError =
  | InvalidInputError
  | UnknownActionTypeError
  | InvalidParametersError
  | TargetKindMismatchError
  | SourceNotApplicableError
  | DuplicateActionTypeError
  | UnknownUndoCounterpartError
  | UndoCounterpartWorkloadMismatchError
  | InvalidTransitionError
  | SelectionRefusedError
  | NotFoundError
  | AccessDeniedError
  | SubmissionRefusedError
  | DuplicateOpenActionError
  | ConflictingActionError
  | AlreadyRetriedError
  | RetryLimitReachedError
  | AlreadyApprovedError
  | JustificationRequiredError
  | IdempotencyKeyConflictError
  | SystemNotAuthorizedError
  | ActorMismatchError
  | UndoIneligibleError
  | ReferenceMismatchError
  | NotRunningError
  | AbortedError
  | ConflictError
  | CorruptRecordError
  | RepositoryUnavailableError
  | QueryTooBroadError
  | ClockInvalidError
  | InternalError;

/**
 * The `code` of every {@link ActionCenterError}.
 *
 * @example
 * ```ts
 * import type { ActionCenterErrorCode } from 'actioncenter';
 * const c: ActionCenterErrorCode = 'invalidInput';
 * ```
 */
export type ActionCenterErrorCode = ActionCenterError['code'];
