/**
 * Answers a {@link ResolvedQuery} from the memory repository's index, with exactly the results of
 * `referenceQuery`.
 *
 * Three plans:
 * - `ids`: the filter names action ids (at most a thousand): look them up, filter, sort.
 * - `index`: sorted by creation time and filtered on nothing but status, action type and creation
 *   time (the Pending and History views' usual query). The total is a sum of binary-searched
 *   range sizes; the page is a k-way merge of the matching bucket ranges, started by binary search
 *   at the cursor, or at the page index by a selection over the ranges (no record before the page
 *   is read).
 * - `scan`: anything else. Scans only the matching bucket ranges, filters, and keeps the smallest
 *   `k` in the view's order with a bounded heap.
 *
 * @module
 */
import { assetOf, deviceOf } from '../../catalog/targets.js';
import type { ActionRecord } from '../../catalog/records.js';
import {
  actorKey,
  compareSortValues,
  decodeCursor,
  encodeCursor,
  matchesFilter,
  pageInvestigations,
  sortValue,
  summarizeInvestigations,
  type ActionPage,
  type InvestigationPage,
  type ResolvedInvestigationQuery,
  type CursorPosition,
  type ResolvedQuery,
} from '../../rules/query.js';
import { bucketOrder, type Bucket, type StatusTypeIndex } from './status-type-index.js';

/**
 * How the memory repository answered a query: which plan, how many (status, action type) buckets
 * it searched, and how many records it read one by one (filtered, merged or looked up; the probes
 * of binary searches are not counted). For tests and diagnostics.
 *
 * @example
 * ```ts
 * import { createMemoryRepository, resolveQuery, unwrap } from 'actioncenter';
 * const repo = createMemoryRepository();
 * const { stats } = repo.explain(unwrap(resolveQuery({ filter: { view: 'pending' } }, Date.now())));
 * stats.plan; // 'index'
 * ```
 */
export interface MemoryQueryStats {
  /** `index` (status and type buckets), `ids` (looked up by id) or `scan` (every record). */
  readonly plan: 'index' | 'ids' | 'scan';
  /** How many (status, action type) buckets were searched. */
  readonly buckets: number;
  /** How many records were read one by one. */
  readonly examined: number;
}

/** A bucket restricted to a creation-time range: positions `[lo, hi)`. */
interface Range {
  readonly bucket: Bucket;
  readonly lo: number;
  readonly hi: number;
}

type Filter = ResolvedQuery['filter'];

/**
 * Runs a query against the index (or the records by id). Synchronous: the repository calls it
 * between awaits, so it sees one consistent state.
 *
 * @example
 * ```ts
 * import { runViewQuery } from './view-query.js';
 * // const { page, stats } = runViewQuery(index, records, query);
 * ```
 */
export function runViewQuery(
  index: StatusTypeIndex,
  records: ReadonlyMap<string, ActionRecord>,
  query: ResolvedQuery,
): { page: ActionPage; stats: MemoryQueryStats } {
  const { filter, sort } = query;
  // An unreadable cursor pages by index, as in the reference.
  const position = query.page.cursor === null ? null : decodeCursor(query.page.cursor);
  if (filter.ids !== null) {
    const ids = new Set(filter.ids);
    const found: ActionRecord[] = [];
    for (const id of ids) {
      const record = records.get(id);
      if (record !== undefined && matchesFilter(record, filter)) found.push(record);
    }
    return { page: pageOf(found, query, position), stats: { plan: 'ids', buckets: 0, examined: ids.size } };
  }
  const ranges: Range[] = [];
  for (const bucket of index.buckets(filter.statuses, filter.actionTypes)) {
    const range = rangeOf(bucket, filter.createdFrom, filter.createdTo);
    if (range.hi > range.lo) ranges.push(range);
  }
  const residual = residualFilter(filter);
  const indexed =
    sort.column === 'createdAt' &&
    residual === null &&
    (position === null || position.value === null || typeof position.value === 'number');
  if (indexed) return mergedPage(ranges, query, position);
  const matching: ActionRecord[] = [];
  let examined = 0;
  for (const { bucket, lo, hi } of ranges) {
    examined += hi - lo;
    bucket.forEachInRange(lo, hi, (record) => {
      if (residual === null || residual(record)) matching.push(record);
    });
  }
  return { page: pageOf(matching, query, position), stats: { plan: 'scan', buckets: ranges.length, examined } };
}

/**
 * The grouped view (actions by investigation) from the index: the matching records, found as a
 * view query finds them (by id, or in the status and type buckets of the creation-time range, with
 * the other filters checked one by one), grouped, sorted and paged as `referenceInvestigations`.
 *
 * @example
 * ```ts
 * import { runInvestigationQuery } from './view-query.js';
 * // const page = runInvestigationQuery(index, records, query);
 * ```
 */
export function runInvestigationQuery(
  index: StatusTypeIndex,
  records: ReadonlyMap<string, ActionRecord>,
  query: ResolvedInvestigationQuery,
): InvestigationPage {
  const { filter } = query;
  const matching: ActionRecord[] = [];
  if (filter.ids !== null) {
    for (const id of new Set(filter.ids)) {
      const record = records.get(id);
      if (record !== undefined && matchesFilter(record, filter)) matching.push(record);
    }
  } else {
    const residual = residualFilter(filter);
    for (const bucket of index.buckets(filter.statuses, filter.actionTypes)) {
      const { lo, hi } = rangeOf(bucket, filter.createdFrom, filter.createdTo);
      if (hi > lo) {
        bucket.forEachInRange(lo, hi, (record) => {
          if (record.investigationId !== null && (residual === null || residual(record))) matching.push(record);
        });
      }
    }
  }
  return pageInvestigations(summarizeInvestigations(matching), query.sort, query.page);
}

function rangeOf(bucket: Bucket, from: number | null, to: number | null): Range {
  const lo = from === null ? 0 : bucket.firstIndexWhere((r) => r.createdAt >= from);
  const hi = to === null ? bucket.size : bucket.firstIndexWhere((r) => r.createdAt >= to);
  return { bucket, lo, hi: Math.max(lo, hi) };
}

/**
 * The filters the index does not answer (status, type and creation time are answered by the choice
 * of buckets and ranges), as one predicate with the semantics of `matchesFilter`; null when none.
 */
function residualFilter(filter: Filter): ((record: ActionRecord) => boolean) | null {
  const checks: ((record: ActionRecord) => boolean)[] = [];
  const oneOf = (xs: readonly string[] | null, value: (record: ActionRecord) => string | null) => {
    if (xs === null) return;
    const allowed = new Set(xs);
    checks.push((record) => {
      const v = value(record);
      return v !== null && allowed.has(v);
    });
  };
  oneOf(filter.sources, (r) => r.source);
  oneOf(filter.workloads, (r) => r.workload);
  oneOf(filter.assets, (r) => assetOf(r.target));
  if (filter.decidedBy !== null) {
    // actorKey without building a `system:<component>` string per record: one set per kind of actor.
    const principals = new Set<string>();
    const components = new Set<string>();
    for (const key of filter.decidedBy) {
      principals.add(key);
      if (key.startsWith('system:')) components.add(key.slice('system:'.length));
    }
    checks.push((record) => {
      const actor = record.decidedBy;
      if (actor === null) return false;
      return actor.type === 'principal' ? principals.has(actor.id) : components.has(actor.component);
    });
  }
  oneOf(filter.investigationIds, (r) => r.investigationId);
  oneOf(filter.approvalIds, (r) => r.approvalId);
  oneOf(filter.incidentIds ?? null, (r) => r.incidentId);
  oneOf(filter.alertIds ?? null, (r) => r.alertId);
  oneOf(filter.requestedBy ?? null, (r) => actorKey(r.requestedBy));
  const scope = filter.scope ?? null;
  if (scope !== null) {
    // The reader's device groups (issue 12, item 1): a residual check, so totals count only these.
    const groups = new Set(scope.deviceGroups);
    const ungrouped = scope.includeUngrouped;
    checks.push((record) => {
      const group = deviceOf(record.target)?.deviceGroup ?? null;
      return group === null ? ungrouped : groups.has(group);
    });
  }
  if (checks.length === 0) return null;
  if (checks.length === 1) return checks[0] as (record: ActionRecord) => boolean;
  return (record) => {
    for (const check of checks) if (!check(record)) return false;
    return true;
  };
}

// ---- the index plan ------------------------------------------------------------------------------

/**
 * Reads one bucket range in the view's order. Ascending, that is the bucket's order. Descending by
 * creation time the tie-break stays id ascending (`compareActions`), so the range is read in groups
 * of equal creation time from the top, each group upwards: the run emits `[a, b)` upwards, then
 * takes the next group below `below`.
 */
class Run {
  #head: ActionRecord | undefined = undefined;
  constructor(
    private readonly bucket: Bucket,
    private readonly lo: number,
    private a: number,
    private b: number,
    private below: number,
  ) {
    this.#load();
  }

  get head(): ActionRecord | undefined {
    return this.#head;
  }

  advance(): void {
    this.a += 1;
    this.#load();
  }

  #load(): void {
    while (this.a >= this.b && this.below > this.lo) {
      const createdAt = (this.bucket.at(this.below - 1) as ActionRecord).createdAt;
      // At most `below - 1`, so every pass moves down: a record whose createdAt compares with
      // nothing (NaN, which a store fed directly may hold) cannot make this loop spin forever.
      const groupStart = Math.min(
        this.below - 1,
        Math.max(
          this.lo,
          this.bucket.firstIndexWhere((r) => r.createdAt >= createdAt),
        ),
      );
      this.a = groupStart;
      this.b = this.below;
      this.below = groupStart;
    }
    this.#head = this.a < this.b ? this.bucket.at(this.a) : undefined;
  }
}

const clamp = (i: number, range: { readonly lo: number; readonly hi: number }) =>
  Math.min(range.hi, Math.max(range.lo, i));

function mergedPage(
  ranges: readonly Range[],
  query: ResolvedQuery,
  position: CursorPosition | null,
): { page: ActionPage; stats: MemoryQueryStats } {
  const desc = query.sort.direction === 'desc';
  const size = query.page.size;
  let total = 0;
  for (const r of ranges) total += r.hi - r.lo;
  const emptyPage = () => ({
    page: { items: [], total, nextCursor: null },
    stats: { plan: 'index' as const, buckets: ranges.length, examined: 0 },
  });

  let runs: Run[];
  if (position !== null && position.value !== null) {
    runs = ranges.map((r) => seekAfter(r, desc, position.value as number, position.id));
  } else if (position !== null) {
    // A null value sorts last ascending (nothing is after it) and first descending (everything is).
    if (!desc) return emptyPage();
    runs = ranges.map((r) => fromStart(r, desc));
  } else {
    const start = query.page.index * size;
    if (start >= total) return emptyPage();
    runs = start === 0 ? ranges.map((r) => fromStart(r, desc)) : skipTo(ranges, desc, start, total);
  }

  const before = desc ? createdAtDescending : bucketOrder;
  const heap = new RunHeap(
    runs.filter((run) => run.head !== undefined),
    (x, y) => before(x.head as ActionRecord, y.head as ActionRecord),
  );
  const items: ActionRecord[] = [];
  while (items.length < size && heap.size > 0) {
    const run = heap.top;
    items.push(run.head as ActionRecord);
    run.advance();
    if (run.head === undefined) heap.pop();
    else heap.siftTop();
  }
  const last = items[items.length - 1];
  const nextCursor =
    last !== undefined && heap.size > 0 ? encodeCursor({ value: sortValue(last, 'createdAt'), id: last.id }) : null;
  return {
    page: { items, total, nextCursor },
    stats: { plan: 'index', buckets: ranges.length, examined: items.length },
  };
}

function createdAtDescending(a: ActionRecord, b: ActionRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt > b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function fromStart(r: Range, desc: boolean): Run {
  return desc ? new Run(r.bucket, r.lo, r.hi, r.hi, r.hi) : new Run(r.bucket, r.lo, r.lo, r.hi, r.lo);
}

/** The run of the records after a cursor position `(createdAt, id)` in the view's order. */
function seekAfter(r: Range, desc: boolean, createdAt: number, id: string): Run {
  const { bucket } = r;
  // In the bucket's order, the records after (createdAt, id).
  const after = clamp(
    bucket.firstIndexWhere((x) => x.createdAt > createdAt || (x.createdAt === createdAt && x.id > id)),
    r,
  );
  if (!desc) return new Run(bucket, r.lo, after, r.hi, r.lo);
  // Descending: the rest of the cursor's own group (ids above the cursor), then everything older.
  const groupEnd = clamp(
    bucket.firstIndexWhere((x) => x.createdAt > createdAt),
    r,
  );
  const groupStart = clamp(
    bucket.firstIndexWhere((x) => x.createdAt >= createdAt),
    r,
  );
  return new Run(bucket, r.lo, Math.min(after, groupEnd), groupEnd, groupStart);
}

/**
 * Runs positioned so that exactly `start` records of the view come before them. First the creation
 * time T of the record at view position `start` is found by a selection over the ranges in bucket
 * order (descending views count from the other end: only the order inside equal times differs,
 * not the times). Then, inside the ranges' groups of time T (ordered by id in both directions), a
 * second selection finds where the page starts.
 */
function skipTo(ranges: readonly Range[], desc: boolean, start: number, total: number): Run[] {
  const rank = desc ? total - 1 - start : start;
  const split = splitAcross(ranges, rank);
  let atRank: ActionRecord | undefined;
  ranges.forEach((r, i) => {
    const p = split[i] as number;
    if (p < r.hi) {
      const candidate = r.bucket.at(p) as ActionRecord;
      if (atRank === undefined || bucketOrder(candidate, atRank) < 0) atRank = candidate;
    }
  });
  const time = (atRank as ActionRecord).createdAt;
  let before = 0;
  const groups = ranges.map((r) => {
    const lo = clamp(
      r.bucket.firstIndexWhere((x) => x.createdAt >= time),
      r,
    );
    const hi = clamp(
      r.bucket.firstIndexWhere((x) => x.createdAt > time),
      r,
    );
    before += desc ? r.hi - hi : lo - r.lo;
    return { bucket: r.bucket, lo, hi };
  });
  const inGroup = splitAcross(groups, start - before);
  return ranges.map((r, i) => {
    const g = groups[i] as Range;
    const p = inGroup[i] as number;
    return desc ? new Run(r.bucket, r.lo, p, g.hi, g.lo) : new Run(r.bucket, r.lo, p, r.hi, r.lo);
  });
}

/**
 * Splits sorted ranges (in bucket order, all keys distinct) so that exactly `k` of their records,
 * all smaller than the rest, come before the split: returns the split position in each range.
 * Each round takes the weighted median of the ranges' middle records as pivot, counts the records
 * below it by binary search and drops at least a quarter of the remaining records, so it needs
 * O(log n) rounds of O(m log n) work for m ranges.
 */
function splitAcross(ranges: readonly Range[], k: number): number[] {
  const a = ranges.map((r) => r.lo);
  const b = ranges.map((r) => r.hi);
  let remaining = k;
  for (;;) {
    let width = 0;
    for (let i = 0; i < ranges.length; i++) width += (b[i] as number) - (a[i] as number);
    if (remaining <= 0) return a;
    if (remaining >= width) return b;
    const mids: { record: ActionRecord; weight: number; range: number }[] = [];
    for (let i = 0; i < ranges.length; i++) {
      const ai = a[i] as number;
      const bi = b[i] as number;
      if (bi > ai)
        mids.push({
          record: (ranges[i] as Range).bucket.at((ai + bi) >> 1) as ActionRecord,
          weight: bi - ai,
          range: i,
        });
    }
    mids.sort((x, y) => bucketOrder(x.record, y.record));
    let acc = 0;
    let pivot = mids[mids.length - 1] as (typeof mids)[number];
    for (const m of mids) {
      acc += m.weight;
      if (2 * acc >= width) {
        pivot = m;
        break;
      }
    }
    const p = pivot.record;
    let below = 0;
    const counts = ranges.map((r, i) => {
      const ai = a[i] as number;
      const c =
        Math.min(
          b[i] as number,
          Math.max(
            ai,
            r.bucket.firstIndexWhere((x) => bucketOrder(x, p) >= 0),
          ),
        ) - ai;
      below += c;
      return c;
    });
    if (below === remaining) return a.map((ai, i) => ai + (counts[i] as number));
    if (below < remaining) {
      // The pivot and everything below it come before the split.
      for (let i = 0; i < ranges.length; i++) a[i] = (a[i] as number) + (counts[i] as number);
      a[pivot.range] = (a[pivot.range] as number) + 1;
      remaining -= below + 1;
    } else {
      for (let i = 0; i < ranges.length; i++) b[i] = (a[i] as number) + (counts[i] as number);
    }
  }
}

/** A binary min-heap of runs, ordered by their heads. */
class RunHeap {
  readonly #items: Run[];
  readonly #before: (x: Run, y: Run) => number;
  constructor(items: Run[], before: (x: Run, y: Run) => number) {
    this.#items = items;
    this.#before = before;
    for (let i = (items.length >> 1) - 1; i >= 0; i--) this.#down(i);
  }
  get size(): number {
    return this.#items.length;
  }
  get top(): Run {
    return this.#items[0] as Run;
  }
  pop(): void {
    const last = this.#items.pop() as Run;
    if (this.#items.length > 0) {
      this.#items[0] = last;
      this.#down(0);
    }
  }
  siftTop(): void {
    this.#down(0);
  }
  #down(i: number): void {
    const items = this.#items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < items.length && this.#before(items[l] as Run, items[m] as Run) < 0) m = l;
      if (r < items.length && this.#before(items[r] as Run, items[m] as Run) < 0) m = r;
      if (m === i) return;
      [items[i], items[m]] = [items[m] as Run, items[i] as Run];
      i = m;
    }
  }
}

// ---- the ids and scan plans ----------------------------------------------------------------------

/**
 * One page of `matching` (every record matching the filter, in any order) in the view's order.
 * Sort values are computed once per record; only the `k` records the page needs are kept in order
 * (a bounded heap when `k` is small against the matches, a full sort otherwise).
 */
function pageOf(matching: readonly ActionRecord[], query: ResolvedQuery, position: CursorPosition | null): ActionPage {
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
