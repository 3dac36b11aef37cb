/**
 * Issue 14: `center.exportCsv` reads the repository a page at a time and formats each page
 * synchronously (no await per row). The text must stay exactly what the sync `exportCsv` writes
 * over the same records in the view's order, across page and chunk boundaries; a store that fails
 * mid-export ends the stream early, as a valid truncated CSV, with `completion` saying why; and a
 * consumer that stops early gets a report counting the rows it was handed.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COLUMN_IDS,
  builtInCatalog,
  collectCsv,
  createActionCenter,
  createMemoryRepository,
  exportCsv,
  manualClock,
  type ActionId,
  type ActionRecord,
  type ActionRepository,
  type ColumnId,
  type PrincipalInput,
} from 'actioncenter';
import {
  ACTION_COLUMNS,
  DEFAULT_CSV_CHUNK_SIZE,
  SORT_COLUMNS,
  asId,
  referenceQuery,
  resolveQuery,
  sortLabels,
} from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from 'actioncenter/testing';
import { EXPORT_PAGE } from '../../src/center/engine/export.js';
import { actionRecord, fileTarget } from '../support/records.js';

// Before every generated action: no pending action is due, so the read's expiry sweep changes nothing.
const NOW = Date.UTC(2020, 0, 1);
const admin: PrincipalInput = {
  id: 'ga@contoso.com',
  assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }],
};
// The export reads the store in pages of this many actions (src/center/engine/export.ts).
const PAGE = EXPORT_PAGE;
// Two whole pages and part of a third.
const MANY = 2 * PAGE + 345;

/**
 * A store that counts the pages the export reads, the queries of its page size (a read first sweeps
 * due pending actions, with pages of its own; `exportCsv` reads the first page before it answers, so
 * that a store's refusal of the query is its answer). `fail` may refuse or throw.
 */
function counting(fail: (call: number) => 'refuse' | 'throw' | null = () => null) {
  const state = { calls: 0 };
  const wrap = (inner: ActionRepository): ActionRepository => ({
    ...inner,
    async query(q) {
      if (q.page.size !== PAGE) return inner.query(q);
      state.calls += 1;
      const failure = fail(state.calls);
      if (failure === 'throw') throw new Error('socket hang up');
      if (failure === 'refuse')
        return { ok: false, error: { code: 'repositoryUnavailable', message: 'connection lost' } };
      return inner.query(q);
    },
  });
  return { state, wrap };
}

/** Records a memory repository can hold together: at most one open action per open key. */
function storable(records: readonly ActionRecord[]): ActionRecord[] {
  const keys = new Set<string>();
  return records.filter((r) => {
    if (r.openKey === null) return true;
    if (keys.has(r.openKey)) return false;
    keys.add(r.openKey);
    return true;
  });
}

function centerOver(records: readonly ActionRecord[], wrap: (r: ActionRepository) => ActionRepository = (r) => r) {
  const repository = createMemoryRepository();
  const loaded = repository.load({ actions: records });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return createActionCenter({ repository: wrap(repository), clock: manualClock(NOW) });
}

/** The records in the order a view sorted by `sort` shows them (the rules' reference query). */
function inViewOrder(records: readonly ActionRecord[], sort: { column: ColumnId; direction: 'asc' | 'desc' }) {
  const resolved = resolveQuery({ sort }, NOW, sortLabels(builtInCatalog));
  if (!resolved.ok) throw new Error(resolved.error.message);
  const size = Math.max(1, records.length);
  return referenceQuery(records, { ...resolved.value, page: { size, cursor: null, index: 0 } }).items;
}

const COMMENTS = [null, 'Verified', '=HYPERLINK("http://evil.example")', 'a, b', 'two\nlines', '-5', 'say "hi"'];

/** `n` final actions with creation times that tie across page boundaries and cells that need quoting. */
function manyRecords(n: number): ActionRecord[] {
  return Array.from({ length: n }, (_, i) =>
    actionRecord({
      id: asId<ActionId>(`act-${String(i).padStart(5, '0')}`),
      status: i % 3 === 0 ? 'succeeded' : i % 3 === 1 ? 'failed' : 'rejected',
      target: fileTarget({ deviceId: `dev-${i % 40}`, deviceName: i % 11 === 0 ? '@PC,1' : `PC-${i % 40}` }),
      requestComment: COMMENTS[i % COMMENTS.length] ?? null,
      createdAt: 1_000 + (i % 700) * 1_000,
      updatedAt: 1_000 + (i % 700) * 1_000,
    }),
  );
}

async function syncText(records: readonly ActionRecord[], columns: readonly ColumnId[]): Promise<string> {
  const cols = columns.map((id) => ACTION_COLUMNS[id]);
  return collectCsv(exportCsv(records, { columns: cols, context: { catalog: builtInCatalog } }));
}

const histories = actionCenterArbitraries(fc, { maxEvents: 5 })
  .actionHistories({ maxLength: 25 })
  .map((hs) => storable(hs.map((h) => h.action)));
const columnIds = fc.uniqueArray(fc.constantFrom(...COLUMN_IDS), { minLength: 1, maxLength: COLUMN_IDS.length });
const sort = fc.record({ column: fc.constantFrom(...SORT_COLUMNS), direction: fc.constantFrom('asc', 'desc') });

describe('center.exportCsv writes what the sync exportCsv writes over the same records', () => {
  it(
    'property: any stored records, columns and sort: the same text, every row counted',
    { timeout: 120_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(histories, columnIds, sort, async (records, columns, order) => {
          const center = centerOver(records);
          const r = await center.exportCsv({ principal: admin, query: { sort: order }, columns });
          if (!r.ok) throw new Error(r.error.message);
          const text = await collectCsv(r.value);
          expect(text).toBe(await syncText(inViewOrder(records, order), columns));
          expect(await r.value.completion).toEqual({ ok: true, value: { rows: records.length, skipped: [] } });
        }),
        { numRuns: 60 },
      );
    },
  );

  it(
    'across page and chunk boundaries (two pages and a part, creation times tied across pages): the same text, chunks bounded',
    { timeout: 120_000 },
    async () => {
      const records = manyRecords(MANY);
      const center = centerOver(records);
      const order = { column: 'createdAt', direction: 'desc' } as const;
      const r = await center.exportCsv({ principal: admin, query: { sort: order }, columns: [...COLUMN_IDS] });
      if (!r.ok) throw new Error(r.error.message);
      const chunks: string[] = [];
      for await (const chunk of r.value) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(1);
      // A chunk is handed on once it reaches the chunk size: never longer than that plus one record.
      for (const chunk of chunks) expect(chunk.length).toBeLessThan(DEFAULT_CSV_CHUNK_SIZE + 2_000);
      for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(DEFAULT_CSV_CHUNK_SIZE);
      expect(chunks.join('')).toBe(await syncText(inViewOrder(records, order), COLUMN_IDS));
      expect(await r.value.completion).toEqual({ ok: true, value: { rows: MANY, skipped: [] } });
    },
  );
});

describe('a store failing mid-export', () => {
  const order = { column: 'createdAt', direction: 'asc' } as const;

  it(
    'regression: a page refused after the first ends the stream after the rows so far; completion names the error',
    { timeout: 60_000 },
    async () => {
      const records = manyRecords(MANY);
      const store = counting((call) => (call === 2 ? 'refuse' : null));
      const center = centerOver(records, store.wrap);
      const r = await center.exportCsv({ principal: admin, query: { sort: order }, columns: ['id', 'comment'] });
      if (!r.ok) throw new Error(r.error.message);
      const text = await collectCsv(r.value); // does not throw
      expect(text).toBe(await syncText(inViewOrder(records, order).slice(0, PAGE), ['id', 'comment']));
      expect(await r.value.completion).toEqual({
        ok: false,
        error: { code: 'repositoryUnavailable', message: 'connection lost' },
      });
      expect(store.state.calls).toBe(2);
    },
  );

  it(
    'a store that throws on the third page: repositoryUnavailable with its message, two pages written',
    { timeout: 60_000 },
    async () => {
      const records = manyRecords(MANY);
      const store = counting((call) => (call === 3 ? 'throw' : null));
      const center = centerOver(records, store.wrap);
      const r = await center.exportCsv({ principal: admin, query: { sort: order }, columns: ['id'] });
      if (!r.ok) throw new Error(r.error.message);
      const rows = parse(await collectCsv(r.value)) as string[][];
      expect(rows.length).toBe(1 + 2 * PAGE);
      expect(rows.slice(1).map((row) => row[0])).toEqual(
        inViewOrder(records, order)
          .slice(0, 2 * PAGE)
          .map((a) => a.id),
      );
      expect(await r.value.completion).toEqual({
        ok: false,
        error: { code: 'repositoryUnavailable', message: 'socket hang up' },
      });
    },
  );
});

describe('a consumer that stops early', () => {
  it(
    'completion reports the rows of the chunks handed on, and no further page is read',
    { timeout: 60_000 },
    async () => {
      const records = manyRecords(MANY);
      const store = counting();
      const center = centerOver(records, store.wrap);
      const r = await center.exportCsv({ principal: admin, columns: [...COLUMN_IDS] });
      if (!r.ok) throw new Error(r.error.message);
      let first = '';
      for await (const chunk of r.value) {
        first = chunk;
        break;
      }
      // A chunk ends at a record boundary, so it parses on its own: the header and whole records.
      const handed = (parse(first) as string[][]).length - 1;
      expect(handed).toBeGreaterThan(0);
      expect(handed).toBeLessThan(PAGE);
      expect(await r.value.completion).toEqual({ ok: true, value: { rows: handed, skipped: [] } });
      expect(store.state.calls).toBe(1);
    },
  );
});
