/**
 * Issue 14: the export writes each cell through a writer resolved once per column (labels and
 * actors cached per value, time cells that start with a digit not escaped). The text must stay
 * exactly `csvRecord(toRow(...))`, the cell-by-cell definition, for any stored records and columns;
 * a custom column that reuses a built-in id gets no built-in shortcut.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COLUMN_IDS, builtInCatalog, type ActionRecord, type Actor } from 'actioncenter';
import { ACTION_COLUMNS, csvRecord, toRow, type ActionColumn, type Timestamp } from 'actioncenter/adapter-kit';
import { actionCenterArbitraries } from 'actioncenter/testing';
import { CsvChunker } from '../../src/center/csv.js';
import { actionRecord } from '../support/records.js';

const context = { catalog: builtInCatalog };

/** Everything the chunker writes for `records` (chunks of one record, so every cell path runs). */
function chunked(records: readonly ActionRecord[], columns: readonly ActionColumn<string>[]): string {
  const out = new CsvChunker({ columns, context, chunkSize: 1 });
  let text = '';
  if (out.full()) text += out.take();
  for (const r of records) if (out.append(r)) text += out.take();
  if (out.pending()) text += out.take();
  return text;
}

function expected(records: readonly ActionRecord[], columns: readonly ActionColumn<string>[]): string {
  let text = csvRecord(columns.map((c) => c.header));
  for (const r of records) text += columns.length === 0 ? '\r\n' : csvRecord(toRow(r, columns, context));
  return text;
}

const records = actionCenterArbitraries(fc, { maxEvents: 5 })
  .actionHistories({ maxLength: 30 })
  .map((hs) => hs.map((h) => h.action));
const columns = fc
  .uniqueArray(fc.constantFrom(...COLUMN_IDS), { minLength: 1, maxLength: COLUMN_IDS.length })
  .map((ids) => ids.map((id): ActionColumn<string> => ACTION_COLUMNS[id]));

// Cells that need the guard or quotes, as actor ids and times would never produce from real data.
const hostileText = fc.constantFrom('=1+1', '-5', 'a,b', 'say "hi"', 'two\nlines', '', ' \u200b＝1', 'plain');
const hostileActor: fc.Arbitrary<Actor> = fc.oneof(
  hostileText.filter((t) => t !== '').map((id) => ({ type: 'principal', id }) as Actor),
  hostileText.filter((t) => t !== '').map((component) => ({ type: 'system', component }) as Actor),
);
const anyTime = fc.oneof(
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0.5, 8.64e15 + 1),
) as fc.Arbitrary<Timestamp>;

describe('CSV cell writers', () => {
  it('property: any stored records and built-in columns: exactly csvRecord(toRow(...)) per record', () => {
    fc.assert(
      fc.property(records, columns, (rs, cols) => {
        expect(chunked(rs, cols)).toBe(expected(rs, cols));
      }),
      { numRuns: 200 },
    );
  });

  it('property: hostile actors, statuses and times: cached and shortcut cells equal the escaped value', () => {
    const record = fc.record({
      decidedBy: fc.option(hostileActor, { nil: null }),
      requestedBy: hostileActor,
      status: fc.constantFrom('succeeded', 'pending', 'notAStatus'),
      source: fc.constantFrom('manualDeviceAction', '=evil', 'a,b'),
      createdAt: anyTime,
      decidedAt: fc.option(anyTime, { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (fields) => {
        const rs = fields.map((f) => actionRecord(f as Partial<ActionRecord>));
        const cols = COLUMN_IDS.map((id): ActionColumn<string> => ACTION_COLUMNS[id]);
        expect(chunked(rs, cols)).toBe(expected(rs, cols));
      }),
      { numRuns: 200 },
    );
  });

  it('property: hostile ids and comments (null, absent from stored data, needing quotes or the guard): read from the record as the columns read them', () => {
    const optional = fc.oneof(hostileText, fc.constant(null), fc.constant(undefined));
    const record = fc.record({
      id: hostileText.filter((t) => t !== ''),
      investigationId: optional,
      approvalId: optional,
      undoOf: optional,
      incidentId: optional,
      alertId: optional,
      requestComment: optional,
      decisionComment: optional,
      completedAt: fc.option(anyTime, { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 20 }), (fields) => {
        const rs = fields.map((f) => actionRecord(f as unknown as Partial<ActionRecord>));
        const cols = COLUMN_IDS.map((id): ActionColumn<string> => ACTION_COLUMNS[id]);
        expect(chunked(rs, cols)).toBe(expected(rs, cols));
      }),
      { numRuns: 200 },
    );
  });

  it('property: rows of any width (custom columns, 1 to 40, fused in groups of eight) are csvRecord(toRow(...))', () => {
    const customColumns = fc
      .array(hostileText, { minLength: 1, maxLength: 40 })
      .map((texts) =>
        texts.map((t, i): ActionColumn<string> => ({ id: `c${i}`, header: `C${i}`, value: (a) => `${t}${a.id}` })),
      );
    fc.assert(
      fc.property(records, customColumns, (rs, cols) => {
        expect(chunked(rs, cols)).toBe(expected(rs, cols));
      }),
      { numRuns: 100 },
    );
  });

  it('text caches that stop paying (thousands of distinct comments and ids) stop caching and still write the same text', () => {
    const texts = ['=1+1', 'a,b', 'say "hi"', 'plain', ''];
    // Distinct values first (the cache gives up), then values that repeat, hostile ones among them.
    const rs = Array.from({ length: 3000 }, (_, i) =>
      actionRecord({
        investigationId: (i < 1500 ? `inv-${i}` : `inv-${i % 3}`) as ActionRecord['investigationId'],
        requestComment: i < 1500 ? `${texts[i % texts.length]!}${i}` : texts[i % texts.length]!,
        decisionComment: i % 7 === 0 ? `-${i % 2}` : null,
      }),
    );
    const cols = (['investigationId', 'comment', 'asset'] as const).map(
      (id): ActionColumn<string> => ACTION_COLUMNS[id],
    );
    expect(chunked(rs, cols)).toBe(expected(rs, cols));
  });

  it('a custom column with a built-in id is rendered by its own value, not the built-in shortcut', () => {
    const shouting: ActionColumn<string> = {
      id: 'status',
      header: 'Status',
      value: (a) => `=${a.status.toUpperCase()}`,
    };
    const rs = [actionRecord({ status: 'succeeded' }), actionRecord({ status: 'succeeded' })];
    expect(chunked(rs, [shouting])).toBe("Status\r\n'=SUCCEEDED\r\n'=SUCCEEDED\r\n");
  });
});
