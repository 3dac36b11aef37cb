/**
 * The Pending and History views as data: a query (filters, time period, sort, page) and its
 * reference semantics as pure functions. Repositories must return exactly what
 * `filter(matchesQuery) → sort(compareActions) → page` returns over the same actions; the contract
 * suite checks them against these functions.
 *
 * @module
 */
export {
  SORT_COLUMNS,
  type SortColumn,
  LABELLED_SORT_COLUMNS,
  type SortLabels,
  PENDING_STATUSES,
  TIME_PERIODS,
  type TimePeriod,
  TimeZoneSchema,
  TimeFilterSchema,
  type TimeFilter,
  ActionFilterSchema,
  type ActionFilter,
  ActionQuerySchema,
  type ActionQueryInput,
} from './query/schemas.js';
export {
  type ResolvedQuery,
  type ScopeFilter,
  scopeFilterOf,
  inScope,
  type ActionPage,
  periodStart,
  resolveQuery,
} from './query/resolve.js';
export {
  actorKey,
  matchesFilter,
  awaitsApprovalIn,
  actorSortLabel,
  sortValue,
  compareSortValues,
  compareActions,
} from './query/match.js';
export { type CursorPosition, encodeCursor, decodeCursor } from './query/cursor.js';
export { isAfterCursor, referenceQuery } from './query/page.js';
export {
  INVESTIGATION_SORT_COLUMNS,
  type InvestigationSortColumn,
  InvestigationQuerySchema,
  type InvestigationQueryInput,
  type ResolvedInvestigationQuery,
  type InvestigationSummary,
  type InvestigationPage,
  resolveInvestigationQuery,
  summarizeInvestigations,
  pageInvestigations,
  referenceInvestigations,
} from './query/investigations.js';
