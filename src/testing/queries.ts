/**
 * Arbitraries of view queries: the input form users pass to `center.list` (`ActionQueryInput`), and
 * the resolved form repositories receive (`ResolvedQuery`), built from the values of a set of
 * records so that filters hit, sorts tie and cursors point at stored actions.
 *
 * @module
 */
import { ACTION_STATUSES, TIME_PERIODS, type ActionQueryInput, type ActionRecord } from 'actioncenter';
import {
  ACTION_SOURCE_IDS,
  LABELLED_SORT_COLUMNS,
  MAX_OFFSET_ROWS,
  SORT_COLUMNS,
  WORKLOADS,
  actorKey,
  assetOf,
  encodeCursor,
  sortValue,
  type ResolvedQuery,
} from 'actioncenter/adapter-kit';
import type { Arbitrary, FastCheck } from './fast-check.js';

/**
 * The values queries are drawn from. Missing lists fall back to a few plausible values.
 *
 * @example
 * ```ts
 * import { queryValuesOf, type QueryValues } from 'actioncenter/testing';
 * const values: QueryValues = queryValuesOf([]);
 * values.statuses.length; // 12
 * ```
 */
export interface QueryValues {
  /** Stored action ids, and one that matches nothing. */
  readonly ids: readonly string[];
  /** Every status. */
  readonly statuses: readonly string[];
  /** Stored action type ids, and one that matches nothing. */
  readonly actionTypes: readonly string[];
  /** Every source id. */
  readonly sources: readonly string[];
  /** Every workload. */
  readonly workloads: readonly string[];
  /** Stored assets (as the Asset column shows them), and one that matches nothing. */
  readonly assets: readonly string[];
  /** Stored deciders (as filters name them), and one that matches nothing. */
  readonly decidedBy: readonly string[];
  /** Stored investigation ids, and one that matches nothing. */
  readonly investigationIds: readonly string[];
  /** Stored approval ids, and one that matches nothing. */
  readonly approvalIds: readonly string[];
  /** Stored incident ids, and one that matches nothing. */
  readonly incidentIds: readonly string[];
  /** Stored alert ids, and one that matches nothing. */
  readonly alertIds: readonly string[];
  /** Stored requesters (as filters name them), and one that matches nothing. */
  readonly requestedBy: readonly string[];
  /** Creation times: bounds are drawn at, just before and just after them. */
  readonly times: readonly number[];
  /**
   * Principals of "awaiting my approval" (issue 16): requesters, approvers and escalation members
   * stored, and one that is none of them. Absent in values built before the filter: none drawn.
   */
  readonly approvers?: readonly string[];
}

/**
 * The values found in a set of records, plus every status, source and workload, and one value per
 * field that matches nothing (a filter that selects no action must return an empty page too).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { actionCenterArbitraries, queryValuesOf } from 'actioncenter/testing';
 * const stored = fc.sample(actionCenterArbitraries(fc).actionHistories({ maxLength: 20 }), 1)[0]!.map((h) => h.action);
 * const values = queryValuesOf(stored);
 * values.statuses; // every status, stored or not: a filter must also return empty pages
 * ```
 */
export function queryValuesOf(records: readonly ActionRecord[]): QueryValues {
  const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
  const present = <T>(xs: readonly (T | null)[]): T[] => xs.filter((x): x is T => x !== null);
  return {
    ids: uniq([...records.map((a) => a.id), 'act-none']),
    statuses: [...ACTION_STATUSES],
    actionTypes: uniq([...records.map((a) => a.actionType), 'noSuchType']),
    sources: [...ACTION_SOURCE_IDS],
    workloads: [...WORKLOADS],
    assets: uniq([...records.map((a) => assetOf(a.target)), 'NO-SUCH-ASSET']),
    decidedBy: uniq([
      ...present(records.map((a) => (a.decidedBy === null ? null : actorKey(a.decidedBy)))),
      'nobody@contoso.com',
    ]),
    investigationIds: uniq([...present(records.map((a) => a.investigationId)), 'inv-none']),
    approvalIds: uniq([...present(records.map((a) => a.approvalId)), 'apr-none']),
    incidentIds: uniq([...present(records.map((a) => a.incidentId)), 'inc-none']),
    alertIds: uniq([...present(records.map((a) => a.alertId)), 'alert-none']),
    requestedBy: uniq([...records.map((a) => actorKey(a.requestedBy)), 'nobody@contoso.com']),
    times: uniq(records.map((a) => a.createdAt)),
    approvers: uniq([
      ...present(records.map((a) => (a.requestedBy.type === 'principal' ? a.requestedBy.id : null))),
      ...records.flatMap((a) => (a.approvals ?? []).map((x) => x.by)),
      ...records.flatMap((a) => a.escalatedTo ?? []),
      'nobody@contoso.com',
    ]),
  };
}

/** A list filter: absent (most of the time) or a few of the values. */
function listFilter(fc: FastCheck, values: readonly string[]): Arbitrary<readonly string[] | null> {
  if (values.length === 0) return fc.constant(null);
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 4 },
    { arbitrary: fc.uniqueArray(fc.constantFrom(...values), { minLength: 1, maxLength: 3 }), weight: 1 },
  );
}

function bound(fc: FastCheck, times: readonly number[]): Arbitrary<number | null> {
  if (times.length === 0) return fc.constant(null);
  return fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    {
      arbitrary: fc.tuple(fc.constantFrom(...times), fc.constantFrom(-1, 0, 0, 1)).map(([t, d]) => Math.max(0, t + d)),
      weight: 1,
    },
  );
}

// Labels that reorder ids, tie with each other, sort before and after ASCII, and hold text that
// PostgreSQL stores shifted (text.ts): what a catalogue's display names may be.
const LABEL_TEXTS = [
  'Completed',
  'Pending',
  'A',
  'a',
  'zz',
  'Zebra',
  'Ünïcode',
  '\uFEFFbom',
  '\u{1F600} emoji',
  'system:x',
  'Automation (x)',
  '1',
  '10',
  '9',
];

/**
 * Labels per labelled column (`sort.labels`): for some of the stored and known ids of each, a label
 * (several ids may share one; ids without one sort as themselves).
 */
function labelsArbitrary(
  fc: FastCheck,
  records: readonly ActionRecord[],
): Arbitrary<{ readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]: Readonly<Record<string, string>> | null }> {
  const idsOf: { readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]: readonly string[] } = {
    actionType: [...new Set(records.map((a) => a.actionType))],
    source: ACTION_SOURCE_IDS,
    status: ACTION_STATUSES,
    workload: WORKLOADS,
  };
  const mapOf = (ids: readonly string[]) =>
    ids.length === 0
      ? fc.constant(null)
      : fc.option(
          fc
            .array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...LABEL_TEXTS)), { maxLength: ids.length })
            .map((pairs) => Object.assign(Object.create(null) as Record<string, string>, Object.fromEntries(pairs))),
          { nil: null, freq: 3 },
        );
  return fc.record(
    {
      actionType: mapOf(idsOf.actionType),
      source: mapOf(idsOf.source),
      status: mapOf(idsOf.status),
      workload: mapOf(idsOf.workload),
    },
    { noNullPrototype: true },
  );
}

/**
 * Resolved queries (what repositories receive) over the values of `records`: filters on any field,
 * time bounds at record times, any sort column and direction, small pages by index, and cursors at
 * stored records (in the query's sort column, or another).
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { referenceQuery } from 'actioncenter/adapter-kit';
 * import { actionCenterArbitraries, resolvedQueryArbitrary } from 'actioncenter/testing';
 * const stored = fc.sample(actionCenterArbitraries(fc).actionHistories({ maxLength: 20 }), 1)[0]!.map((h) => h.action);
 * fc.assert(fc.property(resolvedQueryArbitrary(fc, stored), (q) => referenceQuery(stored, q).items.length <= q.page.size));
 * ```
 */
export function resolvedQueryArbitrary(
  fc: FastCheck,
  records: readonly ActionRecord[],
  values: QueryValues = queryValuesOf(records),
): Arbitrary<ResolvedQuery> {
  const statuses = fc.oneof(
    { arbitrary: fc.constant(null), weight: 3 },
    { arbitrary: fc.uniqueArray(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 6 }), weight: 2 },
    { arbitrary: fc.constant([]), weight: 1 },
  );
  const cursorAt =
    records.length === 0
      ? fc.constant(null)
      : fc.oneof(
          { arbitrary: fc.constant(null), weight: 3 },
          {
            arbitrary: fc.tuple(
              fc.nat({ max: records.length - 1 }),
              fc.option(fc.constantFrom(...SORT_COLUMNS), { nil: null }),
            ),
            weight: 1,
          },
        );
  return fc
    .record(
      {
        statuses,
        ids: listFilter(fc, values.ids),
        actionTypes: listFilter(fc, values.actionTypes),
        sources: listFilter(fc, values.sources),
        workloads: listFilter(fc, values.workloads),
        assets: listFilter(fc, values.assets),
        decidedBy: listFilter(fc, values.decidedBy),
        investigationIds: listFilter(fc, values.investigationIds),
        approvalIds: listFilter(fc, values.approvalIds),
        incidentIds: listFilter(fc, values.incidentIds),
        alertIds: listFilter(fc, values.alertIds),
        requestedBy: listFilter(fc, values.requestedBy),
        // Issue 16: "awaiting my approval", with or without the engine's narrowing to types.
        awaitingApprovalBy: fc.oneof(
          { arbitrary: fc.constant(null), weight: 3 },
          { arbitrary: fc.constantFrom(...(values.approvers ?? []), null), weight: 1 },
        ),
        awaitingApprovalTypes: listFilter(fc, values.actionTypes),
        createdFrom: bound(fc, values.times),
        createdTo: bound(fc, values.times),
        column: fc.oneof(
          { arbitrary: fc.constant('createdAt' as const), weight: 2 },
          { arbitrary: fc.constantFrom(...SORT_COLUMNS), weight: 3 },
        ),
        direction: fc.constantFrom('asc' as const, 'desc' as const),
        size: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 50 })),
        index: fc.oneof(
          { arbitrary: fc.constant(0), weight: 3 },
          { arbitrary: fc.integer({ min: 1, max: 5 }), weight: 1 },
        ),
        cursorAt,
        labels: labelsArbitrary(fc, records),
      },
      { noNullPrototype: true },
    )
    .map(({ column, direction, size, index, cursorAt: at, labels: allLabels, ...filter }): ResolvedQuery => {
      const labels = (LABELLED_SORT_COLUMNS as readonly string[]).includes(column)
        ? (allLabels[column as keyof typeof allLabels] ?? null)
        : null;
      let cursor: string | null = null;
      if (at !== null) {
        const [i, otherColumn] = at;
        const record = records[i] as ActionRecord;
        cursor = encodeCursor({
          value: sortValue(record, otherColumn ?? column, otherColumn === null ? labels : null),
          id: record.id,
        });
      }
      return {
        filter: { ...filter, statuses: filter.statuses as ResolvedQuery['filter']['statuses'] },
        sort: { column, direction, labels },
        page: { size, cursor, index },
      };
    });
}

/**
 * Queries in the form users pass to `center.list` and `center.exportCsv` (`ActionQueryInput`), all
 * valid: views, list filters, named time periods or custom ranges, sorts and pages.
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { resolveQuery } from 'actioncenter/adapter-kit';
 * import { queryInputArbitrary, queryValuesOf } from 'actioncenter/testing';
 * fc.assert(fc.property(queryInputArbitrary(fc, queryValuesOf([])), (q) => resolveQuery(q, Date.now()).ok));
 * ```
 */
export function queryInputArbitrary(fc: FastCheck, values: QueryValues): Arbitrary<ActionQueryInput> {
  const list = (xs: readonly string[]) =>
    fc.uniqueArray(fc.constantFrom(...(xs.length > 0 ? xs : ['none'])), { minLength: 1, maxLength: 3 });
  const time = fc.oneof(
    fc.constantFrom(...TIME_PERIODS).map((period) => ({ period })),
    fc
      .tuple(
        fc.option(fc.nat({ max: 4_000_000_000_000 }), { nil: undefined }),
        fc.option(fc.nat({ max: 4_000_000_000_000 }), { nil: undefined }),
      )
      .map(([a, b]) => {
        const [from, to] = a !== undefined && b !== undefined && a > b ? [b, a] : [a, b];
        return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
      }),
  );
  const filter = fc.record(
    {
      view: fc.constantFrom('pending' as const, 'history' as const, 'all' as const),
      ids: list(values.ids),
      status: fc.uniqueArray(fc.constantFrom(...ACTION_STATUSES), { minLength: 1, maxLength: 4 }),
      actionType: list(values.actionTypes),
      source: fc.uniqueArray(fc.constantFrom(...ACTION_SOURCE_IDS), { minLength: 1, maxLength: 3 }),
      workload: fc.uniqueArray(fc.constantFrom(...WORKLOADS), { minLength: 1, maxLength: 2 }),
      asset: list(values.assets),
      decidedBy: list(values.decidedBy),
      investigationId: list(values.investigationIds),
      approvalId: list(values.approvalIds),
      incidentId: list(values.incidentIds),
      alertId: list(values.alertIds),
      requestedBy: list(values.requestedBy),
      time,
      ...((values.approvers ?? []).length === 0
        ? {}
        : { awaitingApprovalBy: fc.constantFrom(...(values.approvers ?? [])) }),
    },
    { noNullPrototype: true, requiredKeys: [] },
  );
  const sort = fc.record(
    { column: fc.constantFrom(...SORT_COLUMNS), direction: fc.constantFrom('asc' as const, 'desc' as const) },
    { noNullPrototype: true },
  );
  // Offset pages no deeper than MAX_OFFSET_ROWS: deeper ones are refused (they page by cursor).
  const page = fc
    .record(
      { size: fc.integer({ min: 1, max: 1000 }), index: fc.integer({ min: 0, max: 20 }) },
      { noNullPrototype: true, requiredKeys: [] },
    )
    .map((p) =>
      p.index === undefined || p.index * (p.size ?? 50) <= MAX_OFFSET_ROWS
        ? p
        : { ...p, index: Math.floor(MAX_OFFSET_ROWS / (p.size ?? 50)) },
    );
  return fc.record({ filter, sort, page }, { noNullPrototype: true, requiredKeys: [] }) as Arbitrary<ActionQueryInput>;
}
