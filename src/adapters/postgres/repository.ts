/**
 * The PostgreSQL {@link ActionRepository}.
 *
 * @module
 */
import * as z from 'zod';
import {
  ActionCenterException,
  err,
  ok,
  type ActionId,
  type ActionPage,
  type ActionRecord,
  type ActionRepository,
  type AuditEvent,
  type InvestigationPage,
  type Result,
} from 'actioncenter';
import {
  safeParseInput,
  type CorruptRecordError,
  type QueryError,
  type RepositoryError,
  type ResolvedInvestigationQuery,
  type ResolvedQuery,
  encodeCursor,
  readChangeQuery,
  sortValue,
} from 'actioncenter/adapter-kit';
import { databaseOf, describeError, sqlState, type Database, type PostgresClient } from './client.js';
import { commitBatch } from './commit.js';
import { readChanges } from './changes.js';
import { duePage } from './due.js';
import type { BeforeCommit } from './commit-hook.js';
import { ACTION_SELECT, EVENT_SELECT, actionFromRow, claimedIds, eventFromRow, investigationOfRow } from './rows.js';
import { openKeyIn, namesOf, type Names, type PostgresSchemaOptions } from './names.js';
import { SCHEMA_VERSION } from './schema.js';
import { UNINDEXED_SORT_LIMIT, cappedCount, sortIsIndexed, tooBroad } from './sort-bound.js';
import { columnText, originalText } from './text.js';
import { investigationsQuery, pageQuery, rowSortValue, textArray, viewQuery, type Statement } from './view-sql.js';

/**
 * How many matches a PostgreSQL view query counts at most (issue 14): an exact `count(*)` scans every
 * match on every page (236 ms at 1M actions for a 0.27 ms page), so past this the total is
 * `EXACT_TOTAL_LIMIT` with `totalIs: 'atLeast'` ("more than 10,000"); deeper pages by index say at
 * least the rows up to their end. Below it, totals are exact. Option `exactTotalLimit` changes it.
 *
 * @example
 * ```ts
 * import { EXACT_TOTAL_LIMIT } from 'actioncenter/postgres';
 * const label = (total: number) => (total >= EXACT_TOTAL_LIMIT ? `more than ${total}` : String(total));
 * ```
 */
export const EXACT_TOTAL_LIMIT = 10_000;

/**
 * Options of {@link createPostgresRepository}.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { PostgresRepositoryOptions } from 'actioncenter/postgres';
 * const options: PostgresRepositoryOptions = { client: new pg.Pool({ connectionString: process.env['DATABASE_URL'] }) };
 * ```
 */
export interface PostgresRepositoryOptions extends PostgresSchemaOptions {
  /**
   * A `pg` Pool (transactions check a client out and release it), a `pg` Client or checked-out
   * PoolClient (one connection: calls take turns), or a PGlite database (transactions through
   * `transaction()`).
   */
  readonly client: PostgresClient;
  /**
   * How many matches a view query counts exactly, at most (default {@link EXACT_TOTAL_LIMIT}); past
   * it a page says `totalIs: 'atLeast'` with `total` the limit (or, for a page by index deeper than
   * it, the rows up to the page's end). A positive integer.
   */
  readonly exactTotalLimit?: number;
  /**
   * How many matches a view query sorts at most by a column no index serves (default
   * {@link UNINDEXED_SORT_LIMIT}); past it `query` answers `queryTooBroad` without sorting. Sorts by
   * `id`, `createdAt`, `decidedAt` and `completedAt` read an index and are never refused. A positive integer.
   */
  readonly maxUnindexedSortRows?: number;
  /**
   * Runs inside every `commit`'s transaction, after its writes and checks and before COMMIT, with
   * the transaction's connection and the batch: what it writes on `tx` commits with the batch, or
   * not at all (e.g. `pgBossEnqueue` from `actioncenter/pg-boss` sends the jobs of approved actions).
   * A throw or rejection rolls the whole commit back: `repositoryUnavailable`, nothing written, no
   * retry. A commit retried after a lost race runs it again in the new transaction. `bulkLoad` does
   * not call it (it writes new actions and their history, no transitions).
   */
  readonly beforeCommit?: BeforeCommit;
}

/**
 * The PostgreSQL {@link ActionRepository}, plus diagnostics.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresRepository, migrate, type PostgresRepository } from 'actioncenter/postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const repo: PostgresRepository = createPostgresRepository({ client: db });
 * ```
 */
export interface PostgresRepository extends ActionRepository {
  /** The grouped view (actions by investigation), with SQL `GROUP BY`. */
  queryInvestigations(query: ResolvedInvestigationQuery): Promise<Result<InvestigationPage, RepositoryError>>;
  /** The schema the tables are in; null for the connection's `search_path`. */
  readonly schema: string | null;
  /** The statement (text and parameters) a view query runs: filters, order and paging in SQL. */
  statementOf(query: ResolvedQuery): Statement;
  /** PostgreSQL's plan for the page of a view query (`EXPLAIN`), one line per plan node. */
  explain(query: ResolvedQuery): Promise<Result<readonly string[], RepositoryError>>;
}

const OptionsSchema = z.object({
  client: z.custom<PostgresClient>(
    (c) => typeof c === 'object' && c !== null && typeof (c as { query?: unknown }).query === 'function',
    {
      message: 'must be a pg Pool or Client, or a PGlite database (anything with query(text, params))',
    },
  ),
  schema: z.string().optional(),
  exactTotalLimit: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER - 1)
    .optional(),
  maxUnindexedSortRows: z
    .number()
    .int()
    .positive()
    .max(Number.MAX_SAFE_INTEGER - 1)
    .optional(),
  beforeCommit: z.custom<BeforeCommit>((f) => typeof f === 'function', { message: 'must be a function' }).optional(),
});

function unavailable(cause: unknown): RepositoryError {
  const hint = sqlState(cause) === '42P01' ? ' (the actioncenter tables are missing: run migrate(client) first)' : '';
  return { code: 'repositoryUnavailable', message: `${describeError(cause)}${hint}` };
}

/**
 * Creates an {@link ActionRepository} on PostgreSQL (a server through `pg`, or PGlite in process).
 * Run {@link migrate} once before (at start-up: it is safe to run from every instance).
 *
 * - `commit` is one transaction: every action the batch touches is locked and version-checked
 *   first, so a refused commit names every offending action (reasons and priority as in the memory
 *   repository); then `UPDATE ... WHERE version = expected`, the INSERTs of new actions, audit
 *   events and the idempotency key, all or nothing. Open keys are unique among open actions by a
 *   constraint, so instances sharing the database cannot both open the same action.
 * - `query` runs in SQL (filters, order, keyset or OFFSET paging, total) and returns exactly what
 *   `referenceQuery` returns, text ordered by UTF-16 code units as in JavaScript; the total is
 *   counted up to `exactTotalLimit` only, past it a lower bound (`totalIs: 'atLeast'`).
 * - Reads parse every row again: a row edited into an invalid state is a `corruptRecord` error for
 *   `get`, `getMany` and `auditTrail`; `query` leaves it out of the page and names it in
 *   `ActionPage.skipped` (paging goes on past it). `commit` refuses to write a record the reads
 *   would refuse (`corruptRecord`, nothing written).
 * - `changes` reads the change feed by position (migration 6): a commit that writes events takes
 *   their positions from a one-row counter in its transaction, so positions follow commit order
 *   with no gap, and notifies the schema's channel at COMMIT (`listenForChanges`, `followChanges`).
 *   The counter row is held from the events INSERT to COMMIT: commits that write events finish one
 *   at a time (with synchronous_commit on, concurrent small commits no longer share a WAL flush).
 * - A lost connection (server stopped, backend terminated) is `repositoryUnavailable`, never an
 *   unhandled 'error' event: the adapter listens for 'error' on a pool, on every client it checks
 *   out and on a single client; a broken client is released as broken, and with a pool the next
 *   call works once the server is back (a single `pg.Client` stays lost: prefer a Pool).
 * - Nothing throws: connection failures are `repositoryUnavailable`.
 *
 * Throws {@link ActionCenterException} only for invalid options (a programming error).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { createActionCenter } from 'actioncenter';
 * import { createPostgresRepository, migrate } from 'actioncenter/postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const center = createActionCenter({ repository: createPostgresRepository({ client: db }) });
 * ```
 */
export function createPostgresRepository(options: PostgresRepositoryOptions): PostgresRepository {
  // Read once inside a guard (a Proxy or getter that throws is an invalid option), then the copy only.
  const parsed = safeParseInput(OptionsSchema, options, 'postgres repository options');
  if (!parsed.ok) throw new ActionCenterException(parsed.error);
  options = parsed.value as PostgresRepositoryOptions;
  const names = namesOf(options.schema);
  if (!names.ok) throw new ActionCenterException(names.error);
  const n: Names = names.value;
  const database: Database = databaseOf(options.client);
  const cap = options.exactTotalLimit ?? EXACT_TOTAL_LIMIT;
  const sortLimit = options.maxUnindexedSortRows ?? UNINDEXED_SORT_LIMIT;

  // The schema version is checked once, on first use (again after a failure).
  let ready: Promise<Result<void, RepositoryError>> | null = null;
  function checkSchema(): Promise<Result<void, RepositoryError>> {
    ready ??= database
      .read(async (db) => {
        const r = await db.query(`SELECT coalesce(max(version), 0)::int AS version FROM ${n.version}`);
        return Number(r.rows[0]?.['version'] ?? 0);
      })
      .then(
        (version): Result<void, RepositoryError> => {
          if (version === SCHEMA_VERSION) return ok(undefined);
          const message =
            version < SCHEMA_VERSION
              ? `The actioncenter schema${n.schema === null ? '' : ` "${n.schema}"`} is at version ${version}, this release needs ${SCHEMA_VERSION}: run migrate(client) first`
              : `The actioncenter schema is at version ${version}, newer than this release knows (${SCHEMA_VERSION}): upgrade actioncenter`;
          return err({ code: 'repositoryUnavailable', message });
        },
        (cause: unknown): Result<void, RepositoryError> => err(unavailable(cause)),
      )
      .then((r) => {
        if (!r.ok) ready = null;
        return r;
      });
    return ready;
  }

  /** Runs a read after the schema check; anything thrown becomes `repositoryUnavailable`. */
  async function guarded<T, E = RepositoryError>(
    run: () => Promise<Result<T, E>>,
  ): Promise<Result<T, E | RepositoryError>> {
    const schema = await checkSchema();
    if (!schema.ok) return schema;
    try {
      return await run();
    } catch (cause) {
      return err(unavailable(cause));
    }
  }

  function actionsFrom(rows: readonly Record<string, unknown>[]): Result<ActionRecord[], RepositoryError> {
    const out: ActionRecord[] = [];
    for (const row of rows) {
      const action = actionFromRow(row);
      if (!action.ok) return action;
      out.push(action.value);
    }
    return ok(out);
  }

  async function get(id: string): Promise<Result<ActionRecord | null, RepositoryError>> {
    // A caller in plain JavaScript may pass anything: what is not a string is no stored id.
    if (typeof id !== 'string') return ok(null);
    return guarded(async () => {
      const r = await database.read((db) =>
        db.query(`SELECT ${ACTION_SELECT} FROM ${n.actions} a WHERE a.id = $1`, [columnText(id)]),
      );
      const found = actionsFrom(r.rows);
      return found.ok ? ok(found.value[0] ?? null) : found;
    });
  }

  async function getMany(ids: readonly string[]): Promise<Result<readonly ActionRecord[], RepositoryError>> {
    const wanted = [...new Set(ids.filter((id) => typeof id === 'string'))];
    if (wanted.length === 0) return ok([]);
    return guarded(async () => {
      const r = await database.read((db) =>
        db.query(`SELECT ${ACTION_SELECT} FROM ${n.actions} a WHERE a.id = ANY($1::text[])`, [
          textArray(wanted.map(columnText)),
        ]),
      );
      const found = actionsFrom(r.rows);
      if (!found.ok) return found;
      const byId = new Map(found.value.map((a) => [a.id as string, a]));
      const ordered: ActionRecord[] = [];
      for (const id of ids) {
        const action = byId.get(id);
        if (action !== undefined) ordered.push(action);
      }
      return ok(ordered);
    });
  }

  async function query(q: ResolvedQuery): Promise<Result<ActionPage, QueryError>> {
    return guarded(async (): Promise<Result<ActionPage, QueryError>> => {
      const statement = viewQuery(n, q, cap);
      const bound = sortIsIndexed(q.sort.column) ? null : cappedCount(n, q, sortLimit);
      const answer = await database.read(async (db) => {
        // A sort no index serves reads every match: counted first (up to the limit), refused past it.
        const counted = bound === null ? 0 : Number((await db.query(bound.text, bound.params)).rows[0]?.['n'] ?? 0);
        return counted > sortLimit ? counted : await db.query(statement.text, statement.params);
      });
      if (typeof answer === 'number') return err(tooBroad(q.sort.column, sortLimit, answer));
      const r = answer;
      const counted = Number(r.rows[0]?.['total'] ?? 0);
      const rows = r.rows.filter((row) => row['id'] !== null && row['id'] !== undefined);
      // An unreadable row is left out and named, not a failed page: the rest of the page is served,
      // and the cursor goes past it (taken from the typed columns when the last row is unreadable).
      const onPage = rows.slice(0, q.page.size);
      // Counted up to cap + 1: past the cap the total is a lower bound, the cap or, deeper by index,
      // the rows this page shows to exist (an unreadable cursor pages by index: 0 then undercounts).
      const shown = onPage.length === 0 ? 0 : (q.page.cursor === null ? q.page.index * q.page.size : 0) + onPage.length;
      const [total, totalIs] = counted > cap ? [Math.max(cap, shown), 'atLeast' as const] : [counted, 'exact' as const];
      const items: ActionRecord[] = [];
      const skipped: CorruptRecordError[] = [];
      let last: { readonly value: string | number | null; readonly id: string } | undefined;
      for (const row of onPage) {
        const action = actionFromRow(row);
        if (action.ok) {
          items.push(action.value);
          last = { value: sortValue(action.value, q.sort.column, q.sort.labels), id: action.value.id };
        } else {
          skipped.push(action.error);
          last = { value: rowSortValue(row, q.sort.column), id: originalText(String(row['id'])) };
        }
      }
      const nextCursor = last !== undefined && rows.length > q.page.size ? encodeCursor(last) : null;
      const page = { items, total, totalIs, nextCursor };
      return ok(skipped.length === 0 ? page : { ...page, skipped });
    });
  }

  async function queryInvestigations(
    q: ResolvedInvestigationQuery,
  ): Promise<Result<InvestigationPage, RepositoryError>> {
    return guarded(async () => {
      const statement = investigationsQuery(n, q);
      const r = await database.read((db) => db.query(statement.text, statement.params));
      const total = Number(r.rows[0]?.['total'] ?? 0);
      const items = r.rows
        .filter((row) => row['investigation_id'] !== null && row['investigation_id'] !== undefined)
        .map(investigationOfRow);
      return ok({ items, total });
    });
  }

  async function findOpen(openKey: string): Promise<Result<ActionRecord | null, RepositoryError>> {
    return guarded(async () => {
      const r = await database.read((db) =>
        db.query(
          `SELECT ${ACTION_SELECT} FROM ${n.actions} a WHERE ${openKeyIn(n, 'ARRAY[$1::text]')} ORDER BY a.id LIMIT 1`,
          [columnText(openKey)],
        ),
      );
      const found = actionsFrom(r.rows);
      return found.ok ? ok(found.value[0] ?? null) : found;
    });
  }

  async function findByIdempotencyKey(key: string): Promise<Result<readonly ActionId[] | null, RepositoryError>> {
    return guarded(async () => {
      const r = await database.read((db) =>
        db.query(`SELECT k.action_ids FROM ${n.idempotency} k WHERE k.key = $1`, [columnText(key)]),
      );
      const row = r.rows[0];
      if (row === undefined) return ok(null);
      const ids = claimedIds(key, row['action_ids']);
      return ids.ok ? ok([...ids.value]) : ids;
    });
  }

  async function auditTrail(id: string): Promise<Result<readonly AuditEvent[], RepositoryError>> {
    if (typeof id !== 'string') return ok([]);
    return guarded(async () => {
      const r = await database.read((db) =>
        db.query(`SELECT ${EVENT_SELECT} FROM ${n.events} e WHERE e.action_id = $1 ORDER BY e.sequence`, [
          columnText(id),
        ]),
      );
      const events: AuditEvent[] = [];
      for (const row of r.rows) {
        const event = eventFromRow(row);
        if (!event.ok) return event;
        events.push(event.value);
      }
      return ok(events);
    });
  }

  return {
    schema: n.schema,
    get,
    getMany,
    query,
    queryInvestigations,
    findOpen,
    findByIdempotencyKey,
    auditTrail,
    async changes(query) {
      // Validated before the schema check: a malformed query reads nothing, whatever the database.
      const q = readChangeQuery(query);
      if (!q.ok) return q;
      return guarded(() => readChanges(database, n, q.value.after, q.value.limit));
    },
    due: (query) => guarded(() => duePage(database, n, query)),
    async commit(batch) {
      const schema = await checkSchema();
      if (!schema.ok) return schema;
      try {
        return await commitBatch(database, n, batch, options.beforeCommit);
      } catch (cause) {
        return err(unavailable(cause));
      }
    },
    statementOf: (q) => viewQuery(n, q, cap),
    async explain(q) {
      return guarded(async () => {
        const statement = pageQuery(n, q);
        const r = await database.read((db) => db.query(`EXPLAIN ${statement.text}`, statement.params));
        return ok(r.rows.map((row) => String(row['QUERY PLAN'] ?? Object.values(row)[0])));
      });
    },
  };
}
