/**
 * Per-column CSV cell writers, resolved once per export: the export's hot loop calls one function
 * per cell and gets the finished field (rendered, neutralised, quoted). A built-in column whose cell
 * depends on one small set of stored values (status, source, workload, action type, actors) keeps
 * the finished fields of the values it has seen, so a million-row export escapes each label once;
 * the time columns skip the cell function when the text starts with a digit (an ISO 8601 time or a
 * number never holds a delimiter, quote or line break). Every writer renders through the column's
 * own `value`, so the text is exactly `csvCell(column.value(action, context))`.
 *
 * @module
 */
import type { ActionRecord, Actor } from '../catalog/records.js';
import { csvCell } from './csv-cell.js';
import { ACTION_COLUMNS, type ActionColumn, type ColumnContext, type ColumnId } from './columns.js';

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

/** A time column: ISO text (or a number) starting with a digit needs no neutralising or quoting. */
function timeWriter(column: ActionColumn<string>, context: ColumnContext): CsvWriter {
  const value = column.value;
  return (a) => {
    const text = value(a, context);
    const c = text.charCodeAt(0);
    return c >= 48 && c <= 57 ? text : csvCell(text);
  };
}

function builtInWriter(id: ColumnId, column: ActionColumn<string>, context: ColumnContext): CsvWriter | null {
  switch (id) {
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
    case 'createdAt':
    case 'decidedAt':
    case 'completedAt':
      return timeWriter(column, context);
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
