/**
 * A {@link ResolvedQuery} as one parameterised SQL statement with the semantics of
 * `referenceQuery`: filters in WHERE, the view's order in ORDER BY (nulls last ascending, first
 * descending, then the id ascending), keyset pagination from a cursor, or OFFSET from a page index,
 * and the total over the filter, all read in one snapshot. Values are always parameters.
 *
 * @module
 */
import {
  decodeCursor,
  type CursorPosition,
  type ResolvedInvestigationQuery,
  type ResolvedQuery,
  type SortColumn,
} from 'actioncenter/adapter-kit';
import { ACTION_SELECT } from './rows.js';
import type { Names } from './schema.js';
import { columnText, originalText } from './text.js';
import { awaitingApprovalSql } from './awaiting-sql.js';

/**
 * One SQL statement and its parameters (`$1`, `$2`, ...), as the repository runs it.
 *
 * @example
 * ```ts
 * import type { Statement } from 'actioncenter/postgres';
 * const show = (s: Statement) => `${s.text} -- ${JSON.stringify(s.params)}`;
 * ```
 */
export interface Statement {
  /** The SQL text, with `$1`-style placeholders. */
  readonly text: string;
  /** The placeholders' values, in order. */
  readonly params: unknown[];
}

/** Collects parameters; `add` returns the placeholder. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A PostgreSQL array literal of texts, sent as one text parameter and cast with `::text[]`: both
 * `pg` and PGlite pass a string through unchanged, whatever they do with JavaScript arrays.
 *
 * @example
 * ```ts
 * import { textArray } from './view-sql.js';
 * textArray(['a', 'b"c']); // '{"a","b\\"c"}'
 * ```
 */
export function textArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

interface SortSpec {
  readonly column: string;
  readonly kind: 'text' | 'number';
  readonly nullable: boolean;
  /** How the column's value is shown: `label` maps stored ids to the query's labels, `actor` reads an actor key as `actorSortLabel` does. */
  readonly shown?: 'label' | 'actor';
}

const SORT: { readonly [C in SortColumn]: SortSpec } = {
  id: { column: 'id', kind: 'text', nullable: false },
  investigationId: { column: 'investigation_id', kind: 'text', nullable: true },
  incidentId: { column: 'incident_id', kind: 'text', nullable: true },
  alertId: { column: 'alert_id', kind: 'text', nullable: true },
  approvalId: { column: 'approval_id', kind: 'text', nullable: true },
  actionType: { column: 'action_type', kind: 'text', nullable: false, shown: 'label' },
  asset: { column: 'asset', kind: 'text', nullable: false },
  source: { column: 'source', kind: 'text', nullable: false, shown: 'label' },
  status: { column: 'status', kind: 'text', nullable: false, shown: 'label' },
  requestedBy: { column: 'requested_by', kind: 'text', nullable: false, shown: 'actor' },
  decidedBy: { column: 'decided_by', kind: 'text', nullable: true, shown: 'actor' },
  comment: { column: 'comment', kind: 'text', nullable: true },
  createdAt: { column: 'created_at', kind: 'number', nullable: false },
  decidedAt: { column: 'decided_at', kind: 'number', nullable: true },
  completedAt: { column: 'completed_at', kind: 'number', nullable: true },
  workload: { column: 'workload', kind: 'text', nullable: false, shown: 'label' },
  undoOf: { column: 'undo_of', kind: 'text', nullable: true },
};

/** The sort of a query: its spec and the SQL of the value sorted by, for a table alias. */
interface SortSql {
  readonly spec: SortSpec;
  readonly value: (alias: string) => string;
}

/**
 * The value a view sorts by, in SQL: the column, or what the column shows (seed 002). Labels are
 * sent as two text arrays (ids, labels) and looked up with `array_position`; the result is compared
 * under COLLATE "C", as column text, so that it orders as `compareSortValues` does.
 */
function sortSql(query: ResolvedQuery, p: Params): SortSql {
  const spec = SORT[query.sort.column];
  const labels = query.sort.labels ?? null;
  if (spec.shown === 'label' && labels !== null && Object.keys(labels).length > 0) {
    const ids = Object.keys(labels);
    const keys = p.add(textArray(ids.map(columnText)));
    const shown = p.add(textArray(ids.map((id) => columnText(labels[id] as string))));
    return {
      spec,
      value: (alias) =>
        `(coalesce((${shown}::text[])[array_position(${keys}::text[], ${alias}.${spec.column}::text)], ${alias}.${spec.column}) COLLATE "C")`,
    };
  }
  if (spec.shown === 'actor') {
    const col = (alias: string) => `${alias}.${spec.column}`;
    return {
      spec,
      value: (alias) =>
        `((CASE WHEN left(${col(alias)}, 7) = 'system:' THEN 'Automation (' || substr(${col(alias)}, 8) || ')' ELSE ${col(alias)} END) COLLATE "C")`,
    };
  }
  return { spec, value: (alias) => `${alias}.${spec.column}` };
}

/**
 * The sort value of a selected row, read from the `sort_value` the page selects (what the SQL
 * orders by), so that a cursor can be taken at a row whose record is unreadable.
 *
 * @example
 * ```ts
 * import { rowSortValue } from './view-sql.js';
 * rowSortValue({ sort_value: 1700000000000 }, 'createdAt'); // 1700000000000
 * ```
 */
export function rowSortValue(row: Record<string, unknown>, column: SortColumn): string | number | null {
  const spec = SORT[column];
  const value = row['sort_value'];
  if (value === null || value === undefined) return null;
  if (spec.kind === 'number') return Number(value);
  return originalText(String(value));
}

type Op = '>' | '>=' | '<' | '<=' | '=';

// Far beyond any stored time (at most 8.64e15) and inside bigint: clamping a bound to it keeps
// every comparison with a stored value as it was.
const CLAMP = 2 ** 62;

/**
 * `column op x` for a bigint column and any JavaScript number x, as JavaScript compares them:
 * fractions round to the integer bound that gives the same answer for every integer, infinities
 * clamp, and NaN compares false.
 */
function numberCompare(column: string, op: Op, x: number, p: Params): string {
  if (Number.isNaN(x)) return 'FALSE';
  if (op === '=' && !Number.isInteger(x)) return 'FALSE';
  const bound = Math.max(-CLAMP, Math.min(CLAMP, op === '>' || op === '<=' ? Math.floor(x) : Math.ceil(x)));
  return `${column} ${op} ${p.add(BigInt(bound).toString())}::bigint`;
}

/** `column op s` for a column holding column text and a JavaScript string s, in code unit order. */
function textCompare(column: string, op: Op, s: string, p: Params): string {
  return `${column} ${op} ${p.add(columnText(s))}`;
}

function compareTo(spec: SortSpec, column: string, op: Op, value: string | number, p: Params): string {
  return typeof value === 'number' ? numberCompare(column, op, value, p) : textCompare(column, op, value, p);
}

/** Rows of a page after a cursor: an extra FROM item (or none) and a condition. */
interface CursorClause {
  readonly from: string;
  readonly where: string;
}

/**
 * The rows of the page after a cursor position, as `referenceQuery` finds them: in the view's order,
 * from the first row that `isAfterCursor`. The reference compares the sort value v with the
 * cursor's value c by `compareSortValues` (null after anything, `===` equal, else `<`), and:
 * - when c has the column's type (or is null), "after" is a suffix of the order: the condition is
 *   the keyset comparison on (value, id);
 * - a string c on a time column compares v < Number(c): still a suffix;
 * - a number c on a text column (a cursor taken from a page sorted by a time) compares
 *   Number(v) < c, which does not follow text order: the page starts at the first row in the
 *   view's order for which it holds (found by a LIMIT 1 subquery), and takes every row from there.
 */
function afterCursor(
  sort: SortSql,
  position: CursorPosition,
  asc: boolean,
  p: Params,
  jsNumber: string,
  filter: string,
  table: string,
): CursorClause {
  const spec = sort.spec;
  const col = sort.value('a');
  const value = position.value;
  // Built only where used: an unreferenced parameter has no type PostgreSQL could infer.
  const idAfter = () => textCompare('a.id', '>', position.id, p);
  if (value === null) {
    // Null values tie with the cursor (then by id); other values are before it ascending, after it descending.
    return { from: '', where: asc ? `(${col} IS NULL AND ${idAfter()})` : `(${col} IS NOT NULL OR ${idAfter()})` };
  }
  const sameType = (typeof value === 'number') === (spec.kind === 'number');
  if (sameType) {
    // Bounds first, so that an index on the column can start at the cursor.
    if (asc) {
      const at = `(${compareTo(spec, col, '>=', value, p)} AND (${compareTo(spec, col, '>', value, p)} OR (${compareTo(spec, col, '=', value, p)} AND ${idAfter()})))`;
      return { from: '', where: spec.nullable ? `(${at} OR ${col} IS NULL)` : at };
    }
    return {
      from: '',
      where: `(${compareTo(spec, col, '<=', value, p)} AND (${compareTo(spec, col, '<', value, p)} OR (${compareTo(spec, col, '=', value, p)} AND ${idAfter()})))`,
    };
  }
  if (typeof value === 'string') {
    // A time column, a string cursor: v < Number(c) decides; nulls are after everything.
    const below = numberCompare(col, '<', Number(value), p);
    return { from: '', where: asc ? `(${col} IS NULL OR NOT (${below}))` : `(${below})` };
  }
  // A text column, a number cursor: Number(v) < c decides; nulls are after everything.
  const below = `${p.add(String(value))}::float8 > ${jsNumber}(${col})`;
  const after = asc ? `(${col} IS NULL OR NOT coalesce(${below}, FALSE))` : `coalesce(${below}, FALSE)`;
  const first = `(SELECT ${col} AS v, a.id AS i FROM ${table} a WHERE ${filter} AND ${after} ORDER BY ${orderBy(col, spec, asc, 'a')} LIMIT 1) f`;
  const from = asc
    ? `(f.v IS NULL AND ${col} IS NULL AND a.id >= f.i) OR (f.v IS NOT NULL AND (${col} > f.v OR (${col} = f.v AND a.id >= f.i) OR ${col} IS NULL))`
    : `(f.v IS NULL AND (${col} IS NOT NULL OR a.id >= f.i)) OR (f.v IS NOT NULL AND (${col} < f.v OR (${col} = f.v AND a.id >= f.i)))`;
  return { from: `, ${first}`, where: `(${from})` };
}

/** The WHERE conditions of a filter, exactly `matchesFilter` (also counted by `sort-bound.ts`). */
export function filterConditions(filter: ResolvedQuery['filter'], p: Params): string[] {
  const where: string[] = [];
  const oneOf = (column: string, values: readonly string[] | null) => {
    if (values === null) return;
    if (values.length === 0) where.push('FALSE');
    else if (values.length === 1) where.push(`a.${column} = ${p.add(columnText(values[0] as string))}`);
    // A hash index (asset) cannot search for an array of values; a semi-join probes it once per value.
    else if (column === 'asset')
      where.push(`a.asset IN (SELECT unnest(${p.add(textArray(values.map(columnText)))}::text[]))`);
    else where.push(`a.${column} = ANY(${p.add(textArray(values.map(columnText)))}::text[])`);
  };
  oneOf('status', filter.statuses);
  oneOf('id', filter.ids);
  oneOf('action_type', filter.actionTypes);
  oneOf('source', filter.sources);
  oneOf('workload', filter.workloads);
  oneOf('asset', filter.assets);
  oneOf('decided_by', filter.decidedBy);
  oneOf('investigation_id', filter.investigationIds);
  oneOf('approval_id', filter.approvalIds);
  oneOf('incident_id', filter.incidentIds ?? null);
  oneOf('alert_id', filter.alertIds ?? null);
  oneOf('requested_by', filter.requestedBy ?? null);
  const awaiting = filter.awaitingApprovalBy ?? null;
  if (awaiting !== null) where.push(awaitingApprovalSql(awaiting, filter.awaitingApprovalTypes ?? null, p, textArray));
  if (filter.createdFrom !== null) where.push(numberCompare('a.created_at', '>=', filter.createdFrom, p));
  if (filter.createdTo !== null) where.push(numberCompare('a.created_at', '<', filter.createdTo, p));
  const scope = filter.scope ?? null;
  if (scope !== null) {
    // The reader's scope (issue 12, item 1), in the total's WHERE too: totals count only what it may see.
    const groups = scope.deviceGroups;
    const inGroups =
      groups.length === 0
        ? 'FALSE'
        : groups.length === 1
          ? `a.device_group = ${p.add(columnText(groups[0] as string))}`
          : `a.device_group = ANY(${p.add(textArray(groups.map(columnText)))}::text[])`;
    where.push(scope.includeUngrouped ? `(a.device_group IS NULL OR ${inGroups})` : inGroups);
  }
  return where;
}

function orderBy(value: string, spec: SortSpec, asc: boolean, alias: string): string {
  const first = `${value} ${asc ? 'ASC NULLS LAST' : 'DESC NULLS FIRST'}`;
  return spec.column === 'id' && asc ? first : `${first}, ${alias}.id ASC`;
}

/** The parts of a view query: conditions, order, limit and offset. */
interface PageParts {
  readonly filter: string;
  /** Extra FROM items of the page. */
  readonly from: string;
  readonly page: string;
  readonly order: (alias: string) => string;
  /** The value sorted by, for the table alias `a` (selected as `sort_value`). */
  readonly sortValue: string;
  readonly limit: string;
  readonly offset: string;
}

function pageParts(n: Names, query: ResolvedQuery, p: Params): PageParts {
  const sort = sortSql(query, p);
  const asc = query.sort.direction === 'asc';
  const where = filterConditions(query.filter, p);
  const filter = where.length === 0 ? 'TRUE' : where.join(' AND ');
  // An unreadable cursor pages by index, as in the reference.
  const position = query.page.cursor === null ? null : decodeCursor(query.page.cursor);
  const cursor =
    position === null
      ? { from: '', where: 'TRUE' }
      : afterCursor(sort, position, asc, p, n.jsNumber, filter, n.actions);
  const page = position === null ? filter : `${filter} AND ${cursor.where}`;
  const offset = position === null ? Math.min(query.page.index * query.page.size, Number.MAX_SAFE_INTEGER) : 0;
  return {
    filter,
    from: cursor.from,
    page,
    // The outer query orders the page's rows by the value they selected.
    order: (alias) => orderBy(alias === 'a' ? sort.value('a') : `${alias}.sort_value`, sort.spec, asc, alias),
    sortValue: sort.value('a'),
    // One more than the page: whether there is a next page.
    limit: p.add(String(query.page.size + 1)),
    offset: p.add(String(offset)),
  };
}

/**
 * The statement of a view query. Its rows: `total` on every row (counted up to `cap + 1`: more than
 * `cap` means "at least `cap`"), then the page's rows in the view's order (a single row with null
 * columns when the page is empty), one more than the page size when there is a next page.
 *
 * @example
 * ```ts
 * import { viewQuery } from './view-sql.js';
 * // const { text, params } = viewQuery(names, query, 10_000); await db.query(text, params);
 * ```
 */
export function viewQuery(n: Names, query: ResolvedQuery, cap: number): Statement {
  const p = new Params();
  const parts = pageParts(n, query, p);
  const text = `SELECT t.total, p.*
FROM (SELECT count(*)::float8 AS total FROM (
  SELECT 1 FROM ${n.actions} a WHERE ${parts.filter} LIMIT ${p.add(String(cap + 1))}::bigint
) c) t
LEFT JOIN LATERAL (
  SELECT ${ACTION_SELECT}, ${parts.sortValue} AS sort_value FROM ${n.actions} a${parts.from}
  WHERE ${parts.page}
  ORDER BY ${parts.order('a')}
  LIMIT ${parts.limit}::bigint OFFSET ${parts.offset}::bigint
) p ON TRUE
ORDER BY ${parts.order('p')}`;
  return { text, params: p.values };
}

/**
 * The page part of a view query alone, for EXPLAIN.
 *
 * @example
 * ```ts
 * import { pageQuery } from './view-sql.js';
 * // const { text, params } = pageQuery(names, query); await db.query(`EXPLAIN ${text}`, params);
 * ```
 */
export function pageQuery(n: Names, query: ResolvedQuery): Statement {
  const p = new Params();
  const parts = pageParts(n, query, p);
  const text = `SELECT ${ACTION_SELECT}, ${parts.sortValue} AS sort_value FROM ${n.actions} a${parts.from}
WHERE ${parts.page}
ORDER BY ${parts.order('a')}
LIMIT ${parts.limit}::bigint OFFSET ${parts.offset}::bigint`;
  return { text, params: p.values };
}

const INVESTIGATION_ORDER: { readonly [C in ResolvedInvestigationQuery['sort']['column']]: string } = {
  latestActivity: 'latest',
  count: 'n',
  investigationId: 'investigation_id',
};

/**
 * The statement of the grouped view (actions by investigation, seed 003): the matching actions with
 * an investigation id, counted with `GROUP BY` per (investigation, status, action type) and then
 * per investigation, sorted and paged in SQL. Its rows: `total` (the number of groups) on every
 * row, then the page's groups in order (a single row with null columns when the page is empty),
 * each with `cells`, a JSON array of `[status, action type, count]` the caller sums by status and
 * by type. Text is column text.
 *
 * @example
 * ```ts
 * import { investigationsQuery } from './view-sql.js';
 * // const { text, params } = investigationsQuery(names, query); await db.query(text, params);
 * ```
 */
export function investigationsQuery(n: Names, query: ResolvedInvestigationQuery): Statement {
  const p = new Params();
  const where = filterConditions(query.filter, p);
  const filter = ['a.investigation_id IS NOT NULL', ...where].join(' AND ');
  const key = INVESTIGATION_ORDER[query.sort.column];
  const dir = query.sort.direction === 'asc' ? 'ASC' : 'DESC';
  const order = (alias: string) =>
    key === 'investigation_id'
      ? `${alias}.investigation_id ${dir}`
      : `${alias}.${key} ${dir}, ${alias}.investigation_id ASC`;
  const limit = p.add(String(query.page.size));
  const offset = p.add(String(Math.min(query.page.index * query.page.size, Number.MAX_SAFE_INTEGER)));
  const text = `WITH cells AS (
  SELECT a.investigation_id, a.status, a.action_type, count(*) AS n,
         min(a.created_at) AS oldest, max(a.created_at) AS newest, max(a.updated_at) AS latest
  FROM ${n.actions} a WHERE ${filter}
  GROUP BY a.investigation_id, a.status, a.action_type
), groups AS (
  SELECT c.investigation_id, sum(c.n)::float8 AS n, min(c.oldest)::float8 AS oldest, max(c.newest)::float8 AS newest,
         max(c.latest)::float8 AS latest, json_agg(json_build_array(c.status, c.action_type, c.n::float8)) AS cells
  FROM cells c GROUP BY c.investigation_id
)
SELECT t.total, p.* FROM (SELECT count(*)::float8 AS total FROM groups) t
LEFT JOIN LATERAL (
  SELECT g.* FROM groups g ORDER BY ${order('g')} LIMIT ${limit}::bigint OFFSET ${offset}::bigint
) p ON TRUE
ORDER BY ${order('p')}`;
  return { text, params: p.values };
}
