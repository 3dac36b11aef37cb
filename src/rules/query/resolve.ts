/**
 * A query resolved for repositories: parsed, its time filter turned into absolute bounds, its read
 * scope as a filter, and the page a repository answers.
 *
 * @module
 */
import { subDays, subMonths, subWeeks } from 'date-fns';
import { calendarStep, inUTC } from '../calendar.js';
import * as z from 'zod';
import {
  ActionStatusSchema,
  TimestampSchema,
  type ActionRecord,
  type ActionStatus,
  type Timestamp,
} from '../../catalog/records.js';
import { assertNever, deviceOf } from '../../catalog/targets.js';
import type { InvalidInputError } from '../../errors.js';
import type { ReadScope } from '../principals.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { decodeCursor } from './cursor.js';
import {
  ActionQuerySchema,
  LABELLED_SORT_COLUMNS,
  NUMERIC_SORT_COLUMNS,
  PENDING_STATUSES,
  type SortColumn,
  type SortLabels,
  SortLabelsSchema,
  TIME_PERIODS,
  type TimePeriod,
  TimeZoneSchema,
} from './schemas.js';

/**
 * A parsed query with its time filter resolved to absolute bounds. This is what repositories
 * receive: they never do date math.
 *
 * @example
 * ```ts
 * import { resolveQuery } from 'actioncenter/adapter-kit';
 * const r = resolveQuery({ filter: { time: { period: 'pastDay' } } }, Date.UTC(2026, 0, 2));
 * if (r.ok) r.value.filter.createdFrom; // Date.UTC(2026, 0, 1)
 * ```
 */
export interface ResolvedQuery {
  /** Every filter with its default filled in: `null` means no filter on that field; times are epoch milliseconds. */
  readonly filter: {
    readonly statuses: readonly ActionStatus[] | null;
    readonly ids: readonly string[] | null;
    readonly actionTypes: readonly string[] | null;
    readonly sources: readonly string[] | null;
    readonly workloads: readonly string[] | null;
    readonly assets: readonly string[] | null;
    readonly decidedBy: readonly string[] | null;
    readonly investigationIds: readonly string[] | null;
    readonly approvalIds: readonly string[] | null;
    /** Requesters by `actorKey` (absent: no filter, as null). */
    readonly requestedBy?: readonly string[] | null;
    /** Incident ids (absent: no filter, as null). */
    readonly incidentIds?: readonly string[] | null;
    /** Alert ids (absent: no filter, as null). */
    readonly alertIds?: readonly string[] | null;
    /**
     * "Awaiting my approval" (issue 16; absent: no filter, as null): pending actions not requested by
     * this principal (by `actorKey`) and not in their `approvals`.
     */
    readonly awaitingApprovalBy?: string | null;
    /**
     * With `awaitingApprovalBy`: the action types that principal may approve (set by the engine from
     * the access policy, never by a query's input); an action of another type still matches when its
     * `escalatedTo` lists the principal. Absent or null: any type.
     */
    readonly awaitingApprovalTypes?: readonly string[] | null;
    /** Inclusive lower bound on createdAt, or null. */
    readonly createdFrom: Timestamp | null;
    /** Exclusive upper bound on createdAt, or null. */
    readonly createdTo: Timestamp | null;
    /**
     * The reader's scope (issue 12, item 1): only actions on these device groups, plus actions on no
     * device group when `includeUngrouped`. Absent or `null`: no limit. Set by the engine from the
     * principal's read scope, never by a query's input; every repository must apply it, totals too.
     */
    readonly scope?: ScopeFilter | null;
  };
  /**
   * The sort column and direction (ties are broken by id ascending). `labels`, for a column of
   * {@link LABELLED_SORT_COLUMNS}: the label each stored id sorts by (absent or null: the id itself).
   */
  readonly sort: {
    readonly column: SortColumn;
    readonly direction: 'asc' | 'desc';
    readonly labels?: Readonly<Record<string, string>> | null;
  };
  /** Page size, and where the page starts: after `cursor` when it is set, else at page `index` (0-based). */
  readonly page: { readonly size: number; readonly cursor: string | null; readonly index: number };
}

/**
 * The device-group scope of a {@link ResolvedQuery}: what {@link matchesFilter} keeps of it is
 * {@link inScope}.
 *
 * @example
 * ```ts
 * import type { ScopeFilter } from 'actioncenter/adapter-kit';
 * const g1: ScopeFilter = { deviceGroups: ['G1'], includeUngrouped: false };
 * ```
 */
export interface ScopeFilter {
  /** The device groups whose actions are in scope (no duplicates). */
  readonly deviceGroups: readonly string[];
  /** Whether actions whose target is on no device group (email, identity, indicators) are in scope. */
  readonly includeUngrouped: boolean;
}

/**
 * The scope filter of a read scope: `null` (no limit) for `all`.
 *
 * @example
 * ```ts
 * import { scopeFilterOf } from 'actioncenter/adapter-kit';
 * scopeFilterOf({ kind: 'all' }); // null
 * scopeFilterOf({ kind: 'deviceGroups', deviceGroups: ['G1', 'G1'], includeUngrouped: true }); // { deviceGroups: ['G1'], includeUngrouped: true }
 * ```
 */
export function scopeFilterOf(scope: ReadScope): ScopeFilter | null {
  return scope.kind === 'all'
    ? null
    : { deviceGroups: [...new Set(scope.deviceGroups)], includeUngrouped: scope.includeUngrouped };
}

/**
 * Is an action inside a scope filter? Its device group (of the target's device) must be listed;
 * an action on no device is in scope when `includeUngrouped`. `null` and absent scopes hold everything.
 *
 * @example
 * ```ts
 * import { inScope } from 'actioncenter/adapter-kit';
 * // inScope(action, { deviceGroups: ['G1'], includeUngrouped: false })
 * ```
 */
export function inScope(action: ActionRecord, scope: ScopeFilter | null | undefined): boolean {
  if (scope === null || scope === undefined) return true;
  const group = deviceOf(action.target)?.deviceGroup ?? null;
  return group === null ? scope.includeUngrouped : scope.deviceGroups.includes(group);
}

/**
 * One page of a view.
 *
 * @example
 * ```ts
 * import type { ActionPage } from 'actioncenter';
 * const summary = (p: ActionPage) => `${p.items.length} of ${p.totalIs === 'atLeast' ? 'more than ' : ''}${p.total}`;
 * ```
 */
export interface ActionPage {
  /** The actions of this page, in the query's order. */
  readonly items: readonly ActionRecord[];
  /**
   * How many actions match the filter, over all pages (stored rows, unreadable ones included): exact,
   * or a lower bound when {@link ActionPage.totalIs} is `'atLeast'`.
   */
  readonly total: number;
  /**
   * How exact {@link ActionPage.total} is. `'exact'`: the number of matches. `'atLeast'`: at least
   * that many match, maybe more: a store that would have to scan to count stops at a cap (PostgreSQL:
   * `EXACT_TOTAL_LIMIT`, 10,000, so `total` is the cap, or deeper by page index the rows up to this
   * page's end), and a UI shows "more than 10,000" rather than a page count. The memory store and
   * `referenceQuery` always count exactly. Paging is unaffected: follow `nextCursor`.
   */
  readonly totalIs: 'exact' | 'atLeast';
  /** Pass as `page.cursor` to get the next page; null on the last page. */
  readonly nextCursor: string | null;
  /**
   * Stored actions of this page that could not be read (a row edited by hand, or written by a buggy
   * version): left out of `items`, each named with why, so that one bad row neither hides the rest
   * of the page nor stops paging (`nextCursor` goes past it, even when it is the page's last row).
   * Absent when there are none; stores that cannot hold unreadable records never set it. The engine's
   * sweeps (`run`) report them in `RunReport.corrupt`, exports in their `completion`.
   */
  readonly skipped?: readonly {
    readonly code: 'corruptRecord';
    readonly message: string;
    readonly actionId: string;
    readonly issues: readonly {
      readonly path: readonly (string | number)[];
      readonly code: string;
      readonly message: string;
    }[];
  }[];
}

const PeriodStartArgsSchema = z.tuple([z.enum(TIME_PERIODS), TimestampSchema, TimeZoneSchema]);

/**
 * The lower bound of a named period, computed with date-fns (calendar-aware: "past 6 months" is six
 * calendar months back, not 180 days). Counted in UTC, or in the calendar of the IANA `timeZone`
 * given; the host's time zone (`TZ`) never changes the answer. A period, instant or zone that is not
 * one is an `invalidInput` error.
 *
 * @example
 * ```ts
 * import { unwrap } from 'actioncenter';
 * import { periodStart } from 'actioncenter/adapter-kit';
 * unwrap(periodStart('pastWeek', Date.UTC(2026, 0, 8))); // Date.UTC(2026, 0, 1)
 * // New York's clocks went forward on 2026-03-08: its "past day" then was 23 hours long.
 * const now = Date.UTC(2026, 2, 8, 17);
 * (now - unwrap(periodStart('pastDay', now, 'America/New_York'))) / 3_600_000; // 23
 * ```
 */
export function periodStart(
  period: TimePeriod,
  now: Timestamp,
  timeZone = 'UTC',
): Result<Timestamp, InvalidInputError> {
  const args = safeParseInput(PeriodStartArgsSchema, [period, now, timeZone], 'time period');
  return args.ok ? ok(startOfPeriod(...args.value)) : args;
}

/** {@link periodStart} on arguments already checked. */
function startOfPeriod(period: TimePeriod, now: Timestamp, timeZone: string): Timestamp {
  return calendarStep(now, timeZone, (wall) => {
    switch (period) {
      case 'pastDay':
        return subDays(wall, 1, { in: inUTC }).getTime();
      case 'pastWeek':
        return subWeeks(wall, 1, { in: inUTC }).getTime();
      case 'past30Days':
        return subDays(wall, 30, { in: inUTC }).getTime();
      case 'past6Months':
        return subMonths(wall, 6, { in: inUTC }).getTime();
      default:
        return assertNever(period);
    }
  });
}

/**
 * How many rows offset paging may skip: a query whose `page.index × page.size` is larger is refused
 * unless it pages by `page.cursor`. An offset page costs every row before it (PostgreSQL reads and
 * drops them; 500,000 rows deep took over a second at a million actions), a cursor page only its own.
 *
 * @example
 * ```ts
 * import { MAX_OFFSET_ROWS, resolveQuery } from 'actioncenter/adapter-kit';
 * const deep = resolveQuery({ page: { size: 50, index: MAX_OFFSET_ROWS / 50 + 1 } }, Date.now());
 * if (!deep.ok) deep.error.issues[0]?.code; // 'too_big': page by nextCursor instead
 * ```
 */
export const MAX_OFFSET_ROWS = 10_000;

/**
 * Validates a query and resolves its time filter against `now`. Repositories receive the result.
 * Offset paging deeper than {@link MAX_OFFSET_ROWS} rows is refused (`invalidInput` on `page.index`,
 * issue code `too_big`) unless a `page.cursor` is given: deep pages are read by cursor.
 * `labels` (the center passes `sortLabels(catalog)`) makes a sort on action type, source, status or
 * workload follow the labels shown rather than the stored ids.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { resolveQuery, sortLabels } from 'actioncenter/adapter-kit';
 * const r = resolveQuery({ filter: { view: 'pending', actionType: ['quarantineFile'] } }, Date.now());
 * if (!r.ok) console.log(r.error.issues);
 * const byLabel = resolveQuery({ sort: { column: 'status', direction: 'asc' } }, Date.now(), sortLabels(builtInCatalog));
 * if (byLabel.ok) byLabel.value.sort.labels?.['succeeded']; // 'Completed'
 * ```
 */
export function resolveQuery(
  input: unknown,
  now: Timestamp,
  labels?: SortLabels,
): Result<ResolvedQuery, InvalidInputError> {
  const parsed = safeParseInput(ActionQuerySchema, input ?? {}, 'query');
  if (!parsed.ok) return parsed;
  const parsedLabels = safeParseInput(SortLabelsSchema, labels ?? {}, 'sort labels');
  if (!parsedLabels.ok) return parsedLabels;
  const { filter, page } = parsed.value;
  const columnLabels = (parsedLabels.value as SortLabels)[
    parsed.value.sort.column as (typeof LABELLED_SORT_COLUMNS)[number]
  ];
  // A null-prototype copy: an id such as `constructor` must not find an inherited "label".
  const sort = {
    ...parsed.value.sort,
    labels:
      columnLabels === undefined
        ? null
        : Object.freeze(Object.assign(Object.create(null) as Record<string, string>, columnLabels)),
  };
  const position = page.cursor === null ? null : decodeCursor(page.cursor);
  if (
    position !== null &&
    position.value !== null &&
    typeof position.value !== (NUMERIC_SORT_COLUMNS.has(sort.column) ? 'number' : 'string')
  ) {
    // A cursor of another sort column: comparing a number with text has no order to page by.
    return err({
      code: 'invalidInput',
      message: `Invalid query: page.cursor: the cursor belongs to a view sorted by another column than "${sort.column}"`,
      issues: [
        {
          path: ['page', 'cursor'],
          code: 'invalid_cursor',
          message: `not a cursor of a view sorted by "${sort.column}"`,
        },
      ],
    });
  }
  if (page.cursor !== null && position === null) {
    return err({
      code: 'invalidInput',
      message: 'Invalid query: page.cursor: not a cursor returned by a previous page',
      issues: [
        { path: ['page', 'cursor'], code: 'invalid_cursor', message: 'not a cursor returned by a previous page' },
      ],
    });
  }
  if (page.cursor === null && page.index * page.size > MAX_OFFSET_ROWS) {
    const message = `page ${page.index} of ${page.size} would skip ${page.index * page.size} rows, more than the ${MAX_OFFSET_ROWS} offset paging allows: page by page.cursor (each page's nextCursor) instead`;
    return err({
      code: 'invalidInput',
      message: `Invalid query: page.index: ${message}`,
      issues: [{ path: ['page', 'index'], code: 'too_big', message }],
    });
  }
  let statuses: readonly ActionStatus[] | null = filter.status ?? null;
  if (filter.view !== 'all') {
    const inView = (s: ActionStatus) => PENDING_STATUSES.includes(s) === (filter.view === 'pending');
    statuses = (statuses ?? ActionStatusSchema.options).filter(inView);
  }
  let createdFrom: Timestamp | null = null;
  let createdTo: Timestamp | null = null;
  if (filter.time !== undefined) {
    if ('period' in filter.time) {
      createdFrom = startOfPeriod(filter.time.period, now, filter.time.timeZone ?? 'UTC');
    } else {
      createdFrom = filter.time.from ?? null;
      createdTo = filter.time.to ?? null;
    }
  }
  const uniq = <T>(xs: readonly T[] | undefined): readonly T[] | null => (xs === undefined ? null : [...new Set(xs)]);
  return ok({
    filter: {
      statuses: statuses === null ? null : [...new Set(statuses)],
      ids: uniq(filter.ids),
      actionTypes: uniq(filter.actionType),
      sources: uniq(filter.source),
      workloads: uniq(filter.workload),
      assets: uniq(filter.asset),
      decidedBy: uniq(filter.decidedBy),
      investigationIds: uniq(filter.investigationId),
      approvalIds: uniq(filter.approvalId),
      requestedBy: uniq(filter.requestedBy),
      incidentIds: uniq(filter.incidentId),
      alertIds: uniq(filter.alertId),
      ...(filter.awaitingApprovalBy === undefined
        ? {}
        : { awaitingApprovalBy: filter.awaitingApprovalBy, awaitingApprovalTypes: null }),
      createdFrom,
      createdTo,
      scope: null,
    },
    sort,
    page,
  });
}
