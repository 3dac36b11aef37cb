/**
 * Rows sent to PostgreSQL as parallel column arrays, one array literal parameter per column, read
 * back with `unnest($1::text[], $2::integer[], ...)`. Measured on PostgreSQL 15 (issue 14), for
 * 10,000 actions: `json_to_recordset` over one JSON array spent 400-750 ms parsing it (the nested
 * record re-read per field), `unnest` of text arrays with the record cast to JSONB 36 ms.
 *
 * @module
 */
import { type ActionRow } from './rows.js';
import { jsonbCannotHold } from './text.js';

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/**
 * A PostgreSQL array literal of texts (each quoted, `"` and `\` escaped) and numbers; null is NULL.
 * Sent as one text parameter and cast (`$1::text[]`, `$2::bigint[]`): `pg` and PGlite pass a
 * string through unchanged, whatever they do with JavaScript arrays.
 *
 * @example
 * ```ts
 * import { arrayLiteral } from './row-arrays.js';
 * arrayLiteral(['a', null, 'b"c']); // '{"a",NULL,"b\\"c"}'
 * arrayLiteral([1, null]); // '{1,NULL}'
 * ```
 */
export function arrayLiteral(values: readonly (string | number | null)[]): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    parts[i] =
      v === null
        ? 'NULL'
        : typeof v === 'number'
          ? String(v)
          : `"${NEEDS_ESCAPE.test(v) ? v.replace(ESCAPED, '\\$&') : v}"`;
  }
  return `{${parts.join(',')}}`;
}

/**
 * JSON documents (from `JSON.stringify`, which never writes a raw line feed, and never an empty
 * string) one per line, null as an empty line: split in SQL by {@link LINES}. The documents are
 * most of a batch's bytes, and an array literal would escape every quote in them (half of a bulk
 * load's JavaScript time at 10,000 records per batch).
 *
 * @example
 * ```ts
 * import { documentLines } from './row-arrays.js';
 * documentLines(['{"a":1}', null, '{}']); // '{"a":1}\n\n{}'
 * ```
 */
export function documentLines(values: readonly (string | null)[]): string {
  return values.map((v) => v ?? '').join('\n');
}

/**
 * The SQL that reads {@link documentLines}' parameter `$i` as a `text[]`: an empty line is NULL.
 * (A batch whose documents are all null may yield fewer elements: `unnest` pads with NULL.)
 */
const LINES = (i: number) => `string_to_array($${i}::text, E'\\n', '')`;

/** The columns of the actions table the writes set, with their types, in parameter order. */
const ACTION_COLUMNS = [
  ['id', 'text'],
  ['version', 'integer'],
  ['action_type', 'text'],
  ['workload', 'text'],
  ['source', 'text'],
  ['status', 'text'],
  ['asset', 'text'],
  ['investigation_id', 'text'],
  ['approval_id', 'text'],
  ['decided_by', 'text'],
  ['created_at', 'bigint'],
  ['decided_at', 'bigint'],
  ['completed_at', 'bigint'],
  ['updated_at', 'bigint'],
  ['open_key', 'text'],
  ['device_group', 'text'],
  ['incident_id', 'text'],
  ['alert_id', 'text'],
  ['requested_by', 'text'],
  ['comment', 'text'],
  ['undo_of', 'text'],
  ['due_at', 'bigint'],
] as const satisfies readonly (readonly [keyof ActionRow, string])[];

/** The column list of an INSERT or UPDATE of actions (the typed columns, then the document). */
export const ACTION_COLUMN_LIST = [...ACTION_COLUMNS.map(([c]) => c), 'record', 'record_text'].join(', ');

/** Action rows as column arrays; `expected` is each row's expected stored version (updates). */
export interface ActionArrays {
  readonly count: number;
  /** One array literal per column of {@link ACTION_COLUMNS}, record and record_text as {@link documentLines}, expected. */
  readonly params: readonly string[];
}

/** One action to write: its typed columns, its record document as JSON text, its expected version. */
export interface ActionRowInput {
  readonly row: ActionRow;
  readonly document: string;
  readonly expected: number | null;
}

/**
 * Action rows as column arrays (each document goes to `record` as JSONB, or to `record_text` when
 * JSONB cannot hold it).
 *
 * @example
 * ```ts
 * import { actionArrays } from './row-arrays.js';
 * actionArrays([]).count; // 0
 * ```
 */
export function actionArrays(rows: readonly ActionRowInput[]): ActionArrays {
  const names: readonly (keyof ActionRow)[] = ACTION_COLUMNS.map(([c]) => c);
  const columns = names.map(() => new Array<string | number | null>(rows.length));
  const record = new Array<string | null>(rows.length);
  const recordText = new Array<string | null>(rows.length);
  const expected = new Array<number | null>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const input = rows[i] as ActionRowInput;
    for (let c = 0; c < names.length; c++)
      (columns[c] as (string | number | null)[])[i] = input.row[names[c] as keyof ActionRow];
    const text = jsonbCannotHold(input.document);
    record[i] = text ? null : input.document;
    recordText[i] = text ? input.document : null;
    expected[i] = input.expected;
  }
  return {
    count: rows.length,
    params: [...columns.map(arrayLiteral), documentLines(record), documentLines(recordText), arrayLiteral(expected)],
  };
}

/**
 * `unnest(...) AS alias(...)` over {@link actionArrays}' parameters, from placeholder `$first`:
 * the typed columns, `record` (JSON text, cast by the caller), `record_text`, `expected`.
 *
 * @example
 * ```ts
 * import { actionUnnest } from './row-arrays.js';
 * actionUnnest(1, 'w'); // 'unnest($1::text[], $2::integer[], ...) AS w(id, version, ...)'
 * ```
 */
export function actionUnnest(first: number, alias: string): string {
  const types = [...ACTION_COLUMNS.map(([, t]) => t), 'lines', 'lines', 'integer'];
  const names = [...ACTION_COLUMNS.map(([c]) => c), 'record', 'record_text', 'expected'];
  return unnest(first, types, alias, names);
}

/** The select list of the columns of {@link ACTION_COLUMN_LIST} from {@link actionUnnest}'s alias. */
export function actionValues(alias: string): string {
  return [...ACTION_COLUMNS.map(([c]) => `${alias}.${c}`), `${alias}.record::jsonb`, `${alias}.record_text`].join(', ');
}

/** How many parameters {@link actionArrays} makes. */
export const ACTION_PARAMS = ACTION_COLUMNS.length + 3;

/** One audit event to write: its key columns and its document as JSON text. */
export interface EventRowInput {
  readonly action_id: string;
  readonly sequence: number;
  readonly id: string;
  readonly type: string;
  readonly at: number;
  readonly document: string;
}

/**
 * Audit event rows as column arrays: action_id, sequence, id, type, at, then event (JSON text) and
 * event_text as {@link documentLines}.
 *
 * @example
 * ```ts
 * import { eventArrays } from './row-arrays.js';
 * eventArrays([]).length; // 7
 * ```
 */
export function eventArrays(rows: readonly EventRowInput[]): readonly string[] {
  const event = rows.map((r) => (jsonbCannotHold(r.document) ? null : r.document));
  return [
    arrayLiteral(rows.map((r) => r.action_id)),
    arrayLiteral(rows.map((r) => r.sequence)),
    arrayLiteral(rows.map((r) => r.id)),
    arrayLiteral(rows.map((r) => r.type)),
    arrayLiteral(rows.map((r) => r.at)),
    documentLines(event),
    documentLines(rows.map((r, i) => (event[i] === null ? r.document : null))),
  ];
}

/**
 * `unnest(...) AS alias(...)` over {@link eventArrays}' parameters, from placeholder `$first`; with
 * `ordinality`, `WITH ORDINALITY` and a last column `ord` (1, 2, ...: each event's place in the arrays).
 */
export function eventUnnest(first: number, alias: string, ordinality = false): string {
  const types = ['text', 'integer', 'text', 'text', 'bigint', 'lines', 'lines'];
  const names = ['action_id', 'sequence', 'id', 'type', 'at', 'event', 'event_text'];
  const plain = unnest(first, types, alias, names);
  return ordinality
    ? plain.replace(`) AS ${alias}(`, `) WITH ORDINALITY AS ${alias}(`).replace(/\)$/, ', ord)')
    : plain;
}

/** `unnest` of parameters from `$first`: array literals cast to `type[]`, or documents by line. */
function unnest(first: number, types: readonly string[], alias: string, names: readonly string[]): string {
  const arrays = types.map((t, i) => (t === 'lines' ? LINES(first + i) : `$${first + i}::${t}[]`));
  return `unnest(${arrays.join(', ')}) AS ${alias}(${names.join(', ')})`;
}
