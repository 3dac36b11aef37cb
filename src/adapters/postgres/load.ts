/**
 * The bulk load path, for imports and benchmarks: many actions and their audit events written in
 * one transaction, in large set-based batches (`INSERT ... SELECT FROM unnest(...)` of column arrays), with
 * the checks of `commit`; into an empty store, with the indexes built after the rows (load-empty.ts).
 * No `COPY`: `pg` needs an extra dependency (pg-copy-streams) for it, and on PostgreSQL 15 `COPY`
 * of the same rows measured no faster than these statements (JSONB parsing and index upkeep dominate).
 *
 * @module
 */
import * as z from 'zod';
import { err, ok, type ActionRecord, type AuditEvent, type InvalidInputError, type Result } from 'actioncenter';
import {
  safeParseInput,
  unreadableInput,
  unreadableWrite,
  type CommitBatch,
  type RepositoryError,
} from 'actioncenter/adapter-kit';
import { databaseOf, describeError, type PostgresClient } from './client.js';
import { commitChunks, prepare } from './commit.js';
import { LoadRefused, loadIntoEmpty, storeIsEmpty } from './load-empty.js';
import { namesOf, type PostgresSchemaOptions } from './names.js';

/**
 * What {@link bulkLoad} writes: new actions (none may be stored yet) and audit events (of these
 * actions or of stored ones).
 *
 * @example
 * ```ts
 * import type { BulkLoadInput } from 'actioncenter/postgres';
 * const nothing: BulkLoadInput = { actions: [], events: [] };
 * ```
 */
export interface BulkLoadInput {
  /** The records to store, each new (a stored id is a conflict); validated like a commit's. */
  readonly actions: readonly ActionRecord[];
  /** Their audit events, each naming its action by `actionId`. */
  readonly events: readonly AuditEvent[];
}

/**
 * Options of {@link bulkLoad}.
 *
 * @example
 * ```ts
 * import type { BulkLoadOptions } from 'actioncenter/postgres';
 * const options: BulkLoadOptions = { schema: 'tenant_42', batchSize: 10_000 };
 * ```
 */
export interface BulkLoadOptions extends PostgresSchemaOptions {
  /** At most this many actions per statement (1 to 100,000; default 5,000): larger batches make fewer round trips and larger parameters. */
  readonly batchSize?: number;
}

/**
 * What {@link bulkLoad} wrote.
 *
 * @example
 * ```ts
 * import type { BulkLoadReport } from 'actioncenter/postgres';
 * const report: BulkLoadReport = { actions: 0, events: 0, batches: 0 };
 * ```
 */
export interface BulkLoadReport {
  /** How many actions were stored. */
  readonly actions: number;
  /** How many audit events were stored. */
  readonly events: number;
  /**
   * How many set-based batches of actions were written: into a store holding actions, each a locking
   * read and one INSERT; into an empty store, one INSERT each, the first ones smaller (1,000 actions, growing by half).
   */
  readonly batches: number;
}

const InputSchema = z.object({ actions: z.array(z.unknown()), events: z.array(z.unknown()) });
const OptionsSchema = z.object({
  schema: z.string().optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
});

/**
 * Loads actions and audit events in ONE transaction: all or nothing. Validated like `commit`:
 * every record and event parsed once with the core's schemas (`corruptRecord`, nothing written),
 * ids not yet stored, open keys free, audit sequences and event ids unused (`conflict` naming the
 * offending actions). Never throws: invalid input is `invalidInput`, a failed connection
 * `repositoryUnavailable`.
 *
 * Into an EMPTY store (no action, no audit event) it takes the fast path (load-empty.ts): both
 * tables locked ACCESS EXCLUSIVE until the load ends (reads and writes of the store wait for it),
 * the checks made in JavaScript among the loaded rows and, from 2,000 actions, the secondary indexes
 * and the events' constraints dropped and made again once over the rows, in the same transaction
 * (the role must own the tables; otherwise they are kept). Otherwise it
 * commits batches of `batchSize` actions, each checked against the store as `commit` does (a
 * locking read, then one set-based INSERT of actions and their events).
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { bulkLoad, migrate } from 'actioncenter/postgres';
 * const db = new PGlite();
 * await migrate(db);
 * const r = await bulkLoad(db, { actions: [], events: [] });
 * if (r.ok) console.log(`${r.value.actions} actions loaded`);
 * ```
 */
export async function bulkLoad(
  client: PostgresClient,
  input: BulkLoadInput,
  options: BulkLoadOptions = {},
): Promise<Result<BulkLoadReport, RepositoryError | InvalidInputError>> {
  const parsedOptions = safeParseInput(OptionsSchema, options, 'bulk load options');
  if (!parsedOptions.ok) return parsedOptions;
  const parsed = safeParseInput(InputSchema, input, 'bulk load input');
  if (!parsed.ok) return parsed;
  const names = namesOf(parsedOptions.value.schema);
  if (!names.ok) return names;
  const actions = parsed.value.actions as readonly ActionRecord[];
  const events = parsed.value.events as readonly AuditEvent[];
  if (actions.length === 0 && events.length === 0) return ok({ actions: 0, events: 0, batches: 0 });
  const size = parsedOptions.value.batchSize ?? 5_000;
  const database = databaseOf(client);
  try {
    // Looked at first without a lock: only a load into an empty store locks the tables.
    if (await database.read((q) => storeIsEmpty(q, names.value))) {
      const fast = await database.transaction((db) => loadIntoEmpty(db, names.value, actions, events, size));
      if (fast.empty) return ok({ actions: actions.length, events: events.length, batches: fast.batches });
    }
    const batches = inBatches(actions, events, size);
    if (!batches.ok) return batches;
    // Reads parse every row: a record they would refuse rolls the whole load back. Each batch is
    // validated (once) and encoded while the database writes the batch before it.
    const done = await commitChunks(database, names.value, batches.value, (b) => unreadableWrite(b) ?? prepare(b));
    return done.ok ? ok({ actions: actions.length, events: events.length, batches: batches.value.length }) : done;
  } catch (cause) {
    if (cause instanceof LoadRefused) return err(cause.error);
    return err({
      code: 'repositoryUnavailable',
      message: `Bulk load failed, nothing was written: ${describeError(cause)}`,
    });
  }
}

/**
 * The commits of a load into a store that holds actions: `size` actions each, an event in the
 * batch of its action, events of actions stored before in the last batch. Reads every id: an input
 * that throws on reading is `invalidInput`.
 */
function inBatches(
  actions: readonly ActionRecord[],
  events: readonly AuditEvent[],
  size: number,
): Result<CommitBatch[], InvalidInputError> {
  try {
    const batches: CommitBatch[] = [];
    const batchOf = new Map<string, number>();
    const eventsOf: AuditEvent[][] = [];
    for (let i = 0; i < actions.length; i += size) {
      const slice = actions.slice(i, i + size);
      for (const a of slice) batchOf.set(a.id, batches.length);
      batches.push({
        writes: slice.map((action) => ({ action, expectedVersion: null })),
        events: [],
        idempotencyKey: null,
      });
      eventsOf.push([]);
    }
    if (batches.length === 0) {
      batches.push({ writes: [], events: [], idempotencyKey: null });
      eventsOf.push([]);
    }
    for (const e of events) eventsOf[batchOf.get(e.actionId) ?? batches.length - 1]?.push(e);
    return ok(batches.map((b, i) => ({ ...b, events: eventsOf[i] ?? [] })));
  } catch (cause) {
    return err(unreadableInput('bulk load input', cause));
  }
}
