/**
 * The memory repository's key-order plan (issue 14: "sort by every sortable column uses an index
 * or is bounded"): a view sorted by asset, requester or decider reads the actions in that order
 * from the column's secondary index ({@link KeyIndex.walk}) and stops once the page is full,
 * instead of computing the sort value of every matching action and keeping the smallest.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import {
  actorSortLabel,
  encodeCursor,
  sortValue,
  type ActionPage,
  type CursorPosition,
  type ResolvedQuery,
} from '../../rules/query.js';
import type { RecordCheck } from './compiled-filter.js';
import type { KeyIndex } from './key-index.js';
import type { StatusTypeIndex } from './status-type-index.js';

/** An asset sorts by itself (stable identity: the index caches its key order per label function). */
const assetLabel = (key: string): string => key;

/**
 * The index a sort walks and how its keys sort, or null when the sort has none: asset and requester
 * (never null), decider ascending only (undecided actions sort last ascending, and are walked by
 * no index: a walk that runs out before the page is full gives way to the scan).
 */
function walkOf(
  index: StatusTypeIndex,
  sort: ResolvedQuery['sort'],
): { keyIndex: KeyIndex; label: (key: string) => string; nullable: boolean } | null {
  switch (sort.column) {
    case 'asset':
      return { keyIndex: index.assets, label: assetLabel, nullable: false };
    case 'requestedBy':
      return { keyIndex: index.requestedBy, label: actorSortLabel, nullable: false };
    case 'decidedBy':
      return sort.direction === 'asc' ? { keyIndex: index.decidedBy, label: actorSortLabel, nullable: true } : null;
    default:
      return null;
  }
}

/**
 * Whether the key-order plan can answer a query: its sort column has a key index to walk, and its
 * cursor (if any) holds a text value.
 *
 * @example
 * ```ts
 * import { canWalk } from './key-order.js';
 * // if (canWalk(index, query, position)) ...
 * ```
 */
export function canWalk(index: StatusTypeIndex, query: ResolvedQuery, position: CursorPosition | null): boolean {
  if (walkOf(index, query.sort) === null) return false;
  return position === null || typeof position.value === 'string';
}

/**
 * Whether walking beats scanning: a walk reads about `need * stored / total` actions (the matching
 * ones are spread over every key), a scan reads all `total` matching ones and sorts them.
 *
 * @example
 * ```ts
 * import { walkPays } from './key-order.js';
 * walkPays(51, 1_000_000, 150_000); // true
 * walkPays(51, 1_000_000, 100); // false
 * ```
 */
export function walkPays(need: number, stored: number, total: number): boolean {
  return total > 0 && need * stored < total * total;
}

/**
 * One page of a query sorted by a walked column (see {@link canWalk}), with `total` matching actions
 * (counted by the caller), reading the actions in the view's order until the page and one more are
 * found; `check` is the whole filter but ids (null: none). Null when the walk ran out first (the
 * actions left sort as null: the caller scans instead).
 *
 * @example
 * ```ts
 * import { walkedPage } from './key-order.js';
 * // const page = walkedPage(index, records, query, position, check, total);
 * ```
 */
export function walkedPage(
  index: StatusTypeIndex,
  records: ReadonlyMap<string, ActionRecord>,
  query: ResolvedQuery,
  position: CursorPosition | null,
  check: RecordCheck | null,
  total: number,
): { page: ActionPage; examined: number } | null {
  const walk = walkOf(index, query.sort);
  if (walk === null) return null;
  const { sort, page } = query;
  const start = position === null ? Math.min(page.index * page.size, total) : 0;
  const need = start + page.size + 1;
  // Paged by index, the walk also stops once it found every match (the last page).
  const enough = position === null ? Math.min(need, total) : need;
  const found: ActionRecord[] = [];
  let examined = 0;
  if (enough > start) {
    const from = position === null ? null : { value: position.value as string, id: position.id };
    walk.keyIndex.walk(walk.label, sort.direction, from, records, (record) => {
      examined += 1;
      if (check === null || check(record)) found.push(record);
      return found.length < enough;
    });
  }
  // Ran out early: the rest (if any) hold no key, which only a nullable column has.
  if (found.length < enough && walk.nullable) return null;
  const items = found.slice(start, start + page.size);
  const last = items[items.length - 1];
  return {
    page: {
      items,
      total,
      totalIs: 'exact',
      nextCursor:
        last !== undefined && found.length > start + page.size
          ? encodeCursor({ value: sortValue(last, sort.column, sort.labels), id: last.id })
          : null,
    },
    examined,
  };
}
