/**
 * CSV export of the views: RFC 4180 text, safe to open in a spreadsheet, streamed in chunks so that
 * a million actions export in bounded memory.
 *
 * Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula
 * (and tab or carriage return can hide such a start). Asset names, comments and URLs come from
 * attackers as often as not, so, following OWASP's CSV injection guidance, every such cell gets a
 * leading `'`, which spreadsheets read as "this is text". That includes text that looks like a
 * negative number (`-5` exports as `'-5`): a cell cannot tell a number from `-2+3`, and OWASP
 * recommends neutralising both.
 *
 * @module
 */
import type { ActionRecord } from '../catalog/records.js';
import type { InternalError } from '../errors.js';
import type { AbortedError } from './errors.js';
import type { Result } from '../result.js';
import type { ActionColumn, ColumnContext } from './columns.js';
import type { CorruptRecordError, QueryError } from './ports.js';
import { csvRowWriter, csvWriters, type CsvWriter } from './csv-writers.js';

import { csvCell } from './csv-cell.js';

export { csvCell };

/**
 * One CSV record: the cells through {@link csvCell}, joined by commas, ended by CRLF. A record of
 * one empty cell is written `""` so that it cannot be mistaken for (or skipped as) a blank line.
 *
 * @example
 * ```ts
 * import { csvRecord } from 'actioncenter/adapter-kit';
 * csvRecord(['Action ID', 'Asset']); // 'Action ID,Asset\r\n'
 * csvRecord(['a,b', '@SUM(1)']); // '"a,b",\'@SUM(1)\r\n'
 * ```
 */
export function csvRecord(cells: readonly string[]): string {
  const n = cells.length;
  if (n === 1 && cells[0] === '') return '""\r\n';
  let line = '';
  for (let i = 0; i < n; i++) {
    if (i > 0) line += ',';
    line += csvCell(cells[i]!);
  }
  return line + '\r\n';
}

/**
 * Options of {@link exportCsv}.
 *
 * @example
 * ```ts
 * import { DEFAULT_COLUMNS, builtInCatalog } from 'actioncenter';
 * import { type ExportCsvOptions } from 'actioncenter/adapter-kit';
 * const options: ExportCsvOptions = { columns: DEFAULT_COLUMNS, context: { catalog: builtInCatalog }, chunkSize: 16 * 1024 };
 * ```
 */
export interface ExportCsvOptions {
  /** The columns, in order; their headers make the first record. */
  readonly columns: readonly ActionColumn<string>[];
  /** What the columns need to render a cell (the catalogue). */
  readonly context: ColumnContext;
  /**
   * Roughly how many characters each chunk holds (default 64 KiB). A chunk is yielded as soon as
   * it reaches this size, so no chunk is longer than `chunkSize` plus one record. Values below 1
   * mean one record per chunk.
   */
  readonly chunkSize?: number;
  /** Start with a UTF-8 byte order mark, so that Excel reads non-ASCII text right (default false). */
  readonly bom?: boolean;
}

/**
 * The default {@link ExportCsvOptions.chunkSize}: 64 KiB of characters.
 *
 * @example
 * ```ts
 * import { DEFAULT_CSV_CHUNK_SIZE } from 'actioncenter/adapter-kit';
 * DEFAULT_CSV_CHUNK_SIZE; // 65536
 * ```
 */
export const DEFAULT_CSV_CHUNK_SIZE = 64 * 1024;

function isSyncIterable<T>(rows: AsyncIterable<T> | Iterable<T>): rows is Iterable<T> {
  return typeof (rows as Partial<Iterable<T>>)[Symbol.iterator] === 'function';
}

/**
 * Formats records into chunks of about `chunkSize` characters, synchronously: the hot loop of
 * every export. The header record starts the first chunk. After each {@link CsvChunker.append}
 * that answers true the chunk is full: take it with {@link CsvChunker.take}. Columns and the chunk
 * size are resolved once, here, not per row.
 *
 * @example
 * ```ts
 * import { CsvChunker } from './csv.js';
 * // const out = new CsvChunker({ columns, context });
 * // for (const action of page) if (out.append(action)) write(out.take());
 * // if (out.pending()) write(out.take());
 * ```
 */
export class CsvChunker {
  private chunk: string;
  private readonly chunkSize: number;
  private readonly writers: readonly CsvWriter[];
  private readonly row: CsvWriter;
  /** Records appended so far (the header not counted). */
  rows = 0;

  constructor(options: ExportCsvOptions) {
    const requested = options.chunkSize ?? DEFAULT_CSV_CHUNK_SIZE;
    this.chunkSize = Number.isNaN(requested) ? DEFAULT_CSV_CHUNK_SIZE : Math.max(1, requested);
    this.writers = csvWriters(options.columns, options.context);
    this.row = csvRowWriter(this.writers);
    this.chunk = (options.bom === true ? '\uFEFF' : '') + csvRecord(options.columns.map((c) => c.header));
  }

  /** Whether the chunk has reached the chunk size (the header alone may fill the first). */
  full(): boolean {
    return this.chunk.length >= this.chunkSize;
  }

  /** Whether anything is waiting to be taken. */
  pending(): boolean {
    return this.chunk.length > 0;
  }

  /** The chunk so far, emptied. */
  take(): string {
    const chunk = this.chunk;
    this.chunk = '';
    return chunk;
  }

  /** Appends one record; true when the chunk is now full. */
  append(action: ActionRecord): boolean {
    // The record is built straight into the chunk (no per-row array), by one function for the row.
    const writers = this.writers;
    const n = writers.length;
    if (n === 1) {
      const cell = writers[0]!(action);
      this.chunk += cell === '' ? '""\r\n' : cell + '\r\n';
    } else if (n === 0) {
      // No columns, no cells: still one (empty) record per action, so row counts survive.
      this.chunk += '\r\n';
    } else {
      this.chunk += this.row(action);
    }
    this.rows += 1;
    return this.chunk.length >= this.chunkSize;
  }
}

/**
 * Streams actions as CSV: a header record, then one record per action, in chunks of about
 * `chunkSize` characters. The source is read lazily, one chunk ahead at most, so memory stays
 * bounded however many actions there are; stopping early (`break`) closes the source.
 *
 * @example
 * ```ts
 * import {
 *   exportCsv,
 *   DEFAULT_COLUMNS,
 *   builtInCatalog,
 *   parseActionRequest,
 *   unwrap,
 *   type ActionId,
 * } from 'actioncenter';
 * import { createActionRecord, asId, DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
 * import { createWriteStream } from 'node:fs';
 * import { once } from 'node:events';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Temp\\evil.exe' },
 *   parameters: {}, source: 'manualDeviceAction', requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }));
 * const { action } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: builtInCatalog.require('quarantineFile'), approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * const actions = [action]; // any Iterable or AsyncIterable of records, e.g. pages read from a repository
 * const out = createWriteStream(join(tmpdir(), 'actions.csv'));
 * for await (const chunk of exportCsv(actions, { columns: DEFAULT_COLUMNS, context: { catalog: builtInCatalog } })) {
 *   if (!out.write(chunk)) await once(out, 'drain');
 * }
 * out.end();
 * await once(out, 'finish');
 * ```
 */
export async function* exportCsv(
  rows: AsyncIterable<ActionRecord> | Iterable<ActionRecord>,
  options: ExportCsvOptions,
): AsyncGenerator<string, void, undefined> {
  const out = new CsvChunker(options);
  if (out.full()) yield out.take();
  if (isSyncIterable(rows)) {
    // A sync source is read without an await per row (for-await would add a promise tick each).
    for (const action of rows) if (out.append(action)) yield out.take();
  } else {
    for await (const action of rows) if (out.append(action)) yield out.take();
  }
  if (out.pending()) yield out.take();
}

/**
 * Joins a stream of CSV chunks into one string: for small exports and tests. Large exports should
 * write chunks out as they come instead.
 *
 * @example
 * ```ts
 * import { collectCsv, exportCsv, DEFAULT_COLUMNS, builtInCatalog } from 'actioncenter';
 * const csv = await collectCsv(exportCsv([], { columns: DEFAULT_COLUMNS, context: { catalog: builtInCatalog } }));
 * csv.startsWith('Action ID,Investigation ID,'); // true
 * ```
 */
export async function collectCsv(chunks: AsyncIterable<string> | Iterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

/**
 * What a finished {@link CsvExport} exported: the number of action rows, and the stored actions it
 * left out because they could not be read (each named, with why).
 *
 * @example
 * ```ts
 * import type { CsvExportReport } from 'actioncenter/adapter-kit';
 * const note = (r: CsvExportReport) => `${r.rows} rows${r.skipped.length > 0 ? `, ${r.skipped.length} unreadable left out` : ''}`;
 * ```
 */
export interface CsvExportReport {
  /** How many action rows were written (the header not counted). */
  readonly rows: number;
  /** The stored actions left out because they could not be read, each with why. */
  readonly skipped: readonly CorruptRecordError[];
}

/**
 * Why a {@link CsvExport} ended before the last action: the store failed (the connection was lost, or
 * a store that cannot skip unreadable rows refused a page), the store refused a later page as too
 * broad to sort (`queryTooBroad`: more actions matched while exporting), the export's `signal`
 * aborted (`aborted`, issue 17), or a bug.
 *
 * @example
 * ```ts
 * import type { CsvExportError } from 'actioncenter/adapter-kit';
 * const retry = (e: CsvExportError) => e.code === 'repositoryUnavailable';
 * ```
 */
export type CsvExportError = QueryError | InternalError | AbortedError;

/**
 * The CSV export of a view (`center.exportCsv`): an async iterable of chunks, as before, that never
 * throws, plus `completion`, the typed channel for what went wrong. The simple case stays simple:
 * iterate, write the chunks, then check `completion`. An unreadable stored action is left out of the
 * CSV and named in the report's `skipped`; a store failure ends the stream early (the chunks so far
 * are a valid but truncated CSV) and `completion` is `ok: false` with the error. `completion` settles
 * when the iteration ends (finished, failed, or stopped with `break`) and never rejects. Iterate it
 * once.
 *
 * @example
 * ```ts
 * import { createActionCenter } from 'actioncenter';
 * const center = createActionCenter();
 * const r = await center.exportCsv({ principal: { id: 'ga', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] } });
 * if (r.ok) {
 *   let csv = '';
 *   for await (const chunk of r.value) csv += chunk;
 *   const done = await r.value.completion;
 *   if (!done.ok) console.error('export cut short:', done.error.message);
 *   else if (done.value.skipped.length > 0) console.warn('left out:', done.value.skipped.map((s) => s.actionId));
 * }
 * ```
 */
export interface CsvExport extends AsyncIterable<string> {
  /** Settles when the iteration ends: the report, or the error that cut the export short. Never rejects. */
  readonly completion: Promise<Result<CsvExportReport, CsvExportError>>;
}
