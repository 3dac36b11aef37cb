/**
 * Per-column CSV cell writers, resolved once per export: the export's hot loop calls one function
 * per cell and gets the finished field (rendered, neutralised, quoted). A built-in column whose cell
 * depends on one small set of stored values (status, source, workload, action type, actors) keeps
 * the finished fields of the values it has seen, so a million-row export escapes each label once;
 * the time columns skip the cell function on their fast path (an ISO 8601 time from 1970 to 9999
 * never needs the guard or quotes); id, asset and comment columns read their field directly and
 * cache their fields by text while most texts repeat (comments do, action ids do not). The
 * text is exactly `csvCell(column.value(action, context))` (the property tests check), and the row
 * is one fused function ({@link csvRowWriter}).
 *
 * @module
 */
import type { ActionRecord, Actor } from '../catalog/records.js';
import { assetOf } from '../catalog/targets.js';
import { csvCell } from './csv-cell.js';
import { ACTION_COLUMNS, isoTimeFormatter, type ActionColumn, type ColumnContext, type ColumnId } from './columns.js';

/**
 * The finished CSV field of one column for one action.
 *
 * @example
 * ```ts
 * import type { CsvWriter } from './csv-writers.js';
 * const idCell: CsvWriter = (a) => a.id;
 * ```
 */
export type CsvWriter = (action: ActionRecord) => string;

// The caches hold labels and actor names: few per store, but bounded in case a store holds many.
const MAX_CACHED = 4096;

/** The field of a cell that depends on one string of the record only, cached per value. */
function cachedBy(column: ActionColumn<string>, context: ColumnContext, key: (a: ActionRecord) => string): CsvWriter {
  const cells = new Map<string, string>();
  // The last value first: consecutive rows often share a status, source or type (no hashing then).
  let lastKey: string | undefined;
  let lastCell = '';
  return (a) => {
    const k = key(a);
    if (k === lastKey) return lastCell;
    let cell = cells.get(k);
    if (cell === undefined) {
      cell = csvCell(column.value(a, context));
      if (cells.size >= MAX_CACHED) cells.clear();
      cells.set(k, cell);
    }
    lastKey = k;
    lastCell = cell;
    return cell;
  };
}

/** The field of an actor column (`actor` may be null: an empty cell), cached per principal or component. */
function actorWriter(column: ActionColumn<string>, context: ColumnContext, actor: (a: ActionRecord) => Actor | null) {
  const principals = new Map<string, string>();
  const components = new Map<string, string>();
  return (a: ActionRecord): string => {
    const who = actor(a);
    if (who === null) return csvCell(column.value(a, context));
    const cells = who.type === 'principal' ? principals : components;
    const k = who.type === 'principal' ? who.id : who.component;
    let cell = cells.get(k);
    if (cell === undefined) {
      cell = csvCell(column.value(a, context));
      if (cells.size >= MAX_CACHED) cells.clear();
      cells.set(k, cell);
    }
    return cell;
  };
}

// How many lookups a text cache gets to show that it pays: more misses than half of them (mostly
// distinct values: ids, assets) and it stops caching.
const TRIAL = 1024;

/**
 * The field of a text read from the record (null or absent: an empty cell), cached by the text while
 * caching pays: the last text first (neighbouring rows often share an investigation), then a map.
 */
function textWriter(field: (a: ActionRecord) => string | null | undefined): CsvWriter {
  let cells: Map<string, string> | null = new Map<string, string>();
  let lastKey = '';
  let lastCell = '';
  let lookups = 0;
  let misses = 0;
  return (a) => {
    const text = field(a);
    if (text === null || text === undefined) return '';
    if (text === lastKey) return lastCell;
    if (cells === null) return csvCell(text);
    let cell = cells.get(text);
    if (cell === undefined) {
      cell = csvCell(text);
      misses += 1;
      if (cells.size >= MAX_CACHED) cells.clear();
      cells.set(text, cell);
    }
    lookups += 1;
    if (lookups === TRIAL && misses > TRIAL / 2) cells = null;
    lastKey = text;
    lastCell = cell;
    return cell;
  };
}

function builtInWriter(id: ColumnId, column: ActionColumn<string>, context: ColumnContext): CsvWriter | null {
  // Read straight from the record where the column's value is a field (no call through `value`,
  // whose call site, shared by every column, V8 cannot inline): the same text, as the property test checks.
  switch (id) {
    case 'id':
      return (a) => csvCell(a.id);
    case 'investigationId':
      return textWriter((a) => a.investigationId);
    case 'approvalId':
      return textWriter((a) => a.approvalId);
    case 'undoOf':
      return textWriter((a) => a.undoOf);
    case 'incidentId':
      return textWriter((a) => a.incidentId);
    case 'alertId':
      return textWriter((a) => a.alertId);
    case 'asset':
      return textWriter((a) => assetOf(a.target));
    case 'comment':
      return textWriter((a) => a.decisionComment ?? a.requestComment);
    case 'status':
      return cachedBy(column, context, (a) => a.status);
    case 'source':
      return cachedBy(column, context, (a) => a.source);
    case 'workload':
      return cachedBy(column, context, (a) => a.workload);
    case 'actionType':
      return cachedBy(column, context, (a) => a.actionType);
    case 'decidedBy':
      return actorWriter(column, context, (a) => a.decidedBy);
    case 'requestedBy':
      return actorWriter(column, context, (a) => a.requestedBy);
    // The column's own formatter, with caches of this export's own (ACTION_COLUMNS' formats the same text);
    // its fast path's text starts with a digit (no escaping), anything else goes through the cell function.
    case 'createdAt': {
      const iso = isoTimeFormatter(csvCell);
      return (a) => iso(a.createdAt);
    }
    case 'decidedAt': {
      const iso = isoTimeFormatter(csvCell);
      return (a) => iso(a.decidedAt);
    }
    case 'completedAt': {
      const iso = isoTimeFormatter(csvCell);
      return (a) => iso(a.completedAt);
    }
    default:
      return null;
  }
}

/**
 * One writer per column, in order: a specialised one for a built-in column (the very object of
 * `ACTION_COLUMNS`), else `csvCell` of the column's value.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { DEFAULT_COLUMNS } from './columns.js';
 * import { csvWriters } from './csv-writers.js';
 * const writers = csvWriters(DEFAULT_COLUMNS, { catalog: builtInCatalog });
 * writers.length === DEFAULT_COLUMNS.length; // true
 * ```
 */
export function csvWriters(columns: readonly ActionColumn<string>[], context: ColumnContext): CsvWriter[] {
  return columns.map((column) => {
    const builtIn = (ACTION_COLUMNS as Readonly<Record<string, ActionColumn<string> | undefined>>)[column.id];
    const special = builtIn === column ? builtInWriter(column.id as ColumnId, column, context) : null;
    if (special !== null) return special;
    const value = column.value;
    return (a: ActionRecord) => csvCell(value(a, context));
  });
}

/**
 * The whole record of one action, CRLF included, for rows of two or more columns: the writers
 * called from one function per row width up to eight (each call site sees one writer, so V8 can
 * inline it; a loop over the writers calls them all from one site), wider rows in groups of eight.
 * Empty writers give an empty record (`\r\n`).
 *
 * @example
 * ```ts
 * import { csvRowWriter } from './csv-writers.js';
 * const row = csvRowWriter([(a) => a.id, (a) => a.status]);
 * // row(action) === `${action.id},${action.status}\r\n`
 * ```
 */
export function csvRowWriter(writers: readonly CsvWriter[]): CsvWriter {
  return joined(writers, ',', '\r\n');
}

/** The writers' cells joined by `sep`, then `end`; more than eight writers in groups of eight, joined again. */
function joined(ws: readonly CsvWriter[], sep: string, end: string): CsvWriter {
  if (ws.length <= 8) return lineOf(ws, sep, end);
  const groups: CsvWriter[] = [];
  for (let i = 0; i < ws.length; i += 8) groups.push(lineOf(ws.slice(i, i + 8), sep, i + 8 >= ws.length ? end : sep));
  return joined(groups, '', '');
}

/** The writers' cells joined by `sep`, then `end`: one function literal per width (monomorphic call sites). */
function lineOf(ws: readonly CsvWriter[], sep: string, end: string): CsvWriter {
  const [w0, w1, w2, w3, w4, w5, w6, w7] = ws as [
    CsvWriter,
    CsvWriter,
    CsvWriter,
    CsvWriter,
    CsvWriter,
    CsvWriter,
    CsvWriter,
    CsvWriter,
  ];
  switch (ws.length) {
    case 0:
      return () => end;
    case 1:
      return (a) => w0(a) + end;
    case 2:
      return (a) => w0(a) + sep + w1(a) + end;
    case 3:
      return (a) => w0(a) + sep + w1(a) + sep + w2(a) + end;
    case 4:
      return (a) => w0(a) + sep + w1(a) + sep + w2(a) + sep + w3(a) + end;
    case 5:
      return (a) => w0(a) + sep + w1(a) + sep + w2(a) + sep + w3(a) + sep + w4(a) + end;
    case 6:
      return (a) => w0(a) + sep + w1(a) + sep + w2(a) + sep + w3(a) + sep + w4(a) + sep + w5(a) + end;
    case 7:
      return (a) => w0(a) + sep + w1(a) + sep + w2(a) + sep + w3(a) + sep + w4(a) + sep + w5(a) + sep + w6(a) + end;
    default:
      return (a) =>
        w0(a) + sep + w1(a) + sep + w2(a) + sep + w3(a) + sep + w4(a) + sep + w5(a) + sep + w6(a) + sep + w7(a) + end;
  }
}
