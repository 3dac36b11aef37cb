/**
 * The bulk load into an EMPTY store (no action, no audit event): the fast path of `bulkLoad`.
 *
 * With both tables empty and locked (ACCESS EXCLUSIVE, until the load commits or rolls back),
 * nothing stored can conflict: the checks of a commit reduce to checks among the loaded rows
 * themselves, made in JavaScript as the rows are validated. From {@link REBUILD_FROM} actions, the
 * secondary indexes and the events' constraints are dropped, the rows inserted in set-based batches,
 * then the indexes built and the constraints validated again, all in the same transaction (DDL is
 * transactional; every index keeps its name and definition): building
 * an index once over the rows is cheaper than inserting every row into it, and checking the foreign
 * key once is cheaper than one trigger per event. When the role may not drop them (not the tables'
 * owner), the load runs with them in place.
 *
 * @module
 */
import { type InvalidInputError } from 'actioncenter';
import {
  ConflictCollector,
  heldOpenKey,
  inFeedOrder,
  unreadableInput,
  unreadableWrite,
  type ConflictError,
  type CorruptRecordError,
} from 'actioncenter/adapter-kit';
import { type ActionRecord, type AuditEvent } from 'actioncenter';
import { type PostgresQueryable } from './client.js';
import { seqKey } from './commit-check.js';
import { type Names } from './names.js';
import { actionRow, recordDocument } from './rows.js';
import {
  ACTION_COLUMN_LIST,
  actionArrays,
  actionUnnest,
  actionValues,
  eventArrays,
  eventUnnest,
} from './row-arrays.js';
import { columnText } from './text.js';

/** Thrown inside the load's transaction to roll it back with a result. */
export class LoadRefused {
  constructor(readonly error: ConflictError | CorruptRecordError | InvalidInputError) {}
}

/** What the caller learns: the tables were not empty (nothing done), or how many batches were written. */
export type EmptyLoadOutcome = { readonly empty: false } | { readonly empty: true; readonly batches: number };

/** A statement's parameters, or why the chunk is refused. */
type Encoded = readonly string[] | LoadRefused;

/** The checks of a commit among the loaded rows (the store is empty), fed chunk by chunk. */
class LoadChecks {
  readonly conflicts = new ConflictCollector();
  readonly #ids = new Set<string>();
  readonly #openKeys = new Map<string, string>();
  readonly #eventIds = new Set<string>();
  readonly #sequences = new Set<string>();

  action(action: ActionRecord): void {
    if (this.#ids.has(action.id)) {
      this.conflicts.add('alreadyExists', action.id, `${action.id} is loaded twice`);
      return;
    }
    this.#ids.add(action.id);
    const key = heldOpenKey(action);
    if (key === null) return;
    const holder = this.#openKeys.get(key);
    if (holder === undefined) this.#openKeys.set(key, action.id);
    else this.conflicts.add('openKeyTaken', action.id, `${action.id} and ${holder} would both hold open key "${key}"`);
  }

  event(event: AuditEvent): void {
    if (!this.#ids.has(event.actionId)) {
      this.conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.id} is for ${event.actionId}, which is not stored`,
      );
      return;
    }
    if (this.#eventIds.has(event.id))
      this.conflicts.add('alreadyExists', event.actionId, `audit event ${event.id} appears twice`);
    const key = seqKey(event.actionId, event.sequence);
    if (this.#sequences.has(key))
      this.conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.sequence} of ${event.actionId} is already written`,
      );
    this.#eventIds.add(event.id);
    this.#sequences.add(key);
  }
}

/** Validates a chunk like a commit (every record and event parsed once), checks it, encodes it. */
function encodeActions(chunk: readonly ActionRecord[], checks: LoadChecks): Encoded {
  try {
    const unreadable = unreadableWrite({
      writes: chunk.map((action) => ({ action, expectedVersion: null })),
      events: [],
      idempotencyKey: null,
    });
    if (unreadable !== null) return new LoadRefused(unreadable);
    for (const a of chunk) checks.action(a);
    return actionArrays(
      chunk.map((a) => ({ row: actionRow(a), document: JSON.stringify(recordDocument(a)), expected: null })),
    ).params;
  } catch (cause) {
    return new LoadRefused(unreadableInput('bulk load actions', cause));
  }
}

function encodeEvents(chunk: readonly AuditEvent[], checks: LoadChecks): Encoded {
  try {
    const unreadable = unreadableWrite({ writes: [], events: chunk, idempotencyKey: null });
    if (unreadable !== null) return new LoadRefused(unreadable);
    for (const e of chunk) checks.event(e);
    return eventArrays(
      chunk.map((e) => ({
        action_id: columnText(e.actionId),
        sequence: e.sequence,
        id: columnText(e.id),
        type: columnText(e.type),
        at: e.at,
        document: JSON.stringify(e),
      })),
    );
  } catch (cause) {
    return new LoadRefused(unreadableInput('bulk load events', cause));
  }
}

/** Encoded in a macrotask: it runs once the current statement is sent, so JavaScript and the database work at once. */
const later = (encode: () => Encoded) => new Promise<Encoded>((resolve) => setImmediate(() => resolve(encode())));

interface Dropped {
  readonly indexes: readonly string[];
  readonly foreignKeys: readonly { readonly name: string; readonly definition: string }[];
}

/** Drops the indexes no constraint owns and the events' foreign keys; returns how to make them again. */
async function dropForLoad(db: PostgresQueryable, n: Names): Promise<Dropped> {
  const indexes = await db.query(
    `SELECT quote_ident(s.nspname) || '.' || quote_ident(c.relname) AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace s ON s.oid = c.relnamespace
      WHERE i.indrelid IN ($1::regclass, $2::regclass)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)
      ORDER BY c.relname`,
    [n.actions, n.events],
  );
  // The events' constraints too (primary key, unique id, foreign key): the loaded events are checked
  // in JavaScript, and the constraints made again once over all of them. Foreign keys first when made again.
  const keys = await db.query(
    `SELECT quote_ident(conname) AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
      WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype = 'f' DESC, conname`,
    [n.events],
  );
  const foreignKeys = keys.rows.map((r) => ({ name: String(r['name']), definition: String(r['definition']) }));
  for (const k of foreignKeys) await db.query(`ALTER TABLE ${n.events} DROP CONSTRAINT ${k.name}`);
  if (indexes.rows.length > 0) await db.query(`DROP INDEX ${indexes.rows.map((r) => String(r['name'])).join(', ')}`);
  return { indexes: indexes.rows.map((r) => String(r['definition'])), foreignKeys };
}

async function restore(db: PostgresQueryable, n: Names, dropped: Dropped): Promise<void> {
  for (const definition of dropped.indexes) await db.query(definition);
  for (const k of [...dropped.foreignKeys].reverse())
    await db.query(`ALTER TABLE ${n.events} ADD CONSTRAINT ${k.name} ${k.definition}`);
}

const SAVEPOINT = 'actioncenter_bulk_load_ddl';

/**
 * From how many actions a load drops the indexes and makes them again: below, dropping and making
 * some fifteen indexes and constraints costs more than keeping them up to date row by row.
 */
export const REBUILD_FROM = 2_000;

/** Actions in the first statement of a load (see the loop in {@link loadIntoEmpty}). */
const FIRST_BATCH = 1_000;

/**
 * Whether the store holds no action and no audit event. Asked outside the load's transaction: a
 * transaction that read the tables first and then asked for ACCESS EXCLUSIVE would deadlock with
 * another load doing the same (each holding the read lock the other waits on).
 *
 * @example
 * ```ts
 * import { storeIsEmpty } from './load-empty.js';
 * // if (await database.read((q) => storeIsEmpty(q, names))) ...
 * ```
 */
export async function storeIsEmpty(db: PostgresQueryable, n: Names): Promise<boolean> {
  const r = await db.query(`SELECT EXISTS (SELECT 1 FROM ${n.actions}) OR EXISTS (SELECT 1 FROM ${n.events}) AS used`);
  return r.rows[0]?.['used'] === false;
}

/**
 * Loads into the store when both tables are empty (see the module comment), inside the caller's
 * transaction, whose first statement it must be (it locks before it reads). Returns
 * `{ empty: false }`, having written nothing, when they are not; throws {@link LoadRefused} to roll
 * back with a conflict or a refused record.
 *
 * @example
 * ```ts
 * import { loadIntoEmpty } from './load-empty.js';
 * // const outcome = await database.transaction((db) => loadIntoEmpty(db, names, actions, events, 5_000));
 * ```
 */
export async function loadIntoEmpty(
  db: PostgresQueryable,
  n: Names,
  actions: readonly ActionRecord[],
  events: readonly AuditEvent[],
  size: number,
): Promise<EmptyLoadOutcome> {
  await db.query(`LOCK TABLE ${n.actions}, ${n.events} IN ACCESS EXCLUSIVE MODE`);
  // Checked (again) under the lock: a commit or another load may have written since the caller looked.
  if (!(await storeIsEmpty(db, n))) return { empty: false };
  // A batch's unnest is materialized: at the default 4 MB it spills to temporary files.
  await db.query(`SET LOCAL work_mem = '64MB'`);
  let dropped: Dropped | null = null;
  if (actions.length >= REBUILD_FROM) {
    await db.query(`SAVEPOINT ${SAVEPOINT}`);
    try {
      dropped = await dropForLoad(db, n);
      await db.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    } catch {
      // Not the tables' owner (or DDL refused otherwise): load with the indexes in place.
      await db.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    }
  }
  const checks = new LoadChecks();
  const insertActions = `INSERT INTO ${n.actions} (${ACTION_COLUMN_LIST}) SELECT ${actionValues('w')} FROM ${actionUnnest(1, 'w')}`;
  // Each chunk takes the change feed's next positions from the counter, as a commit does (migration 6).
  const insertEvents = `WITH positions AS (
      UPDATE ${n.changeCounter} SET last = last + cardinality($1::text[]) RETURNING last - cardinality($1::text[]) AS base
    )
    INSERT INTO ${n.events} (action_id, sequence, id, type, at, event, event_text, position)
    SELECT x.action_id, x.sequence, x.id, x.type, x.at, x.event::jsonb, x.event_text, (SELECT base FROM positions) + x.ord
    FROM ${eventUnnest(1, 'x', true)}`;
  const jobs: (() => Encoded)[] = [];
  const statements: string[] = [];
  // The first statements are small and grow (by half, up to `size`): the database starts on the
  // first while JavaScript validates and encodes the next, instead of waiting for a whole batch.
  let step = Math.min(size, FIRST_BATCH);
  for (let i = 0; i < actions.length; i += step, step = Math.min(size, Math.ceil(step * 1.5))) {
    const chunk = actions.slice(i, i + step);
    jobs.push(() => encodeActions(chunk, checks));
    statements.push(insertActions);
  }
  const actionBatches = statements.length;
  // Events after every action: each is checked against every loaded id. In feed order (inFeedOrder).
  // Read before the events are validated: a hostile event (a throwing getter) is invalid input, not a failure of the store.
  let feed: readonly AuditEvent[];
  try {
    feed = inFeedOrder(events);
  } catch (cause) {
    throw new LoadRefused(unreadableInput('bulk load events', cause));
  }
  for (let i = 0; i < feed.length; i += size) {
    const chunk = feed.slice(i, i + size);
    jobs.push(() => encodeEvents(chunk, checks));
    statements.push(insertEvents);
  }
  let next: Encoded | undefined = jobs[0]?.();
  for (let i = 0; i < jobs.length; i++) {
    const params = next as Encoded;
    if (params instanceof LoadRefused) throw params;
    // Nothing more is sent once a conflict is known; the rest is still checked, to name every offending action.
    const writing = checks.conflicts.empty ? db.query(statements[i] as string, [...params]) : undefined;
    const upcoming = i + 1 < jobs.length ? later(jobs[i + 1] as () => Encoded) : undefined;
    await writing;
    next = await upcoming;
  }
  if (!checks.conflicts.empty) throw new LoadRefused(checks.conflicts.toError('Bulk load'));
  if (dropped !== null) await restore(db, n, dropped);
  // Change-feed listeners hear of the load at COMMIT, as of any commit.
  if (events.length > 0) await db.query(`SELECT pg_notify('${n.changeChannel}', last::text) FROM ${n.changeCounter}`);
  return {
    empty: true,
    batches: Math.max(actionBatches, events.length > 0 ? 1 : 0),
  };
}
