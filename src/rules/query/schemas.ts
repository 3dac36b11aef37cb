/**
 * The query's input: sort columns, time periods, time zones, filters and the query schema.
 *
 * @module
 */
import { isTimeZone } from '../calendar.js';
import * as z from 'zod';
import {
  ActionIdSchema,
  AlertIdSchema,
  ApprovalIdSchema,
  IncidentIdSchema,
  InvestigationIdSchema,
  PrincipalIdSchema,
} from '../../catalog/ids.js';
import { ActionStatusSchema, TimestampSchema, type ActionStatus } from '../../catalog/records.js';
import { ActionSourceIdSchema } from '../../catalog/sources.js';
import { WorkloadSchema } from '../../catalog/targets.js';

/**
 * The columns a view can sort on: every column a view shows (seed 002: "Select a column heading to
 * sort"). Each sorts by what it shows: action type, source, status and workload by their labels
 * when the query carries them (`resolveQuery`'s `labels`; the center passes its catalogue's),
 * "Decided by" and "Requested by" as {@link actorSortLabel} reads them, the comment by its text,
 * times by time; then by the action id, so pages are stable.
 *
 * @example
 * ```ts
 * import { SORT_COLUMNS } from 'actioncenter/adapter-kit';
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
 * import type { SortColumn } from 'actioncenter/adapter-kit';
 * const c: SortColumn = 'status';
 * ```
 */
export type SortColumn = (typeof SORT_COLUMNS)[number];

export const NUMERIC_SORT_COLUMNS: ReadonlySet<SortColumn> = new Set(['createdAt', 'decidedAt', 'completedAt']);

/**
 * The sort columns shown as a label of a stored id (display name, source label, status label,
 * workload label): a query sorts them by the labels it carries.
 *
 * @example
 * ```ts
 * import { LABELLED_SORT_COLUMNS } from 'actioncenter/adapter-kit';
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
 * import type { SortLabels } from 'actioncenter/adapter-kit';
 * const labels: SortLabels = { status: { succeeded: 'Completed', pending: 'Pending' } };
 * ```
 */
export type SortLabels = { readonly [C in (typeof LABELLED_SORT_COLUMNS)[number]]?: Readonly<Record<string, string>> };

export const SortLabelsSchema = z.strictObject(
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
 * import { PENDING_STATUSES } from 'actioncenter/adapter-kit';
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
 * import { TimeZoneSchema } from 'actioncenter/adapter-kit';
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
 * import { TimeFilterSchema } from 'actioncenter/adapter-kit';
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
 * import type { TimeFilter } from 'actioncenter/adapter-kit';
 * const last30: TimeFilter = { period: 'past30Days' };
 * ```
 */
export type TimeFilter = z.infer<typeof TimeFilterSchema>;

/**
 * Schema of {@link ActionFilter}. Every list means "any of"; different fields combine with "and".
 *
 * @example
 * ```ts
 * import { ActionFilterSchema } from 'actioncenter/adapter-kit';
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
  /**
   * "Awaiting my approval" (issue 16): pending actions this principal did not request and has not
   * approved yet. The center accepts only the calling principal's own id here, and narrows further
   * to the action types they may approve (and the actions escalated to them).
   */
  awaitingApprovalBy: PrincipalIdSchema.optional(),
});
/**
 * Filters of the Pending and History views.
 *
 * @example
 * ```ts
 * import type { ActionFilter } from 'actioncenter/adapter-kit';
 * const f: ActionFilter = { view: 'history', status: ['succeeded'] };
 * ```
 */
export type ActionFilter = z.input<typeof ActionFilterSchema>;

/**
 * Schema of a view query (see {@link ActionQueryInput} and {@link ResolvedQuery}).
 *
 * @example
 * ```ts
 * import { ActionQuerySchema } from 'actioncenter/adapter-kit';
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
