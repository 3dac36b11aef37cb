/**
 * Answers a {@link ResolvedQuery} from the memory repository's index, with exactly the results of
 * `referenceQuery`.
 *
 * Five plans:
 * - `ids`: the filter names action ids (at most a thousand): look them up, filter, sort.
 * - `index`: sorted by creation time and filtered on nothing but status, action type and creation
 *   time (the Pending and History views' usual query). The total is a sum of binary-searched
 *   range sizes; the page is a k-way merge of the matching bucket ranges, started by binary search
 *   at the cursor, or at the page index by a selection over the ranges (no record before the page
 *   is read).
 * - `lookup`: filtered on who decided, who asked or on assets, which few enough actions hold: reads those
 *   actions by id from the secondary indexes, checks the whole filter, and pages as `scan` does.
 * - `keyOrder`: sorted by asset, requester or decider, with many matches: reads the actions in that
 *   order from the column's secondary index, checks the filter, and stops once the page is full.
 * - `scan`: anything else. Scans only the matching bucket ranges with the filter compiled once
 *   into one predicate, and keeps the smallest `k` in the view's order with a bounded heap.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import {
  decodeCursor,
  matchesFilter,
  pageInvestigations,
  summarizeInvestigations,
  type ActionPage,
  type InvestigationPage,
  type ResolvedInvestigationQuery,
  type ResolvedQuery,
} from '../../rules/query.js';
import {
  compileCodedTests,
  compileFilter,
  compileResidual,
  filterColumns,
  type FilterColumns,
  type RecordCheck,
} from './compiled-filter.js';
import { mergedPage } from './index-plan.js';
import { canWalk, walkedPage, walkPays } from './key-order.js';
import type { KeyIndex } from './key-index.js';
import { rangeOf, type MemoryQueryStats, type Range } from './query-plan.js';
import { pageOf } from './scan-plan.js';
import type { StatusTypeIndex } from './status-type-index.js';

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
  const ranges = rangesOf(index, filter);
  const residual = compileResidual(filter);
  const indexed =
    sort.column === 'createdAt' &&
    residual === null &&
    (position === null || position.value === null || typeof position.value === 'number');
  if (indexed) return mergedPage(ranges, query, position);
  if (canWalk(index, query, position)) {
    // Sorted by a key index's column: when the matches are many, read them in order and stop at
    // the page (issue 14: sorting by asset computed and compared every match's asset).
    const need = (position === null ? query.page.index * query.page.size : 0) + query.page.size + 1;
    let scanned = 0;
    for (const { lo, hi } of ranges) scanned += hi - lo;
    // Without residual clauses the bucket ranges count the matches; with them, a coded scan does.
    const found = residual === null ? null : matchingRecords(index, records, filter, ranges, residual);
    const total = found === null ? scanned : found.matching.length;
    if (walkPays(need, records.size, total)) {
      const walked = walkedPage(index, records, query, position, compileFilter(filter), total);
      if (walked !== null) {
        return { page: walked.page, stats: { plan: 'keyOrder', buckets: ranges.length, examined: walked.examined } };
      }
    }
    if (found !== null) return { page: pageOf(found.matching, query, position), stats: found.stats };
  }
  const found = matchingRecords(index, records, filter, ranges, residual);
  return { page: pageOf(found.matching, query, position), stats: found.stats };
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
    const ranges = rangesOf(index, filter);
    for (const record of matchingRecords(index, records, filter, ranges, compileResidual(filter)).matching) {
      if (record.investigationId !== null) matching.push(record);
    }
  }
  return pageInvestigations(summarizeInvestigations(matching), query.sort, query.page);
}

/** The creation-time ranges of the filter's (status, action type) buckets, empty ones left out. */
function rangesOf(index: StatusTypeIndex, filter: Filter): Range[] {
  const ranges: Range[] = [];
  for (const bucket of index.buckets(filter.statuses, filter.actionTypes)) {
    const range = rangeOf(bucket, filter.createdFrom, filter.createdTo);
    if (range.hi > range.lo) ranges.push(range);
  }
  return ranges;
}

/**
 * Reading a record by id from a secondary index costs a few times what reading the next record of
 * a bucket does (a hash lookup, and records scattered in memory): the lookup plan is taken when it
 * reads fewer than this fraction of the records a scan would.
 */
const LOOKUP_PER_SCANNED = 1 / 4;

/**
 * Every record matching the filter (no ids clause), in no particular order: through the decider,
 * requester or asset index when the filter names few enough of those (the lookup plan), else by scanning the
 * bucket ranges with the compiled residual check.
 */
function matchingRecords(
  index: StatusTypeIndex,
  records: ReadonlyMap<string, ActionRecord>,
  filter: Filter,
  ranges: readonly Range[],
  residual: RecordCheck | null,
): { matching: ActionRecord[]; stats: MemoryQueryStats } {
  let scanned = 0;
  for (const { lo, hi } of ranges) scanned += hi - lo;
  // The secondary index naming the fewest actions, if the filter names deciders, requesters or assets.
  let lookup: { keyIndex: KeyIndex; keys: readonly string[]; size: number } | null = null;
  if (filter.decidedBy !== null) {
    lookup = { keyIndex: index.decidedBy, keys: filter.decidedBy, size: index.decidedBy.count(filter.decidedBy) };
  }
  const requestedBy = filter.requestedBy ?? null;
  if (requestedBy !== null) {
    const size = index.requestedBy.count(requestedBy);
    if (lookup === null || size < lookup.size) lookup = { keyIndex: index.requestedBy, keys: requestedBy, size };
  }
  if (filter.assets !== null) {
    const size = index.assets.count(filter.assets);
    if (lookup === null || size < lookup.size) lookup = { keyIndex: index.assets, keys: filter.assets, size };
  }
  const matching: ActionRecord[] = [];
  if (lookup !== null && lookup.size < scanned * LOOKUP_PER_SCANNED) {
    // The index knows neither status, type nor time: the whole filter is checked.
    lookup.keyIndex.collect(lookup.keys, records, compileFilter(filter), matching);
    return { matching, stats: { plan: 'lookup', buckets: 0, examined: lookup.size } };
  }
  // The residual clauses test the buckets' coded columns, not the records (issue 14: a check per
  // record read records scattered over the heap, slower than a plain Array.filter).
  const tests = residual === null ? null : compileCodedTests(filter, columnsOf(index, records.size));
  for (const { bucket, lo, hi } of ranges) {
    if (tests === null) bucket.collectInRange(lo, hi, residual, matching);
    else bucket.collectCoded(lo, hi, tests, matching);
  }
  return { matching, stats: { plan: 'scan', buckets: ranges.length, examined: scanned } };
}

const indexColumns = new WeakMap<StatusTypeIndex, FilterColumns>();

/**
 * The coded columns of an index. A dictionary keeps the values of records since removed or changed:
 * once it holds more than twice as many values as the store holds records, it starts again.
 */
function columnsOf(index: StatusTypeIndex, records: number): FilterColumns {
  let columns = indexColumns.get(index);
  if (columns === undefined) indexColumns.set(index, (columns = filterColumns()));
  for (const column of Object.values(columns)) if (column.size > 2 * records + 1024) column.reset();
  return columns;
}
