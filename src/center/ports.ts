/**
 * Ports: the small interfaces the engine talks to. Adapters implement them; the engine never does
 * I/O itself. Contract suites in `actioncenter/testing` check an implementation against them.
 *
 * @module
 */
import type { ActionId } from '../catalog/ids.js';
import type { ActionRecord, AuditEvent, ActionFailure, Timestamp } from '../catalog/records.js';
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { InvalidInputError } from '../errors.js';
import type { Result } from '../result.js';
import type { ChangePage, ChangeQuery } from './change-feed.js';
import type { ActionPage, InvestigationPage, ResolvedInvestigationQuery, ResolvedQuery } from '../rules/query.js';

/**
 * Where time comes from. Inject a fixed or simulated clock in tests.
 *
 * @example
 * ```ts
 * import type { Clock } from 'actioncenter';
 * const fixed: Clock = { now: () => Date.UTC(2026, 10, 23) };
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): Timestamp;
}

/**
 * What an id is for: actions, audit events, approval requests.
 *
 * @example
 * ```ts
 * import type { IdKind } from 'actioncenter/adapter-kit';
 * const k: IdKind = 'auditEvent';
 * ```
 */
export type IdKind = 'action' | 'auditEvent' | 'approval';

/**
 * Where ids come from. Must return a new, unique id on every call.
 *
 * @example
 * ```ts
 * import type { IdGenerator } from 'actioncenter';
 * let n = 0;
 * const sequential: IdGenerator = { next: (kind) => `${kind}-${++n}` };
 * ```
 */
export interface IdGenerator {
  /** A new id for an action, audit event or approval: unique, never reused. */
  next(kind: IdKind): string;
}

/**
 * A repository that could not do its job (connection lost, disk full): nothing was written.
 *
 * @example
 * ```ts
 * import type { RepositoryUnavailableError } from 'actioncenter/adapter-kit';
 * const e: RepositoryUnavailableError = { code: 'repositoryUnavailable', message: 'connection refused' };
 * ```
 */
export interface RepositoryUnavailableError {
  /** Discriminant: always `'repositoryUnavailable'`. Match on it, not on the message. */
  readonly code: 'repositoryUnavailable';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
}

/**
 * A stored row that does not parse as a record (edited by hand, written by a buggy version).
 *
 * @example
 * ```ts
 * import type { CorruptRecordError } from 'actioncenter/adapter-kit';
 * const e: CorruptRecordError = { code: 'corruptRecord', message: 'status: invalid', actionId: 'a1', issues: [] };
 * ```
 */
export interface CorruptRecordError {
  /** Discriminant: always `'corruptRecord'`. Match on it, not on the message. */
  readonly code: 'corruptRecord';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The action whose stored record does not parse. */
  readonly actionId: string;
  /** What is wrong with it, as zod reports it (path, code, message). */
  readonly issues: readonly {
    readonly path: readonly (string | number)[];
    readonly code: string;
    readonly message: string;
  }[];
}

/**
 * Why a commit was refused as a whole. `staleVersion`: another writer changed an action first;
 * `alreadyExists`: a create for an id that exists; `openKeyTaken`: another open action holds the same
 * open key; `idempotencyKeyTaken`: another commit claimed the idempotency key.
 *
 * @example
 * ```ts
 * import type { ConflictError } from 'actioncenter/adapter-kit';
 * const e: ConflictError = { code: 'conflict', message: 'stale', reason: 'staleVersion', actionIds: ['a1'] };
 * ```
 */
export interface ConflictError {
  /** Discriminant: always `'conflict'`. Match on it, not on the message. */
  readonly code: 'conflict';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** Which guarantee a write would break: a stale version, an existing id, an open key or an idempotency key already held. */
  readonly reason: 'staleVersion' | 'alreadyExists' | 'openKeyTaken' | 'idempotencyKeyTaken';
  /** The actions (or keys) that conflicted. */
  readonly actionIds: readonly string[];
}

/**
 * Errors a repository returns.
 *
 * @example
 * ```ts
 * import type { RepositoryError } from 'actioncenter/adapter-kit';
 * const retryable = (e: RepositoryError) => e.code === 'conflict';
 * ```
 */
export type RepositoryError = RepositoryUnavailableError | CorruptRecordError | ConflictError;

/**
 * A view query a store refuses rather than run: sorting every match by a column no index of the
 * store serves would read and sort them all (1-2 s over 1,000,000 actions in PostgreSQL). More than
 * `limit` actions match; narrow the filter or sort by an indexed column (`id`, `createdAt`,
 * `decidedAt`, `completedAt`). Only `query` answers it, never for a sort by `id` or `createdAt`.
 *
 * @example
 * ```ts
 * import type { QueryTooBroadError } from 'actioncenter';
 * const hint = (e: QueryTooBroadError) => `More than ${e.limit} actions: narrow the filter to sort by ${e.sortColumn}`;
 * ```
 */
export interface QueryTooBroadError {
  /** Discriminant: always `'queryTooBroad'`. Match on it, not on the message. */
  readonly code: 'queryTooBroad';
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The column the refused query sorts by. */
  readonly sortColumn: string;
  /** The most matches the store sorts by this column (the store's setting). */
  readonly limit: number;
  /** How many actions match, at least (counted up to `limit + 1`). */
  readonly atLeast: number;
}

/**
 * Errors `ActionRepository.query` returns: those of any read, and {@link QueryTooBroadError}.
 *
 * @example
 * ```ts
 * import type { QueryError } from 'actioncenter/adapter-kit';
 * const narrowFilter = (e: QueryError) => e.code === 'queryTooBroad';
 * ```
 */
export type QueryError = RepositoryError | QueryTooBroadError;

/**
 * Where a page of {@link ActionRepository.due} ended: the due time and id of the last action it
 * read. The next page starts after it.
 *
 * @example
 * ```ts
 * import type { DueCursor } from 'actioncenter/adapter-kit';
 * const start: DueCursor = { dueAt: 0, id: '' };
 * ```
 */
export interface DueCursor {
  /** The due time of the last action read (`dueAtOf` of its record). */
  readonly dueAt: Timestamp;
  /** Its id. */
  readonly id: string;
}

/**
 * What {@link ActionRepository.due} is asked: the actions whose due time (`dueAtOf`) is at or
 * before `before`, in (due time, id) order, at most `limit` (1 to 10,000), after `after`.
 *
 * @example
 * ```ts
 * import type { DueQuery } from 'actioncenter/adapter-kit';
 * const firstPage: DueQuery = { before: Date.UTC(2026, 10, 29), limit: 500 };
 * ```
 */
export interface DueQuery {
  /** The sweep's time: actions due at or before it are answered. */
  readonly before: Timestamp;
  /** The most actions (and unreadable rows) one page reads: 1 to 10,000. */
  readonly limit: number;
  /** Start after this place (the previous page's `next`); left out or null: from the start. */
  readonly after?: DueCursor | null;
}

/**
 * One page of due actions, in (due time, id) order.
 *
 * @example
 * ```ts
 * import type { DuePage } from 'actioncenter/adapter-kit';
 * const more = (page: DuePage) => page.next !== null;
 * ```
 */
export interface DuePage {
  /** The due actions of the page, as stored. */
  readonly items: readonly ActionRecord[];
  /** Where to continue (pass as `after`); null when no due action follows the page. */
  readonly next: DueCursor | null;
  /** Stored rows of the page that do not parse, left out of `items` (a store that can hold them). */
  readonly skipped?: readonly CorruptRecordError[];
}

/**
 * Errors `ActionRepository.due` returns: those of any read, and `invalidInput` for a malformed query.
 *
 * @example
 * ```ts
 * import type { DueError } from 'actioncenter/adapter-kit';
 * const badQuery = (e: DueError) => e.code === 'invalidInput';
 * ```
 */
export type DueError = RepositoryError | InvalidInputError;

/**
 * Errors `ActionRepository.changes` returns: those of any read, and `invalidInput` for a malformed query.
 *
 * @example
 * ```ts
 * import type { ChangesError } from 'actioncenter/adapter-kit';
 * const badQuery = (e: ChangesError) => e.code === 'invalidInput';
 * ```
 */
export type ChangesError = RepositoryError | InvalidInputError;

/**
 * One action written by a commit: created (`expectedVersion: null`) or updated from the version
 * the writer read (`expectedVersion`, and `action.version` must be `expectedVersion + 1`).
 *
 * @example
 * ```ts
 * import type { ActionWrite } from 'actioncenter/adapter-kit';
 * // { action: next, expectedVersion: previous.version }
 * ```
 */
export interface ActionWrite {
  /** The record to store: a new one at version 1, or the next version of a stored one. */
  readonly action: ActionRecord;
  /** The version the writer read: the stored version must still be this (`null`: the id must not exist yet). */
  readonly expectedVersion: number | null;
}

/**
 * What one atomic commit writes: actions and their audit events, all or nothing.
 *
 * @example
 * ```ts
 * import type { CommitBatch } from 'actioncenter/adapter-kit';
 * const empty: CommitBatch = { writes: [], events: [], idempotencyKey: null };
 * ```
 */
export interface CommitBatch {
  /** The records to store, all or none. */
  readonly writes: readonly ActionWrite[];
  /** The audit events of these writes, committed with them. */
  readonly events: readonly AuditEvent[];
  /** Claimed together with the writes; a second claim of the same key is a conflict. */
  readonly idempotencyKey: { readonly key: string; readonly actionIds: readonly ActionId[] } | null;
}

/**
 * The action repository port. Every method returns a `Result`; none throws for expected failures.
 *
 * Guarantees an implementation must give (checked by `repositoryContract` in `actioncenter/testing`):
 * - `commit` is atomic: all writes and events are stored, or none.
 * - A write whose `expectedVersion` is not the stored version (or `null` for an existing id) refuses
 *   the whole commit with a `conflict` naming the actions.
 * - Two open actions (status pending, approved or running) never share a non-null `openKey`.
 * - `query` returns exactly what `referenceQuery` returns over the stored actions, or refuses a sort
 *   no index serves over too many matches with `queryTooBroad` (never a sort by `id` or `createdAt`). A store that can
 *   hold unreadable rows leaves each one out of its page and names it in `ActionPage.skipped`, with a
 *   `nextCursor` past it, rather than failing the page.
 * - `commit` never stores a record its reads would refuse: it refuses the commit with
 *   `corruptRecord` instead (`unreadableWrite` checks a batch).
 * - `auditTrail` returns an action's events in `sequence` order.
 * - `changes` is the feed of every committed audit event, each with a position given at commit: in
 *   commit order, gap-free, each action's events in `sequence` order, none from a refused commit. A
 *   reader that resumes after the last position it saw misses nothing and sees nothing twice, even
 *   while other processes commit.
 * - `due` returns exactly the stored actions whose `dueAtOf` is at most `before`, in (due time, id)
 *   order, paged by `limit` and `after` (`referenceDue` in `actioncenter/adapter-kit` says what).
 * - Records returned cannot be used to change stored state (frozen or copied).
 * - Any string is a safe id to read with: one no action has (`''`, `'__proto__'`, a NUL) is not found.
 *
 * @example
 * ```ts
 * import { createMemoryRepository } from 'actioncenter';
 * const repo = createMemoryRepository();
 * const page = await repo.query({ filter: { statuses: ['pending'], ids: null, actionTypes: null, sources: null,
 *   workloads: null, assets: null, decidedBy: null, investigationIds: null, approvalIds: null, createdFrom: null,
 *   createdTo: null }, sort: { column: 'createdAt', direction: 'desc' }, page: { size: 50, cursor: null, index: 0 } });
 * ```
 */
export interface ActionRepository {
  /**
   * Reads one action; `null` when the id is unknown. Ids are plain strings here (records returned
   * carry branded ones): any string is safe, and one that cannot be an id is simply not found.
   */
  get(id: string): Promise<Result<ActionRecord | null, RepositoryError>>;
  /** The found actions, in the order of `ids`; missing ids (any string) are left out. */
  getMany(ids: readonly string[]): Promise<Result<readonly ActionRecord[], RepositoryError>>;
  /**
   * One page of a view, exactly as `referenceQuery` would return it over the stored actions; or
   * `queryTooBroad` when the store will not sort that many matches by a column it has no index for
   * (never for a sort by `id` or `createdAt`, the orders the engine's own sweeps read).
   */
  query(query: ResolvedQuery): Promise<Result<ActionPage, QueryError>>;
  /**
   * One page of the grouped view (actions by investigation, seed 003), exactly as
   * `referenceInvestigations` would return it over the stored actions. Optional: without it, the
   * engine groups the pages of `query` itself (every matching action is read).
   */
  queryInvestigations?(query: ResolvedInvestigationQuery): Promise<Result<InvestigationPage, RepositoryError>>;
  /** The open action (pending, approved or running) holding this open key, if any. */
  findOpen(openKey: string): Promise<Result<ActionRecord | null, RepositoryError>>;
  /** The actions created by the commit that claimed this idempotency key, if any. */
  findByIdempotencyKey(key: string): Promise<Result<readonly ActionId[] | null, RepositoryError>>;
  /** The action's audit events in `sequence` order (empty for an unknown id). */
  auditTrail(id: string): Promise<Result<readonly AuditEvent[], RepositoryError>>;
  /** Stores the writes and events atomically, or refuses them all (`conflict` naming the actions). */
  commit(batch: CommitBatch): Promise<Result<void, RepositoryError>>;
  /**
   * The change feed: the committed audit events after position `query.after` (null: from the
   * first), in position order, at most `query.limit`. Positions are given at commit, in commit
   * order and without gaps, so a reader that passes each page's `next` as the next `after` sees
   * every committed event exactly once, whatever other processes commit meanwhile. A malformed
   * query (`readChangeQuery` refuses it) is `invalidInput` and reads nothing.
   */
  changes(query: ChangeQuery): Promise<Result<ChangePage, ChangesError>>;
  /**
   * The actions due at or before `query.before` (their `dueAtOf` is not null and at most it), in
   * (due time, id) order, a page of at most `query.limit` after `query.after`: what a sweep has to
   * look at, found through an index on the due time, so that a tick costs what is due, not what is
   * stored. A malformed query (`readDueQuery` refuses it) is `invalidInput` and reads nothing.
   */
  due(query: DueQuery): Promise<Result<DuePage, DueError>>;
}

/**
 * What an executor reports for one action or undo: a final outcome, or `accepted` when it only
 * dispatched the work (the remote system answers later, through `center.report`, naming
 * `reference`). Details (flat scalars) end up on the record (`executionDetails`) and in the audit.
 * A failure with `retryable: true` is transient: the action type's retry policy starts the action
 * again after a backoff while attempts are left (each attempt in the audit trail); otherwise final.
 *
 * @example
 * ```ts
 * import type { ExecutionOutcome } from 'actioncenter';
 * const done: ExecutionOutcome = { status: 'succeeded' };
 * const failed: ExecutionOutcome = { status: 'failed', failure: { code: 'deviceOffline', message: 'No response' } };
 * const transient: ExecutionOutcome = { status: 'failed', failure: { code: 'throttled', message: 'HTTP 429' }, retryable: true };
 * const dispatched: ExecutionOutcome = { status: 'accepted', reference: 'machine-action-7f3c', details: { machineActionStatus: 'Pending' } };
 * ```
 */
export type ExecutionOutcome =
  | { readonly status: 'succeeded'; readonly details?: Readonly<Record<string, string | number | boolean | null>> }
  | {
      readonly status: 'failed';
      readonly failure: ActionFailure;
      /** Transient (the service was busy, throttled, unreachable): retry by the type's policy. Default false. */
      readonly retryable?: boolean;
    }
  | {
      /** Some of the work was done: recorded as a failure whose details say what was done. */
      readonly status: 'partial';
      readonly failure: ActionFailure;
      readonly details?: Readonly<Record<string, string | number | boolean | null>>;
    }
  | {
      /**
       * Dispatched: the action stays running until `center.report` records its outcome (or its
       * deadline passes). `reference`: the remote system's id of the work, 1-200 printable characters.
       */
      readonly status: 'accepted';
      readonly reference: string;
      readonly details?: Readonly<Record<string, string | number | boolean | null>>;
    };

/**
 * What an executor is given: the action, its type, and a signal aborted when the deadline passes or
 * the action is cancelled.
 *
 * @example
 * ```ts
 * import type { ExecutionRequest } from 'actioncenter';
 * const label = (r: ExecutionRequest) => `${r.actionType.displayName} on ${r.action.id}`;
 * ```
 */
export interface ExecutionRequest {
  /** The action to carry out: running, with its deadline; deep-frozen. */
  readonly action: ActionRecord;
  /** Its action type, with the parsed parameters' schema. */
  readonly actionType: ActionTypeDefinition;
  /** Aborted when the action is cancelled or its deadline passes: stop and resolve promptly. */
  readonly signal: AbortSignal;
}

/**
 * The executor port: carries out actions (and their undo counterparts) against real systems.
 *
 * @example
 * ```ts
 * import type { ActionExecutor } from 'actioncenter';
 * const logOnly: ActionExecutor = {
 *   supports: () => true,
 *   execute: async ({ action }) => { console.log('would run', action.actionType); return { status: 'succeeded' }; },
 * };
 * ```
 */
export interface ActionExecutor {
  /** Does this executor carry out actions of this type? Unsupported types fail without a call. */
  supports(actionTypeId: string): boolean;
  /** Carries out one action. Undo counterparts are actions too (their `undoOf` names the original). */
  execute(request: ExecutionRequest): Promise<ExecutionOutcome>;
}
