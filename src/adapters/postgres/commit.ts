/**
 * The atomic commit: one transaction that checks everything, then writes everything.
 *
 * 1. One statement locks the stored rows of every action the batch touches (`FOR UPDATE`, in id
 *    order, so that concurrent commits queue instead of deadlocking) and reads what the checks
 *    need: versions, the holders of the open keys the batch claims, audit sequences and event ids
 *    already written, and the idempotency key.
 * 2. The checks of the memory repository run on those facts, so a refused commit names every
 *    offending action, with the same reasons in the same priority.
 * 3. Set-based statements write, each over one JSON array parameter (every document stringified
 *    once): `UPDATE ... FROM json_to_recordset(...) WHERE id = w.id AND version = w.expected` for
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
  unreadableWrite,
  type CommitBatch,
  type ConflictError,
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
import { actionRow, recordDocument } from './rows.js';
import { openKeyIn, type Names } from './names.js';
import { columnText, jsonbCannotHold, originalText } from './text.js';
import { textArray } from './view-sql.js';

/** The batch prepared for SQL: parameters built once (each document stringified once) and reused by retries. */
export interface Prepared {
  readonly batch: CommitBatch;
  readonly touchedIds: string;
  readonly claimedKeys: string;
  readonly eventKeys: string;
  readonly eventIds: string;
  readonly idempotencyKey: string | null;
  readonly updates: string;
  readonly creates: string;
  readonly events: string;
  readonly claimedActionIds: string;
}

/**
 * A row as a JSON object: the small columns stringified, the document spliced in as the JSON text
 * it was stringified to once (as `json`, or as a JSON string in `text` when JSONB cannot hold it).
 */
function rowJson(columns: object, json: string, text: string, document: string): string {
  const head = JSON.stringify(columns);
  return jsonbCannotHold(document)
    ? `${head.slice(0, -1)},"${json}":null,"${text}":${JSON.stringify(document)}}`
    : `${head.slice(0, -1)},"${json}":${document},"${text}":null}`;
}

const byId = (a: { readonly id: string }, b: { readonly id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The batch as SQL parameters: each group of rows one JSON array, read by `json_to_recordset`
 * (parsed once, never held as one big JSONB value).
 *
 * @example
 * ```ts
 * import { prepare } from './commit.js';
 * prepare({ writes: [], events: [], idempotencyKey: null }).creates; // '[]'
 * ```
 */
export function prepare(batch: CommitBatch): Prepared {
  const touched = new Set<string>();
  const claimed = new Set<string>();
  const updates: { id: string; json: string }[] = [];
  const creates: { id: string; json: string }[] = [];
  for (const w of batch.writes) {
    const row = actionRow(w.action);
    touched.add(row.id);
    if (row.open_key !== null) claimed.add(row.open_key);
    const json = rowJson(
      { ...row, expected: w.expectedVersion },
      'record',
      'record_text',
      JSON.stringify(recordDocument(w.action)),
    );
    (w.expectedVersion === null ? creates : updates).push({ id: row.id, json });
  }
  const eventKeys: string[] = [];
  const eventIds: string[] = [];
  const events = batch.events.map((e) => {
    const columns = {
      action_id: columnText(e.actionId),
      sequence: e.sequence,
      id: columnText(e.id),
      type: columnText(e.type),
      at: e.at,
    };
    touched.add(columns.action_id);
    eventKeys.push(JSON.stringify({ action_id: columns.action_id, sequence: e.sequence }));
    eventIds.push(columns.id);
    return rowJson(columns, 'event', 'event_text', JSON.stringify(e));
  });
  // In id order: concurrent commits insert and lock in the same order.
  const array = (rows: { id: string; json: string }[]) =>
    `[${rows
      .sort(byId)
      .map((r) => r.json)
      .join(',')}]`;
  return {
    batch,
    touchedIds: textArray([...touched].sort()),
    claimedKeys: textArray([...claimed]),
    eventKeys: `[${eventKeys.join(',')}]`,
    eventIds: textArray(eventIds),
    idempotencyKey: batch.idempotencyKey === null ? null : columnText(batch.idempotencyKey.key),
    updates: array(updates),
    creates: array(creates),
    events: `[${events.join(',')}]`,
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
       JOIN jsonb_to_recordset($3::jsonb) AS x(action_id text, sequence integer) ON e.action_id = x.action_id AND e.sequence = x.sequence
     UNION ALL
     SELECT 'eventId', e.id, NULL, NULL FROM ${n.events} e WHERE e.id = ANY($4::text[])
     UNION ALL
     SELECT 'key', k.key, NULL, NULL FROM ${n.idempotency} k WHERE k.key = $5`,
    [p.touchedIds, p.claimedKeys, p.eventKeys, p.eventIds, p.idempotencyKey],
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

const ACTION_COLUMNS =
  'id, version, action_type, workload, source, status, asset, investigation_id, approval_id, decided_by, created_at, decided_at, completed_at, updated_at, open_key, device_group, incident_id, alert_id, requested_by, comment, undo_of, record, record_text';
const ACTION_RECORDSET =
  'id text, expected integer, version integer, action_type text, workload text, source text, status text, asset text, investigation_id text, approval_id text, decided_by text, created_at bigint, decided_at bigint, completed_at bigint, updated_at bigint, open_key text, device_group text, incident_id text, alert_id text, requested_by text, comment text, undo_of text, record jsonb, record_text text';

const ASSIGN = ACTION_COLUMNS.split(', ')
  .filter((c) => c !== 'id')
  .map((c) => `${c} = w.${c}`)
  .join(', ');

/** Updates the rows of `rows` (a JSON array) whose version is the expected one; returns the ids of the others. */
async function update(db: PostgresQueryable, n: Names, rows: string): Promise<string[]> {
  if (rows === '[]') return [];
  const r = await db.query(
    `WITH w AS MATERIALIZED (SELECT * FROM json_to_recordset($1::json) AS w(${ACTION_RECORDSET})),
     updated AS (
       UPDATE ${n.actions} a SET ${ASSIGN} FROM w WHERE a.id = w.id AND a.version = w.expected RETURNING a.id
     )
     SELECT coalesce(json_agg(w.id), '[]'::json) AS stale FROM w WHERE w.id NOT IN (SELECT id FROM updated)`,
    [rows],
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
  if (p.creates === '[]' && p.events === '[]' && p.idempotencyKey === null) return stale;
  await db.query(
    `WITH created AS (
       INSERT INTO ${n.actions} (${ACTION_COLUMNS})
       SELECT ${ACTION_COLUMNS} FROM json_to_recordset($1::json) AS w(${ACTION_RECORDSET})
       RETURNING 1
     ), events AS (
       INSERT INTO ${n.events} (action_id, sequence, id, type, at, event, event_text)
       SELECT action_id, sequence, id, type, at, event, event_text
       FROM json_to_recordset($2::json) AS x(action_id text, sequence integer, id text, type text, at bigint, event jsonb, event_text text)
       RETURNING 1
     ), claimed AS (
       INSERT INTO ${n.idempotency} (key, action_ids) SELECT $3::text, $4::jsonb WHERE $3::text IS NOT NULL
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM created)::int AS created, (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM claimed)::int AS claimed`,
    [p.creates, p.events, p.idempotencyKey, p.claimedActionIds],
  );
  return stale;
}

/** The partial unique index of open keys (schema version 4): a violation is `openKeyTaken`. */
const OPEN_KEY_INDEX = 'actioncenter_actions_open_key';

/** Thrown inside the transaction to roll it back with a result. */
class RolledBack {
  constructor(readonly error: ConflictError) {}
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
): Promise<Result<void, RepositoryError>> {
  if (batch.writes.length === 0 && batch.events.length === 0 && batch.idempotencyKey === null) return ok(undefined);
  // Reads parse every row: a record they would refuse is refused here instead of stored.
  const unreadable = unreadableWrite(batch);
  if (unreadable !== null) return err(unreadable);
  const p = prepare(batch);
  return commitChunks(database, n, [batch], () => p);
}

/**
 * Commits batches already checked by `unreadableWrite` in ONE transaction, each checked and
 * written as {@link commitBatch} does (a later batch sees the earlier ones' rows): all or nothing.
 * `prepared` gives each batch's parameters (built when its turn comes, so that a bulk load holds
 * one batch's JSON at a time).
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
  prepared: (batch: CommitBatch) => Prepared,
): Promise<Result<void, RepositoryError>> {
  for (let attempt = 1; ; attempt++) {
    let current: CommitBatch | undefined;
    try {
      await database.transaction(async (db) => {
        for (const batch of batches) {
          current = batch;
          const p = prepared(batch);
          const facts = await readFacts(db, n, p);
          const conflicts = check(batch, facts);
          if (!conflicts.empty) throw new RolledBack(conflicts.toError());
          const stale = await write(db, n, p, facts);
          if (stale.length > 0) {
            // Cannot happen while the rows are locked; kept so that a version check never depends on the lock alone.
            throw new RolledBack({
              code: 'conflict',
              message: `Commit refused, nothing was written: ${stale.join(', ')} changed meanwhile`,
              reason: 'staleVersion',
              actionIds: stale,
            });
          }
        }
      });
      return ok(undefined);
    } catch (cause) {
      if (cause instanceof RolledBack) return err(cause.error);
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
