/**
 * Where the adapter's objects live: the schema option, the qualified names of the tables and
 * functions, and the SQL of the open statuses.
 *
 * @module
 */
import { err, ok, type Result } from 'actioncenter';
import { type RepositoryUnavailableError } from 'actioncenter/adapter-kit';

/**
 * Where the adapter's tables live. `schema` is a PostgreSQL schema name (letters, digits and `_`,
 * not starting with a digit, at most 63 characters); without it, tables are created and found
 * through the connection's `search_path` (normally `public`).
 *
 * @example
 * ```ts
 * import type { PostgresSchemaOptions } from 'actioncenter/postgres';
 * const tenant: PostgresSchemaOptions = { schema: 'actioncenter_tenant_42' };
 * ```
 */
export interface PostgresSchemaOptions {
  /** The PostgreSQL schema the tables live in (letters, digits and `_`, at most 63 characters). Default: the connection's search path. */
  readonly schema?: string;
}

/** The qualified names of the adapter's objects in one schema. */
export interface Names {
  readonly schema: string | null;
  readonly version: string;
  readonly actions: string;
  readonly events: string;
  readonly idempotency: string;
  readonly jsNumber: string;
  /** The function whose SHA-256 of an open key the open-key unique index is on (schema version 4). */
  readonly openKeyHash: string;
  /** The one-row table whose `last` is the newest change-feed position (schema version 6). */
  readonly changeCounter: string;
  /** The trigger function refusing UPDATE and DELETE of audit rows (schema version 7). */
  readonly auditAppendOnly: string;
  /** The NOTIFY channel of the schema's change feed (unquoted; at most 63 bytes). */
  readonly changeChannel: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The names of `options.schema`, read inside a guard: options that cannot be read are invalid, not a throw. */
export function namesOfOptions(
  options: PostgresSchemaOptions | null | undefined,
): Result<Names, RepositoryUnavailableError> {
  let schema: unknown;
  try {
    schema = options?.schema;
  } catch {
    return err({ code: 'repositoryUnavailable', message: 'Invalid schema options: they could not be read' });
  }
  return namesOf(schema as string | undefined);
}

/** Validates a schema name; the names of the adapter's objects in it. */
export function namesOf(schema: string | undefined): Result<Names, RepositoryUnavailableError> {
  if (schema !== undefined && (typeof schema !== 'string' || !SCHEMA_NAME.test(schema))) {
    return err({
      code: 'repositoryUnavailable',
      message: `Invalid schema name ${typeof schema === 'string' ? JSON.stringify(schema.slice(0, 100)) : `(a ${typeof schema})`}: use letters, digits and "_" (not starting with a digit), at most 63 characters`,
    });
  }
  const q = (name: string) => (schema === undefined ? name : `"${schema}".${name}`);
  return ok({
    schema: schema ?? null,
    version: q('actioncenter_schema_version'),
    actions: q('actioncenter_actions'),
    events: q('actioncenter_audit_events'),
    idempotency: q('actioncenter_idempotency_keys'),
    jsNumber: q('actioncenter_js_number'),
    openKeyHash: q('actioncenter_open_key_hash'),
    changeCounter: q('actioncenter_change_counter'),
    auditAppendOnly: q('actioncenter_audit_append_only'),
    changeChannel: changeChannelOf(schema ?? null),
  });
}

/**
 * The change feed's NOTIFY channel of a schema: `actioncenter_changes`, with `_<schema>` when there
 * is one; a name over PostgreSQL's 63 bytes ends in a hash of the schema instead.
 */
function changeChannelOf(schema: string | null): string {
  const name = schema === null ? 'actioncenter_changes' : `actioncenter_changes_${schema}`;
  if (name.length <= 63) return name;
  let h = 0x811c9dc5;
  for (const ch of schema as string) h = Math.imul(h ^ (ch.codePointAt(0) as number), 0x01000193) >>> 0;
  return `actioncenter_changes_${(schema as string).slice(0, 31)}_${h.toString(16).padStart(8, '0')}`;
}

/** The statuses in which an action holds its open key. */
export const OPEN_STATUSES_SQL = `('pending', 'approved', 'running')`;

/**
 * The condition "holds an open key" on the actions table alias `a`, with the key compared through
 * the open-key unique index (on the SHA-256 of the key: btree keys are limited to ~2.7 kB, and an
 * open key may be 2,000 characters). `keys` is a SQL expression of type `text[]`.
 */
export function openKeyIn(n: Names, keys: string): string {
  return `${n.openKeyHash}(a.open_key) = ANY (ARRAY(SELECT ${n.openKeyHash}(k) FROM unnest(${keys}) AS k)) AND a.open_key = ANY (${keys}) AND a.status IN ${OPEN_STATUSES_SQL}`;
}
