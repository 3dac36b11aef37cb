/**
 * The atomic commit: one transaction that checks everything, then writes everything.
 *
 * 1. One statement locks the stored rows of every action the batch touches (`FOR UPDATE`, in id
 *    order, so that concurrent commits queue instead of deadlocking) and reads what the checks
 *    need: versions, the holders of the open keys the batch claims, audit sequences and event ids
 *    already written, and the idempotency key.
 * 2. The checks of the memory repository run on those facts, so a refused commit names every
 *    offending action, with the same reasons in the same priority.
 * 3. One statement writes: `UPDATE ... WHERE id = w.id AND version = w.expected` for updates (the
 *    updated ids are counted: a stale one is a conflict), INSERTs for new actions, audit events and
 *    the idempotency key. The open-key constraint is checked at COMMIT.
 *
 * A constraint that fires anyway (another instance created the same id, claimed the same key or
 * open key between our check and our write) rolls the transaction back; the commit then runs again
 * from the start, and its checks see the other instance's rows and name the conflict precisely.
 *
 * @module
 */
import { err, ok, type Result } from 'actioncenter';
import {
  ConflictCollector,
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
import { actionRow, recordDocument, storedDocument } from './rows.js';
import { OPEN_STATUSES_SQL, type Names } from './schema.js';
import { columnText, originalText } from './text.js';
import { textArray } from './view-sql.js';

/** What the database holds that the checks of one batch need. */
interface Facts {
  /** id → stored version, for the stored actions among those the batch touches. */
  readonly versions: ReadonlyMap<string, number>;
  /** open key → the id of the open action holding it, for the keys the batch claims. */
  readonly holders: ReadonlyMap<string, string>;
  /** `${actionId}\0${sequence}` of the batch's audit events already written. */
  readonly sequences: ReadonlySet<string>;
  /** The batch's audit event ids already written. */
  readonly eventIds: ReadonlySet<string>;
  readonly keyClaimed: boolean;
}

const seqKey = (actionId: string, sequence: number) => `${actionId}\u0000${sequence}`;

/** The batch prepared for SQL: JSON parameters, built once and reused by retries. */
interface Prepared {
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
  readonly updateCount: number;
}

function prepare(batch: CommitBatch): Prepared {
  const touched = new Set<string>();
  for (const w of batch.writes) touched.add(columnText(w.action.id));
  for (const e of batch.events) touched.add(columnText(e.actionId));
  const claimed = new Set<string>();
  for (const w of batch.writes) {
    const key = heldOpenKey(w.action);
    if (key !== null) claimed.add(columnText(key));
  }
  const rowsOf = (expected: boolean) =>
    batch.writes
      .filter((w) => (w.expectedVersion === null) !== expected)
      .map((w) => {
        const document = storedDocument(recordDocument(w.action));
        return {
          ...actionRow(w.action),
          expected: w.expectedVersion,
          record: document.json,
          record_text: document.text,
        };
      })
      // In id order: concurrent commits insert and lock in the same order.
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const updates = rowsOf(true);
  const creates = rowsOf(false);
  const events = batch.events.map((e) => {
    const document = storedDocument(e);
    return {
      action_id: columnText(e.actionId),
      sequence: e.sequence,
      id: columnText(e.id),
      type: columnText(e.type),
      at: e.at,
      event: document.json,
      event_text: document.text,
    };
  });
  return {
    batch,
    touchedIds: textArray([...touched].sort()),
    claimedKeys: textArray([...claimed]),
    eventKeys: JSON.stringify(events.map((e) => ({ action_id: e.action_id, sequence: e.sequence }))),
    eventIds: textArray(events.map((e) => e.id)),
    idempotencyKey: batch.idempotencyKey === null ? null : columnText(batch.idempotencyKey.key),
    updates: JSON.stringify(updates),
    creates: JSON.stringify(creates),
    events: JSON.stringify(events),
    claimedActionIds: JSON.stringify((batch.idempotencyKey?.actionIds ?? []).map(columnText)),
    updateCount: updates.length,
  };
}

async function readFacts(db: PostgresQueryable, n: Names, p: Prepared): Promise<Facts> {
  const r = await db.query(
    `WITH locked AS (
       SELECT a.id, a.version FROM ${n.actions} a WHERE a.id = ANY($1::text[]) ORDER BY a.id FOR UPDATE
     )
     SELECT 'version' AS kind, l.id AS id, l.version AS n, NULL::text AS extra FROM locked l
     UNION ALL
     SELECT 'holder', a.id, NULL, a.open_key FROM ${n.actions} a
       WHERE a.open_key = ANY($2::text[]) AND a.open_key IS NOT NULL AND a.status IN ${OPEN_STATUSES_SQL}
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

/** The checks of the memory repository, on the facts read from the database. */
function check(batch: CommitBatch, facts: Facts): ConflictCollector {
  const conflicts = new ConflictCollector();
  if (batch.idempotencyKey !== null && facts.keyClaimed) {
    const named = batch.writes.length > 0 ? batch.writes.map((w) => w.action.id) : batch.idempotencyKey.actionIds;
    for (const id of named)
      conflicts.add('idempotencyKeyTaken', id, `idempotency key "${batch.idempotencyKey.key}" is already claimed`);
  }
  const written = new Set<string>();
  for (const { action, expectedVersion } of batch.writes) {
    const stored = facts.versions.get(action.id);
    if (written.has(action.id)) {
      conflicts.add(
        expectedVersion === null ? 'alreadyExists' : 'staleVersion',
        action.id,
        `${action.id} is written twice in one commit`,
      );
    } else if (expectedVersion === null) {
      if (stored !== undefined) conflicts.add('alreadyExists', action.id, `${action.id} already exists`);
    } else if (stored === undefined) {
      conflicts.add('staleVersion', action.id, `${action.id} is not stored (expected version ${expectedVersion})`);
    } else if (stored !== expectedVersion) {
      conflicts.add('staleVersion', action.id, `${action.id} is at version ${stored}, not ${expectedVersion}`);
    } else if (action.version !== expectedVersion + 1) {
      conflicts.add(
        'staleVersion',
        action.id,
        `${action.id} must be written as version ${expectedVersion + 1}, not ${action.version}`,
      );
    }
    written.add(action.id);
  }
  // Open keys as they will be after the batch: a stored holder keeps its key unless the batch rewrites it.
  const claimed = new Map<string, string>();
  for (const { action } of batch.writes) {
    const key = heldOpenKey(action);
    if (key === null) continue;
    const inBatch = claimed.get(key);
    const holder = facts.holders.get(key);
    if (inBatch !== undefined && inBatch !== action.id) {
      conflicts.add('openKeyTaken', action.id, `${action.id} and ${inBatch} would both hold open key "${key}"`);
    } else if (holder !== undefined && holder !== action.id && !written.has(holder)) {
      conflicts.add('openKeyTaken', action.id, `open key "${key}" is held by ${holder}`);
    } else {
      claimed.set(key, action.id);
    }
  }
  const seenIds = new Set<string>();
  const seenSequences = new Set<string>();
  for (const event of batch.events) {
    if (!written.has(event.actionId) && !facts.versions.has(event.actionId)) {
      conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.id} is for ${event.actionId}, which is not stored`,
      );
      continue;
    }
    if (seenIds.has(event.id)) conflicts.add('alreadyExists', event.actionId, `audit event ${event.id} appears twice`);
    const key = seqKey(event.actionId, event.sequence);
    if (seenSequences.has(key) || facts.sequences.has(key)) {
      conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.sequence} of ${event.actionId} is already written`,
      );
    } else if (!seenIds.has(event.id) && facts.eventIds.has(event.id)) {
      // Stricter than the memory repository: audit event ids are unique across the store. (An event
      // written again, sequence and all, is a stale write, as there.)
      conflicts.add('alreadyExists', event.actionId, `audit event id ${event.id} is taken by another event`);
    }
    seenIds.add(event.id);
    seenSequences.add(key);
  }
  return conflicts;
}

const ACTION_COLUMNS =
  'id, version, action_type, workload, source, status, asset, investigation_id, approval_id, decided_by, created_at, decided_at, completed_at, updated_at, open_key, device_group, incident_id, alert_id, requested_by, comment, undo_of, record, record_text';
const ACTION_RECORDSET =
  'id text, expected integer, version integer, action_type text, workload text, source text, status text, asset text, investigation_id text, approval_id text, decided_by text, created_at bigint, decided_at bigint, completed_at bigint, updated_at bigint, open_key text, device_group text, incident_id text, alert_id text, requested_by text, comment text, undo_of text, record jsonb, record_text text';

/** Writes the batch in one statement; returns the ids of the updates whose version was not the expected one. */
async function write(db: PostgresQueryable, n: Names, p: Prepared): Promise<string[]> {
  const updated = ACTION_COLUMNS.split(', ')
    .filter((c) => c !== 'id')
    .map((c) => `${c} = w.${c}`)
    .join(', ');
  const r = await db.query(
    `WITH updated AS (
       UPDATE ${n.actions} a SET ${updated}
       FROM jsonb_to_recordset($1::jsonb) AS w(${ACTION_RECORDSET})
       WHERE a.id = w.id AND a.version = w.expected
       RETURNING a.id
     ), created AS (
       INSERT INTO ${n.actions} (${ACTION_COLUMNS})
       SELECT ${ACTION_COLUMNS} FROM jsonb_to_recordset($2::jsonb) AS w(${ACTION_RECORDSET}) ORDER BY w.id
       RETURNING id
     ), events AS (
       INSERT INTO ${n.events} (action_id, sequence, id, type, at, event, event_text)
       SELECT action_id, sequence, id, type, at, event, event_text
       FROM jsonb_to_recordset($3::jsonb) AS x(action_id text, sequence integer, id text, type text, at bigint, event jsonb, event_text text)
       ORDER BY action_id, sequence
       RETURNING 1
     ), claimed AS (
       INSERT INTO ${n.idempotency} (key, action_ids) SELECT $4::text, $5::jsonb WHERE $4::text IS NOT NULL
       RETURNING 1
     )
     SELECT (SELECT coalesce(jsonb_agg(id), '[]'::jsonb) FROM updated) AS updated,
            (SELECT count(*) FROM created)::int AS created,
            (SELECT count(*) FROM events)::int AS events,
            (SELECT count(*) FROM claimed)::int AS claimed`,
    [p.updates, p.creates, p.events, p.idempotencyKey, p.claimedActionIds],
  );
  const row = r.rows[0] ?? {};
  const raw = row['updated'];
  const done = new Set((typeof raw === 'string' ? (JSON.parse(raw) as string[]) : (raw as string[])).map(originalText));
  if (done.size === p.updateCount) return [];
  return p.batch.writes.filter((w) => w.expectedVersion !== null && !done.has(w.action.id)).map((w) => w.action.id);
}

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
  if (state === '23P01') {
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
  for (let attempt = 1; ; attempt++) {
    try {
      await database.transaction(async (db) => {
        const facts = await readFacts(db, n, p);
        const conflicts = check(batch, facts);
        if (!conflicts.empty) throw new RolledBack(conflicts.toError());
        const stale = await write(db, n, p);
        if (stale.length > 0) {
          // Cannot happen while the rows are locked; kept so that a version check never depends on the lock alone.
          throw new RolledBack({
            code: 'conflict',
            message: `Commit refused, nothing was written: ${stale.join(', ')} changed meanwhile`,
            reason: 'staleVersion',
            actionIds: stale,
          });
        }
      });
      return ok(undefined);
    } catch (cause) {
      if (cause instanceof RolledBack) return err(cause.error);
      const conflict = conflictOfViolation(cause, batch);
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
