/**
 * The change feed on PostgreSQL: the `changes` read of the repository, and {@link listenForChanges},
 * which wakes a reader when another process commits (LISTEN/NOTIFY), and {@link followChanges},
 * which reads the feed from a cursor on every wake-up.
 *
 * Every commit that writes audit events takes its positions from a one-row counter in its own
 * transaction (migration 6) and sends `pg_notify(channel, last position)`, which PostgreSQL delivers
 * at COMMIT only. A notification is a hint, not the data: a listener reads the feed from the last
 * position it saw, so a notification lost while it was disconnected costs nothing once it reads again.
 *
 * @module
 */
import * as z from 'zod';
import {
  err,
  ok,
  type ActionRepository,
  type ChangePage,
  type ChangePosition,
  type InvalidInputError,
  type Result,
} from 'actioncenter';
import {
  safeParseInput,
  type ChangesError,
  type RepositoryError,
  type RepositoryUnavailableError,
} from 'actioncenter/adapter-kit';
import { databaseOf, describeError, type Database, type PostgresClient, type PostgresQueryable } from './client.js';
import { namesOf, type Names, type PostgresSchemaOptions } from './names.js';
import { EVENT_SELECT, eventFromRow } from './rows.js';

/** The page of the feed after `after` (validated by the caller), in position order. */
export async function readChanges(
  database: Database,
  n: Names,
  after: number,
  limit: number,
): Promise<Result<ChangePage, RepositoryError>> {
  const r = await database.read((db) =>
    db.query(
      `SELECT e.position, ${EVENT_SELECT} FROM ${n.events} e WHERE e.position > $1 ORDER BY e.position LIMIT $2`,
      [after, limit],
    ),
  );
  const entries: { position: number; event: ChangePage['entries'][number]['event'] }[] = [];
  for (const row of r.rows) {
    const event = eventFromRow(row);
    // An unreadable event is the same error as in its audit trail: the feed does not skip it silently.
    if (!event.ok) return event;
    entries.push({ position: Number(row['position']), event: event.value });
  }
  const last = entries[entries.length - 1];
  return ok({ entries, next: last === undefined ? (after === 0 ? null : after) : last.position });
}

/**
 * A running listener of {@link listenForChanges} or follower of {@link followChanges}.
 *
 * @example
 * ```ts
 * import type { ChangeListener } from 'actioncenter/postgres';
 * const stop = (l: ChangeListener) => l.close();
 * ```
 */
export interface ChangeListener {
  /** Stops listening and gives the connection back; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Options of {@link listenForChanges}.
 *
 * @example
 * ```ts
 * import type { ChangeListenerOptions } from 'actioncenter/postgres';
 * const options: ChangeListenerOptions = { schema: 'tenant_42', onChange: (position) => console.log('feed at', position) };
 * ```
 */
export interface ChangeListenerOptions extends PostgresSchemaOptions {
  /**
   * Called when another commit wrote events (with the last position it took), and with `null` once
   * the listener is (re)connected: notifications sent while it was not listening are lost, so read
   * the feed from your cursor then.
   */
  readonly onChange: (position: ChangePosition | null) => void;
  /** Called when the listening connection is lost (a Pool's is replaced after `retryMs`). */
  readonly onError?: (error: RepositoryUnavailableError) => void;
  /** Aborting it closes the listener. */
  readonly signal?: AbortSignal;
  /** Milliseconds between attempts to listen again on a Pool after the connection was lost (default 1,000). */
  readonly retryMs?: number;
}

const ListenerSchema = z.object({
  schema: z.string().optional(),
  onChange: z.function(),
  onError: z.function().optional(),
  signal: z.instanceof(AbortSignal).optional(),
  retryMs: z.number().int().min(1).max(3_600_000).optional(),
});

/** What `pg`'s Client is besides queryable: notifications and errors as events. */
interface NotifyingClient extends PostgresQueryable {
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', listener: (error?: unknown) => void): unknown;
  removeAllListeners(event: string): unknown;
}

/** PGlite's `listen`, which answers a function that stops it. */
interface ListeningPGlite {
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/**
 * Listens for commits to the schema's change feed: LISTEN on a dedicated connection (a Pool's
 * checked-out client, kept until `close`; a `pg.Client` itself; or PGlite's `listen`), and calls
 * `onChange` with the last position of each commit, and with `null` once listening (again). On a
 * Pool, a lost connection is reported to `onError` and replaced after `retryMs`; on a single
 * `pg.Client` it is reported and the listener ends (use a Pool to have it reconnect).
 *
 * Never throws: bad options are `invalidInput`, a database that cannot be reached at the start is
 * `repositoryUnavailable`.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { listenForChanges, migrate } from 'actioncenter/postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const listener = await listenForChanges(db, { onChange: (position) => console.log('new changes up to', position) });
 * if (listener.ok) await listener.value.close();
 * ```
 */
export async function listenForChanges(
  client: PostgresClient,
  options: ChangeListenerOptions,
): Promise<Result<ChangeListener, RepositoryUnavailableError | InvalidInputError>> {
  const parsed = safeParseInput(ListenerSchema, options, 'change listener options');
  if (!parsed.ok) return parsed;
  const names = namesOf(parsed.value.schema);
  if (!names.ok) return names;
  const channel = names.value.changeChannel;
  const onChange = parsed.value.onChange as ChangeListenerOptions['onChange'];
  const onError = (parsed.value.onError ?? (() => undefined)) as NonNullable<ChangeListenerOptions['onError']>;
  const signal = parsed.value.signal;
  const retryMs = parsed.value.retryMs ?? 1_000;
  // A callback that throws is the caller's bug; it must not end the listener.
  const tell = (position: ChangePosition | null) => {
    try {
      onChange(position);
    } catch {
      // ignored: see above
    }
  };
  const positionOf = (payload: string | undefined) => {
    const n = Number(payload);
    return Number.isSafeInteger(n) && n > 0 ? n : null;
  };
  const lost = (cause: unknown): RepositoryUnavailableError => ({
    code: 'repositoryUnavailable',
    message: `The change listener lost its connection: ${describeError(cause)}`,
  });
  const kind = databaseOf(client).kind;
  let closed = false;
  let stop: () => Promise<void> = async () => undefined;
  const close = async () => {
    if (closed) return;
    closed = true;
    await stop().catch(() => undefined);
  };
  signal?.addEventListener('abort', () => void close(), { once: true });

  try {
    if (kind === 'pglite') {
      const unlisten = await (client as unknown as ListeningPGlite).listen(`"${channel}"`, (payload) =>
        tell(positionOf(payload)),
      );
      stop = unlisten;
      tell(null);
    } else {
      // Listens on one connection; resolves once LISTEN ran. On loss: reports, and (a Pool) listens again later.
      const listenOn = async (connection: NotifyingClient, release: (e?: Error) => void): Promise<void> => {
        let done = false;
        const end = (cause: unknown) => {
          if (done) return;
          done = true;
          connection.removeAllListeners('notification');
          release(cause instanceof Error ? cause : new Error(String(cause)));
          if (closed) return;
          onError(lost(cause));
          if (kind === 'pool') setTimeout(() => void retry(), retryMs);
        };
        connection.on('notification', (m) => {
          if (m.channel === channel) tell(positionOf(m.payload));
        });
        connection.on('error', end);
        connection.on('end', () => end(new Error('connection ended')));
        await connection.query(`LISTEN "${channel}"`);
        stop = async () => {
          if (done) return;
          done = true;
          connection.removeAllListeners('notification');
          await connection.query(`UNLISTEN "${channel}"`).catch(() => undefined);
          release();
        };
        tell(null);
      };
      const connect = async () => {
        if (kind === 'pool') {
          const pooled = await (
            client as unknown as { connect(): Promise<NotifyingClient & { release(e?: Error): void }> }
          ).connect();
          try {
            await listenOn(pooled, (e) => pooled.release(e));
          } catch (cause) {
            pooled.release(cause instanceof Error ? cause : new Error(String(cause)));
            throw cause;
          }
        } else {
          await listenOn(client as NotifyingClient, () => undefined);
        }
      };
      const retry = async (): Promise<void> => {
        if (closed) return;
        try {
          await connect();
        } catch (cause) {
          if (closed) return;
          onError(lost(cause));
          setTimeout(() => void retry(), retryMs);
        }
      };
      await connect();
    }
  } catch (cause) {
    closed = true;
    return err({ code: 'repositoryUnavailable', message: `Could not listen for changes: ${describeError(cause)}` });
  }
  if (signal?.aborted === true) await close();
  return ok({ close });
}

/**
 * Options of {@link followChanges}.
 *
 * @example
 * ```ts
 * import type { FollowChangesOptions } from 'actioncenter/postgres';
 * // { repository, after: savedCursor, onPage: async (page) => { await project(page.entries); save(page.next); } }
 * ```
 */
export interface FollowChangesOptions extends Omit<ChangeListenerOptions, 'onChange'> {
  /** The repository whose `changes` is read (on the same database and schema). */
  readonly repository: Pick<ActionRepository, 'changes'>;
  /** The last position already handled (null: from the first event). */
  readonly after: ChangePosition | null;
  /** Events per page (default 500, at most 10,000). */
  readonly limit?: number;
  /** Called with every non-empty page, in order, one at a time; the follower then goes on from `page.next`. */
  readonly onPage: (page: ChangePage) => void | Promise<void>;
  /** Called when a read fails (the follower tries again at the next wake-up). */
  readonly onReadError?: (error: ChangesError) => void;
}

/**
 * Follows the change feed from a cursor: reads every page after `after` now, and again whenever a
 * commit is notified (or the listener reconnects), handing each page to `onPage` in order, one at a
 * time. Every committed event reaches `onPage` once, in position order (a page whose `onPage`
 * throws is handed again at the next wake-up). Built on {@link listenForChanges}.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { createPostgresRepository, followChanges, migrate } from 'actioncenter/postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const repository = createPostgresRepository({ client: db });
 * const follower = await followChanges(db, { repository, after: null, onPage: (page) => console.log(page.entries.length) });
 * if (follower.ok) await follower.value.close();
 * ```
 */
export async function followChanges(
  client: PostgresClient,
  options: FollowChangesOptions,
): Promise<Result<ChangeListener, RepositoryUnavailableError | InvalidInputError>> {
  let cursor: ChangePosition | null;
  let limit: number;
  let repository: FollowChangesOptions['repository'];
  let onPage: FollowChangesOptions['onPage'];
  let onReadError: NonNullable<FollowChangesOptions['onReadError']>;
  let listenerOptions: Omit<ChangeListenerOptions, 'onChange'>;
  try {
    cursor = options.after;
    limit = options.limit ?? 500;
    repository = options.repository;
    onPage = options.onPage;
    onReadError = options.onReadError ?? (() => undefined);
    const { schema, onError, signal, retryMs } = options;
    listenerOptions = {
      ...(schema === undefined ? {} : { schema }),
      ...(onError === undefined ? {} : { onError }),
      ...(signal === undefined ? {} : { signal }),
      ...(retryMs === undefined ? {} : { retryMs }),
    };
    if (typeof onPage !== 'function' || typeof repository?.changes !== 'function')
      throw new Error('onPage and repository.changes must be functions');
  } catch (cause) {
    return err({
      code: 'invalidInput',
      message: `Invalid follower options: ${describeError(cause)}`,
      issues: [{ path: [], code: 'custom', message: describeError(cause) }],
    });
  }
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  // One catch-up at a time; a wake-up during one makes it read once more at its end.
  const catchUp = async (): Promise<void> => {
    for (;;) {
      if (closed) return;
      const r = await repository.changes({ after: cursor, limit });
      if (!r.ok) {
        onReadError(r.error);
        return;
      }
      if (r.value.entries.length === 0) return;
      try {
        await onPage(r.value);
      } catch {
        return;
      }
      cursor = r.value.next;
    }
  };
  const wake = () => {
    if (running !== null) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await catchUp();
      } while (again && !closed);
      running = null;
    })();
  };
  const listener = await listenForChanges(client, { ...listenerOptions, onChange: wake });
  if (!listener.ok) return listener;
  return ok({
    async close() {
      closed = true;
      await listener.value.close();
      await running;
    },
  });
}
