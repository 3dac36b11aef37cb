/**
 * Export: the filtered view of what the principal may export, streamed as CSV chunks that never
 * throw; unreadable actions are left out and named, a store failure ends the stream early, and
 * `completion` says which.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import type { InvalidInputError } from '../../errors.js';
import { ActionCenterException, err, ok, type Result } from '../../result.js';
import { resolveQuery, type ResolvedQuery } from '../../rules/query.js';
import { DEFAULT_COLUMNS, selectColumns, type ActionColumn } from '../columns.js';
import { exportCsv as csvChunks, type CsvExport, type CsvExportError, type CsvExportReport } from '../csv.js';
import type { CorruptRecordError, RepositoryError } from '../ports.js';
import { PAGE, pageAll, type EngineContext } from './context.js';
import type { ReadError } from './results.js';
import { readScopeOf } from './views.js';
import { safeParseInput } from '../../result.js';
import { PrincipalSchema } from '../../rules/principals.js';
import { readClock } from '../clock-reading.js';

/** The `exportCsv` operation. */
export async function exportView(
  ctx: EngineContext,
  input: { readonly principal?: unknown; readonly query?: unknown; readonly columns?: unknown },
): Promise<Result<CsvExport, ReadError>> {
  const principal = safeParseInput(PrincipalSchema, input.principal, 'principal');
  if (!principal.ok) return principal;
  const scope = readScopeOf(ctx, principal.value, 'export');
  if (!scope.ok) return scope;
  const now = readClock(ctx.clock);
  if (!now.ok) return now;
  const resolved = resolveQuery(input.query ?? {}, now.value, ctx.labels());
  if (!resolved.ok) return resolved;
  // The export holds no row outside the exporter's scope.
  const query: ResolvedQuery = { ...resolved.value, filter: { ...resolved.value.filter, scope: scope.value } };
  const columns: Result<readonly ActionColumn[], InvalidInputError> =
    input.columns === undefined ? ok(DEFAULT_COLUMNS) : selectColumns(input.columns);
  if (!columns.ok) return columns;
  return ok(csvExport(ctx, { ...query, page: { size: PAGE, cursor: null, index: 0 } }, columns.value));
}

function csvExport(ctx: EngineContext, query: ResolvedQuery, columns: readonly ActionColumn[]): CsvExport {
  const skipped: CorruptRecordError[] = [];
  let rows = 0;
  let failure: CsvExportError | null = null;
  let settle: (r: Result<CsvExportReport, CsvExportError>) => void = () => undefined;
  const completion = new Promise<Result<CsvExportReport, CsvExportError>>((resolve) => (settle = resolve));
  async function* source(): AsyncGenerator<ActionRecord, void, undefined> {
    try {
      for await (const action of pageAll(ctx, query, skipped)) {
        rows += 1;
        yield action;
      }
    } catch (cause) {
      failure =
        cause instanceof ActionCenterException
          ? (cause.error as RepositoryError)
          : { code: 'repositoryUnavailable', message: cause instanceof Error ? cause.message : String(cause) };
    }
  }
  async function* chunks(): AsyncGenerator<string, void, undefined> {
    try {
      yield* csvChunks(source(), { columns, context: { catalog: ctx.catalog } });
    } catch (cause) {
      // Cannot happen with the library's columns; if it does (a bug), the stream ends and completion says why.
      failure ??= {
        code: 'internalError',
        message: cause instanceof Error ? cause.message : String(cause),
        operation: 'exportCsv',
        component: 'unexpected',
      };
    } finally {
      settle(failure === null ? ok({ rows, skipped }) : err(failure));
    }
  }
  const stream = chunks();
  return { [Symbol.asyncIterator]: () => stream, completion };
}
