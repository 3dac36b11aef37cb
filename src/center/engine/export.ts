/**
 * Export: the filtered view of what the principal may export, streamed as CSV chunks that never
 * throw; unreadable actions are left out and named, a store failure ends the stream early, and
 * `completion` says which.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionRecord } from '../../catalog/records.js';
import type { InvalidInputError } from '../../errors.js';
import { ActionCenterException, err, ok, safeParseInput, type Result } from '../../result.js';
import { resolveQuery, type ActionPage, type ResolvedQuery } from '../../rules/query.js';
import { DEFAULT_COLUMNS, selectColumns, type ActionColumn } from '../columns.js';
import { CsvChunker, type CsvExport, type CsvExportError, type CsvExportReport } from '../csv.js';
import type { CorruptRecordError, QueryError } from '../ports.js';
import { narrowAwaiting } from './approvals.js';
import { safely, type EngineContext } from './context.js';
import type { ReadError } from './results.js';
import { reader } from './views.js';
import { AbortSignalSchema, signalAborted } from './progress.js';
import type { AbortedError } from '../errors.js';

const SignalInputSchema = z.object({ signal: AbortSignalSchema.optional() });

/** The `exportCsv` operation. */
export async function exportView(
  ctx: EngineContext,
  input: {
    readonly principal?: unknown;
    readonly query?: unknown;
    readonly columns?: unknown;
    readonly signal?: unknown;
  },
): Promise<Result<CsvExport, ReadError>> {
  const signalInput = safeParseInput(SignalInputSchema, { signal: input.signal }, 'export input');
  if (!signalInput.ok) return signalInput;
  const signal = signalInput.value.signal;
  const who = reader(ctx, input.principal, 'export');
  if (!who.ok) return who;
  const resolved = resolveQuery(input.query ?? {}, who.value.now, ctx.labels());
  if (!resolved.ok) return resolved;
  const filter = narrowAwaiting(ctx, who.value.principal, resolved.value.filter);
  if (!filter.ok) return filter;
  // The export holds no row outside the exporter's scope.
  const query: ResolvedQuery = { ...resolved.value, filter: { ...filter.value, scope: who.value.scope } };
  const columns: Result<readonly ActionColumn[], InvalidInputError> =
    input.columns === undefined ? ok(DEFAULT_COLUMNS) : selectColumns(input.columns);
  if (!columns.ok) return columns;
  const paged: ResolvedQuery = { ...query, page: { size: EXPORT_PAGE, cursor: null, index: 0 } };
  // The first page is read here: a store that refuses the query (too broad for its sort) refuses
  // the export as a whole, before any chunk; any other failure ends the stream (see `completion`).
  // Aborted already: the stream ends at once with `aborted`, and the store is not asked.
  if (signal !== undefined && signalAborted(signal)) return ok(csvExport(ctx, paged, columns.value, null, signal));
  const first = await safely(() => ctx.repository.query(paged));
  if (!first.ok && first.error.code === 'queryTooBroad') return first;
  return ok(csvExport(ctx, paged, columns.value, first, signal));
}

/**
 * How many actions the export reads per page of the store: more than the engine's sweeps (each page
 * costs the store a seek, a million-row export a thousand of them at 1,000), few enough that a page
 * stays a few MiB (bounded memory).
 */
export const EXPORT_PAGE = 5000;

function csvExport(
  ctx: EngineContext,
  query: ResolvedQuery,
  columns: readonly ActionColumn[],
  first: Result<ActionPage, QueryError> | null,
  signal: AbortSignal | undefined,
): CsvExport {
  // Read before each page and each chunk: once aborted, no chunk more (issue 17).
  const abortedNow = (): AbortedError | null =>
    signal !== undefined && signalAborted(signal)
      ? {
          code: 'aborted',
          message: 'The CSV export was aborted: the chunks so far are a truncated CSV',
          operation: 'exportCsv',
          phase: 'reading',
        }
      : null;
  const skipped: CorruptRecordError[] = [];
  let failure: CsvExportError | null = null;
  let settle: (r: Result<CsvExportReport, CsvExportError>) => void = () => undefined;
  const completion = new Promise<Result<CsvExportReport, CsvExportError>>((resolve) => (settle = resolve));
  // One await per page of the store, none per row: each page is formatted synchronously into
  // chunks, and a chunk is handed on as soon as it is full (bounded memory).
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    const pages = exportPages(ctx, query, skipped, first);
    let out: CsvChunker | null = null;
    try {
      out = new CsvChunker({ columns, context: { catalog: ctx.catalog } });
      if ((failure = abortedNow()) !== null) return;
      if (out.full()) yield out.take();
      reading: for (;;) {
        if ((failure = abortedNow()) !== null) break;
        let next: IteratorResult<readonly ActionRecord[], void>;
        try {
          next = await pages.next();
        } catch (cause) {
          // The store failed: the rows so far still make a valid (truncated) CSV.
          failure = storeFailure(cause);
          break;
        }
        if (next.done === true) break;
        const page = next.value;
        for (let i = 0; i < page.length; i++) {
          if (!out.append(page[i]!)) continue;
          if ((failure = abortedNow()) !== null) break reading;
          yield out.take();
        }
      }
      // A store failure still hands on the rows so far; an abort hands on nothing more.
      if (failure === null) failure = abortedNow();
      if (failure?.code !== 'aborted' && out.pending()) yield out.take();
    } catch (cause) {
      // Cannot happen with the library's columns; if it does (a bug), the stream ends and completion says why.
      failure ??= {
        code: 'internalError',
        message: cause instanceof Error ? cause.message : String(cause),
        operation: 'exportCsv',
        component: 'unexpected',
      };
    } finally {
      // Stopped early (`break`): the rows counted are those of the chunks handed on.
      settle(failure === null ? ok({ rows: out?.rows ?? 0, skipped }) : err(failure));
      await pages.return(undefined).catch(() => undefined);
    }
  }
  const stream = chunks();
  return { [Symbol.asyncIterator]: () => stream, completion };
}

/**
 * Every action of the query, {@link EXPORT_PAGE} at a time (as the engine's `pagesOf`, with the
 * export's page size); unreadable ones the store skipped go to `skipped`. A store failure is thrown
 * as an {@link ActionCenterException} carrying the store's error.
 */
async function* exportPages(
  ctx: EngineContext,
  query: ResolvedQuery,
  skipped: CorruptRecordError[],
  first: Result<ActionPage, QueryError> | null,
): AsyncGenerator<readonly ActionRecord[], void, undefined> {
  let cursor: string | null = null;
  for (;;) {
    const page: Result<ActionPage, QueryError> =
      cursor === null
        ? (first ?? (await safely(() => ctx.repository.query(query))))
        : await safely(() => ctx.repository.query({ ...query, page: { size: EXPORT_PAGE, cursor, index: 0 } }));
    if (!page.ok) throw new ActionCenterException(page.error);
    for (const s of page.value.skipped ?? []) skipped.push(s);
    if (page.value.items.length > 0) yield page.value.items;
    // A cursor that does not move would page for ever (a broken store): stop.
    if (page.value.nextCursor === null || page.value.nextCursor === cursor) return;
    cursor = page.value.nextCursor;
  }
}

function storeFailure(cause: unknown): CsvExportError {
  if (!(cause instanceof ActionCenterException)) {
    return { code: 'repositoryUnavailable', message: cause instanceof Error ? cause.message : String(cause) };
  }
  // A store's error as it gave it: refused after the first page (`queryTooBroad`: more matches
  // arrived while exporting), the export cannot go on, and completion says so, typed.
  return cause.error as QueryError;
}
