/**
 * The clients the adapter accepts, described by shape (no runtime import of `pg` or PGlite), and the
 * one thing it needs from them beyond `query`: running several statements on ONE connection.
 *
 * Three shapes, told apart at run time:
 * - PGlite (`@electric-sql/pglite`): has `transaction(fn)`, which runs `fn` exclusively (PGlite
 *   queues every other query until it ends).
 * - A pool (`pg.Pool`): has `connect()` (a checked-out client with `release()`) and `totalCount`.
 *   Reads go to the pool; a transaction checks a client out, and gives it back.
 * - One connection (`pg.Client`, a checked-out `pg.PoolClient`, anything else with `query`): every
 *   call waits its turn in a queue, so that the statements of two transactions never interleave and
 *   no read runs inside someone else's transaction.
 *
 * @module
 */

/**
 * The rows of a statement, as `pg` and PGlite both return them.
 *
 * @example
 * ```ts
 * import type { PostgresQueryResult } from 'actioncenter/postgres';
 * const none: PostgresQueryResult = { rows: [], rowCount: 0 };
 * ```
 */
export interface PostgresQueryResult {
  /** The rows, as objects keyed by column name. */
  readonly rows: Record<string, unknown>[];
  /** How many rows the statement touched, when the driver says. */
  readonly rowCount?: number | null;
}

/**
 * Anything that runs one parameterised statement: `pg`'s Pool, Client and PoolClient, PGlite and
 * its transactions all fit.
 *
 * @example
 * ```ts
 * import type { PostgresQueryable } from 'actioncenter/postgres';
 * const count = async (db: PostgresQueryable) => (await db.query('select count(*)::int as n from actioncenter_actions')).rows[0]?.['n'];
 * ```
 */
export interface PostgresQueryable {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: unknown[]): Promise<PostgresQueryResult>;
}

/**
 * A connection pool of the `pg` shape: `connect()` checks a client out, `release()` gives it back
 * (`release(error)` destroys it). Told apart from a single client by its `totalCount`.
 *
 * @example
 * ```ts
 * import pg from 'pg';
 * import type { PostgresPoolLike } from 'actioncenter/postgres';
 * const pool: PostgresPoolLike = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
 * ```
 */
export interface PostgresPoolLike extends PostgresQueryable {
  /** Checks a client out of the pool for one transaction; `release` gives it back (with an error: destroys it). */
  connect(): Promise<PostgresQueryable & { release(error?: Error | boolean): void }>;
  /** How many clients the pool holds (how the adapter tells a pool from a client). */
  readonly totalCount: number;
}

/**
 * PGlite's shape: `transaction(fn)` runs `fn` on a transaction no other query interleaves with.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import type { PGliteLike } from 'actioncenter/postgres';
 * const db: PGliteLike = new PGlite();
 * ```
 */
export interface PGliteLike extends PostgresQueryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
}

/**
 * What {@link createPostgresRepository} and {@link migrate} take: a `pg` Pool, a `pg` Client (or a
 * checked-out PoolClient: one connection, used in turns), or a PGlite database.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import type { PostgresClient } from 'actioncenter/postgres';
 * const client: PostgresClient = new PGlite();
 * ```
 */
export type PostgresClient = PostgresPoolLike | PGliteLike | PostgresQueryable;

/** How the adapter talks to the database: single statements, and transactions on one connection. */
export interface Database {
  /** Runs one statement (or a few that need no common snapshot). */
  read<T>(fn: (db: PostgresQueryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` in a transaction on one connection: committed when `fn` resolves, rolled back when it
   * throws (the error is rethrown; errors of COMMIT itself, such as deferred constraints, too).
   */
  transaction<T>(fn: (db: PostgresQueryable) => Promise<T>): Promise<T>;
  /** Which of the three shapes the client is. */
  readonly kind: 'pglite' | 'pool' | 'connection';
}

function isPGlite(client: PostgresClient): client is PGliteLike {
  return typeof (client as Partial<PGliteLike>).transaction === 'function';
}

function isPool(client: PostgresClient): client is PostgresPoolLike {
  const c = client as Partial<PostgresPoolLike> & { release?: unknown };
  // A checked-out PoolClient has connect() too, but also release(): it is one connection.
  return typeof c.connect === 'function' && typeof c.release !== 'function' && typeof c.totalCount === 'number';
}

// One Database per client object: a repository and migrate() on the same connection share its queue.
const databases = new WeakMap<object, Database>();

/**
 * Wraps a client in the adapter's {@link Database}. Single connections get a queue: one call at a
 * time, so a transaction's statements run back to back.
 */
export function databaseOf(client: PostgresClient): Database {
  let database = databases.get(client);
  if (database === undefined) databases.set(client, (database = wrap(client)));
  return database;
}

function wrap(client: PostgresClient): Database {
  if (isPGlite(client)) {
    return {
      kind: 'pglite',
      read: (fn) => fn(client),
      transaction: (fn) => client.transaction((tx) => fn(tx)),
    };
  }
  if (isPool(client)) {
    // An idle client that loses its connection makes the pool emit 'error'; with no listener, Node
    // exits. The pool has already dropped that client: the next checkout opens a fresh connection.
    if (isEmitter(client)) client.on('error', ignore);
    return {
      kind: 'pool',
      read: (fn) => fn(client),
      async transaction(fn) {
        const connection = await client.connect();
        let broken: Error | undefined;
        // A checked-out client that loses its connection emits 'error' (the pool listens only to
        // idle ones): without a listener for the checkout's lifetime, Node would exit.
        const onError = (e: unknown) => {
          broken ??= asError(e);
        };
        const emitter = isEmitter(connection) ? connection : null;
        emitter?.on('error', onError);
        try {
          return await inTransaction(connection, fn, (e) => (broken ??= e));
        } finally {
          // A broken connection (lost, or its ROLLBACK failed) is destroyed rather than reused; it
          // keeps the listener, for whatever it still emits on its way out.
          if (broken === undefined) emitter?.removeListener('error', onError);
          connection.release(broken);
        }
      },
    };
  }
  // One connection: once lost it stays lost (every call is then repositoryUnavailable), but its
  // 'error' event must not kill the process.
  if (isEmitter(client)) client.on('error', ignore);
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = tail.then(fn);
    tail = next.then(
      () => undefined,
      () => undefined,
    );
    return next;
  };
  return {
    kind: 'connection',
    read: (fn) => inTurn(() => fn(client)),
    transaction: (fn) => inTurn(() => inTransaction(client, fn, () => undefined)),
  };
}

/** What `pg` clients and pools are besides queryable: event emitters (PGlite is not). */
interface ErrorEmitter {
  on(event: 'error', listener: (error: unknown) => void): unknown;
  removeListener(event: 'error', listener: (error: unknown) => void): unknown;
}

function isEmitter(value: object): value is ErrorEmitter {
  const v = value as Partial<ErrorEmitter>;
  return typeof v.on === 'function' && typeof v.removeListener === 'function';
}

// The failure reaches the caller through the rejected query; the event itself adds nothing.
const ignore = (): void => undefined;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

/**
 * Thrown when COMMIT itself failed without the server saying why (the connection was lost while
 * committing): the transaction may or may not have been applied.
 */
export class CommitOutcomeUnknown extends Error {
  constructor(override readonly cause: unknown) {
    super(`the connection was lost while committing (${describeError(cause)})`);
  }
}

async function inTransaction<T>(
  connection: PostgresQueryable,
  fn: (db: PostgresQueryable) => Promise<T>,
  onBroken: (e: Error) => void,
): Promise<T> {
  await connection.query('BEGIN');
  let result: T;
  try {
    result = await fn(connection);
  } catch (cause) {
    try {
      await connection.query('ROLLBACK');
    } catch (rollbackError) {
      onBroken(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
    }
    throw cause;
  }
  try {
    await connection.query('COMMIT');
  } catch (cause) {
    // A failed COMMIT has ended the transaction already; a ROLLBACK only tidies up (and may warn).
    try {
      await connection.query('ROLLBACK');
    } catch (rollbackError) {
      onBroken(rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError)));
    }
    // An answer from the server (a deferred constraint, a serialization failure) means it did not
    // commit; a lost connection leaves the outcome unknown.
    throw sqlState(cause) === null || /^(08|57)/.test(sqlState(cause) ?? '') ? new CommitOutcomeUnknown(cause) : cause;
  }
  return result;
}

/** The SQLSTATE of a database error (`pg` and PGlite both set `code`), or null. */
export function sqlState(error: unknown): string | null {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** The constraint a database error names, or null. */
export function constraintOf(error: unknown): string | null {
  const name = typeof error === 'object' && error !== null ? (error as { constraint?: unknown }).constraint : undefined;
  return typeof name === 'string' ? name : null;
}

/** A readable one-line description of anything thrown by a client. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const state = sqlState(error);
    return state === null ? error.message : `${error.message} (SQLSTATE ${state})`;
  }
  return String(error);
}
