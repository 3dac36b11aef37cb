/**
 * The Pending and History views as data: a query (filters, time period, sort, page) and its
 * reference semantics as pure functions. Repositories must return exactly what
 * `filter(matchesQuery) → sort(compareActions) → page` returns over the same actions; the contract
 * suite checks them against these functions.
 *
 * @module
 */
import { subDays, subMonths, subWeeks } from 'date-fns';
import { calendarStep, inUTC, isTimeZone } from './calendar.js';
import { z } from 'zod';
import {
  ActionIdSchema,
  AlertIdSchema,
  ApprovalIdSchema,
  IncidentIdSchema,
  InvestigationIdSchema,
} from '../catalog/ids.js';
import {
  ActionStatusSchema,
  TimestampSchema,
  type ActionRecord,
  type ActionStatus,
  type Actor,
  type Timestamp,
} from '../catalog/records.js';
import { ActionSourceIdSchema } from '../catalog/sources.js';
import { WorkloadSchema, assetOf, assertNever, deviceOf } from '../catalog/targets.js';
import type { InvalidInputError } from '../errors.js';
import type { ReadScope } from './principals.js';
import { err, ok, safeParseInput, type Result } from '../result.js';

/**
 * The columns a view can sort on: every column a view shows (seed 002: "Select a column heading to
 * sort"). Each sorts by what it shows: action type, source, status and workload by their labels
 * when the query carries them (`resolveQuery`'s `labels`; the center passes its catalogue's),
 * "Decided by" and "Requested by" as {@link actorSortLabel} reads them, the comment by its text,
 * times by time; then by the action id, so pages are stable.
 *
 * @example
 * ```ts
 * import { SORT_COLUMNS } from 'actioncenter';
 * SORT_COLUMNS.includes('comment'); // true
 * ```
 */
export const SORT_COLUMNS = [
  'id',
  'investigationId',
  'incidentId',
  'alertId',
  'approvalId',
  'actionType',
  'asset',
  'source',
  'status',
  'requestedBy',
  'decidedBy',
  'comment',
  'createdAt',
  'decidedAt',
  'completedAt',
  'workload',
  'undoOf',
] as const;
/**
 * One of {@link SORT_COLUMNS}.
 *
 * @example
 * ```ts
 * import type { SortColumn } from 'actioncenter';
 * const c: SortColumn = 'status';
 * ```
 */
export type SortColumn = (typeof SORT_COLUMNS)[number];

const NUMERIC_SORT_COLUMNS: ReadonlySet<SortColumn> = new Set(['createdAt', 'decidedAt', 'completedAt']);

/**
 * The sort columns shown as a label of a stored id (display name, source label, status label,
 * workload label): a query sorts them by the labels it carries.
 *
 * @example
 * ```ts
 * import { LABELLED_SORT_COLUMNS } from 'actioncenter';
 * LABELLED_SORT_COLUMNS; // ['actionType', 'source', 'status', 'workload']
 * ```
 */
export const LABELLED_SORT_COLUMNS = [
  'actionType',
  'source',
  'status',
  'workload',
] as const satisfies readonly SortColumn[];

/**
 * The labels a view shows for stored ids, per column (see {@link LABELLED_SORT_COLUMNS}): passed
 * to `resolveQuery` so that a view sorts by what it shows. Ids without a label sort as themselves.
 *
 * @example
 * ```ts
 * import type { SortLabels } from 'actioncenter';
 * const labels: SortLabels = { status: { succeeded: 'Completed', pending: 'Pending' } };
 * ```
 */
export type SortLabels = { readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]?: Readonly<Record<string, string>> };

const SortLabelsSchema = z.strictObject(
  Object.fromEntries(
    LABELLED_SORT_COLUMNS.map((c) => [c, z.record(z.string().max(10_000), z.string().max(10_000)).optional()]),
  ) as {
    [C in (typeof LABELLED_SORT_COLUMNS)[number]]: z.ZodOptional<z.ZodRecord<z.ZodString, z.ZodString>>;
  },
);

/**
 * The statuses of the Pending tab; History holds every other status.
 *
 * @example
 * ```ts
 * import { PENDING_STATUSES } from 'actioncenter';
 * PENDING_STATUSES; // ['pending']
 * ```
 */
export const PENDING_STATUSES: readonly ActionStatus[] = ['pending'];

/**
 * The time periods of the product's time filter (seed 002: "past day, week, 30 days, or 6 months").
 *
 * @example
 * ```ts
 * import { TIME_PERIODS } from 'actioncenter';
 * TIME_PERIODS; // ['pastDay', 'pastWeek', 'past30Days', 'past6Months']
 * ```
 */
export const TIME_PERIODS = ['pastDay', 'pastWeek', 'past30Days', 'past6Months'] as const;
/**
 * One of {@link TIME_PERIODS}.
 *
 * @example
 * ```ts
 * import type { TimePeriod } from 'actioncenter';
 * const p: TimePeriod = 'past30Days';
 * ```
 */
export type TimePeriod = (typeof TIME_PERIODS)[number];

const list = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(1000).optional();

/**
 * Schema of an IANA time-zone name this runtime knows (`UTC`, `Europe/Paris`, ...).
 *
 * @example
 * ```ts
 * import { TimeZoneSchema } from 'actioncenter';
 * TimeZoneSchema.safeParse('America/New_York').success; // true
 * TimeZoneSchema.safeParse('EST5EDT-ish').success; // false
 * ```
 */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => isTimeZone(zone), { message: 'must be an IANA time-zone name, such as UTC or Europe/Paris' });

/**
 * Schema of a time filter on `createdAt`: a named period relative to `now`, or a custom range
 * (`from` inclusive, `to` exclusive). A period is counted in UTC unless `timeZone` names the IANA
 * zone whose calendar it follows (then "past day" across a daylight-saving change is 23 or 25 hours,
 * as the zone's clocks show); never in the host's time zone.
 *
 * @example
 * ```ts
 * import { TimeFilterSchema } from 'actioncenter';
 * TimeFilterSchema.parse({ period: 'pastWeek' });
 * TimeFilterSchema.parse({ period: 'past6Months', timeZone: 'America/New_York' });
 * TimeFilterSchema.parse({ from: 0, to: Date.UTC(2026, 0, 1) });
 * ```
 */
export const TimeFilterSchema = z.union([
  z.strictObject({ period: z.enum(TIME_PERIODS), timeZone: TimeZoneSchema.optional() }),
  z
    .strictObject({ from: TimestampSchema.optional(), to: TimestampSchema.optional() })
    .refine((r) => r.from === undefined || r.to === undefined || r.from <= r.to, {
      message: 'from must not be after to',
    }),
]);
/**
 * A time filter on `createdAt`.
 *
 * @example
 * ```ts
 * import type { TimeFilter } from 'actioncenter';
 * const last30: TimeFilter = { period: 'past30Days' };
 * ```
 */
export type TimeFilter = z.infer<typeof TimeFilterSchema>;

/**
 * Schema of {@link ActionFilter}. Every list means "any of"; different fields combine with "and".
 *
 * @example
 * ```ts
 * import { ActionFilterSchema } from 'actioncenter';
 * ActionFilterSchema.parse({ status: ['pending'], actionType: ['quarantineFile'] });
 * ```
 */
export const ActionFilterSchema = z.strictObject({
  view: z.enum(['pending', 'history', 'all']).default('all'),
  ids: list(ActionIdSchema),
  status: list(ActionStatusSchema),
  actionType: list(z.string().min(1).max(100)),
  source: list(ActionSourceIdSchema),
  workload: list(WorkloadSchema),
  /** Matches the "Asset" column exactly (device name, mailbox, URL, user). */
  asset: list(z.string().min(1).max(4096)),
  /** Principal ids, or `system:<component>` for automation. */
  decidedBy: list(z.string().min(1).max(300)),
  /** Who requested it: principal ids, or `system:<component>` for automation. */
  requestedBy: list(z.string().min(1).max(300)),
  investigationId: list(InvestigationIdSchema),
  /** The incident the actions were taken from or while reviewing (seed 001). */
  incidentId: list(IncidentIdSchema),
  /** The alert the actions were taken from or while investigating (seed 001). */
  alertId: list(AlertIdSchema),
  approvalId: list(ApprovalIdSchema),
  time: TimeFilterSchema.optional(),
});
/**
 * Filters of the Pending and History views.
 *
 * @example
 * ```ts
 * import type { ActionFilter } from 'actioncenter';
 * const f: ActionFilter = { view: 'history', status: ['succeeded'] };
 * ```
 */
export type ActionFilter = z.input<typeof ActionFilterSchema>;

/**
 * Schema of a view query (see {@link ActionQueryInput} and {@link ResolvedQuery}).
 *
 * @example
 * ```ts
 * import { ActionQuerySchema } from 'actioncenter';
 * ActionQuerySchema.parse({ filter: { view: 'pending' }, sort: { column: 'createdAt', direction: 'desc' }, page: { size: 50 } });
 * ```
 */
export const ActionQuerySchema = z.strictObject({
  filter: ActionFilterSchema.default({ view: 'all' }),
  sort: z
    .strictObject({ column: z.enum(SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
    .default({ column: 'createdAt', direction: 'desc' }),
  page: z
    .strictObject({
      size: z.number().int().min(1).max(1000).default(50),
      /** Keyset cursor from a previous page's `nextCursor`; wins over `index`. */
      cursor: z.string().min(1).max(4096).nullable().default(null),
      /** Zero-based page index, for "page 3 of 12" UIs. */
      index: z.number().int().min(0).max(1_000_000).default(0),
    })
    .default({ size: 50, cursor: null, index: 0 }),
});
/**
 * A query of the views, as accepted on input.
 *
 * @example
 * ```ts
 * import type { ActionQueryInput } from 'actioncenter';
 * const q: ActionQueryInput = { filter: { view: 'pending' } };
 * ```
 */
export type ActionQueryInput = z.input<typeof ActionQuerySchema>;
/**
 * A parsed query with its time filter resolved to absolute bounds. This is what repositories
 * receive: they never do date math.
 *
 * @example
 * ```ts
 * import { resolveQuery } from 'actioncenter';
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
 * import type { ScopeFilter } from 'actioncenter';
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
 * import { scopeFilterOf } from 'actioncenter';
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
 * import { inScope } from 'actioncenter';
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
 * const summary = (p: ActionPage) => `${p.items.length} of ${p.total}`;
 * ```
 */
export interface ActionPage {
  /** The actions of this page, in the query's order. */
  readonly items: readonly ActionRecord[];
  /** How many actions match the filter, over all pages (stored rows, unreadable ones included). */
  readonly total: number;
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
 * import { periodStart, unwrap } from 'actioncenter';
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
 * Validates a query and resolves its time filter against `now`. Repositories receive the result.
 * `labels` (the center passes `sortLabels(catalog)`) makes a sort on action type, source, status or
 * workload follow the labels shown rather than the stored ids.
 *
 * @example
 * ```ts
 * import { resolveQuery, sortLabels, builtInCatalog } from 'actioncenter';
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
      createdFrom,
      createdTo,
      scope: null,
    },
    sort,
    page,
  });
}

/**
 * The key an actor is filtered and sorted by: the principal id, or `system:<component>`.
 *
 * @example
 * ```ts
 * import { actorKey } from 'actioncenter';
 * actorKey({ type: 'system', component: 'expiry' }); // 'system:expiry'
 * ```
 */
export function actorKey(actor: Actor): string {
  return actor.type === 'principal' ? actor.id : `system:${actor.component}`;
}

/**
 * Does an action match a resolved filter? The reference semantics every repository must follow.
 *
 * @example
 * ```ts
 * import { matchesFilter, resolveQuery } from 'actioncenter';
 * const q = resolveQuery({ filter: { view: 'pending' } }, Date.now());
 * // if (q.ok) actions.filter((a) => matchesFilter(a, q.value.filter));
 * ```
 */
export function matchesFilter(action: ActionRecord, filter: ResolvedQuery['filter']): boolean {
  const within = (xs: readonly string[] | null, v: string | null) => xs === null || (v !== null && xs.includes(v));
  return (
    within(filter.statuses, action.status) &&
    within(filter.ids, action.id) &&
    within(filter.actionTypes, action.actionType) &&
    within(filter.sources, action.source) &&
    within(filter.workloads, action.workload) &&
    within(filter.assets, filter.assets === null ? null : assetOf(action.target)) &&
    within(filter.decidedBy, action.decidedBy === null ? null : actorKey(action.decidedBy)) &&
    within(filter.investigationIds, action.investigationId) &&
    within(filter.approvalIds, action.approvalId) &&
    within(filter.requestedBy ?? null, filter.requestedBy == null ? null : actorKey(action.requestedBy)) &&
    within(filter.incidentIds ?? null, action.incidentId) &&
    within(filter.alertIds ?? null, action.alertId) &&
    (filter.createdFrom === null || action.createdAt >= filter.createdFrom) &&
    (filter.createdTo === null || action.createdAt < filter.createdTo) &&
    inScope(action, filter.scope)
  );
}

/**
 * How an actor sorts in the "Decided by" and "Requested by" columns, from its {@link actorKey}: a
 * principal's id, or `Automation (<component>)` for `system:<component>`, as the columns show it.
 *
 * @example
 * ```ts
 * import { actorSortLabel } from 'actioncenter';
 * actorSortLabel('system:expiry'); // 'Automation (expiry)'
 * actorSortLabel('alice@contoso.com'); // 'alice@contoso.com'
 * ```
 */
export function actorSortLabel(key: string): string {
  return key.startsWith('system:') ? `Automation (${key.slice('system:'.length)})` : key;
}

/** The label of a stored id, or the id itself (`labels` has no prototype: see resolveQuery). */
function labelOf(value: string, labels: Readonly<Record<string, string>> | null | undefined): string {
  if (labels === null || labels === undefined) return value;
  return Object.hasOwn(labels, value) ? (labels[value] as string) : value;
}

/**
 * The value an action sorts by in a column: a string, a number, or null (nulls sort last in
 * ascending order and first in descending order, like PostgreSQL's default). `labels` are the
 * labels of the column's stored ids (a query's `sort.labels`).
 *
 * @example
 * ```ts
 * import { sortValue } from 'actioncenter';
 * // sortValue(action, 'asset') === assetOf(action.target)
 * // sortValue(succeededAction, 'status', { succeeded: 'Completed' }) === 'Completed'
 * ```
 */
export function sortValue(
  action: ActionRecord,
  column: SortColumn,
  labels?: Readonly<Record<string, string>> | null,
): string | number | null {
  switch (column) {
    case 'id':
      return action.id;
    case 'investigationId':
      return action.investigationId;
    case 'incidentId':
      return action.incidentId;
    case 'alertId':
      return action.alertId;
    case 'approvalId':
      return action.approvalId;
    case 'actionType':
      return labelOf(action.actionType, labels);
    case 'asset':
      return assetOf(action.target);
    case 'source':
      return labelOf(action.source, labels);
    case 'status':
      return labelOf(action.status, labels);
    case 'requestedBy':
      return actorSortLabel(actorKey(action.requestedBy));
    case 'decidedBy':
      return action.decidedBy === null ? null : actorSortLabel(actorKey(action.decidedBy));
    case 'comment':
      // The comment the column shows: the decision's, else the request's.
      return action.decisionComment ?? action.requestComment;
    case 'workload':
      return labelOf(action.workload, labels);
    case 'undoOf':
      return action.undoOf;
    case 'createdAt':
      return action.createdAt;
    case 'decidedAt':
      return action.decidedAt;
    case 'completedAt':
      return action.completedAt;
    default:
      return assertNever(column);
  }
}

/**
 * Compares two sort values in ascending order: nulls last, strings by UTF-16 code units (the same
 * order as PostgreSQL's `COLLATE "C"`), numbers numerically.
 *
 * @example
 * ```ts
 * import { compareSortValues } from 'actioncenter';
 * compareSortValues('a', 'b'); // -1
 * compareSortValues(null, 1); // 1
 * ```
 */
export function compareSortValues(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/**
 * The total order of a view: the sort column in the given direction, then the action id ascending,
 * so that equal values never reorder between pages.
 *
 * @example
 * ```ts
 * import { compareActions } from 'actioncenter';
 * // actions.sort((a, b) => compareActions(a, b, { column: 'createdAt', direction: 'desc' }));
 * ```
 */
export function compareActions(a: ActionRecord, b: ActionRecord, sort: ResolvedQuery['sort']): number {
  const c = compareSortValues(sortValue(a, sort.column, sort.labels), sortValue(b, sort.column, sort.labels));
  if (c !== 0) return sort.direction === 'asc' ? c : -c;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A keyset cursor: the sort value and id of the last item of a page, encoded as base64url JSON.
 *
 * @example
 * ```ts
 * import { encodeCursor, decodeCursor } from 'actioncenter';
 * decodeCursor(encodeCursor({ value: 5, id: 'a1' })); // { value: 5, id: 'a1' }
 * ```
 */
export interface CursorPosition {
  /** The sort column's value of the last action of the page (`null` when that action has none). */
  readonly value: string | number | null;
  /** The id of the last action of the page: the tie-breaker. */
  readonly id: string;
}

/**
 * Encodes a {@link CursorPosition}.
 *
 * @example
 * ```ts
 * import { encodeCursor } from 'actioncenter';
 * encodeCursor({ value: 'x', id: 'a' });
 * ```
 */
export function encodeCursor(position: CursorPosition): string {
  return toBase64Url(JSON.stringify([position.value, position.id]));
}

// btoa/atob rather than Buffer: the core also runs in browsers and edge runtimes.
function toBase64Url(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(encoded: string): string {
  const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
}

const CursorSchema = z.tuple([z.union([z.string(), z.number(), z.null()]), z.string()]);

/**
 * Decodes a cursor; null when it is not one of ours.
 *
 * @example
 * ```ts
 * import { decodeCursor } from 'actioncenter';
 * decodeCursor('garbage'); // null
 * ```
 */
export function decodeCursor(cursor: string): CursorPosition | null {
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(fromBase64Url(cursor)));
    return parsed.success ? { value: parsed.data[0], id: parsed.data[1] } : null;
  } catch {
    return null;
  }
}

/**
 * Is `action` after the cursor position in the view's order?
 *
 * @example
 * ```ts
 * import { isAfterCursor } from 'actioncenter';
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
 * import { referenceQuery, resolveQuery } from 'actioncenter';
 * const q = resolveQuery({ filter: { view: 'history' } }, Date.now());
 * if (q.ok) referenceQuery([], q.value); // { items: [], total: 0, nextCursor: null }
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
  return { items, total: matching.length, nextCursor };
}

function firstAfter(sorted: readonly ActionRecord[], position: CursorPosition, sort: ResolvedQuery['sort']): number {
  const i = sorted.findIndex((a) => isAfterCursor(a, position, sort));
  return i === -1 ? sorted.length : i;
}

// ---- the grouped view: actions by investigation (seed 003) -----------------------------------------

/**
 * The orders of the grouped view: by latest activity (the newest `updatedAt` of the group's
 * actions), by how many actions match, or by investigation id; then by investigation id ascending.
 *
 * @example
 * ```ts
 * import { INVESTIGATION_SORT_COLUMNS } from 'actioncenter';
 * INVESTIGATION_SORT_COLUMNS; // ['latestActivity', 'count', 'investigationId']
 * ```
 */
export const INVESTIGATION_SORT_COLUMNS = ['latestActivity', 'count', 'investigationId'] as const;
/**
 * One of {@link INVESTIGATION_SORT_COLUMNS}.
 *
 * @example
 * ```ts
 * import type { InvestigationSortColumn } from 'actioncenter';
 * const c: InvestigationSortColumn = 'count';
 * ```
 */
export type InvestigationSortColumn = (typeof INVESTIGATION_SORT_COLUMNS)[number];

/**
 * Schema of a grouped-view query: the list's filters (a Pending view lists the investigations with
 * pending actions, History those with past ones), a sort of the groups and a page by index.
 *
 * @example
 * ```ts
 * import { InvestigationQuerySchema } from 'actioncenter';
 * InvestigationQuerySchema.parse({ filter: { view: 'pending' }, sort: { column: 'count', direction: 'desc' } });
 * ```
 */
export const InvestigationQuerySchema = z.strictObject({
  filter: ActionFilterSchema.default({ view: 'all' }),
  sort: z
    .strictObject({ column: z.enum(INVESTIGATION_SORT_COLUMNS), direction: z.enum(['asc', 'desc']) })
    .default({ column: 'latestActivity', direction: 'desc' }),
  page: z
    .strictObject({
      size: z.number().int().min(1).max(1000).default(50),
      index: z.number().int().min(0).max(1_000_000).default(0),
    })
    .default({ size: 50, index: 0 }),
});
/**
 * A grouped-view query, as accepted on input.
 *
 * @example
 * ```ts
 * import type { InvestigationQueryInput } from 'actioncenter';
 * const q: InvestigationQueryInput = { filter: { view: 'pending' } };
 * ```
 */
export type InvestigationQueryInput = z.input<typeof InvestigationQuerySchema>;

/**
 * A grouped-view query as repositories receive it: the resolved filter of the list, the groups'
 * sort and a page.
 *
 * @example
 * ```ts
 * import { resolveInvestigationQuery } from 'actioncenter';
 * const r = resolveInvestigationQuery({ filter: { view: 'history' } }, Date.now());
 * if (r.ok) r.value.sort; // { column: 'latestActivity', direction: 'desc' }
 * ```
 */
export interface ResolvedInvestigationQuery {
  /** The actions grouped: those matching this filter (and having an investigation id). */
  readonly filter: ResolvedQuery['filter'];
  /** The groups' order; ties by investigation id ascending. */
  readonly sort: { readonly column: InvestigationSortColumn; readonly direction: 'asc' | 'desc' };
  /** Page size and zero-based page index. */
  readonly page: { readonly size: number; readonly index: number };
}

/**
 * One investigation of the grouped view: its matching actions counted by status and by action
 * type, the oldest and newest creation and the latest update among them.
 *
 * @example
 * ```ts
 * import type { InvestigationSummary } from 'actioncenter';
 * const line = (g: InvestigationSummary) => `${g.investigationId}: ${g.count} actions`;
 * ```
 */
export interface InvestigationSummary {
  /** The investigation the actions came from. */
  readonly investigationId: string;
  /** How many of its actions match the filter. */
  readonly count: number;
  /** Counts per status, statuses with none left out, in status id order (UTF-16 code units). */
  readonly byStatus: readonly { readonly status: ActionStatus; readonly count: number }[];
  /** Counts per action type id, types with none left out, in id order (UTF-16 code units). */
  readonly byActionType: readonly { readonly actionType: string; readonly count: number }[];
  /** The oldest `createdAt` of the matching actions. */
  readonly oldestCreatedAt: Timestamp;
  /** The newest `createdAt` of the matching actions. */
  readonly newestCreatedAt: Timestamp;
  /** The newest `updatedAt` of the matching actions: the "latest activity" sort. */
  readonly latestActivity: Timestamp;
}

/**
 * One page of the grouped view.
 *
 * @example
 * ```ts
 * import type { InvestigationPage } from 'actioncenter';
 * const ids = (p: InvestigationPage) => p.items.map((g) => g.investigationId);
 * ```
 */
export interface InvestigationPage {
  /** The investigations of this page, in the query's order. */
  readonly items: readonly InvestigationSummary[];
  /** How many investigations have matching actions, over all pages. */
  readonly total: number;
}

/**
 * Validates a grouped-view query and resolves its filter against `now`, as {@link resolveQuery}.
 *
 * @example
 * ```ts
 * import { resolveInvestigationQuery } from 'actioncenter';
 * resolveInvestigationQuery({ sort: { column: 'count', direction: 'desc' } }, Date.now()).ok; // true
 * resolveInvestigationQuery({ sort: { column: 'status', direction: 'desc' } }, Date.now()).ok; // false
 * ```
 */
export function resolveInvestigationQuery(
  input: unknown,
  now: Timestamp,
): Result<ResolvedInvestigationQuery, InvalidInputError> {
  const parsed = safeParseInput(InvestigationQuerySchema, input ?? {}, 'investigation query');
  if (!parsed.ok) return parsed;
  // The filter resolves exactly as the list's does (views, periods, lists).
  const list = resolveQuery({ filter: parsed.value.filter }, now);
  if (!list.ok) return list;
  return ok({ filter: list.value.filter, sort: parsed.value.sort, page: parsed.value.page });
}

/**
 * The groups of a set of actions (each matching the filter, or not: they are filtered here), in no
 * particular order. Building block of {@link referenceInvestigations} and the memory repository.
 *
 * @example
 * ```ts
 * import { summarizeInvestigations } from 'actioncenter';
 * summarizeInvestigations([]); // []
 * ```
 */
export function summarizeInvestigations(actions: Iterable<ActionRecord>): InvestigationSummary[] {
  interface Acc {
    count: number;
    byStatus: Map<ActionStatus, number>;
    byType: Map<string, number>;
    oldest: number;
    newest: number;
    latest: number;
  }
  const groups = new Map<string, Acc>();
  for (const a of actions) {
    if (a.investigationId === null) continue;
    let g = groups.get(a.investigationId);
    if (g === undefined) {
      g = {
        count: 0,
        byStatus: new Map(),
        byType: new Map(),
        oldest: a.createdAt,
        newest: a.createdAt,
        latest: a.updatedAt,
      };
      groups.set(a.investigationId, g);
    }
    g.count += 1;
    g.byStatus.set(a.status, (g.byStatus.get(a.status) ?? 0) + 1);
    g.byType.set(a.actionType, (g.byType.get(a.actionType) ?? 0) + 1);
    g.oldest = Math.min(g.oldest, a.createdAt);
    g.newest = Math.max(g.newest, a.createdAt);
    g.latest = Math.max(g.latest, a.updatedAt);
  }
  const byKey = <K extends string>(x: readonly [K, number], y: readonly [K, number]) =>
    x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
  return [...groups].map(([investigationId, g]) => ({
    investigationId,
    count: g.count,
    byStatus: [...g.byStatus].sort(byKey).map(([status, count]) => ({ status, count })),
    byActionType: [...g.byType].sort(byKey).map(([actionType, count]) => ({ actionType, count })),
    oldestCreatedAt: g.oldest,
    newestCreatedAt: g.newest,
    latestActivity: g.latest,
  }));
}

/**
 * Sorts and pages groups as the grouped view orders them.
 *
 * @example
 * ```ts
 * import { pageInvestigations } from 'actioncenter';
 * pageInvestigations([], { column: 'count', direction: 'desc' }, { size: 10, index: 0 }); // { items: [], total: 0 }
 * ```
 */
export function pageInvestigations(
  groups: readonly InvestigationSummary[],
  sort: ResolvedInvestigationQuery['sort'],
  page: ResolvedInvestigationQuery['page'],
): InvestigationPage {
  const key = (g: InvestigationSummary): string | number =>
    sort.column === 'latestActivity' ? g.latestActivity : sort.column === 'count' ? g.count : g.investigationId;
  const sorted = [...groups].sort((x, y) => {
    const c = compareSortValues(key(x), key(y));
    if (c !== 0) return sort.direction === 'asc' ? c : -c;
    return x.investigationId < y.investigationId ? -1 : x.investigationId > y.investigationId ? 1 : 0;
  });
  const start = Math.min(page.index * page.size, sorted.length);
  return { items: sorted.slice(start, start + page.size), total: sorted.length };
}

/**
 * The reference semantics of the grouped view (seed 003: the Pending and History tabs list
 * investigations): the actions matching the filter that have an investigation id, grouped by it,
 * sorted and paged. Repositories' `queryInvestigations` must return exactly this.
 *
 * @example
 * ```ts
 * import { referenceInvestigations, resolveInvestigationQuery } from 'actioncenter';
 * const q = resolveInvestigationQuery({ filter: { view: 'pending' } }, Date.now());
 * if (q.ok) referenceInvestigations([], q.value); // { items: [], total: 0 }
 * ```
 */
export function referenceInvestigations(
  actions: readonly ActionRecord[],
  query: ResolvedInvestigationQuery,
): InvestigationPage {
  return pageInvestigations(
    summarizeInvestigations(actions.filter((a) => matchesFilter(a, query.filter))),
    query.sort,
    query.page,
  );
}
