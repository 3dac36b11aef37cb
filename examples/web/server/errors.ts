/**
 * The one table from error codes to HTTP statuses, and the JSON error answer. Every library error
 * code is here (test/web/api-errors.test.ts reads the library's sources and fails on a missing one),
 * plus the codes this HTTP layer adds of its own.
 */
import type { ActionCenterErrorCode } from 'actioncenter';

/** Codes of the HTTP layer itself (not the library's). */
export const HTTP_ERROR_CODES = [
  'unauthenticated',
  'csrfRejected',
  'malformedBody',
  'bodyTooLarge',
  'unsupportedMediaType',
  'routeNotFound',
  'demoLoginDisabled',
  'internal',
] as const;
export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/** Codes the library has besides `ActionCenterErrorCode`: the pg-boss workers' (a vendor's worker route could answer them). */
type OtherLibraryCode = 'queueUnavailable' | 'notFinished';

/** Error code -> HTTP status. 4xx: the client can do something about it; 5xx: the server cannot help it. */
export const HTTP_STATUS_OF = {
  // The HTTP layer
  unauthenticated: 401,
  csrfRejected: 403,
  malformedBody: 400,
  bodyTooLarge: 413,
  unsupportedMediaType: 415,
  routeNotFound: 404,
  demoLoginDisabled: 404,
  internal: 500,
  // Input the client sent
  invalidInput: 400,
  unknownActionType: 400,
  invalidParameters: 400,
  targetKindMismatch: 400,
  sourceNotApplicable: 400,
  // Who may do what
  accessDenied: 403,
  systemNotAuthorized: 403,
  actorMismatch: 403,
  notFound: 404,
  // State: someone else got there first, or the action is not in a state for this
  conflict: 409,
  conflictingAction: 409,
  duplicateOpenAction: 409,
  alreadyApproved: 409,
  alreadyRetried: 409,
  idempotencyKeyConflict: 409,
  invalidTransition: 409,
  notRunning: 409,
  referenceMismatch: 409,
  notFinished: 409,
  // Understood, and refused by a rule (the product's message says why)
  selectionRefused: 422,
  undoIneligible: 422,
  submissionRefused: 422,
  justificationRequired: 422,
  retryLimitReached: 422,
  queryTooBroad: 422,
  // The client went away before the commit; nobody reads this answer, but it is not the server's fault
  aborted: 499,
  // The server's configuration or storage: nothing the client can change
  duplicateActionType: 500,
  unknownUndoCounterpart: 500,
  undoCounterpartWorkloadMismatch: 500,
  clockInvalid: 500,
  internalError: 500,
  corruptRecord: 500,
  repositoryUnavailable: 503,
  queueUnavailable: 503,
} as const satisfies Record<ActionCenterErrorCode | OtherLibraryCode | HttpErrorCode, number>;

/** A code of {@link HTTP_STATUS_OF}. */
export type ErrorCode = keyof typeof HTTP_STATUS_OF;

/** The status of an error code; an unknown code (a newer library) is a 500 rather than a guess. */
export function statusOf(code: string): number {
  return Object.hasOwn(HTTP_STATUS_OF, code) ? HTTP_STATUS_OF[code as ErrorCode] : 500;
}

/** An error value as the library makes them: a code, a message, a machine-readable payload. */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
}

/** A JSON answer: every route's answers go through here (one content type, one encoding). */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The JSON answer for an error: `{ error }` with its status from the table. */
export function errorResponse(error: ErrorBody, headers?: Record<string, string>): Response {
  return jsonResponse({ error }, statusOf(error.code), headers);
}

/** An error of the HTTP layer. */
export function httpError(code: HttpErrorCode, message: string, payload: Record<string, unknown> = {}): Response {
  return errorResponse({ ...payload, code, message });
}
