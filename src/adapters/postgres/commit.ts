/**
 * The atomic commit: one transaction that checks everything, then writes everything.
 *
 * 1. One statement locks the stored rows of every action the batch touches (`FOR UPDATE`, in id
 *    order, so that concurrent commits queue instead of deadlocking) and reads what the checks
 *    need: versions, the holders of the open keys the batch claims, audit sequences and event ids
 *    already written, and the idempotency key.
 * 2. The checks of the memory repository run on those facts, so a refused commit names every
 *    offending action, with the same reasons in the same priority.
 * 3. Set-based statements write, each over column arrays (row-arrays.ts; every document stringified
 *    once): `UPDATE ... FROM unnest(...) w WHERE id = w.id AND version = w.expected` for
 *    updates (the ids not updated are a stale conflict), then
 *    one statement INSERTs new actions, audit events (`INSERT ... SELECT`) and the idempotency key.
 *    Nothing written is read back. The open-key unique index is checked row by row.
 *
 * A constraint that fires anyway (another instance created the same id, claimed the same key or
 * open key between our check and our write) rolls the transaction back; the commit then runs again
 * from the start, and its checks see the other instance's rows and name the conflict precisely.
 *
 * @module
 */
import { err, ok, type Result } from 'actioncenter';
import {
  heldOpenKey,
  inFeedOrder,
  unreadableWrite,
  type CommitBatch,
  type ConflictError,
  type CorruptRecordError,
  type RepositoryError,
} from 'actioncenter/adapter-kit';
import {
  CommitOutcomeUnknown,
  constraintOf,
  describeError,
  sqlState,
  type Database,
  type PostgresQueryable,
} from './client.js';
import { check, seqKey, type Facts } from './commit-check.js';
import { HookFailed, runHook, type BeforeCommit } from './commit-hook.js';
import { actionRow, recordDocument } from './rows.js';
import {
  ACTION_COLUMN_LIST,
  ACTION_PARAMS,
  actionArrays,
  actionUnnest,
  actionValues,
  arrayLiteral,
  eventArrays,
  eventUnnest,
  type ActionArrays,
  type ActionRowInput,
} from './row-arrays.js';
import { openKeyIn, type Names } from './names.js';
import { columnText, originalText } from './text.js';
import { textArray } from './view-sql.js';

/** The batch prepared for SQL: parameters built once (each document stringified once) and reused by retries. */
export interface Prepared {
  readonly batch: CommitBatch;
  readonly touchedIds: string;
  readonly claimedKeys: string;
  /** The audit events' (action id, sequence) keys, as two array literals. */
  readonly eventKeys: readonly [string, string];
  readonly eventIds: string;
  readonly idempotencyKey: string | null;
  readonly updates: ActionArrays;
  readonly creates: ActionArrays;
  /** The audit events as column arrays (see `eventArrays`), with their count. */
  readonly events: { readonly count: number; readonly params: readonly string[] };
  readonly claimedActionIds: string;
}

const byId = (a: ActionRowInput, b: ActionRowInput) => (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0);

/**
 * The batch as SQL parameters: each group of rows as column arrays, read by `unnest` (see
 * row-arrays.ts), every document stringified once.
 *
 * @example
 * ```ts
 * import { prepare } from './commit.js';
 * prepare({ writes: [], events: [], idempotencyKey: null }).creates.count; // 0
 * ```
 */
export function prepare(batch: CommitBatch): Prepared {
  const touched = new Set<string>();
  const claimed = new Set<string>();
  const updates: ActionRowInput[] = [];
  const creates: ActionRowInput[] = [];
  for (const w of batch.writes) {
    const row = actionRow(w.action);
    touched.add(row.id);
    if (row.open_key !== null) claimed.add(row.open_key);
    const input = { row, document: JSON.stringify(recordDocument(w.action)), expected: w.expectedVersion };
    (w.expectedVersion === null ? creates : updates).push(input);
  }
  // In feed order: an event's position is its place in the arrays (inFeedOrder).
  const events = inFeedOrder(batch.events).map((e) => {
    const actionId = columnText(e.actionId);
    touched.add(actionId);
    return {
      action_id: actionId,
      sequence: e.sequence,
      id: columnText(e.id),
      type: columnText(e.type),
      at: e.at,
      document: JSON.stringify(e),
    };
  });
  return {
    batch,
    touchedIds: textArray([...touched].sort()),
    claimedKeys: textArray([...claimed]),
    eventKeys: [arrayLiteral(events.map((e) => e.action_id)), arrayLiteral(events.map((e) => e.sequence))],
    eventIds: arrayLiteral(events.map((e) => e.id)),
    idempotencyKey: batch.idempotencyKey === null ? null : columnText(batch.idempotencyKey.key),
    // In id order: concurrent commits insert and lock in the same order.
    updates: actionArrays(updates.sort(byId)),
    creates: actionArrays(creates.sort(byId)),
    events: { count: events.length, params: eventArrays(events) },
    claimedActionIds: JSON.stringify((batch.idempotencyKey?.actionIds ?? []).map(columnText)),
  };
}

async function readFacts(db: PostgresQueryable, n: Names, p: Prepared): Promise<Facts> {
  const r = await db.query(
    `WITH locked AS (
       SELECT a.id, a.version FROM ${n.actions} a WHERE a.id = ANY($1::text[]) ORDER BY a.id FOR UPDATE
     )
     SELECT 'version' AS kind, l.id AS id, l.version AS n, NULL::text AS extra FROM locked l
     UNION ALL
     SELECT 'holder', a.id, NULL, a.open_key FROM ${n.actions} a WHERE ${openKeyIn(n, '$2::text[]')}
     UNION ALL
     SELECT 'sequence', e.action_id, e.sequence, NULL FROM ${n.events} e
       JOIN unnest($3::text[], $4::integer[]) AS x(action_id, sequence) ON e.action_id = x.action_id AND e.sequence = x.sequence
     UNION ALL
     SELECT 'eventId', e.id, NULL, NULL FROM ${n.events} e WHERE e.id = ANY($5::text[])
     UNION ALL
     SELECT 'key', k.key, NULL, NULL FROM ${n.idempotency} k WHERE k.key = $6`,
    [p.touchedIds, p.claimedKeys, ...p.eventKeys, p.eventIds, p.idempotencyKey],
  );
  const versions = new Map<string, number>();
  const holders = new Map<string, string>();
  const sequences = new Set<string>();
  const eventIds = new Set<string>();
  let keyClaimed = false;
  for (const row of r.rows) {
    const id = originalText(String(row['id']));
    switch (row['kind']) {
      case 'version':
        versions.set(id, Number(row['n']));
        break;
      case 'holder':
        holders.set(originalText(String(row['extra'])), id);
        break;
      case 'sequence':
        sequences.add(seqKey(id, Number(row['n'])));
        break;
      case 'eventId':
        eventIds.add(id);
        break;
      case 'key':
        keyClaimed = true;
        break;
    }
  }
  return { versions, holders, sequences, eventIds, keyClaimed };
}

const ASSIGN = ACTION_COLUMN_LIST.split(', ')
  .filter((c) => c !== 'id')
  .map((c) => `${c} = w.${c}${c === 'record' ? '::jsonb' : ''}`)
  .join(', ');

/** Updates the rows of `rows` whose version is the expected one; returns the ids of the others. */
async function update(db: PostgresQueryable, n: Names, rows: ActionArrays): Promise<string[]> {
  if (rows.count === 0) return [];
  const r = await db.query(
    `WITH w AS MATERIALIZED (SELECT * FROM ${actionUnnest(1, 'w')}),
     updated AS (
       UPDATE ${n.actions} a SET ${ASSIGN} FROM w WHERE a.id = w.id AND a.version = w.expected RETURNING a.id
     )
     SELECT coalesce(json_agg(w.id), '[]'::json) AS stale FROM w WHERE w.id NOT IN (SELECT id FROM updated)`,
    [...rows.params],
  );
  const raw = r.rows[0]?.['stale'] ?? '[]';
  return (typeof raw === 'string' ? (JSON.parse(raw) as string[]) : (raw as string[])).map(originalText);
}

/**
 * Writes the batch: the updates, then (one statement) the new actions, audit events and
 * idempotency key; each a set-based statement over a JSON array. The open-key unique index is
 * checked row by row, not at COMMIT: a key the batch passes from one of its actions to another
 * (a closing action's key to a new one, or two actions swapping keys) is first taken from its
 * stored holder. Returns the ids of the updates whose version was not the expected one.
 */
async function write(db: PostgresQueryable, n: Names, p: Prepared, facts: Facts): Promise<string[]> {
  const handedOver = new Set<string>();
  for (const { action } of p.batch.writes) {
    const key = heldOpenKey(action);
    const holder = key === null ? undefined : facts.holders.get(key);
    if (holder !== undefined && holder !== action.id) handedOver.add(columnText(holder));
  }
  if (handedOver.size > 0)
    await db.query(`UPDATE ${n.actions} SET open_key = NULL WHERE id = ANY($1::text[])`, [textArray([...handedOver])]);
  const stale = await update(db, n, p.updates);
  if (p.creates.count === 0 && p.events.count === 0 && p.idempotencyKey === null) return stale;
  const eventsAt = 1 + ACTION_PARAMS;
  const keyAt = eventsAt + p.events.params.length;
  await db.query(
    `WITH created AS (
       INSERT INTO ${n.actions} (${ACTION_COLUMN_LIST})
       SELECT ${actionValues('w')} FROM ${actionUnnest(1, 'w')}
       RETURNING 1
     ), positions AS (
       -- The change feed's next positions: the counter row stays locked until COMMIT (see migration 6).
       UPDATE ${n.changeCounter} SET last = last + $${keyAt + 2}::bigint WHERE $${keyAt + 2}::bigint > 0
       RETURNING last - $${keyAt + 2}::bigint AS base, last
     ), events AS (
       INSERT INTO ${n.events} (action_id, sequence, id, type, at, event, event_text, position)
       SELECT x.action_id, x.sequence, x.id, x.type, x.at, x.event::jsonb, x.event_text, (SELECT base FROM positions) + x.ord
       FROM ${eventUnnest(eventsAt, 'x', true)}
       RETURNING 1
     ), notified AS (
       -- Delivered at COMMIT only (never for a rolled-back commit): listeners read the feed from their cursor.
       SELECT pg_notify('${n.changeChannel}', last::text) FROM positions
     ), claimed AS (
       INSERT INTO ${n.idempotency} (key, action_ids) SELECT $${keyAt}::text, $${keyAt + 1}::jsonb WHERE $${keyAt}::text IS NOT NULL
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM created)::int AS created, (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM claimed)::int AS claimed, (SELECT count(*) FROM notified)::int AS notified`,
    [...p.creates.params, ...p.events.params, p.idempotencyKey, p.claimedActionIds, p.events.count],
  );
  return stale;
}

/** The partial unique index of open keys (schema version 4): a violation is `openKeyTaken`. */
const OPEN_KEY_INDEX = 'actioncenter_actions_open_key';

/** Thrown inside the transaction to roll it back with a result. */
class RolledBack {
  constructor(readonly error: ConflictError | CorruptRecordError) {}
}

/** Which conflict a constraint violation means, and which of the batch's actions it concerns. */
function conflictOfViolation(error: unknown, batch: CommitBatch): ConflictError | null {
  const state = sqlState(error);
  const constraint = constraintOf(error) ?? '';
  const ids = (writes: CommitBatch['writes']) => writes.map((w) => w.action.id as string);
  let reason: ConflictError['reason'];
  let actionIds: string[];
  if (state === '23P01' || (state === '23505' && constraint === OPEN_KEY_INDEX)) {
    reason = 'openKeyTaken';
    actionIds = ids(batch.writes.filter((w) => heldOpenKey(w.action) !== null));
  } else if (state === '23505' && constraint.includes('idempotency')) {
    reason = 'idempotencyKeyTaken';
    actionIds = batch.writes.length > 0 ? ids(batch.writes) : [...(batch.idempotencyKey?.actionIds ?? [])];
  } else if (
    state === '23505' &&
    (constraint === 'actioncenter_actions_pkey' || constraint === 'actioncenter_audit_events_id_key')
  ) {
    reason = 'alreadyExists';
    actionIds =
      constraint === 'actioncenter_actions_pkey'
        ? ids(batch.writes.filter((w) => w.expectedVersion === null))
        : batch.events.map((e) => e.actionId);
  } else if (state === '23505' || state === '23503' || state === '40001' || state === '40P01') {
    // An audit sequence written meanwhile, an action gone, a serialization failure or a deadlock.
    reason = 'staleVersion';
    actionIds = [...ids(batch.writes), ...batch.events.map((e) => e.actionId as string)];
  } else {
    return null;
  }
  return {
    code: 'conflict',
    message: `Commit refused, nothing was written: another writer got there first (${describeError(error)})`,
    reason,
    actionIds: [...new Set(actionIds)],
  };
}

const ATTEMPTS = 3;

/**
 * Commits a batch atomically (see the module comment).
 *
 * @example
 * ```ts
 * import { commitBatch } from './commit.js';
 * // const r = await commitBatch(database, names, { writes, events, idempotencyKey: null });
 * ```
 */
export async function commitBatch(
  database: Database,
  n: Names,
  batch: CommitBatch,
  beforeCommit?: BeforeCommit,
): Promise<Result<void, RepositoryError>> {
  if (batch.writes.length === 0 && batch.events.length === 0 && batch.idempotencyKey === null) return ok(undefined);
  // Reads parse every row: a record they would refuse is refused here instead of stored.
  const unreadable = unreadableWrite(batch);
  if (unreadable !== null) return err(unreadable);
  const p = prepare(batch);
  return commitChunks(database, n, [batch], () => p, beforeCommit);
}

/**
 * Commits batches already checked by `unreadableWrite` in ONE transaction, each checked and
 * written as {@link commitBatch} does (a later batch sees the earlier ones' rows): all or nothing.
 * `prepared` gives each batch's parameters, or the error that refuses it (a record the reads would
 * refuse): built when the batch before is being written, so that a bulk load validates and encodes
 * one batch while the database writes the previous one, and holds two batches' parameters at most.
 *
 * @example
 * ```ts
 * import { commitChunks, prepare } from './commit.js';
 * // await commitChunks(database, names, batches, (b) => prepare(b));
 * ```
 */
export async function commitChunks(
  database: Database,
  n: Names,
  batches: readonly CommitBatch[],
  prepared: (batch: CommitBatch) => Prepared | CorruptRecordError,
  beforeCommit?: BeforeCommit,
): Promise<Result<void, RepositoryError>> {
  const prepareOrRollBack = (batch: CommitBatch): Prepared => {
    const p = prepared(batch);
    if ('code' in p) throw new RolledBack(p);
    return p;
  };
  // Prepared in a macrotask: it runs once the microtasks that send the current write's statement
  // have run, so the next batch is validated and encoded while the database executes that write.
  // Never rejects (an unawaited rejection would be unhandled when the write fails first).
  const later = (batch: CommitBatch) =>
    new Promise<Prepared | RolledBack | Error>((resolve) =>
      setImmediate(() => {
        try {
          resolve(prepareOrRollBack(batch));
        } catch (refused) {
          resolve(refused instanceof RolledBack ? refused : new Error(describeError(refused)));
        }
      }),
    );
  for (let attempt = 1; ; attempt++) {
    let current: CommitBatch | undefined;
    try {
      await database.transaction(async (db) => {
        let next: Prepared | RolledBack | Error | undefined =
          batches.length > 0 ? prepareOrRollBack(batches[0] as CommitBatch) : undefined;
        for (let i = 0; i < batches.length; i++) {
          const batch = batches[i] as CommitBatch;
          current = batch;
          if (next instanceof RolledBack || next instanceof Error) throw next;
          const p = next as Prepared;
          const facts = await readFacts(db, n, p);
          const conflicts = check(batch, facts);
          if (!conflicts.empty) throw new RolledBack(conflicts.toError());
          const writing = write(db, n, p, facts);
          const upcoming = i + 1 < batches.length ? later(batches[i + 1] as CommitBatch) : undefined;
          const stale = await writing;
          if (stale.length > 0) {
            // Cannot happen while the rows are locked; kept so that a version check never depends on the lock alone.
            throw new RolledBack({
              code: 'conflict',
              message: `Commit refused, nothing was written: ${stale.join(', ')} changed meanwhile`,
              reason: 'staleVersion',
              actionIds: stale,
            });
          }
          next = await upcoming;
        }
        if (beforeCommit !== undefined) await runHook(beforeCommit, db, batches);
      });
      return ok(undefined);
    } catch (cause) {
      if (cause instanceof RolledBack) return err(cause.error);
      if (cause instanceof HookFailed) return err(cause.toError());
      const conflict = current === undefined ? null : conflictOfViolation(cause, current);
      if (conflict === null) {
        const message =
          cause instanceof CommitOutcomeUnknown
            ? `Commit outcome unknown: ${cause.message}; it was applied entirely or not at all: read the actions again before retrying`
            : `Commit failed, nothing was written: ${describeError(cause)}`;
        return err({ code: 'repositoryUnavailable', message });
      }
      // Another writer won a race the checks could not see: run again, and let the checks name it.
      if (attempt >= ATTEMPTS) return err(conflict);
    }
  }
}
