import type { ActionCenterErrorCode } from '../../src/index.js';

// Every code of the union, checked both ways by the compiler: a missing or unknown key fails to compile.
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

export const ACTION_CENTER_ERROR_CODES_FOR_TESTS: readonly string[] = Object.keys(CODES);
