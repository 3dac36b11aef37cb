/**
 * What the center's operations answer: per-operation error unions, bulk results whose outcomes
 * cannot be confused with action statuses, and {@link single} for one-item calls.
 *
 * The rule, once: an operation answers `{ ok: false, error }` only when it could attempt nothing
 * (invalid input, a refused selection, a store or clock that failed before anything was decided).
 * Otherwise it answers `{ ok: true, value }`, and a bulk operation's value says, item by item,
 * whether each action was changed (`ok: true`, outcome `applied`) or why not (`ok: false`, with a
 * typed `error`).
 *
 * @module
 */
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import type { RequestError } from '../../catalog/catalog.js';
import type {
  ClockInvalidError,
  InternalError,
  InvalidInputError,
  InvalidTransitionError,
  UnknownActionTypeError,
} from '../../errors.js';
import { err, ok, type Result } from '../../result.js';
import type { SelectionRefusedError } from '../../rules/selection.js';
import type {
  AccessDeniedError,
  ActorMismatchError,
  DuplicateOpenActionError,
  ConflictingActionError,
  AlreadyRetriedError,
  RetryLimitReachedError,
  AlreadyApprovedError,
  JustificationRequiredError,
  IdempotencyKeyConflictError,
  NotFoundError,
  SubmissionRefusedError,
  SystemNotAuthorizedError,
  UndoIneligibleError,
  AbortedError,
} from '../errors.js';
import type {
  ConflictError,
  CorruptRecordError,
  QueryTooBroadError,
  RepositoryError,
  RepositoryUnavailableError,
} from '../ports.js';

/**
 * Every way one item of a bulk operation can end. Not action statuses: `applied` means the
 * decision, cancellation or undo request was recorded on the action, whatever its status now.
 *
 * @example
 * ```ts
 * import { ITEM_OUTCOMES } from 'actioncenter';
 * ITEM_OUTCOMES; // ['applied', 'denied', 'invalidState', 'notFound', 'conflict', 'storeError']
 * ```
 */
export const ITEM_OUTCOMES = Object.freeze([
  'applied',
  'denied',
  'invalidState',
  'notFound',
  'conflict',
  'storeError',
] as const);

/**
 * One of {@link ITEM_OUTCOMES}.
 *
 * @example
 * ```ts
 * import type { ItemOutcome } from 'actioncenter';
 * const o: ItemOutcome = 'denied';
 * ```
 */
export type ItemOutcome = (typeof ITEM_OUTCOMES)[number];

/**
 * An item that was not applied, with the typed reason:
 * - `denied`: the access policy said no ({@link AccessDeniedError});
 * - `invalidState`: the action does not accept this now (its status, its type's rules, or a type
 *   the catalogue no longer holds);
 * - `notFound`: no action has this id;
 * - `conflict`: it changed meanwhile (retry after reading it again);
 * - `storeError`: the store failed while committing it.
 *
 * @example
 * ```ts
 * import type { ItemFailure } from 'actioncenter';
 * const why = (f: ItemFailure) => `${f.actionId}: ${f.outcome} (${f.error.code})`;
 * ```
 */
export type ItemFailure =
  | { readonly actionId: string; readonly ok: false; readonly outcome: 'denied'; readonly error: AccessDeniedError }
  | {
      readonly actionId: string;
      readonly ok: false;
      readonly outcome: 'invalidState';
      readonly error:
        | InvalidTransitionError
        | UndoIneligibleError
        | UnknownActionTypeError
        | AlreadyApprovedError
        | AlreadyRetriedError
        | RetryLimitReachedError
        | ConflictingActionError
        | DuplicateOpenActionError;
    }
  | { readonly actionId: string; readonly ok: false; readonly outcome: 'notFound'; readonly error: NotFoundError }
  | { readonly actionId: string; readonly ok: false; readonly outcome: 'conflict'; readonly error: ConflictError }
  | {
      readonly actionId: string;
      readonly ok: false;
      readonly outcome: 'storeError';
      readonly error: RepositoryUnavailableError | CorruptRecordError;
    };

/**
 * The typed reason of an item that was not applied.
 *
 * @example
 * ```ts
 * import type { ItemError } from 'actioncenter';
 * const retryable = (e: ItemError) => e.code === 'conflict' || e.code === 'repositoryUnavailable';
 * ```
 */
export type ItemError = ItemFailure['error'];

/**
 * What happened to one item of a bulk operation: a `Result` of its own (`ok`), with its id and
 * outcome. Nothing is skipped silently: every id given gets one.
 *
 * @example
 * ```ts
 * import type { ItemResult } from 'actioncenter';
 * const line = (r: ItemResult) => (r.ok ? `${r.actionId}: now ${r.action.status}` : `${r.actionId}: ${r.error.message}`);
 * ```
 */
export type ItemResult =
  | { readonly actionId: string; readonly ok: true; readonly outcome: 'applied'; readonly action: ActionRecord }
  | ItemFailure;

/**
 * The result of a bulk operation (approve, reject, cancel, undo): one {@link ItemResult} per
 * action, in the order given, whether all were applied, and how many ended each way.
 *
 * @example
 * ```ts
 * import type { BulkResult } from 'actioncenter';
 * const summary = (r: BulkResult) => (r.allApplied ? 'all applied' : `${r.counts.applied} of ${r.items.length} applied`);
 * ```
 */
export interface BulkResult {
  /** One result per action, in the order the ids were given (then any added, e.g. other instances). */
  readonly items: readonly ItemResult[];
  /** `true` when every item was applied. */
  readonly allApplied: boolean;
  /** How many items ended each way. */
  readonly counts: { readonly [O in ItemOutcome]: number };
}

/**
 * The one item of a bulk operation's answer as a plain `Result`: the action as changed, or the
 * typed reason, whether the whole operation failed or only this item. With several items, the
 * one with `actionId` (default: the first).
 *
 * @example
 * ```ts
 * import { createActionCenter, single } from 'actioncenter';
 * const center = createActionCenter();
 * const approver = { id: 'soc@contoso.com', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }] } as const;
 * const r = single(await center.approve({ principal: approver, ids: ['act-1'] }));
 * if (!r.ok) console.log(r.error.code); // 'notFound'
 * ```
 */
export function single<E>(result: Result<BulkResult, E>, actionId?: string): Result<ActionRecord, E | ItemError> {
  if (!result.ok) return result;
  const item = actionId === undefined ? result.value.items[0] : result.value.items.find((i) => i.actionId === actionId);
  if (item === undefined) {
    const id = actionId ?? '';
    return err({ code: 'notFound', message: `No result for action "${id}"`, actionId: id });
  }
  return item.ok ? ok(item.action) : err(item.error);
}

/** Builds a bulk result from per-id results; an id without one was not found. */
export function bulkResult(order: readonly string[], results: ReadonlyMap<string, ItemResult>): BulkResult {
  const counts: { [O in ItemOutcome]: number } = {
    applied: 0,
    denied: 0,
    invalidState: 0,
    notFound: 0,
    conflict: 0,
    storeError: 0,
  };
  const items = order.map((id): ItemResult => {
    const item = results.get(id) ?? notFoundItem(id);
    counts[item.outcome] += 1;
    return item;
  });
  return { items, allApplied: counts.applied === items.length, counts };
}

/** The item result of an id that matched no action. */
export function notFoundItem(actionId: string): ItemFailure {
  return {
    actionId,
    ok: false,
    outcome: 'notFound',
    error: { code: 'notFound', message: `No action "${actionId}"`, actionId },
  };
}

/**
 * How a submitted action was taken: at once (`takenNow`: approved, waiting for `run`), `pending`
 * approval, `joined` to an open duplicate, or `replayed` (same idempotency key as an earlier submit).
 *
 * @example
 * ```ts
 * import type { SubmitResult } from 'actioncenter';
 * const waiting = (r: SubmitResult) => r.disposition === 'pending';
 * ```
 */
export interface SubmitResult {
  /** The action as stored (for `joined` and `replayed`, the existing one). */
  readonly action: ActionRecord;
  /** How it was taken: `takenNow` (approved, waiting for `run`), `pending`, `joined` to an open duplicate, or `replayed`. */
  readonly disposition: 'takenNow' | 'pending' | 'joined' | 'replayed';
  /** The approval policy's rule that decided (absent for joined/replayed). */
  readonly rule: string | null;
}

/**
 * What one `run` did. These counts are action statuses reached in this tick.
 *
 * @example
 * ```ts
 * import type { RunReport } from 'actioncenter';
 * const summary = (r: RunReport) =>
 *   `${r.succeeded} ok, ${r.failed} failed, ${r.timedOut} timed out, ${r.escalated} escalated, ${r.reverted} reverted`;
 * ```
 */
export interface RunReport {
  /** Pending actions expired by this tick. */
  readonly expired: number;
  /** Approved actions started. */
  readonly started: number;
  /** Actions that ended `succeeded` in this tick. */
  readonly succeeded: number;
  /** Actions that ended `failed` (including executors that threw or did not support the type). */
  readonly failed: number;
  /** Actions that ended `timedOut`: their deadline passed. */
  readonly timedOut: number;
  /**
   * Actions the executor dispatched (`accepted`, issue 15): still running, their outcome to come
   * through `report` (or their deadline).
   */
  readonly accepted: number;
  /** Outcomes that arrived for actions no longer running (cancelled meanwhile): dropped. */
  readonly discarded: number;
  /**
   * Pending actions whose approval deadline passed in this tick (issue 16), escalated to the
   * approvers the approval policy names; an action due to expire in the same tick is expired instead.
   */
  readonly escalated: number;
  /**
   * Succeeded time-limited actions whose revert came due (issue 16): their undo requested in this
   * tick by the system (`autoRevert`). Their counterparts, approved, run in the same tick and are
   * counted in `started` and the status they reach.
   */
  readonly reverted: number;
  /**
   * Stored actions the sweeps could not read (rows edited by hand, or written by a buggy version):
   * skipped, each named, while every other action was expired, timed out or executed as usual.
   */
  readonly corrupt: readonly CorruptRecordError[];
}

/**
 * What subscribers hear after every committed change.
 *
 * @example
 * ```ts
 * import type { CommittedChange } from 'actioncenter';
 * const log = (c: CommittedChange) => c.events.map((e) => `${e.actionId} ${e.from}->${e.to}`);
 * ```
 */
export interface CommittedChange {
  /** The records as committed, one per changed action. */
  readonly actions: readonly ActionRecord[];
  /** The audit events committed with them. */
  readonly events: readonly AuditEvent[];
}

/** What any operation can meet: input it refuses, a store or clock that fails, a component's bug. */
type OperationFailure = InvalidInputError | RepositoryError | ClockInvalidError | InternalError;

/**
 * The errors `submit` can answer.
 *
 * @example
 * ```ts
 * import type { SubmitError } from 'actioncenter';
 * const isDuplicate = (e: SubmitError) => e.code === 'duplicateOpenAction';
 * ```
 */
export type SubmitError =
  | OperationFailure
  | RequestError
  | ActorMismatchError
  | AccessDeniedError
  | SystemNotAuthorizedError
  | SubmissionRefusedError
  | DuplicateOpenActionError
  | ConflictingActionError
  | IdempotencyKeyConflictError
  | JustificationRequiredError;

/**
 * The errors `approve`, `reject`, `cancel` and `undo` can answer as a whole (each item has its own
 * {@link ItemError}): input, a selection refused whole (seed 003: one action type), store, clock,
 * and `aborted` (issue 17: the input's `signal` aborted before the commit; nothing changed).
 *
 * @example
 * ```ts
 * import type { DecisionError } from 'actioncenter';
 * const mixed = (e: DecisionError) => e.code === 'selectionRefused';
 * ```
 */
export type DecisionError = OperationFailure | SelectionRefusedError | JustificationRequiredError | AbortedError;

/**
 * The errors `run` can answer: input (its ids), store, clock.
 *
 * @example
 * ```ts
 * import type { RunError } from 'actioncenter';
 * const transient = (e: RunError) => e.code === 'repositoryUnavailable' || e.code === 'clockInvalid';
 * ```
 */
export type RunError = OperationFailure;

/**
 * The errors `expire` can answer.
 *
 * @example
 * ```ts
 * import type { ExpireError } from 'actioncenter';
 * const transient = (e: ExpireError) => e.code === 'repositoryUnavailable';
 * ```
 */
export type ExpireError = RepositoryError | ClockInvalidError | InternalError;

/**
 * The errors the views (`list`, `listInvestigations`, `investigation`, `exportCsv`) can answer;
 * `queryTooBroad` when the store will not sort that many matches by a column it has no index for.
 *
 * @example
 * ```ts
 * import type { ReadError } from 'actioncenter';
 * const denied = (e: ReadError) => e.code === 'accessDenied';
 * ```
 */
export type ReadError = OperationFailure | AccessDeniedError | QueryTooBroadError;

/**
 * The errors `get` and `auditTrail` can answer: those of the views, and `notFound` (also for an
 * action outside the reader's scope, so that its existence is not revealed).
 *
 * @example
 * ```ts
 * import type { GetError } from 'actioncenter';
 * const missing = (e: GetError) => e.code === 'notFound';
 * ```
 */
export type GetError = ReadError | NotFoundError;
