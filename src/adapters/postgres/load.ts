/**
 * The bulk load path, for imports and benchmarks: many actions and their audit events written in
 * one transaction, in large set-based batches (`INSERT ... SELECT FROM unnest(...)` of column arrays), with
 * the checks of `commit`. No `COPY`: `pg` needs an extra dependency (pg-copy-streams) for it.
 *
 * @module
 */
import * as z from 'zod';
import { err, ok, type ActionRecord, type AuditEvent, type InvalidInputError, type Result } from 'actioncenter';
import { safeParseInput, unreadableWrite, type CommitBatch, type RepositoryError } from 'actioncenter/adapter-kit';
import { databaseOf, describeError, type PostgresClient } from './client.js';
import { commitChunks, prepare } from './commit.js';
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
  /** Actions per statement (1 to 100,000; default 5,000): larger batches make fewer round trips and larger parameters. */
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
  /** How many set-based batches were written (each a locking read and one INSERT statement). */
  readonly batches: number;
}

const InputSchema = z.object({ actions: z.array(z.unknown()), events: z.array(z.unknown()) });
const OptionsSchema = z.object({
  schema: z.string().optional(),
  batchSize: z.number().int().min(1).max(100_000).optional(),
});

/**
 * Loads actions and audit events in ONE transaction, in batches of `batchSize` actions, each batch
 * one set-based INSERT of actions and of their events: all or nothing. Validated like `commit`:
 * every record and event parsed with the core's schemas (`corruptRecord`, nothing written), ids
 * not yet stored, open keys free, audit sequences and event ids unused (`conflict` naming every
 * offending action of the first batch that has one). An event goes in the batch of its action;
 * events of actions stored before go in the last batch. Never throws: invalid input is
 * `invalidInput`, a failed connection `repositoryUnavailable`.
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
  const size = parsedOptions.value.batchSize ?? 5_000;
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
  if (batches.length === 0 && events.length > 0) {
    batches.push({ writes: [], events: [], idempotencyKey: null });
    eventsOf.push([]);
  }
  for (const e of events) eventsOf[batchOf.get(e.actionId) ?? batches.length - 1]?.push(e);
  for (let i = 0; i < batches.length; i++) batches[i] = { ...(batches[i] as CommitBatch), events: eventsOf[i] ?? [] };
  try {
    // Reads parse every row: a record they would refuse rolls the whole load back. Each batch is
    // validated (once) and encoded while the database writes the batch before it.
    const done = await commitChunks(databaseOf(client), names.value, batches, (b) => unreadableWrite(b) ?? prepare(b));
    return done.ok ? ok({ actions: actions.length, events: events.length, batches: batches.length }) : done;
  } catch (cause) {
    return err({
      code: 'repositoryUnavailable',
      message: `Bulk load failed, nothing was written: ${describeError(cause)}`,
    });
  }
}
