/**
 * The reference semantics of filtering and sorting: which actions a resolved query matches, and in
 * what order.
 *
 * @module
 */
import type { ActionRecord, Actor } from '../../catalog/records.js';
import { assetOf, assertNever } from '../../catalog/targets.js';
import { type ResolvedQuery, inScope } from './resolve.js';
import type { SortColumn } from './schemas.js';

/**
 * The key an actor is filtered and sorted by: the principal id, or `system:<component>`.
 *
 * @example
 * ```ts
 * import { actorKey } from 'actioncenter/adapter-kit';
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
 * import { matchesFilter, resolveQuery } from 'actioncenter/adapter-kit';
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
    awaitsApprovalIn(action, filter) &&
    inScope(action, filter.scope)
  );
}

/**
 * The "awaiting my approval" clause of a resolved filter (issue 16): true without one; with one,
 * the action is pending, not requested by the principal (`actorKey`), not approved by them yet, and
 * of a type in `awaitingApprovalTypes` (when set) or escalated to them (`escalatedTo`).
 *
 * @example
 * ```ts
 * import { awaitsApprovalIn } from 'actioncenter/adapter-kit';
 * // actions.filter((a) => awaitsApprovalIn(a, { awaitingApprovalBy: 'bob@contoso.com' }));
 * ```
 */
export function awaitsApprovalIn(
  action: ActionRecord,
  filter: Pick<ResolvedQuery['filter'], 'awaitingApprovalBy' | 'awaitingApprovalTypes'>,
): boolean {
  const by = filter.awaitingApprovalBy ?? null;
  if (by === null) return true;
  if (action.status !== 'pending' || actorKey(action.requestedBy) === by) return false;
  if ((action.approvals ?? []).some((a) => a.by === by)) return false;
  const types = filter.awaitingApprovalTypes ?? null;
  return types === null || types.includes(action.actionType) || (action.escalatedTo ?? []).some((p) => p === by);
}

/**
 * How an actor sorts in the "Decided by" and "Requested by" columns, from its {@link actorKey}: a
 * principal's id, or `Automation (<component>)` for `system:<component>`, as the columns show it.
 *
 * @example
 * ```ts
 * import { actorSortLabel } from 'actioncenter/adapter-kit';
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
 * import { sortValue } from 'actioncenter/adapter-kit';
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
 * import { compareSortValues } from 'actioncenter/adapter-kit';
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
 * import { compareActions } from 'actioncenter/adapter-kit';
 * // actions.sort((a, b) => compareActions(a, b, { column: 'createdAt', direction: 'desc' }));
 * ```
 */
export function compareActions(a: ActionRecord, b: ActionRecord, sort: ResolvedQuery['sort']): number {
  const c = compareSortValues(sortValue(a, sort.column, sort.labels), sortValue(b, sort.column, sort.labels));
  if (c !== 0) return sort.direction === 'asc' ? c : -c;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
