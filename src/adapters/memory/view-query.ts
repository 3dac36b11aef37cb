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
  decodeCursor,
  matchesFilter,
  pageInvestigations,
  summarizeInvestigations,
  type ActionPage,
  type InvestigationPage,
  type ResolvedInvestigationQuery,
  type ResolvedQuery,
} from '../../rules/query.js';
import { mergedPage } from './index-plan.js';
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
