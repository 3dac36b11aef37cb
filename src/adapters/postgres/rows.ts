/**
 * Actions and audit events as rows, and back. Reads trust nothing: the record is parsed again with
 * the core's schemas, and the typed columns must agree with it, so a row edited by hand into an
 * invalid or inconsistent state is reported as `corruptRecord` instead of crashing or being served.
 *
 * @module
 */
import {
  err,
  ok,
  type ActionId,
  type ActionRecord,
  type ActionStatus,
  type AuditEvent,
  type InputIssue,
  type Result,
} from 'actioncenter';
import {
  ActionIdSchema,
  ActionRecordSchema,
  AuditEventSchema,
  actorKey,
  assetOf,
  deviceOf,
  dueAtOf,
  toInputIssues,
  type CorruptRecordError,
  type InvestigationSummary,
} from 'actioncenter/adapter-kit';
import { columnText, jsonbCannotHold, originalText } from './text.js';

/** The typed columns of an action row (text in column form). */
export interface ActionRow {
  readonly id: string;
  readonly version: number;
  readonly action_type: string;
  readonly workload: string;
  readonly source: string;
  readonly status: string;
  readonly asset: string;
  readonly investigation_id: string | null;
  readonly approval_id: string | null;
  readonly decided_by: string | null;
  readonly created_at: number;
  readonly decided_at: number | null;
  readonly completed_at: number | null;
  readonly updated_at: number;
  readonly open_key: string | null;
  /** The incident and alert references (schema version 3; null on rows stored before). */
  readonly incident_id: string | null;
  readonly alert_id: string | null;
  /** `actorKey` of the requester: the "Requested by" filter and sort (schema version 3). */
  readonly requested_by: string | null;
  /** The comment the Comment column shows (the decision's, else the request's): its sort (schema version 3). */
  readonly comment: string | null;
  /** The action this one undoes: the "Undo of" sort (schema version 3). */
  readonly undo_of: string | null;
  /** The device group of the target's device, null for targets on no device (the read scope filters on it). */
  readonly device_group: string | null;
  /** `dueAtOf` the record: when a sweep must look at it (schema version 5; the `due` query's index). */
  readonly due_at: number | null;
}

/** The typed columns a read compares with the record (open_key is not compared: it is the source of openKey). */
const CHECKED_COLUMNS = [
  'id',
  'version',
  'action_type',
  'workload',
  'source',
  'status',
  'asset',
  'investigation_id',
  'approval_id',
  'decided_by',
  'created_at',
  'decided_at',
  'completed_at',
  'updated_at',
  'incident_id',
  'alert_id',
  'requested_by',
  'comment',
  'undo_of',
  'device_group',
  'due_at',
] as const satisfies readonly (keyof ActionRow)[];

const TIME_COLUMNS = new Set<string>(['created_at', 'decided_at', 'completed_at', 'updated_at', 'due_at']);

/**
 * The select list of an action row, for the table alias `a`: times as float8 (exact below 2^53,
 * and a number in both `pg` and PGlite, where bigint would be a string in one of them).
 */
export const ACTION_SELECT =
  CHECKED_COLUMNS.map((c) => (TIME_COLUMNS.has(c) ? `a.${c}::float8 AS ${c}` : `a.${c}`)).join(', ') +
  ', a.open_key, a.record, a.record_text';

const nullableText = (value: string | null) => (value === null ? null : columnText(value));

/**
 * The typed columns of an action.
 *
 * @example
 * ```ts
 * import { actionRow } from './rows.js';
 * // actionRow(action).asset === columnText(assetOf(action.target))
 * ```
 */
export function actionRow(action: ActionRecord): ActionRow {
  return {
    id: columnText(action.id),
    version: action.version,
    action_type: columnText(action.actionType),
    workload: columnText(action.workload),
    source: columnText(action.source),
    status: columnText(action.status),
    asset: columnText(assetOf(action.target)),
    investigation_id: nullableText(action.investigationId),
    approval_id: nullableText(action.approvalId),
    decided_by: action.decidedBy === null ? null : columnText(actorKey(action.decidedBy)),
    created_at: action.createdAt,
    decided_at: action.decidedAt,
    completed_at: action.completedAt,
    updated_at: action.updatedAt,
    open_key: nullableText(action.openKey),
    incident_id: nullableText(action.incidentId),
    alert_id: nullableText(action.alertId),
    requested_by: columnText(actorKey(action.requestedBy)),
    comment: nullableText(action.decisionComment ?? action.requestComment),
    undo_of: nullableText(action.undoOf),
    device_group: nullableText(deviceOf(action.target)?.deviceGroup ?? null),
    due_at: dueAtOf(action),
  };
}

/**
 * A document (record or audit event) as stored: JSONB when it can hold it, else JSON text.
 *
 * @example
 * ```ts
 * import { storedDocument } from './rows.js';
 * storedDocument({ a: 1 }); // { json: { a: 1 }, text: null }
 * storedDocument({ a: 'x\u0000' }).text; // '{"a":"x\\u0000"}'
 * ```
 */
export function storedDocument(value: object): { readonly json: object | null; readonly text: string | null } {
  const text = JSON.stringify(value);
  return jsonbCannotHold(text) ? { json: null, text } : { json: value, text: null };
}

/** The record as stored in `record`: every field but openKey. */
export function recordDocument(action: ActionRecord): object {
  const { openKey: _openKey, ...rest } = action;
  return rest;
}

/**
 * A stored document: the JSONB column (parsed by `pg` and PGlite, unless a client was told not to
 * parse JSON) or else the JSON text column.
 */
function documentOf(json: unknown, text: unknown): Result<unknown, InputIssue> {
  const source = json ?? text;
  if (typeof source !== 'string')
    return source === null || source === undefined
      ? err({ path: [], code: 'missing', message: 'no document stored' })
      : ok(source);
  try {
    return ok(JSON.parse(source) as unknown);
  } catch (cause) {
    return err({ path: [], code: 'invalid_json', message: cause instanceof Error ? cause.message : String(cause) });
  }
}

/** The id a corrupt row is reported under: the id column, read back as the action id it stores. */
function idOfRow(row: Record<string, unknown>, column: string): string {
  const id = row[column];
  return typeof id === 'string' ? originalText(id) : String(id);
}

function corrupt(actionId: string, what: string, issues: readonly InputIssue[]): CorruptRecordError {
  const shown = issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`)
    .join('; ');
  return {
    code: 'corruptRecord',
    message: `The stored ${what} of action ${JSON.stringify(actionId)} is not valid: ${shown}${issues.length > 3 ? `; and ${issues.length - 3} more` : ''}`,
    actionId,
    issues,
  };
}

/**
 * Reads an action from a row selected with {@link ACTION_SELECT}: the record parsed with
 * `ActionRecordSchema`, and every typed column checked against it.
 *
 * @example
 * ```ts
 * import { actionFromRow } from './rows.js';
 * // const r = actionFromRow(result.rows[0]); if (!r.ok) r.error.code === 'corruptRecord'
 * ```
 */
export function actionFromRow(row: Record<string, unknown>): Result<ActionRecord, CorruptRecordError> {
  const id = idOfRow(row, 'id');
  const json = documentOf(row['record'], row['record_text']);
  if (!json.ok) return err(corrupt(id, 'record', [json.error]));
  const openKey = row['open_key'];
  const document =
    typeof json.value === 'object' && json.value !== null && !Array.isArray(json.value) ? json.value : {};
  const parsed = ActionRecordSchema.safeParse({
    ...document,
    openKey: typeof openKey === 'string' ? originalText(openKey) : openKey,
  });
  if (!parsed.success) return err(corrupt(id, 'record', toInputIssues(parsed.error.issues)));
  const record = parsed.data;
  const expected = actionRow(record);
  const mismatches: InputIssue[] = [];
  for (const column of CHECKED_COLUMNS) {
    const stored = row[column] ?? null;
    if (stored !== expected[column]) {
      mismatches.push({
        path: [column],
        code: 'column_mismatch',
        message: `column ${column} holds ${JSON.stringify(stored)}, the record says ${JSON.stringify(expected[column])}`,
      });
    }
  }
  if (mismatches.length > 0) return err(corrupt(id, 'row', mismatches));
  return ok(record);
}

/** The select list of an audit event row, for the table alias `e`. */
export const EVENT_SELECT = 'e.action_id, e.sequence, e.id, e.event, e.event_text';

/**
 * Reads an audit event from a row selected with {@link EVENT_SELECT}: parsed with
 * `AuditEventSchema`, and checked against its key columns.
 *
 * @example
 * ```ts
 * import { eventFromRow } from './rows.js';
 * // const r = eventFromRow(result.rows[0]);
 * ```
 */
export function eventFromRow(row: Record<string, unknown>): Result<AuditEvent, CorruptRecordError> {
  const actionId = idOfRow(row, 'action_id');
  const json = documentOf(row['event'], row['event_text']);
  if (!json.ok) return err(corrupt(actionId, 'audit event', [json.error]));
  const parsed = AuditEventSchema.safeParse(json.value);
  if (!parsed.success)
    return err(corrupt(actionId, `audit event ${String(row['sequence'])}`, toInputIssues(parsed.error.issues)));
  const event = parsed.data;
  const expected: Record<string, unknown> = {
    action_id: columnText(event.actionId),
    sequence: event.sequence,
    id: columnText(event.id),
  };
  const mismatches: InputIssue[] = [];
  for (const column of ['action_id', 'sequence', 'id'] as const) {
    if (row[column] !== expected[column]) {
      mismatches.push({
        path: [column],
        code: 'column_mismatch',
        message: `column ${column} holds ${JSON.stringify(row[column])}, the event says ${JSON.stringify(expected[column])}`,
      });
    }
  }
  if (mismatches.length > 0) return err(corrupt(actionId, `audit event ${String(row['sequence'])}`, mismatches));
  return ok(event);
}

/**
 * Reads the action ids an idempotency key was claimed for (stored as column text).
 *
 * @example
 * ```ts
 * import { claimedIds } from './rows.js';
 * // claimedIds('req-1', row['action_ids'])
 * ```
 */
export function claimedIds(key: string, value: unknown): Result<readonly ActionId[], CorruptRecordError> {
  const json = documentOf(value, null);
  const parsed = json.ok
    ? ActionIdSchema.array().safeParse(
        Array.isArray(json.value) ? json.value.map((v) => (typeof v === 'string' ? originalText(v) : v)) : json.value,
      )
    : null;
  if (parsed === null || !parsed.success) {
    const issues =
      parsed === null
        ? [json.ok ? { path: [], code: 'invalid_json', message: 'not JSON' } : json.error]
        : toInputIssues(parsed.error.issues);
    return err({
      code: 'corruptRecord',
      message: `The stored action ids of idempotency key ${JSON.stringify(key)} are not valid: ${issues[0]?.message ?? 'unknown'}`,
      actionId: key,
      issues,
    });
  }
  return ok(parsed.data);
}

/** A group of `investigationsQuery`'s rows: its cells summed by status and by action type, in id order. */
export function investigationOfRow(row: Record<string, unknown>): InvestigationSummary {
  const byStatus = new Map<string, number>();
  const byType = new Map<string, number>();
  const raw = row['cells'];
  const cells = (typeof raw === 'string' ? JSON.parse(raw) : raw) as readonly [string, string, number][];
  for (const [status, type, count] of cells) {
    const s = originalText(status);
    const t = originalText(type);
    byStatus.set(s, (byStatus.get(s) ?? 0) + Number(count));
    byType.set(t, (byType.get(t) ?? 0) + Number(count));
  }
  const byKey = (x: readonly [string, number], y: readonly [string, number]) =>
    x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
  return {
    investigationId: originalText(String(row['investigation_id'])),
    count: Number(row['n']),
    byStatus: [...byStatus].sort(byKey).map(([status, count]) => ({ status: status as ActionStatus, count })),
    byActionType: [...byType].sort(byKey).map(([actionType, count]) => ({ actionType, count })),
    oldestCreatedAt: Number(row['oldest']),
    newestCreatedAt: Number(row['newest']),
    latestActivity: Number(row['latest']),
  };
}
