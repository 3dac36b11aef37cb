/**
 * What the memory repository's query plans share: the statistics they report, and bucket ranges
 * restricted to a creation-time range.
 *
 * @module
 */
import type { Bucket } from './status-type-index.js';

/**
 * How the memory repository answered a query: which plan, how many (status, action type) buckets
 * it searched, and how many records it read one by one (filtered, merged or looked up; the probes
 * of binary searches are not counted). For tests and diagnostics.
 *
 * @example
 * ```ts
 * import { createMemoryRepository, unwrap } from 'actioncenter';
 * import { resolveQuery } from 'actioncenter/adapter-kit';
 * const repo = createMemoryRepository();
 * const { stats } = repo.explain(unwrap(resolveQuery({ filter: { view: 'pending' } }, Date.now())));
 * stats.plan; // 'index'
 * ```
 */
export interface MemoryQueryStats {
  /**
   * `index` (status and type buckets), `ids` (looked up by id), `lookup` (the actions one of the
   * named deciders, requesters or assets hold, read through a secondary index), `scan` (every record of the
   * matching buckets) or `keyOrder` (sorted by asset, requester or decider: the actions read in
   * that order from the column's secondary index until the page was full).
   */
  readonly plan: 'index' | 'ids' | 'lookup' | 'keyOrder' | 'scan';
  /** How many (status, action type) buckets were searched. */
  readonly buckets: number;
  /** How many records were read one by one. */
  readonly examined: number;
}

/** A bucket restricted to a creation-time range: positions `[lo, hi)`. */
export interface Range {
  readonly bucket: Bucket;
  readonly lo: number;
  readonly hi: number;
}

/** The positions of `bucket` whose creation time is in `[from, to)` (null: unbounded). */
export function rangeOf(bucket: Bucket, from: number | null, to: number | null): Range {
  const lo = from === null ? 0 : bucket.firstIndexWhere((r) => r.createdAt >= from);
  const hi = to === null ? bucket.size : bucket.firstIndexWhere((r) => r.createdAt >= to);
  return { bucket, lo, hi: Math.max(lo, hi) };
}
