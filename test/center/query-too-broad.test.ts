/**
 * Issue 14: a store may refuse a view query it would have to sort whole (`queryTooBroad`, the
 * PostgreSQL repository past `maxUnindexedSortRows`). The center passes the refusal on as a value:
 * `list`, `investigation` and `exportCsv` answer it (the export before any chunk), never a throw and
 * never `repositoryUnavailable`; refused after the export's first page, the stream ends and
 * `completion` says why.
 */
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  type ActionId,
  type ActionRepository,
  type PrincipalInput,
  type QueryTooBroadError,
} from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { EXPORT_PAGE } from '../../src/center/engine/export.js';
import { actionRecord } from '../support/records.js';

const NOW = Date.UTC(2020, 0, 1);
const admin: PrincipalInput = {
  id: 'ga@contoso.com',
  assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }],
};
const REFUSAL: QueryTooBroadError = {
  code: 'queryTooBroad',
  message: 'More than 5 actions match',
  sortColumn: 'asset',
  limit: 5,
  atLeast: 6,
};

/** A memory store of `n` final actions that refuses every query sorted by asset from its `from`-th such query on. */
function center(n: number, from = 1) {
  const repository = createMemoryRepository();
  const actions = Array.from({ length: n }, (_, i) =>
    actionRecord({ id: asId<ActionId>(`a-${String(i).padStart(5, '0')}`), status: 'succeeded', createdAt: 1_000 + i }),
  );
  const loaded = repository.load({ actions });
  if (!loaded.ok) throw new Error(loaded.error.message);
  let byAsset = 0;
  const refusing: ActionRepository = {
    ...repository,
    async query(q) {
      if (q.sort.column !== 'asset') return repository.query(q);
      byAsset += 1;
      return byAsset >= from ? { ok: false, error: REFUSAL } : repository.query(q);
    },
  };
  return createActionCenter({ repository: refusing, clock: manualClock(NOW) });
}

const byAsset = { sort: { column: 'asset', direction: 'asc' } } as const;

describe('a store refusing a query as too broad', () => {
  it('list and investigation answer queryTooBroad with its payload', async () => {
    const c = center(3);
    expect(await c.list({ principal: admin, query: byAsset })).toEqual({ ok: false, error: REFUSAL });
    expect(await c.investigation({ principal: admin, investigationId: 'inv-1', query: byAsset })).toEqual({
      ok: false,
      error: REFUSAL,
    });
    // The same view sorted by time is served.
    const page = await c.list({ principal: admin, query: { sort: { column: 'createdAt', direction: 'asc' } } });
    expect(page.ok && page.value.items.length).toBe(3);
  });

  it('exportCsv answers queryTooBroad before any chunk', async () => {
    expect(await center(3).exportCsv({ principal: admin, query: byAsset })).toEqual({ ok: false, error: REFUSAL });
  });

  it(
    'refused after the first page: the stream ends after it and completion names the refusal',
    { timeout: 60_000 },
    async () => {
      const r = await center(EXPORT_PAGE + 10, 2).exportCsv({ principal: admin, query: byAsset, columns: ['id'] });
      if (!r.ok) throw new Error(r.error.message);
      let text = '';
      for await (const chunk of r.value) text += chunk;
      expect(text.trim().split('\r\n')).toHaveLength(1 + EXPORT_PAGE);
      const completion = await r.value.completion;
      // Typed as the store gave it, with its payload.
      expect(completion).toEqual({ ok: false, error: REFUSAL });
    },
  );
});
