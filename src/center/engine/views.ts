/**
 * Views: the list (Pending, History, ...), the grouped investigations, one action and its audit
 * trail. Every read is limited to the reader's scope: totals and pages count only what it may see,
 * and an action outside it reads as missing.
 *
 * @module
 */
import { ActionIdSchema, InvestigationIdSchema } from '../../catalog/ids.js';
import type { ActionRecord, AuditEvent } from '../../catalog/records.js';
import { err, ok, safeParseInput, unreadableInput, type Result } from '../../result.js';
import { askReadScope } from '../../rules/access.js';
import { PrincipalSchema, type Principal, type ReadOperation } from '../../rules/principals.js';
import {
  inScope,
  pageInvestigations,
  resolveInvestigationQuery,
  resolveQuery,
  scopeFilterOf,
  summarizeInvestigations,
  type ActionPage,
  type InvestigationPage,
  type ScopeFilter,
} from '../../rules/query.js';
import type { AccessDeniedError } from '../errors.js';
import { readClock } from '../clock-reading.js';
import { narrowAwaiting } from './approvals.js';
import { PAGE, collect, safely, type EngineContext } from './context.js';
import type { GetError, ReadError } from './results.js';
import { denied } from './submit.js';

/** The principal's read scope as a query filter, or the denial of the read (issue 12, item 1). */
export function readScopeOf(
  ctx: EngineContext,
  principal: Principal,
  operation: ReadOperation,
): Result<ScopeFilter | null, AccessDeniedError> {
  const answer = askReadScope(ctx.accessPolicy, principal, operation);
  return answer.allowed ? ok(scopeFilterOf(answer.scope)) : err(denied(answer.decision));
}

/** The principal, its read scope and the time: what every view (and the export) starts from. */
export function reader(
  ctx: EngineContext,
  given: unknown,
  operation: ReadOperation,
): Result<{ principal: Principal; scope: ScopeFilter | null; now: number }, ReadError> {
  const principal = safeParseInput(PrincipalSchema, given, 'principal');
  if (!principal.ok) return principal;
  const scope = readScopeOf(ctx, principal.value, operation);
  if (!scope.ok) return scope;
  const now = readClock(ctx.clock);
  if (!now.ok) return now;
  return ok({ principal: principal.value, scope: scope.value, now: now.value });
}

/** The `list` operation. */
export async function list(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly query?: unknown },
): Promise<Result<ActionPage, ReadError>> {
  const who = reader(ctx, input.principal, 'view');
  if (!who.ok) return who;
  const query = resolveQuery(input.query ?? {}, who.value.now, ctx.labels());
  if (!query.ok) return query;
  // "Awaiting my approval" (issue 16): the caller's own, narrowed to what they may approve.
  const filter = narrowAwaiting(ctx, who.value.principal, query.value.filter);
  if (!filter.ok) return filter;
  // The store applies the reader's scope, so totals and pages count only what it may see.
  const scoped = { ...query.value, filter: { ...filter.value, scope: who.value.scope } };
  return safely(() => ctx.repository.query(scoped));
}

/** The `listInvestigations` operation. */
export async function listInvestigations(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly query?: unknown },
): Promise<Result<InvestigationPage, ReadError>> {
  const who = reader(ctx, input.principal, 'view');
  if (!who.ok) return who;
  const resolved = resolveInvestigationQuery(input.query ?? {}, who.value.now);
  if (!resolved.ok) return resolved;
  const filter = narrowAwaiting(ctx, who.value.principal, resolved.value.filter);
  if (!filter.ok) return filter;
  const query = { ...resolved.value, filter: { ...filter.value, scope: who.value.scope } };
  const grouped = ctx.repository.queryInvestigations?.bind(ctx.repository);
  if (typeof grouped === 'function') return safely(() => grouped(query));
  // A store without the grouped query: group every matching action read through `query`.
  const all = await collect(ctx, {
    filter: query.filter,
    sort: { column: 'id', direction: 'asc' },
    page: { size: PAGE, cursor: null, index: 0 },
  });
  if (!all.ok) return all;
  return ok(pageInvestigations(summarizeInvestigations(all.value), query.sort, query.page));
}

/** The `investigation` operation: the list's own rules, narrowed to one investigation. */
export async function investigation(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly investigationId?: unknown; readonly query?: unknown },
): Promise<Result<ActionPage, ReadError>> {
  const id = safeParseInput(InvestigationIdSchema, input.investigationId, 'investigation id');
  if (!id.ok) return id;
  let query: unknown;
  try {
    const given = (input.query ?? {}) as { readonly filter?: unknown };
    if (typeof given !== 'object' || given === null) return list(ctx, { principal: input.principal, query: given });
    const filter = given.filter ?? {};
    query = {
      ...given,
      filter: typeof filter === 'object' && filter !== null ? { ...filter, investigationId: [id.value] } : filter,
    };
  } catch (cause) {
    return err(unreadableInput('query', cause));
  }
  return list(ctx, { principal: input.principal, query });
}

/** The `get` operation. */
export async function get(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly id?: unknown },
): Promise<Result<ActionRecord, GetError>> {
  const principal = safeParseInput(PrincipalSchema, input.principal, 'principal');
  if (!principal.ok) return principal;
  const id = safeParseInput(ActionIdSchema, input.id, 'action id');
  if (!id.ok) return id;
  const scope = readScopeOf(ctx, principal.value, 'view');
  if (!scope.ok) return scope;
  const found = await safely(() => ctx.repository.get(id.value));
  if (!found.ok) return found;
  // Out of the reader's scope reads as missing: the same answer, so existence is not leaked.
  return found.value === null || !inScope(found.value, scope.value)
    ? err({ code: 'notFound', message: `No action "${id.value}"`, actionId: id.value })
    : ok(found.value);
}

/** The `auditTrail` operation. */
export async function auditTrail(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly id?: unknown },
): Promise<Result<readonly AuditEvent[], GetError>> {
  const action = await get(ctx, input);
  if (!action.ok) return action;
  return safely(() => ctx.repository.auditTrail(action.value.id));
}
