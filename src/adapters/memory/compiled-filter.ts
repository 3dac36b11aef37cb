/**
 * A resolved filter compiled once per query into one predicate with the semantics of
 * `matchesFilter`: only the clauses the filter has, each a closure specialised for its field (a
 * strict comparison for one value, a set for several), joined by `&&`. No per-record dispatch over
 * absent clauses, no key strings built per record.
 *
 * @module
 */
import type { ActionRecord, Actor } from '../../catalog/records.js';
import { assetOf, deviceOf } from '../../catalog/targets.js';
import { actorKey, awaitsApprovalIn, type ResolvedQuery } from '../../rules/query.js';
import { BlockColumn, type CodedTest } from './block-codes.js';

type Filter = ResolvedQuery['filter'];

/**
 * A compiled check on one record.
 *
 * @example
 * ```ts
 * import type { RecordCheck } from './compiled-filter.js';
 * const succeeded: RecordCheck = (r) => r.status === 'succeeded';
 * ```
 */
export type RecordCheck = (record: ActionRecord) => boolean;

/**
 * The clauses the (status, action type) buckets and their creation-time ranges do not answer, as
 * one predicate; null when there are none.
 *
 * @example
 * ```ts
 * import { compileResidual } from './compiled-filter.js';
 * // const check = compileResidual(query.filter); matching = check === null ? all : all.filter(check);
 * ```
 */
export function compileResidual(filter: Filter): RecordCheck | null {
  const checks: RecordCheck[] = [];
  const sources = stringIn(filter.sources);
  if (sources !== null) checks.push((r) => sources(r.source));
  const workloads = stringIn(filter.workloads);
  if (workloads !== null) checks.push((r) => workloads(r.workload));
  const assets = stringIn(filter.assets);
  if (assets !== null) checks.push((r) => assets(assetOf(r.target)));
  const decidedBy = actorIn(filter.decidedBy);
  if (decidedBy !== null) checks.push((r) => r.decidedBy !== null && decidedBy(r.decidedBy));
  const investigations = stringIn(filter.investigationIds);
  if (investigations !== null) checks.push((r) => r.investigationId !== null && investigations(r.investigationId));
  const approvals = stringIn(filter.approvalIds);
  if (approvals !== null) checks.push((r) => r.approvalId !== null && approvals(r.approvalId));
  const incidents = stringIn(filter.incidentIds ?? null);
  if (incidents !== null) checks.push((r) => r.incidentId !== null && incidents(r.incidentId));
  const alerts = stringIn(filter.alertIds ?? null);
  if (alerts !== null) checks.push((r) => r.alertId !== null && alerts(r.alertId));
  const requestedBy = actorIn(filter.requestedBy ?? null);
  if (requestedBy !== null) checks.push((r) => requestedBy(r.requestedBy));
  // "Awaiting my approval" (issue 16): the reference clause itself (it reads the record's approvals).
  if ((filter.awaitingApprovalBy ?? null) !== null) checks.push((r) => awaitsApprovalIn(r, filter));
  const scope = filter.scope ?? null;
  if (scope !== null) {
    // The reader's device groups (issue 12, item 1): a residual check, so totals count only these.
    const groups = new Set(scope.deviceGroups);
    const ungrouped = scope.includeUngrouped;
    checks.push((r) => {
      const group = deviceOf(r.target)?.deviceGroup ?? null;
      return group === null ? ungrouped : groups.has(group);
    });
  }
  return allOf(checks);
}

/**
 * The whole filter but action ids, as one predicate (status, action type and creation time first:
 * the cheapest to check): for records found through a secondary index, which knows none of them.
 * Null when the filter has no clause.
 *
 * @example
 * ```ts
 * import { compileFilter } from './compiled-filter.js';
 * // const check = compileFilter(query.filter); if (check === null || check(record)) ...
 * ```
 */
export function compileFilter(filter: Filter): RecordCheck | null {
  const checks: RecordCheck[] = [];
  const statuses = stringIn(filter.statuses);
  if (statuses !== null) checks.push((r) => statuses(r.status));
  const types = stringIn(filter.actionTypes);
  if (types !== null) checks.push((r) => types(r.actionType));
  const from = filter.createdFrom;
  if (from !== null) checks.push((r) => r.createdAt >= from);
  const to = filter.createdTo;
  if (to !== null) checks.push((r) => r.createdAt < to);
  const residual = compileResidual(filter);
  if (residual !== null) checks.push(residual);
  return allOf(checks);
}

/** Membership in a list of strings: one comparison for one value, a set for more (null: no clause). */
function stringIn(xs: readonly string[] | null): ((value: string) => boolean) | null {
  if (xs === null) return null;
  if (xs.length === 0) return () => false;
  if (xs.length === 1) {
    const only = xs[0] as string;
    return (value) => value === only;
  }
  const allowed = new Set(xs);
  return (value) => allowed.has(value);
}

/**
 * Membership of an actor in a list of actor keys (`actorKey`), without building a
 * `system:<component>` string per record: one set per kind of actor.
 */
function actorIn(keys: readonly string[] | null): ((actor: Actor) => boolean) | null {
  if (keys === null) return null;
  const principals = new Set<string>();
  const components = new Set<string>();
  for (const key of keys) {
    principals.add(key);
    if (key.startsWith('system:')) components.add(key.slice('system:'.length));
  }
  if (keys.length === 1 && components.size === 0) {
    const only = keys[0] as string;
    return (actor) => actor.type === 'principal' && actor.id === only;
  }
  return (actor) => (actor.type === 'principal' ? principals.has(actor.id) : components.has(actor.component));
}

/** The conjunction of checks, nested `&&` closures (null when there are none). */
function allOf(checks: readonly RecordCheck[]): RecordCheck | null {
  if (checks.length === 0) return null;
  const [first, ...rest] = checks as [RecordCheck, ...RecordCheck[]];
  if (rest.length === 0) return first;
  const tail = allOf(rest) as RecordCheck;
  return (r) => first(r) && tail(r);
}

/**
 * The columns the residual clauses test, as {@link BlockColumn}s (one dictionary each, shared by
 * the buckets of one index). Actors are keyed by {@link actorKey}, which `actorIn` matches.
 *
 * @example
 * ```ts
 * import { filterColumns } from './compiled-filter.js';
 * const columns = filterColumns();
 * columns.investigationId.key; // (r) => r.investigationId
 * ```
 */
export function filterColumns() {
  return {
    source: new BlockColumn<ActionRecord>((r) => r.source),
    workload: new BlockColumn<ActionRecord>((r) => r.workload),
    asset: new BlockColumn<ActionRecord>((r) => assetOf(r.target)),
    decidedBy: new BlockColumn<ActionRecord>((r) => (r.decidedBy === null ? null : actorKey(r.decidedBy))),
    requestedBy: new BlockColumn<ActionRecord>((r) => actorKey(r.requestedBy)),
    investigationId: new BlockColumn<ActionRecord>((r) => r.investigationId),
    approvalId: new BlockColumn<ActionRecord>((r) => r.approvalId),
    incidentId: new BlockColumn<ActionRecord>((r) => r.incidentId),
    alertId: new BlockColumn<ActionRecord>((r) => r.alertId),
    deviceGroup: new BlockColumn<ActionRecord>((r) => deviceOf(r.target)?.deviceGroup ?? null),
  } as const;
}

/**
 * The columns of {@link filterColumns}.
 *
 * @example
 * ```ts
 * import type { FilterColumns } from './compiled-filter.js';
 * const all = (c: FilterColumns) => Object.values(c);
 * ```
 */
export type FilterColumns = ReturnType<typeof filterColumns>;

/**
 * The clauses {@link compileResidual} checks, as tests on coded columns (the same semantics: a
 * null value matches no list, except that the scope lists null when it includes ungrouped
 * actions); null when there are none. Ids-like clauses come first: they keep the fewest records.
 *
 * @example
 * ```ts
 * import { compileCodedTests, filterColumns } from './compiled-filter.js';
 * // const tests = compileCodedTests(query.filter, filterColumns());
 * // if (tests !== null) bucket.collectCoded(lo, hi, tests, matching);
 * ```
 */
export function compileCodedTests(filter: Filter, columns: FilterColumns): CodedTest<ActionRecord>[] | null {
  // No coded column holds approvals: the residual predicate checks the records instead.
  if ((filter.awaitingApprovalBy ?? null) !== null) return null;
  const tests: CodedTest<ActionRecord>[] = [];
  const add = (column: BlockColumn<ActionRecord>, values: readonly (string | null)[] | null) => {
    if (values !== null) tests.push({ column, values });
  };
  add(columns.investigationId, filter.investigationIds);
  add(columns.approvalId, filter.approvalIds);
  add(columns.incidentId, filter.incidentIds ?? null);
  add(columns.alertId, filter.alertIds ?? null);
  add(columns.decidedBy, filter.decidedBy);
  add(columns.requestedBy, filter.requestedBy ?? null);
  add(columns.asset, filter.assets);
  add(columns.source, filter.sources);
  add(columns.workload, filter.workloads);
  const scope = filter.scope ?? null;
  if (scope !== null) add(columns.deviceGroup, [...scope.deviceGroups, ...(scope.includeUngrouped ? [null] : [])]);
  return tests.length === 0 ? null : tests;
}
