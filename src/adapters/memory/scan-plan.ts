/**
 * The memory repository's ids and scan plans: one page of the records that match a filter, in the
 * view's order, keeping only the records the page needs in order.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import {
  compareSortValues,
  encodeCursor,
  sortValue,
  type ActionPage,
  type CursorPosition,
  type ResolvedQuery,
} from '../../rules/query.js';

/**
 * One page of `matching` (every record matching the filter, in any order) in the view's order.
 * Sort values are computed once per record; only the `k` records the page needs are kept in order
 * (a bounded heap when `k` is small against the matches, a full sort otherwise).
 */
export function pageOf(
  matching: readonly ActionRecord[],
  query: ResolvedQuery,
  position: CursorPosition | null,
): ActionPage {
  const { sort, page } = query;
  const total = matching.length;
  const values = matching.map((r) => sortValue(r, sort.column, sort.labels));
  const sign = sort.direction === 'asc' ? 1 : -1;
  const compare = (i: number, j: number): number => {
    const c = compareSortValues(values[i] as string | number | null, values[j] as string | number | null);
    if (c !== 0) return sign * c;
    const x = (matching[i] as ActionRecord).id;
    const y = (matching[j] as ActionRecord).id;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  let chosen: number[];
  let start: number;
  if (position !== null) {
    const after: number[] = [];
    for (let i = 0; i < total; i++) {
      const directed = sign * compareSortValues(values[i] as string | number | null, position.value);
      if (directed > 0 || (directed === 0 && (matching[i] as ActionRecord).id > position.id)) after.push(i);
    }
    chosen = smallest(after, page.size + 1, compare);
    start = 0;
  } else {
    start = Math.min(page.index * page.size, total);
    chosen = smallest(
      Array.from({ length: total }, (_, i) => i),
      start + page.size + 1,
      compare,
    );
  }
  const items = chosen.slice(start, start + page.size).map((i) => matching[i] as ActionRecord);
  const last = items[items.length - 1];
  const more = chosen.length > start + page.size;
  return {
    items,
    total,
    totalIs: 'exact',
    nextCursor:
      last !== undefined && more
        ? encodeCursor({ value: sortValue(last, sort.column, sort.labels), id: last.id })
        : null,
  };
}

/** The `k` smallest of `indices` under `compare`, sorted. */
function smallest(indices: number[], k: number, compare: (i: number, j: number) => number): number[] {
  if (k <= 0) return [];
  if (k * 4 >= indices.length) return indices.sort(compare).slice(0, k);
  // A max-heap of the k smallest seen so far: its root is the one to drop next.
  const heap: number[] = [];
  const down = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && compare(heap[l] as number, heap[m] as number) > 0) m = l;
      if (r < heap.length && compare(heap[r] as number, heap[m] as number) > 0) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
      i = m;
    }
  };
  const up = (from: number) => {
    let i = from;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(heap[i] as number, heap[parent] as number) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
      i = parent;
    }
  };
  for (const i of indices) {
    if (heap.length < k) {
      heap.push(i);
      up(heap.length - 1);
    } else if (compare(i, heap[0] as number) < 0) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort(compare);
}
