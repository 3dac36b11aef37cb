/**
 * The memory repository's index plan: a page of a view sorted by creation time and filtered on
 * nothing but status, action type and creation time, as a k-way merge of the matching bucket
 * ranges, started by binary search at the cursor or by a selection at the page index.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import {
  encodeCursor,
  sortValue,
  type ActionPage,
  type CursorPosition,
  type ResolvedQuery,
} from '../../rules/query.js';
import type { MemoryQueryStats, Range } from './query-plan.js';
import { bucketOrder, type Bucket } from './status-type-index.js';

/**
 * Reads one bucket range in the view's order. Ascending, that is the bucket's order. Descending by
 * creation time the tie-break stays id ascending (`compareActions`), so the range is read in groups
 * of equal creation time from the top, each group upwards: the run emits `[a, b)` upwards, then
 * takes the next group below `below`. Records are copied out of the bucket a window at a time (a
 * positional read per record would binary-search the blocks each time); the window grows as the run
 * is read, so a short page reads little past what it shows.
 */
class Run {
  head: ActionRecord | undefined = undefined;
  /** The head's creation time and id, for the merge's comparisons. */
  key = 0;
  id = '';
  /** The run's leaf in the merge's tournament tree. */
  slot = 0;
  #window: ActionRecord[] = [];
  /** Position of `#window[0]` in the bucket. */
  #windowStart = 0;
  #windowSize = 16;
  constructor(
    private readonly bucket: Bucket,
    private readonly lo: number,
    private a: number,
    private b: number,
    private below: number,
  ) {
    this.#load();
  }

  advance(): void {
    this.a += 1;
    const i = this.a - this.#windowStart;
    if (this.a < this.b && i < this.#window.length) this.#setHead(this.#window[i] as ActionRecord);
    else this.#load();
  }

  #setHead(record: ActionRecord): void {
    this.head = record;
    this.key = record.createdAt;
    this.id = record.id;
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
    if (this.a >= this.b) {
      this.head = undefined;
      return;
    }
    const window: ActionRecord[] = [];
    this.bucket.collectInRange(this.a, Math.min(this.b, this.a + this.#windowSize), null, window);
    this.#window = window;
    this.#windowStart = this.a;
    this.#windowSize = Math.min(1024, this.#windowSize * 2);
    this.#setHead(window[0] as ActionRecord);
  }
}

const clamp = (i: number, range: { readonly lo: number; readonly hi: number }) =>
  Math.min(range.hi, Math.max(range.lo, i));

/**
 * One page of the view from the bucket ranges that match the query, merged in the view's order.
 */
export function mergedPage(
  ranges: readonly Range[],
  query: ResolvedQuery,
  position: CursorPosition | null,
): { page: ActionPage; stats: MemoryQueryStats } {
  const desc = query.sort.direction === 'desc';
  const size = query.page.size;
  let total = 0;
  for (const r of ranges) total += r.hi - r.lo;
  const emptyPage = () => ({
    page: { items: [], total, totalIs: 'exact' as const, nextCursor: null },
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

  const tree = new RunTree(
    runs.filter((run) => run.head !== undefined),
    desc,
  );
  const items: ActionRecord[] = [];
  let top = tree.winner();
  while (items.length < size && top !== undefined) {
    items.push(top.head as ActionRecord);
    top.advance();
    top = tree.replay();
  }
  const last = items[items.length - 1];
  const nextCursor =
    last !== undefined && top !== undefined ? encodeCursor({ value: sortValue(last, 'createdAt'), id: last.id }) : null;
  return {
    page: { items, total, totalIs: 'exact', nextCursor },
    stats: { plan: 'index', buckets: ranges.length, examined: items.length },
  };
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

/**
 * A tournament (loser) tree of runs, ordered by their heads in the view's order: creation time
 * (ascending, or descending), then id ascending; the comparison is `bucketOrder`'s (and its
 * mirror's) written out on the runs' cached keys. After the winner's run advances, one comparison
 * per level replays its path (a binary heap needs two per level; an export merges every bucket of
 * the store, about eighty). An exhausted run loses to every other.
 */
class RunTree {
  readonly #leaves: number;
  readonly #desc: boolean;
  /** `#nodes[i]` (i >= 1): the run that lost the match at node i; `#nodes[0]`: the winner. */
  readonly #nodes: Run[];
  constructor(runs: Run[], desc: boolean) {
    this.#desc = desc;
    const k = runs.length;
    this.#leaves = k;
    this.#nodes = new Array<Run>(Math.max(1, k));
    runs.forEach((run, i) => (run.slot = i));
    if (k === 0) return;
    // Winners of every subtree, bottom up: leaves are k..2k-1 (run i at k + i).
    const winners = new Array<Run>(2 * k);
    for (let i = 0; i < k; i++) winners[k + i] = runs[i] as Run;
    for (let n = k - 1; n >= 1; n--) {
      const a = winners[2 * n] as Run;
      const b = winners[2 * n + 1] as Run;
      const aWins = !this.#precedes(b, a);
      winners[n] = aWins ? a : b;
      this.#nodes[n] = aWins ? b : a;
    }
    this.#nodes[0] = k === 1 ? (runs[0] as Run) : (winners[1] as Run);
  }

  /** The run whose head comes first, or undefined when every run is exhausted. */
  winner(): Run | undefined {
    const run = this.#nodes[0];
    return run === undefined || run.head === undefined ? undefined : run;
  }

  /** After the winner's run advanced: the new winner (see {@link RunTree.winner}). */
  replay(): Run | undefined {
    const nodes = this.#nodes;
    let w = nodes[0] as Run;
    for (let n = (w.slot + this.#leaves) >> 1; n >= 1; n >>= 1) {
      const loser = nodes[n] as Run;
      if (this.#precedes(loser, w)) {
        nodes[n] = w;
        w = loser;
      }
    }
    nodes[0] = w;
    return w.head === undefined ? undefined : w;
  }

  /** Whether `x`'s head comes strictly before `y`'s (NaN times compare as bucketOrder does). */
  #precedes(x: Run, y: Run): boolean {
    if (x.head === undefined) return false;
    if (y.head === undefined) return true;
    if (x.key !== y.key) return this.#desc ? x.key > y.key : x.key < y.key;
    return x.id < y.id;
  }
}
