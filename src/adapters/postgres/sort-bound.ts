/**
 * Sorts no index serves, bounded (issue 14): ordered by a column without a btree index, a page
 * reads and sorts every match (a parallel sequential scan and a top-N sort, 1-2 s over 1,000,000
 * actions). Before such a sort the repository counts the matches up to its limit, and past it
 * answers `queryTooBroad` instead of sorting.
 *
 * @module
 */
import type { QueryTooBroadError } from 'actioncenter';
import type { ResolvedQuery, SortColumn } from 'actioncenter/adapter-kit';
import type { Names } from './names.js';
import { Params, filterConditions, type Statement } from './view-sql.js';

/**
 * How many matches the PostgreSQL repository sorts at most by a column no index serves (option
 * `maxUnindexedSortRows`); past it `query` answers `queryTooBroad`. At 100,000 matches such a page
 * takes about a tenth of the 1,000,000-action sort (docs/adapters.md, "Sorts at 1,000,000 actions").
 *
 * @example
 * ```ts
 * import { UNINDEXED_SORT_LIMIT } from 'actioncenter/postgres';
 * const hint = `Narrow the filter below ${UNINDEXED_SORT_LIMIT} actions to sort by asset`;
 * ```
 */
export const UNINDEXED_SORT_LIMIT = 100_000;

/**
 * The sort columns a btree index orders (the primary key, `created_at`, `decided_at`,
 * `completed_at`): a page reads the index in order, whatever the number of matches. The others are
 * shown or labelled text (expressions of the query's labels) or columns without an ordered index.
 */
const INDEXED_SORTS: ReadonlySet<SortColumn> = new Set<SortColumn>(['id', 'createdAt', 'decidedAt', 'completedAt']);

/** Whether a page sorted by `column` reads an index in order (never refused). */
export function sortIsIndexed(column: SortColumn): boolean {
  return INDEXED_SORTS.has(column);
}

/** The matches of the query's filter, counted up to `limit + 1` (the cursor aside: every page counts the same). */
export function cappedCount(n: Names, query: ResolvedQuery, limit: number): Statement {
  const p = new Params();
  const where = filterConditions(query.filter, p);
  const filter = where.length === 0 ? 'TRUE' : where.join(' AND ');
  const text = `SELECT count(*)::float8 AS n FROM (
  SELECT 1 FROM ${n.actions} a WHERE ${filter} LIMIT ${p.add(String(limit + 1))}::bigint
) c`;
  return { text, params: p.values };
}

/** The refusal of a sort by `column` over at least `counted` matches, more than `limit`. */
export function tooBroad(column: SortColumn, limit: number, counted: number): QueryTooBroadError {
  return {
    code: 'queryTooBroad',
    message: `More than ${limit} actions match: sorting them by ${column} (no index) would read them all; narrow the filter or sort by createdAt, decidedAt, completedAt or id`,
    sortColumn: column,
    limit,
    atLeast: counted,
  };
}
