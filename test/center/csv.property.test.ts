import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog, type ActionId, type ActionRecord } from '../../src/index.js';
import { asId } from '../../src/adapter-kit.js';
import { COLUMN_IDS, ACTION_COLUMNS, toRow, type ColumnContext } from '../../src/center/columns.js';
import { collectCsv, csvCell, csvRecord, exportCsv } from '../../src/center/csv.js';
import { actionRecord, fileTarget } from '../support/records.js';

const context: ColumnContext = { catalog: builtInCatalog };
const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false, record_delimiter: '\r\n' });

const FORMULA_STARTS = ['=', '+', '-', '@', '\t', '\r'];
// A trigger (or its fullwidth, small or minus-sign form) after characters an importer may trim.
const TRIGGER_AFTER_INVISIBLE = /^[\p{White_Space}\p{Cc}\p{Cf}\p{Z}]*[=+\-@＝＋－＠﹦﹢﹣−⁺₊⁼₌]/u;
const startsLikeFormula = (text: string) =>
  FORMULA_STARTS.some((c) => text.startsWith(c)) || TRIGGER_AFTER_INVISIBLE.test(text);
/** What a cell reads as after export: the text, with `'` in front exactly when it starts like a formula. */
const neutralised = (text: string): string => (startsLikeFormula(text) ? `'${text}` : text);

// Any code point, plus strings made mostly of the characters CSV and spreadsheets treat specially.
const cellText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: fc.constantFrom(
      ...'",\r\n=+-@\t\' a'.split(''),
      '\u200b',
      '\ufeff',
      '\u00a0',
      '\u000b',
      '\u0000',
      '＝',
      '－',
    ),
  }),
  fc.string({ unit: 'grapheme-ascii' }),
);

const table = fc
  .integer({ min: 1, max: 8 })
  .chain((columns) =>
    fc.array(fc.array(cellText, { minLength: columns, maxLength: columns }), { minLength: 1, maxLength: 12 }),
  );

describe('CSV round trip (property)', () => {
  it('a real CSV parser reads back every row, each cell neutralised exactly when it starts like a formula', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map(csvRecord).join('');
        expect(parseCsv(text)).toEqual(rows.map((row) => row.map(neutralised)));
      }),
      { numRuns: 500 },
    );
  });

  it('records end with CRLF, and every line break outside quotes is a CRLF', () => {
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map(csvRecord).join('');
        expect(text.endsWith('\r\n')).toBe(true);
        // Outside quoted fields, the only line breaks are the record terminators.
        const outside = text.replace(/"(?:[^"]|"")*"/g, '');
        expect(outside.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
        expect(outside.match(/\r\n/g)?.length).toBe(rows.length);
      }),
    );
  });

  it('no exported cell starts like a formula once a spreadsheet reads it', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const [[read]] = parseCsv(csvRecord([text])) as [[string]];
        expect(startsLikeFormula(read)).toBe(false);
        expect(read).toBe(neutralised(text));
      }),
    );
  });

  it('a cell is quoted exactly when it holds a comma, a quote, a CR or an LF', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const cell = csvCell(text);
        expect(cell.startsWith('"') && cell.endsWith('"') && cell.length >= 2).toBe(/[",\r\n]/.test(text));
      }),
    );
  });
});

/** A complete stored action whose free-text fields are chosen by the test. */
function action(n: number, comment: string, deviceName: string): ActionRecord {
  return actionRecord({
    id: asId<ActionId>(`act-${n}`),
    actionType: n % 2 === 0 ? 'quarantineFile' : 'releaseFromQuarantine',
    target: fileTarget({ deviceId: `dev-${n}`, deviceName, deviceGroup: 'G' }),
    requestComment: comment,
    createdAt: n * 1000,
    updatedAt: n * 1000,
  });
}

describe('exportCsv (property)', () => {
  const exportCase = fc.record({
    texts: fc.array(
      fc.tuple(
        cellText,
        cellText.filter((s) => s.length > 0),
      ),
      { maxLength: 30 },
    ),
    columnIds: fc.shuffledSubarray([...COLUMN_IDS], { minLength: 1 }),
    chunkSize: fc.integer({ min: 1, max: 3000 }),
  });

  it('any chunk size: chunks join to header + one record per action, bounded, and parse back to the rows', async () => {
    await fc.assert(
      fc.asyncProperty(exportCase, async ({ texts, columnIds, chunkSize }) => {
        const columns = columnIds.map((id) => ACTION_COLUMNS[id]);
        const source = texts.map(([comment, device], n) => action(n, comment, device));
        const header = csvRecord(columns.map((c) => c.header));
        const records = source.map((a) => csvRecord(toRow(a, columns, context)));

        const chunks: string[] = [];
        for await (const chunk of exportCsv(source, { columns, context, chunkSize })) chunks.push(chunk);

        expect(chunks.join('')).toBe(header + records.join(''));
        expect(chunks.join('')).toBe(await collectCsv(exportCsv(source, { columns, context, chunkSize: 65_536 })));
        const longest = Math.max(header.length, ...records.map((r) => r.length));
        for (const chunk of chunks) expect(chunk.length).toBeLessThan(chunkSize + longest);
        expect(parseCsv(chunks.join(''))).toEqual([
          columns.map((c) => neutralised(c.header)),
          ...source.map((a) => toRow(a, columns, context).map(neutralised)),
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
