/**
 * Read routes: the page's metadata, a page of actions with what the principal may do with each,
 * one action with its audit trail, and the undo preview ("Apply to X more instances").
 */
import { Hono } from 'hono';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  COLUMN_IDS,
  DEFAULT_COLUMNS,
  TIME_PERIODS,
  type ActionRecord,
  type InvalidInputError,
  type Principal,
} from 'actioncenter';
import { ACTION_COLUMNS, otherInstancesOfFile, STATUS_LABELS } from 'actioncenter/adapter-kit';
import { canMap, canOf } from './can.js';
import { requirePrincipal, type WebContext } from './context.js';
import { errorResponse, jsonResponse as json } from './errors.js';

const notJson: InvalidInputError = {
  code: 'invalidInput',
  message: 'Invalid query: the query parameter must be URL-encoded JSON (an ActionQueryInput)',
  issues: [{ path: ['query'], code: 'custom', message: 'must be JSON' }],
};

/** `?query=` as JSON, or the 400 answer. Absent: the library's default query. */
export function parseQueryParam(
  raw: string | undefined,
): { ok: true; value: unknown } | { ok: false; response: Response } {
  if (raw === undefined || raw === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return {
      ok: false,
      response: errorResponse(notJson),
    };
  }
}

/** The routes. */
export function readRoutes(web: WebContext): Hono {
  const app = new Hono();
  const { center } = web;

  app.get('/api/meta', () =>
    json({
      actionTypes: center.catalog.types.map((t) => ({ id: t.id, displayName: t.displayName, workload: t.workload })),
      columns: COLUMN_IDS.map((id) => ({ id, header: ACTION_COLUMNS[id].header })),
      defaultColumns: DEFAULT_COLUMNS.map((column) => column.id),
      timePeriods: TIME_PERIODS,
      sources: Object.values(ACTION_SOURCES).map((s) => ({ id: s.id, label: s.label, workloads: s.workloads })),
      statuses: ACTION_STATUSES.map((id) => ({ id, label: STATUS_LABELS[id] })),
    }),
  );

  app.get('/api/actions', async (c) => {
    const who = await requirePrincipal(web, c.req.raw);
    if (!who.ok) return who.response;
    const query = parseQueryParam(c.req.query('query'));
    if (!query.ok) return query.response;
    // The library validates the query (every filter, sort, period, page): bad input is its invalidInput.
    const page = await center.list({ principal: who.principal, query: query.value as never });
    if (!page.ok) return errorResponse(page.error);
    return json({ page: page.value, can: canMap(page.value.items, who.principal, center.catalog, web.accessPolicy) });
  });

  app.get('/api/actions/:id', async (c) => {
    const who = await requirePrincipal(web, c.req.raw);
    if (!who.ok) return who.response;
    const input = { principal: who.principal, id: c.req.param('id') };
    const record = await center.get(input);
    if (!record.ok) return errorResponse(record.error);
    const audit = await center.auditTrail(input);
    if (!audit.ok) return errorResponse(audit.error);
    const verification = await center.verifyAuditTrail(input);
    if (!verification.ok) return errorResponse(verification.error);
    return json({
      record: record.value,
      audit: audit.value,
      verification: verification.value,
      can: canOf(record.value, who.principal, center.catalog, web.accessPolicy),
    });
  });

  app.get('/api/actions/:id/undo-preview', async (c) => {
    const who = await requirePrincipal(web, c.req.raw);
    if (!who.ok) return who.response;
    const record = await center.get({ principal: who.principal, id: c.req.param('id') });
    if (!record.ok) return errorResponse(record.error);
    const others = await otherInstances(web, who.principal, record.value);
    if (!others.ok) return others.response;
    return json({ otherInstances: others.value.length, ids: others.value.map((a) => a.id) });
  });
  return app;
}

/**
 * The other instances undo's `applyToOtherInstances` would add: the same candidates the center
 * reads (succeeded or undo-failed actions of the type, in the principal's read scope), through
 * the library's `otherInstancesOfFile`.
 */
async function otherInstances(
  web: WebContext,
  principal: Principal,
  record: ActionRecord,
): Promise<{ ok: true; value: ActionRecord[] } | { ok: false; response: Response }> {
  if (record.target.kind !== 'file') return { ok: true, value: [] };
  const candidates: ActionRecord[] = [];
  let cursor: string | null = null;
  do {
    const page = await web.center.list({
      principal,
      query: {
        filter: { view: 'all', status: ['succeeded', 'undoFailed'], actionType: [record.actionType] },
        sort: { column: 'createdAt', direction: 'asc' },
        page: { size: 1000, cursor },
      },
    });
    if (!page.ok) return { ok: false, response: errorResponse(page.error) };
    candidates.push(...page.value.items);
    cursor = page.value.nextCursor;
  } while (cursor !== null);
  const found = otherInstancesOfFile(record, candidates, {
    catalog: web.center.catalog,
    principal,
    accessPolicy: web.accessPolicy,
  });
  return { ok: true, value: found };
}
