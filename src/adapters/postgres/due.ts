/**
 * The `due` query of the PostgreSQL repository: actions by their `due_at` column (schema version 5,
 * `dueAtOf` the record, written with every row), read through the partial index on
 * `(due_at, id) WHERE due_at IS NOT NULL`, so that a sweep with nothing due is one index descent.
 *
 * @module
 */
import { ok, type ActionRecord, type Result } from 'actioncenter';
import {
  readDueQuery,
  type CorruptRecordError,
  type DueCursor,
  type DueError,
  type DuePage,
} from 'actioncenter/adapter-kit';
import type { Database } from './client.js';
import type { Names } from './names.js';
import { ACTION_SELECT, actionFromRow } from './rows.js';
import { columnText, originalText } from './text.js';

/**
 * The SQL of a due page: rows due at or before `$1`, in (due_at, id) order, after the cursor (`$2`,
 * `$3`) when there is one, one more than the limit (the last parameter) to tell whether more follow.
 *
 * @example
 * ```ts
 * import { dueSql } from './due.js';
 * // dueSql(names, true) reads `(a.due_at, a.id) > ($2, $3)` and LIMIT $4
 * ```
 */
export function dueSql(n: Names, withCursor: boolean): string {
  // The row comparison is what the (due_at, id) index serves as a range start; id is COLLATE "C"
  // column text, which orders as JavaScript orders the ids.
  const after = withCursor ? 'AND (a.due_at, a.id) > ($2::bigint, $3::text)' : '';
  return `SELECT ${ACTION_SELECT} FROM ${n.actions} a
    WHERE a.due_at IS NOT NULL AND a.due_at <= $1::bigint ${after}
    ORDER BY a.due_at, a.id LIMIT $${withCursor ? 4 : 2}::integer`;
}

/**
 * A page of `ActionRepository.due`: the query validated (`invalidInput` reads nothing), rows read
 * back validated as every read is (an unreadable one, or one whose `due_at` the record does not
 * bear out, is left out and named in `skipped`, and the cursor goes past it).
 */
export async function duePage(database: Database, n: Names, query: unknown): Promise<Result<DuePage, DueError>> {
  const read = readDueQuery(query);
  if (!read.ok) return read;
  const { before, limit, after } = read.value;
  const r = await database.read((db) =>
    db.query(
      dueSql(n, after !== null),
      after === null ? [before, limit + 1] : [before, after.dueAt, columnText(after.id), limit + 1],
    ),
  );
  const rows = r.rows.slice(0, limit);
  const items: ActionRecord[] = [];
  const skipped: CorruptRecordError[] = [];
  let last: DueCursor | null = null;
  for (const row of rows) {
    const action = actionFromRow(row);
    if (action.ok) items.push(action.value);
    else skipped.push(action.error);
    last = { dueAt: Number(row['due_at']), id: originalText(String(row['id'])) };
  }
  const next = r.rows.length > limit ? last : null;
  return ok(skipped.length === 0 ? { items, next } : { items, next, skipped });
}
