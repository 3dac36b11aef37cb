/**
 * The grouped view: actions by investigation (seed 003).
 *
 * @module
 */
import * as z from 'zod';
import type { ActionRecord, ActionStatus, Timestamp } from '../../catalog/records.js';
import type { InvalidInputError } from '../../errors.js';
import { ok, safeParseInput, type Result } from '../../result.js';
import { compareSortValues, matchesFilter } from './match.js';
import { type ResolvedQuery, resolveQuery } from './resolve.js';
import { ActionFilterSchema } from './schemas.js';

/**
 * The orders of the grouped view: by latest activity (the newest `updatedAt` of the group's
 * actions), by how many actions match, or by investigation id; then by investigation id ascending.
 *
 * @example
 * ```ts
 * import { INVESTIGATION_SORT_COLUMNS } from 'actioncenter/adapter-kit';
 * INVESTIGATION_SORT_COLUMNS; // ['latestActivity', 'count', 'investigationId']
 * ```
 */
export const INVESTIGATION_SORT_COLUMNS = ['latestActivity', 'count', 'investigationId'] as const;
/**
 * One of {@link INVESTIGATION_SORT_COLUMNS}.
 *
 * @example
 * ```ts
 * import type { InvestigationSortColumn } from 'actioncenter/adapter-kit';
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
 * import { InvestigationQuerySchema } from 'actioncenter/adapter-kit';
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
 * import type { InvestigationQueryInput } from 'actioncenter/adapter-kit';
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
 * import { resolveInvestigationQuery } from 'actioncenter/adapter-kit';
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
 * import type { InvestigationSummary } from 'actioncenter/adapter-kit';
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
 * import { resolveInvestigationQuery } from 'actioncenter/adapter-kit';
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
 * import { summarizeInvestigations } from 'actioncenter/adapter-kit';
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
 * import { pageInvestigations } from 'actioncenter/adapter-kit';
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
 * import { referenceInvestigations, resolveInvestigationQuery } from 'actioncenter/adapter-kit';
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
