/**
 * Shared fixtures of the actioncenter/postgres tests: PGlite databases (one per test file, started
 * in a hook by `usePGlite()`; a fresh schema or emptied tables per test), the real server from
 * DATABASE_URL, records and batches.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { actionRecord } from '../support/records.js';
import { type ActionId, type ActionRecord, type ActionStatus, type AuditEvent, type Result } from 'actioncenter';
import { asId, type CommitBatch, type ConflictError, type QueryError } from 'actioncenter/adapter-kit';
import {
  createPostgresRepository,
  migrate,
  SCHEMA_VERSION,
  type PostgresClient,
  type PostgresRepository,
  type PostgresRepositoryOptions,
} from 'actioncenter/postgres';

export const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

/** The real server's URL, or undefined (server tests are then skipped, and say so once per file). */
export const DATABASE_URL: string | undefined = process.env['DATABASE_URL'] || undefined;

/** Prints, once per test file, why the server tests of that file do not run. */
export function warnWhenNoServer(file: string): void {
  if (DATABASE_URL === undefined) {
    console.warn(
      `${file}: PostgreSQL server tests skipped: DATABASE_URL is not set (.ci/run starts a server and sets it).`,
    );
  }
}

/**
 * How long starting PGlite may take. About 2 s on an idle machine, but 9-12 s was seen on two busy
 * cores, so it is waited for in a hook with this limit rather than inside the first test.
 */
export const PGLITE_START_TIMEOUT_MS = 120_000;

let pglite: PGlite | undefined;

/**
 * The PGlite database of this test file. Created on first use; files that call `usePGlite()` have
 * it started (and ready) before their first test.
 */
export function sharedPGlite(): PGlite {
  pglite ??= new PGlite();
  return pglite;
}

/**
 * Starts this file's PGlite in a `beforeAll` hook (its own generous timeout: no test pays for the
 * startup) and closes it in an `afterAll` hook. Call it once, at the top level of a test file;
 * being the first hook registered, its `afterAll` runs after every other one.
 */
export function usePGlite(): void {
  beforeAll(async () => {
    await sharedPGlite().waitReady;
  }, PGLITE_START_TIMEOUT_MS);
  afterAll(async () => {
    const db = pglite;
    pglite = undefined;
    if (db !== undefined && !db.closed) await db.close();
  }, PGLITE_START_TIMEOUT_MS);
}

let schemas = 0;

/** A fresh schema name, unique in this process (and across processes on one server). */
export function freshSchema(prefix = 'ac_test'): string {
  schemas += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${schemas}`;
}

/** Migrates a fresh schema of `client` and returns a repository on it. */
export async function freshRepository(
  client: PostgresClient = sharedPGlite(),
  schema = freshSchema(),
): Promise<PostgresRepository> {
  const migrated = await migrate(client, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  return createPostgresRepository({ client, schema });
}

/**
 * One schema, migrated on first use; `fresh()` empties its tables and returns a new repository on
 * it (cheaper than a schema per test, and as good: the tables are all the state there is). It
 * deletes rather than truncates: on PGlite a TRUNCATE of the three tables took about 30 ms and a
 * DELETE of their few rows 1 to 3 ms, and model runs and property runs empty them hundreds of times.
 */
export function emptiedSchema(client: () => PostgresClient, prefix = 'ac_test') {
  const schema = freshSchema(prefix);
  const tables = ['actioncenter_audit_events', 'actioncenter_idempotency_keys', 'actioncenter_actions'].map(
    (t) => `"${schema}".${t}`,
  );
  let migrated = false;
  return {
    schema,
    async fresh(): Promise<PostgresRepository> {
      if (!migrated) {
        const r = await migrate(client(), { schema });
        if (!r.ok) throw new Error(r.error.message);
        migrated = true;
      }
      // Audit rows are append-only (schema version 7): deleted with the trigger off, in one statement.
      await client().query(deleteAuditEventsSql(schema));
      for (const table of tables.slice(1)) await client().query(`DELETE FROM ${table}`);
      return createPostgresRepository({ client: client(), schema });
    },
    async drop(): Promise<void> {
      await client().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
}

/**
 * SQL deleting a schema's audit rows (those `where` selects, e.g. `WHERE sequence > 1`), for tests
 * and benchmarks that reset a store: the append-only trigger (schema version 7) is disabled around
 * the DELETE, in one statement (one transaction: no other statement sees it disabled).
 */
export function deleteAuditEventsSql(schema: string, where = ''): string {
  const t = `"${schema}".actioncenter_audit_events`;
  return `DO $$ BEGIN
    ALTER TABLE ${t} DISABLE TRIGGER actioncenter_audit_events_append_only;
    DELETE FROM ${t} ${where};
    ALTER TABLE ${t} ENABLE TRIGGER actioncenter_audit_events_append_only;
  END $$`;
}

/**
 * A PGlite database seen as ONE plain connection (no `transaction()`): the adapter then queues
 * calls and runs BEGIN/COMMIT itself, as for a `pg.Client`.
 */
export function asPlainConnection(db: PGlite): PostgresClient {
  return { query: (text: string, params?: unknown[]) => db.query(text, params) };
}

/** A complete record (every field is required); `over` changes what the test is about. */
export function action(id: string, over: Partial<ActionRecord> = {}): ActionRecord {
  return actionRecord({ id: asId<ActionId>(id), createdAt: T0, updatedAt: T0, ...over });
}

export function event(actionId: string, sequence: number, to: ActionStatus = 'pending'): AuditEvent {
  return {
    id: asId(`${actionId}-e${sequence}`),
    actionId: asId(actionId),
    sequence,
    type: sequence === 1 ? 'created' : 'approve',
    at: T0 + sequence,
    actor: { type: 'system', component: 'test' },
    from: null,
    to,
    comment: null,
    details: {},
    hash: null,
    previousHash: null,
  };
}

export const create = (a: ActionRecord) => ({ action: a, expectedVersion: null });
export const update = (from: ActionRecord, change: Partial<ActionRecord>, expectedVersion = from.version) => ({
  action: { ...from, ...change, version: from.version + 1 },
  expectedVersion,
});
export const batch = (
  writes: CommitBatch['writes'],
  events: CommitBatch['events'] = [],
  idempotencyKey: CommitBatch['idempotencyKey'] = null,
): CommitBatch => ({ writes, events, idempotencyKey });

/** 12 actions: 3 rejected, 5 approved, 4 succeeded, created in that order, so that filters land below, at and above a limit of 5. */
export function mixedStatusRecords(): ActionRecord[] {
  const counts = { rejected: 3, approved: 5, succeeded: 4 } as const;
  const out: ActionRecord[] = [];
  for (const status of ['rejected', 'approved', 'succeeded'] as const) {
    for (let i = 0; i < counts[status]; i++) out.push(action(`${status}-${i}`, { status, createdAt: T0 + out.length }));
  }
  return out;
}

/** A fresh schema on the shared PGlite holding {@link mixedStatusRecords}, and a repository on it with `options`. */
export async function storedMixed(
  prefix: string,
  options: Omit<PostgresRepositoryOptions, 'client' | 'schema'> = {},
): Promise<{ repo: PostgresRepository; all: ActionRecord[] }> {
  const db = sharedPGlite();
  const schema = freshSchema(prefix);
  const migrated = await migrate(db, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const repo = createPostgresRepository({ ...options, client: db, schema });
  const all = mixedStatusRecords();
  const committed = await repo.commit(batch(all.map(create)));
  if (!committed.ok) throw new Error(committed.error.message);
  return { repo, all };
}

export function conflictOf(r: Result<unknown, QueryError>): ConflictError {
  if (r.ok || r.error.code !== 'conflict') throw new Error(`expected a conflict, got ${JSON.stringify(r)}`);
  return r.error;
}

/** The schema versions `migrate` applies to a database at version `from`, up to the current one. */
export function versionsAfter(from: number): number[] {
  return Array.from({ length: SCHEMA_VERSION - from }, (_, i) => from + 1 + i);
}

/**
 * Turns a schema migrated to version 7 (or later) back into version 6's: audit rows no longer
 * append-only (no trigger, no trigger function). Does nothing to a schema at version 6 or below.
 */
export async function downgradeToVersion6(client: PostgresClient, schema: string): Promise<void> {
  const at = await client.query(`SELECT max(version)::int AS v FROM "${schema}".actioncenter_schema_version`);
  if (Number(at.rows[0]?.['v'] ?? 0) < 7) return;
  await client.query(`DROP TRIGGER actioncenter_audit_events_append_only ON "${schema}".actioncenter_audit_events`);
  await client.query(`DROP FUNCTION "${schema}".actioncenter_audit_append_only()`);
  await client.query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version >= 7`);
}

/**
 * Turns a schema migrated to version 6 back into version 5's: no change feed positions, no counter.
 * Does nothing to a schema at version 5 or below.
 */
export async function downgradeToVersion5(client: PostgresClient, schema: string): Promise<void> {
  await downgradeToVersion6(client, schema);
  const at = await client.query(`SELECT max(version)::int AS v FROM "${schema}".actioncenter_schema_version`);
  if (Number(at.rows[0]?.['v'] ?? 0) < 6) return;
  await client.query(`DROP TABLE "${schema}".actioncenter_change_counter`);
  await client.query(`ALTER TABLE "${schema}".actioncenter_audit_events DROP COLUMN position`);
  await client.query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version = 6`);
}

/** Turns a schema migrated to version 5 (or later) back into version 4's: no due_at column, no due index. */
export async function downgradeToVersion4(client: PostgresClient, schema: string): Promise<void> {
  await downgradeToVersion5(client, schema);
  await client.query(`ALTER TABLE "${schema}".actioncenter_actions DROP COLUMN due_at`);
  await client.query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version = 5`);
}

/**
 * Turns a schema migrated to version 4 (or later) back into version 3's: the deferred hash exclusion of open
 * keys and the (status, action_type, created_at) index instead of the partial unique index.
 */
export async function downgradeToVersion3(client: PostgresClient, schema: string): Promise<void> {
  await downgradeToVersion4(client, schema);
  const t = `"${schema}".actioncenter_actions`;
  await client.query(`DROP INDEX "${schema}".actioncenter_actions_open_key`);
  await client.query(`DROP FUNCTION "${schema}".actioncenter_open_key_hash(text)`);
  await client.query(
    `ALTER TABLE ${t} ADD CONSTRAINT actioncenter_actions_open_key_excl EXCLUDE USING hash (open_key WITH =)
       WHERE (open_key IS NOT NULL AND status IN ('pending', 'approved', 'running')) DEFERRABLE INITIALLY DEFERRED`,
  );
  await client.query(`CREATE INDEX actioncenter_actions_status_type_created ON ${t} (status, action_type, created_at)`);
  await client.query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version = 4`);
}
