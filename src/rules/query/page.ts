/**
 * Paging: where a keyset cursor falls in a view's order, and the reference query
 * (`filter -> sort -> page`) whose pages every repository must return.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { compareActions, compareSortValues, matchesFilter, sortValue } from './match.js';
import { decodeCursor, encodeCursor, type CursorPosition } from './cursor.js';
import type { ActionPage, ResolvedQuery } from './resolve.js';

/**
 * Is `action` after the cursor position in the view's order?
 *
 * @example
 * ```ts
 * import { isAfterCursor } from 'actioncenter/adapter-kit';
 * // sorted.filter((a) => isAfterCursor(a, position, sort))
 * ```
 */
export function isAfterCursor(action: ActionRecord, position: CursorPosition, sort: ResolvedQuery['sort']): boolean {
  const c = compareSortValues(sortValue(action, sort.column, sort.labels), position.value);
  const directed = sort.direction === 'asc' ? c : -c;
  if (directed !== 0) return directed > 0;
  return action.id > position.id;
}

/**
 * The reference implementation of a query over an in-memory array: filter, sort, then page by
 * cursor (or index). Slow by design (it scans and sorts everything); repositories must return the
 * same pages, faster.
 *
 * @example
 * ```ts
 * import { referenceQuery, resolveQuery } from 'actioncenter/adapter-kit';
 * const q = resolveQuery({ filter: { view: 'history' } }, Date.now());
 * if (q.ok) referenceQuery([], q.value); // { items: [], total: 0, totalIs: 'exact', nextCursor: null }
 * ```
 */
export function referenceQuery(actions: readonly ActionRecord[], query: ResolvedQuery): ActionPage {
  const matching = actions
    .filter((a) => matchesFilter(a, query.filter))
    .sort((a, b) => compareActions(a, b, query.sort));
  const position = query.page.cursor === null ? null : decodeCursor(query.page.cursor);
  const start =
    position !== null
      ? firstAfter(matching, position, query.sort)
      : Math.min(query.page.index * query.page.size, matching.length);
  const items = matching.slice(start, start + query.page.size);
  const last = items[items.length - 1];
  const nextCursor =
    last !== undefined && start + items.length < matching.length
      ? encodeCursor({ value: sortValue(last, query.sort.column, query.sort.labels), id: last.id })
      : null;
  return { items, total: matching.length, totalIs: 'exact', nextCursor };
}

function firstAfter(sorted: readonly ActionRecord[], position: CursorPosition, sort: ResolvedQuery['sort']): number {
  const i = sorted.findIndex((a) => isAfterCursor(a, position, sort));
  return i === -1 ? sorted.length : i;
}
