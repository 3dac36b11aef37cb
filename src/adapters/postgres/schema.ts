/**
 * `migrate`: brings a database to {@link SCHEMA_VERSION} with the migrations of migrations.ts.
 *
 * @module
 */
import { err, ok, type Result } from 'actioncenter';
import { type RepositoryUnavailableError } from 'actioncenter/adapter-kit';
import { databaseOf, describeError, type PostgresClient, type PostgresQueryable } from './client.js';
import { MIGRATIONS } from './migrations.js';
import { namesOfOptions, type Names, type PostgresSchemaOptions } from './names.js';

export { backfillDeviceGroups } from './migrations.js';
export { OPEN_STATUSES_SQL, namesOf, type Names, type PostgresSchemaOptions } from './names.js';

/**
 * The schema version this release of the adapter reads and writes. {@link migrate} brings a
 * database up to it; the repository refuses a database that is ahead of it.
 *
 * @example
 * ```ts
 * import { SCHEMA_VERSION } from 'actioncenter/postgres';
 * SCHEMA_VERSION; // 8
 * ```
 */
export const SCHEMA_VERSION = 8;

/**
 * What {@link migrate} did: the schema version before and after, and the migrations it applied.
 *
 * @example
 * ```ts
 * import type { MigrationReport } from 'actioncenter/postgres';
 * const fresh = (r: MigrationReport) => r.from === 0;
 * ```
 */
export interface MigrationReport {
  /** The schema the tables are in; null for the connection's `search_path`. */
  readonly schema: string | null;
  /** The version found (0 for an empty database). */
  readonly from: number;
  /** The version now: {@link SCHEMA_VERSION}. */
  readonly to: number;
  /** The versions applied by this call, in order (empty when the database was up to date). */
  readonly applied: readonly number[];
  /**
   * What a migration has to tell, present only when one did: version 8 names the open actions
   * that came to share an open key when keys were computed again (both stay open; the later holds
   * none until it closes).
   */
  readonly notes?: readonly string[];
}

/** A 52-bit key for pg_advisory_xact_lock: one lock per schema, so concurrent migrates take turns. */
function lockKey(schema: string | null): string {
  let h = 0x811c9dc5;
  for (const ch of `actioncenter:migrate:${schema ?? ''}`) {
    h ^= ch.codePointAt(0) as number;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(0x41430000 * 0x1000 + (h & 0xfff_ffff));
}

async function currentVersion(db: PostgresQueryable, n: Names): Promise<number> {
  const r = await db.query(`SELECT coalesce(max(version), 0)::int AS version FROM ${n.version}`);
  return Number(r.rows[0]?.['version'] ?? 0);
}

/**
 * Creates or upgrades the adapter's tables: `actioncenter_actions` (typed columns for the views,
 * the record as JSONB), `actioncenter_audit_events`, `actioncenter_idempotency_keys`, their
 * indexes, and `actioncenter_schema_version`, which records the versions applied. Runs in one
 * transaction under an advisory lock, so application instances may all call it at start-up; a
 * database already at {@link SCHEMA_VERSION} is left as it is.
 *
 * Fails (as a value, `repositoryUnavailable`) when the database cannot be reached, when the
 * user may not create the tables, when the database is at a newer version than this release, or
 * when its encoding is not UTF8 (under SQL_ASCII, for example, text outside ASCII is not compared as
 * the engine compares it); nothing is changed then.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { migrate } from 'actioncenter/postgres';
 * const db = new PGlite();
 * const report = await migrate(db);
 * if (report.ok) console.log(`schema ${report.value.from} -> ${report.value.to}`);
 * ```
 */
export async function migrate(
  client: PostgresClient,
  options: PostgresSchemaOptions = {},
): Promise<Result<MigrationReport, RepositoryUnavailableError>> {
  const names = namesOfOptions(options);
  if (!names.ok) return names;
  const n = names.value;
  try {
    const report = await databaseOf(client).transaction(
      async (db): Promise<Result<MigrationReport, RepositoryUnavailableError>> => {
        await db.query('SELECT pg_advisory_xact_lock($1::bigint)', [lockKey(n.schema)]);
        const encoding = await db.query(`SELECT pg_catalog.current_setting('server_encoding') AS encoding`);
        const found = String(encoding.rows[0]?.['encoding']);
        if (found !== 'UTF8')
          return err({
            code: 'repositoryUnavailable',
            message: `The database's encoding is ${found}; actioncenter/postgres needs UTF8 (create the database with ENCODING 'UTF8'): nothing was changed`,
          });
        if (n.schema !== null) await db.query(`CREATE SCHEMA IF NOT EXISTS "${n.schema}"`);
        await db.query(`CREATE TABLE IF NOT EXISTS ${n.version} (
        version integer PRIMARY KEY,
        description text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
        const from = await currentVersion(db, n);
        if (from > SCHEMA_VERSION) {
          return err({
            code: 'repositoryUnavailable',
            message: `The database schema is at version ${from}, newer than this release of actioncenter/postgres knows (${SCHEMA_VERSION}): upgrade actioncenter`,
          });
        }
        const applied: number[] = [];
        const notes: string[] = [];
        for (const migration of MIGRATIONS) {
          if (migration.version <= from) continue;
          for (const statement of migration.statements(n)) await db.query(statement);
          const said = await migration.backfill?.(db, n);
          if (said !== undefined) notes.push(...said.map((note) => `version ${migration.version}: ${note}`));
          await db.query(`INSERT INTO ${n.version} (version, description) VALUES ($1, $2)`, [
            migration.version,
            migration.description,
          ]);
          applied.push(migration.version);
        }
        return ok({ schema: n.schema, from, to: SCHEMA_VERSION, applied, ...(notes.length > 0 ? { notes } : {}) });
      },
    );
    return report;
  } catch (cause) {
    return err({
      code: 'repositoryUnavailable',
      message: `Migration failed, nothing was changed: ${describeError(cause)}`,
    });
  }
}

/**
 * The version of the adapter's schema in a database: 0 when it was never migrated.
 *
 * @example
 * ```ts
 * import { PGlite } from '@electric-sql/pglite';
 * import { schemaVersion } from 'actioncenter/postgres';
 * const v = await schemaVersion(new PGlite());
 * if (v.ok) console.log(v.value); // 0
 * ```
 */
export async function schemaVersion(
  client: PostgresClient,
  options: PostgresSchemaOptions = {},
): Promise<Result<number, RepositoryUnavailableError>> {
  const names = namesOfOptions(options);
  if (!names.ok) return names;
  const n = names.value;
  try {
    return ok(
      await databaseOf(client).read(async (db) => {
        const exists = await db.query('SELECT to_regclass($1) IS NOT NULL AS present', [n.version]);
        return exists.rows[0]?.['present'] === true ? currentVersion(db, n) : 0;
      }),
    );
  } catch (cause) {
    return err({ code: 'repositoryUnavailable', message: describeError(cause) });
  }
}
