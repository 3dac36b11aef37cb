/**
 * Errors of the engine's operations (beyond the catalogue's and the rules').
 *
 * @module
 */
import type { AccessDecision } from '../rules/principals.js';
import type { UndoIneligibleReason } from '../rules/undo.js';

/**
 * No action has this id.
 *
 * @example
 * ```ts
 * import type { NotFoundError } from 'actioncenter';
 * const e: NotFoundError = { code: 'notFound', message: 'No action "a9"', actionId: 'a9' };
 * ```
 */
export interface NotFoundError {
  readonly code: 'notFound';
  readonly message: string;
  readonly actionId: string;
}

/**
 * The access policy said no; `decision` says which rule, why, and what is missing.
 *
 * @example
 * ```ts
 * import type { AccessDeniedError } from 'actioncenter';
 * const why = (e: AccessDeniedError) => e.decision.allowed ? '' : e.decision.reason;
 * ```
 */
export interface AccessDeniedError {
  readonly code: 'accessDenied';
  readonly message: string;
  readonly decision: AccessDecision;
}

/**
 * The approval policy refused a submitted action (e.g. automation level "none").
 *
 * @example
 * ```ts
 * import type { SubmissionRefusedError } from 'actioncenter';
 * const e: SubmissionRefusedError = { code: 'submissionRefused', message: 'No automated response', rule: 'automationLevel.none', reason: 'automationDisabled' };
 * ```
 */
export interface SubmissionRefusedError {
  readonly code: 'submissionRefused';
  readonly message: string;
  readonly rule: string;
  readonly reason: string;
}

/**
 * Another open action of the same type already targets the same entity, and the center is
 * configured to refuse duplicates.
 *
 * @example
 * ```ts
 * import type { DuplicateOpenActionError } from 'actioncenter';
 * const e: DuplicateOpenActionError = { code: 'duplicateOpenAction', message: '...', existingActionId: 'a1' };
 * ```
 */
export interface DuplicateOpenActionError {
  readonly code: 'duplicateOpenAction';
  readonly message: string;
  readonly existingActionId: string;
}

/**
 * The actor of a request does not fit its source or the principal given (automated sources are
 * taken by the system; manual ones by the principal who calls).
 *
 * @example
 * ```ts
 * import type { ActorMismatchError } from 'actioncenter';
 * const e: ActorMismatchError = { code: 'actorMismatch', message: '...', expected: 'principal', actual: 'system' };
 * ```
 */
export interface ActorMismatchError {
  readonly code: 'actorMismatch';
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
}

/**
 * An action that cannot be undone, with seed 001's reason: wrong state, type not undoable, source not
 * eligible, already undone, or an undo under way.
 *
 * @example
 * ```ts
 * import type { UndoIneligibleError } from 'actioncenter';
 * const e: UndoIneligibleError = { code: 'undoIneligible', message: 'Live response actions cannot be undone', actionId: 'a1', reason: 'sourceNotEligible' };
 * ```
 */
export interface UndoIneligibleError {
  readonly code: 'undoIneligible';
  readonly message: string;
  readonly actionId: string;
  readonly reason: UndoIneligibleReason;
}
