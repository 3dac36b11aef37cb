/**
 * A zod schema of {@link ActionCenterError}, the union of every error value (a TypeScript type only
 * elsewhere), so that its JSON Schema is generated like the others.
 *
 * @module
 */
import type { ActionCenterErrorCode } from 'actioncenter';
import { z } from 'zod';

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

/**
 * An error value as it travels (an HTTP body's `error`, a log line): its `code`, a `message`, and
 * the code's payload. The payload's fields are kept open (`additionalProperties`) so that a
 * consumer validating with an older schema still accepts an error that gained a field.
 */
export const ActionCenterErrorSchema = z.looseObject({
  code: z.enum(ERROR_CODES as [ActionCenterErrorCode, ...ActionCenterErrorCode[]]),
  message: z.string(),
});
