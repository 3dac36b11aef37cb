/**
 * The columns of the Pending and History views and of the CSV export, as data: an id users choose
 * columns by, the header the product shows, and how a cell is rendered from an action.
 *
 * Cells are display text (display names, labels, ISO 8601 times), not stored ids: an export is read
 * by people and spreadsheets. Sorting and filtering work on stored values instead (rules/query.ts).
 *
 * @module
 */
import * as z from 'zod';
import type { Catalog } from '../catalog/catalog.js';
import type { ActionRecord, ActionStatus, Actor, Timestamp } from '../catalog/records.js';
import { ACTION_SOURCES, type ActionSource } from '../catalog/sources.js';
import { assetOf, type Workload } from '../catalog/targets.js';
import type { InvalidInputError } from '../errors.js';
import { ok, safeParseInput, type Result } from '../result.js';
import { approvalProgressText } from '../rules/approval/approvals.js';
import type { SortLabels } from '../rules/query.js';

/**
 * What a column needs besides the action: the catalogue that holds the display names.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { type ColumnContext } from 'actioncenter/adapter-kit';
 * const context: ColumnContext = { catalog: builtInCatalog };
 * ```
 */
export interface ColumnContext {
  /** The catalogue whose display names the Action type column shows. */
  readonly catalog: Catalog;
}

/**
 * The ids of every built-in column, in the product's order (DESIGN.md, Views), then the extra
 * `workload`, `undoOf`, `incidentId`, `alertId` and `requestedBy` columns, and the notes columns
 * `notes` and `lastNote` (issue 16). Every one but the notes columns ({@link NOTE_COLUMN_IDS}) can
 * be sorted (`SORT_COLUMNS` holds the same ids).
 *
 * @example
 * ```ts
 * import { COLUMN_IDS } from 'actioncenter';
 * COLUMN_IDS.includes('decidedBy'); // true
 * ```
 */
export const COLUMN_IDS = [
  'id',
  'investigationId',
  'approvalId',
  'actionType',
  'asset',
  'source',
  'status',
  'decidedBy',
  'comment',
  'createdAt',
  'decidedAt',
  'completedAt',
  'workload',
  'undoOf',
  'incidentId',
  'alertId',
  'requestedBy',
  // Issue 16: notes, in the export and the list's columns (not sortable: NOTE_COLUMN_IDS).
  'notes',
  'lastNote',
  // Issue 16: N-of-M approvals, "1 of 2" (not sortable: a text of two numbers).
  'approvals',
] as const;

/**
 * The columns of notes (issue 16): `notes`, how many notes an action has, and `lastNote`, the text
 * of the last one. They are shown and exported, but not sorted by: every other id of
 * {@link COLUMN_IDS} is a sort column too.
 *
 * @example
 * ```ts
 * import { NOTE_COLUMN_IDS } from 'actioncenter/adapter-kit';
 * NOTE_COLUMN_IDS; // ['notes', 'lastNote']
 * ```
 */
export const NOTE_COLUMN_IDS = Object.freeze(['notes', 'lastNote'] as const);

/**
 * Schema of a {@link ColumnId}: how users name the columns they want.
 *
 * @example
 * ```ts
 * import { ColumnIdSchema } from 'actioncenter/adapter-kit';
 * ColumnIdSchema.safeParse('asset').success; // true
 * ColumnIdSchema.safeParse('Asset').success; // false: ids, not headers
 * ```
 */
export const ColumnIdSchema = z.enum(COLUMN_IDS);
/**
 * One of {@link COLUMN_IDS}.
 *
 * @example
 * ```ts
 * import type { ColumnId } from 'actioncenter';
 * const c: ColumnId = 'actionType';
 * ```
 */
export type ColumnId = z.infer<typeof ColumnIdSchema>;

/**
 * A column: its id, its header as the product shows it, and how to render its cell. Your own
 * columns (any `id`) can be exported next to the built-in ones.
 *
 * @example
 * ```ts
 * import type { ActionColumn } from 'actioncenter/adapter-kit';
 * const version: ActionColumn<'version'> = { id: 'version', header: 'Version', value: (a) => String(a.version) };
 * ```
 */
export interface ActionColumn<Id extends string = ColumnId> {
  /** The column's id (`actionType`, `asset`, ...), as `selectColumns` takes it. */
  readonly id: Id;
  /** The column header, as the product shows it. */
  readonly header: string;
  /** The cell text for one action (never null: absent values are the empty string). */
  readonly value: (action: ActionRecord, context: ColumnContext) => string;
}

/**
 * The human label of every {@link ActionStatus}, as the Status column shows it. `succeeded` reads
 * "Completed", as the product's History tab says.
 *
 * @example
 * ```ts
 * import { STATUS_LABELS } from 'actioncenter/adapter-kit';
 * STATUS_LABELS.timedOut; // 'Timed out'
 * ```
 */
export const STATUS_LABELS: { readonly [S in ActionStatus]: string } = Object.freeze({
  pending: 'Pending',
  approved: 'Approved',
  running: 'Running',
  succeeded: 'Completed',
  failed: 'Failed',
  timedOut: 'Timed out',
  rejected: 'Rejected',
  expired: 'Expired',
  cancelled: 'Cancelled',
  undoing: 'Undoing',
  undone: 'Undone',
  undoFailed: 'Undo failed',
});

/**
 * The human label of every {@link Workload}, as the Workload column shows it.
 *
 * @example
 * ```ts
 * import { WORKLOAD_LABELS } from 'actioncenter/adapter-kit';
 * WORKLOAD_LABELS.email; // 'Email & collaboration'
 * ```
 */
export const WORKLOAD_LABELS: { readonly [W in Workload]: string } = Object.freeze({
  endpoint: 'Devices',
  email: 'Email & collaboration',
  identity: 'Identities',
});

/**
 * How an actor reads in the "Decided by" column: a principal's id, or `Automation (<component>)`
 * for the system, so that an automatic approval and the expiry sweep stay apart in an audit export.
 *
 * @example
 * ```ts
 * import { actorLabel, asId, type PrincipalId } from 'actioncenter/adapter-kit';
 * actorLabel({ type: 'principal', id: asId<PrincipalId>('alice@contoso.com') }); // 'alice@contoso.com'
 * actorLabel({ type: 'system', component: 'expiry' }); // 'Automation (expiry)'
 * ```
 */
export function actorLabel(actor: Actor): string {
  return actor.type === 'principal' ? actor.id : `Automation (${actor.component})`;
}

// Stored data may come from a newer version of the library: unknown ids render as themselves.
const sourceLabels: Readonly<Record<string, ActionSource | undefined>> = ACTION_SOURCES;
const statusLabels: Readonly<Record<string, string | undefined>> = STATUS_LABELS;
const workloadLabels: Readonly<Record<string, string | undefined>> = WORKLOAD_LABELS;

// Display names per catalogue, so that a million-row export does not allocate a Result per cell.
const displayNameCache = new WeakMap<Catalog, Map<string, string>>();

function displayNameOf(catalog: Catalog, actionType: string): string {
  let names = displayNameCache.get(catalog);
  if (names === undefined) {
    names = new Map(catalog.types.map((t) => [t.id, t.displayName]));
    displayNameCache.set(catalog, names);
  }
  return names.get(actionType) ?? actionType;
}

// `toISOString` throws for dates out of range: one bad stored value must not abort a whole export.
const MAX_DATE_MS = 8.64e15;
const MINUTE_MS = 60_000;
const PREFIX_SLOTS = 256;
const YEAR_10000_MS = 253_402_300_800_000;
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
// The end of a time, "SS." and "mmmZ", so that a time is its minute's prefix plus two table entries.
const SECONDS_DOT = Array.from({ length: 60 }, (_, i) => `${String(i).padStart(2, '0')}.`);
const MILLIS_Z = Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(3, '0')}Z`);

/**
 * A time formatter with caches of its own (one per time column of an export, so that columns do
 * not evict each other's minutes): ISO 8601 in UTC, exactly `toISOString` (the number itself out of
 * the Date range, empty for null), as the time columns render; then, only for text off the fast
 * path (null, out of 1970-9999, fractional), `slow` of it. A CSV writer passes the cell function as
 * `slow`: the fast path's text starts with a digit and needs no escaping, and looking at its first
 * character would flatten the concatenation (a copy per cell).
 *
 * @example
 * ```ts
 * import { isoTimeFormatter } from './columns.js';
 * const iso = isoTimeFormatter((t) => t);
 * iso(Date.UTC(2026, 0, 1)); // '2026-01-01T00:00:00.000Z'
 * iso(null); // ''
 * ```
 */
export function isoTimeFormatter(slow: (text: string) => string): (ms: Timestamp | null) => string {
  return isoTimes(slow);
}

/**
 * A time formatter for one column: ISO 8601 in UTC, exactly `toISOString` (the number itself out of
 * the Date range, empty for null). Fast path (issue 14: `toISOString` was a quarter of a million-row
 * export): whole milliseconds from 1970 to 9999, as the prefix "YYYY-MM-DDTHH:MM:" of the last
 * minute formatted (an export's rows mostly run through minutes in order; each column keeps its
 * own, so two time columns of a row do not evict each other's) plus two table entries.
 */
function isoTimes(slow: (text: string) => string = same): (ms: Timestamp | null) => string {
  // Prefixes of recent minutes, direct-mapped: times that are not in order (completion times) still hit.
  const minutes = new Float64Array(PREFIX_SLOTS).fill(-1);
  const prefixes = new Array<string>(PREFIX_SLOTS).fill('');
  let cachedDay = -1;
  let cachedDate = '';
  return (ms) => {
    if (ms === null) return slow('');
    if (Number.isInteger(ms) && ms >= 0 && ms < YEAR_10000_MS) {
      const minute = Math.floor(ms / MINUTE_MS);
      const slot = minute & (PREFIX_SLOTS - 1);
      if (minutes[slot] !== minute) {
        const day = Math.floor(minute / 1440);
        if (day !== cachedDay) {
          cachedDate = new Date(day * 86_400_000).toISOString().slice(0, 11);
          cachedDay = day;
        }
        const ofDay = minute - day * 1440;
        const hours = Math.floor(ofDay / 60);
        prefixes[slot] = `${cachedDate}${TWO_DIGITS[hours]!}:${TWO_DIGITS[ofDay - hours * 60]!}:`;
        minutes[slot] = minute;
      }
      const rest = ms - minute * MINUTE_MS;
      const seconds = Math.floor(rest / 1000);
      return prefixes[slot]! + SECONDS_DOT[seconds]! + MILLIS_Z[rest - seconds * 1000]!;
    }
    return slow(ms >= -MAX_DATE_MS && ms <= MAX_DATE_MS ? new Date(ms).toISOString() : String(ms));
  };
}

const same = (text: string): string => text;

const createdTime = isoTimes();
const decidedTime = isoTimes();
const completedTime = isoTimes();

/**
 * Every built-in column, keyed by id. Times are ISO 8601 in UTC (`2026-11-23T09:00:00.000Z`);
 * absent values (no investigation, not decided yet, ...) are empty cells.
 *
 * @example
 * ```ts
 * import { builtInCatalog, parseActionRequest, unwrap, type ActionId } from 'actioncenter';
 * import { ACTION_COLUMNS, createActionRecord, asId, DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Temp\\evil.exe' },
 *   parameters: {}, source: 'manualDeviceAction', requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }));
 * const { action } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: builtInCatalog.require('quarantineFile'), approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * ACTION_COLUMNS.actionType.header; // 'Action type'
 * ACTION_COLUMNS.actionType.value(action, { catalog: builtInCatalog }); // 'Quarantine file'
 * ```
 */
export const ACTION_COLUMNS: { readonly [K in ColumnId]: ActionColumn<K> } = Object.freeze({
  id: { id: 'id', header: 'Action ID', value: (a) => a.id },
  investigationId: { id: 'investigationId', header: 'Investigation ID', value: (a) => a.investigationId ?? '' },
  approvalId: { id: 'approvalId', header: 'Approval ID', value: (a) => a.approvalId ?? '' },
  actionType: { id: 'actionType', header: 'Action type', value: (a, c) => displayNameOf(c.catalog, a.actionType) },
  asset: { id: 'asset', header: 'Asset', value: (a) => assetOf(a.target) },
  source: { id: 'source', header: 'Action source', value: (a) => sourceLabels[a.source]?.label ?? a.source },
  status: { id: 'status', header: 'Status', value: (a) => statusLabels[a.status] ?? a.status },
  decidedBy: {
    id: 'decidedBy',
    header: 'Decided by',
    value: (a) => (a.decidedBy === null ? '' : actorLabel(a.decidedBy)),
  },
  // The decision's comment says why it was decided; before a decision, the request's comment is all there is.
  comment: { id: 'comment', header: 'Comment', value: (a) => a.decisionComment ?? a.requestComment ?? '' },
  createdAt: { id: 'createdAt', header: 'Created', value: (a) => createdTime(a.createdAt) },
  decidedAt: { id: 'decidedAt', header: 'Decided', value: (a) => decidedTime(a.decidedAt) },
  completedAt: { id: 'completedAt', header: 'Completed', value: (a) => completedTime(a.completedAt) },
  workload: { id: 'workload', header: 'Workload', value: (a) => workloadLabels[a.workload] ?? a.workload },
  undoOf: { id: 'undoOf', header: 'Undo of', value: (a) => a.undoOf ?? '' },
  incidentId: { id: 'incidentId', header: 'Incident ID', value: (a) => a.incidentId ?? '' },
  alertId: { id: 'alertId', header: 'Alert ID', value: (a) => a.alertId ?? '' },
  // Who asked for it: a person's id, or the system component (`Automation (<component>)`).
  requestedBy: { id: 'requestedBy', header: 'Requested by', value: (a) => actorLabel(a.requestedBy) },
  // Issue 16: the count of notes and the last note's text (records stored before notes: 0 and empty).
  notes: { id: 'notes', header: 'Notes', value: (a) => String(a.noteCount ?? 0) },
  lastNote: { id: 'lastNote', header: 'Last note', value: (a) => a.lastNote?.text ?? '' },
  // Issue 16: "1 of 2" while an action waits for more approvals (empty when one is needed and none listed).
  approvals: { id: 'approvals', header: 'Approvals', value: (a) => approvalProgressText(a) },
});

/**
 * The labels the views show for stored ids, as `resolveQuery` takes them so that a view sorts by
 * what it shows (seed 002): the catalogue's display names (custom types included), the source,
 * status and workload labels.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { sortLabels } from 'actioncenter/adapter-kit';
 * sortLabels(builtInCatalog).status?.['succeeded']; // 'Completed'
 * sortLabels(builtInCatalog).actionType?.['quarantineFile']; // 'Quarantine file'
 * ```
 */
export function sortLabels(catalog: Catalog): SortLabels {
  return {
    actionType: Object.fromEntries(catalog.types.map((t) => [t.id, t.displayName])),
    source: Object.fromEntries(Object.entries(ACTION_SOURCES).map(([id, s]) => [id, s.label])),
    status: { ...STATUS_LABELS },
    workload: { ...WORKLOAD_LABELS },
  };
}

/**
 * The columns a view and an export show when none are chosen: the twelve DESIGN.md lists, in the
 * product's order.
 *
 * @example
 * ```ts
 * import { DEFAULT_COLUMNS } from 'actioncenter';
 * DEFAULT_COLUMNS.map((c) => c.header); // ['Action ID', 'Investigation ID', ..., 'Completed']
 * ```
 */
export const DEFAULT_COLUMNS: readonly ActionColumn[] = Object.freeze(
  (
    [
      'id',
      'investigationId',
      'approvalId',
      'actionType',
      'asset',
      'source',
      'status',
      'decidedBy',
      'comment',
      'createdAt',
      'decidedAt',
      'completedAt',
    ] as const satisfies readonly ColumnId[]
  ).map((id): ActionColumn => ACTION_COLUMNS[id]),
);

const ColumnSelectionSchema = z
  .array(ColumnIdSchema)
  .min(1, 'choose at least one column')
  .superRefine((ids, ctx) => {
    const seen = new Set<ColumnId>();
    for (const [index, id] of ids.entries()) {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [index], message: `column "${id}" is chosen twice` });
      seen.add(id);
    }
  });

/**
 * Turns column ids chosen by a user into columns, in the order given. Refuses, with an
 * `invalidInput` error, anything but a non-empty array of known ids without duplicates.
 *
 * @example
 * ```ts
 * import { selectColumns } from 'actioncenter/adapter-kit';
 * const r = selectColumns(['actionType', 'asset', 'status']);
 * if (r.ok) r.value.map((c) => c.header); // ['Action type', 'Asset', 'Status']
 * selectColumns(['asset', 'asset']).ok; // false
 * ```
 */
export function selectColumns(ids: unknown): Result<readonly ActionColumn[], InvalidInputError> {
  const parsed = safeParseInput(ColumnSelectionSchema, ids, 'columns');
  if (!parsed.ok) return parsed;
  return ok(Object.freeze(parsed.value.map((id): ActionColumn => ACTION_COLUMNS[id])));
}

/**
 * The cells of one action, one per column, in the columns' order.
 *
 * @example
 * ```ts
 * import { DEFAULT_COLUMNS, builtInCatalog, parseActionRequest, unwrap, type ActionId } from 'actioncenter';
 * import { toRow, createActionRecord, asId, DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', target: { kind: 'file', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations', path: 'C:\\Temp\\evil.exe' },
 *   parameters: {}, source: 'manualDeviceAction', requestedBy: { type: 'principal', id: 'alice@contoso.com' },
 * }));
 * const { action } = createActionRecord(request, {
 *   id: asId<ActionId>('act-1'), now: Date.UTC(2026, 0, 1), status: 'pending',
 *   actionType: builtInCatalog.require('quarantineFile'), approvalId: null, pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
 * });
 * toRow(action, DEFAULT_COLUMNS, { catalog: builtInCatalog }); // ['act-1', '', '', 'Quarantine file', 'LAPTOP-1', ...]
 * ```
 */
export function toRow(
  action: ActionRecord,
  columns: readonly ActionColumn<string>[],
  context: ColumnContext,
): string[] {
  const row = new Array<string>(columns.length);
  for (let i = 0; i < columns.length; i++) row[i] = columns[i]!.value(action, context);
  return row;
}
