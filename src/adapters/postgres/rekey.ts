/**
 * Migration 8's backfill: the open rows' `open_key` computed again with the open key of issue 16
 * (conflict group and target identity, `openKeyOf`), in JavaScript and in batches like the others.
 *
 * @module
 */
import { builtInCatalog } from 'actioncenter';
import { openKeyOf, TargetSchema } from 'actioncenter/adapter-kit';
import { type PostgresQueryable } from './client.js';
import { OPEN_STATUSES_SQL, type Names } from './names.js';
import { columnText } from './text.js';

/** Rows read and written per statement. */
const BATCH = 1000;

/**
 * Re-keys the open rows that hold an open key. The conflict groups are the built-in catalogue's
 * (a migration does not know the application's own types: theirs are keyed by type id and target
 * identity, and take their group's key from their next submission on). Two open rows that the old
 * rule kept apart may now share a key (two isolates of a renamed device; an isolate and a release
 * of one device): both stay open, the earlier (creation time, then id) keeps the key, the later is
 * left without one (as under `duplicates: 'allow'`, until it closes) and is named in the returned
 * notes, which `migrate` reports. A row whose record cannot be read keeps its key (reads report it).
 */
export async function rekeyOpenActions(db: PostgresQueryable, n: Names): Promise<string[]> {
  // First pass: every open keyed row's new key (open rows are the few pending, approved, running).
  const rows: { id: string; createdAt: number; key: string }[] = [];
  let after = '';
  for (;;) {
    const r = await db.query(
      `SELECT id, record, record_text FROM ${n.actions}
        WHERE open_key IS NOT NULL AND status IN ${OPEN_STATUSES_SQL} AND id > $1 ORDER BY id LIMIT ${BATCH}`,
      [after],
    );
    if (r.rows.length === 0) break;
    for (const row of r.rows) {
      after = String(row['id']);
      const keyed = storedOpenKey(row['record'], row['record_text']);
      if (keyed !== null) rows.push({ id: after, ...keyed });
    }
  }
  rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const holder = new Map<string, string>();
  const notes: string[] = [];
  const updates: { id: string; open_key: string | null }[] = [];
  for (const row of rows) {
    const first = holder.get(row.key);
    if (first === undefined) {
      holder.set(row.key, row.id);
      updates.push({ id: row.id, open_key: columnText(row.key) });
    } else {
      updates.push({ id: row.id, open_key: null });
      notes.push(
        `open action ${JSON.stringify(row.id)} now shares its open key with ${JSON.stringify(first)}: both stay open, ${JSON.stringify(row.id)} holds no open key until it closes`,
      );
    }
  }
  // The unique index on open keys is checked row by row: release every re-keyed row's old key
  // first, then set the new ones, so that no row meets another's old key half-way.
  for (let i = 0; i < updates.length; i += BATCH) {
    const ids = updates.slice(i, i + BATCH).map((u) => u.id);
    await db.query(
      `UPDATE ${n.actions} SET open_key = NULL WHERE id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(ids)],
    );
  }
  for (let i = 0; i < updates.length; i += BATCH) {
    const batch = updates.slice(i, i + BATCH).filter((u) => u.open_key !== null);
    if (batch.length === 0) continue;
    await db.query(
      `UPDATE ${n.actions} a SET open_key = w.open_key FROM jsonb_to_recordset($1::jsonb) AS w(id text, open_key text) WHERE a.id = w.id`,
      [JSON.stringify(batch)],
    );
  }
  return notes;
}

/** The open key of a stored record by the new rule, and its creation time, or null (unreadable). */
function storedOpenKey(json: unknown, text: unknown): { createdAt: number; key: string } | null {
  try {
    const record: unknown = json ?? (typeof text === 'string' ? JSON.parse(text) : null);
    const doc = (typeof record === 'string' ? JSON.parse(record) : record) as Record<string, unknown> | null;
    if (doc === null || typeof doc !== 'object') return null;
    const typeId = doc['actionType'];
    const target = TargetSchema.safeParse(doc['target']);
    if (typeof typeId !== 'string' || !target.success) return null;
    const known = builtInCatalog.get(typeId);
    const createdAt = typeof doc['createdAt'] === 'number' ? doc['createdAt'] : 0;
    return { createdAt, key: openKeyOf(known.ok ? known.value : typeId, target.data) };
  } catch {
    return null;
  }
}
