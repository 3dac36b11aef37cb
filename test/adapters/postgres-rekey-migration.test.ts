/**
 * Issue 16 on PostgreSQL (PGlite; the server too with DATABASE_URL): migration 8 computes the open
 * rows' open keys again with the conflict group and the target's identity. Two open rows the old
 * rule kept apart may now share a key: both stay open, the earlier keeps it, the later holds none
 * and is named in the migration report.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInCatalog, type ActionRecord, type Target } from 'actioncenter';
import { openKeyOf, resolveQuery, TargetSchema } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  T0,
  action,
  batch,
  create,
  event,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';
import { canonicalJson } from '../../src/rules/open-key.js';

warnWhenNoServer('postgres-rekey-migration.test.ts');
usePGlite();

const SLOW = { timeout: 120_000 };

function unwrap<T>(r: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** The open key as versions before 8 computed it: the type and the whole target, canonically. */
const oldKey = (type: string, target: Target) => `${type}\u0000${canonicalJson(target)}`;

const device = (name: string): Target =>
  TargetSchema.parse({ kind: 'device', deviceId: 'dev-1', deviceName: name, deviceGroup: 'Workstations' });

function records(): ActionRecord[] {
  const quarantine = action('q-open', { status: 'approved', expiresAt: null });
  return [
    // An isolate, then (later) a release of the same device: the old rule kept them apart.
    action('iso', {
      actionType: 'isolateDevice',
      target: device('LAPTOP-1'),
      parameters: { isolationType: 'full' },
      status: 'pending',
      openKey: oldKey('isolateDevice', device('LAPTOP-1')),
    }),
    action('rel', {
      actionType: 'releaseFromIsolation',
      target: device('LAPTOP-1-RENAMED'),
      status: 'approved',
      expiresAt: null,
      createdAt: T0 + 1,
      openKey: oldKey('releaseFromIsolation', device('LAPTOP-1-RENAMED')),
    }),
    { ...quarantine, openKey: oldKey('quarantineFile', quarantine.target) },
    // Open without a key (duplicates allowed): stays without one.
    action('q-unkeyed', { status: 'approved', expiresAt: null, openKey: null }),
    action('done', { status: 'succeeded', completedAt: T0, openKey: null }),
  ];
}

function migrationSuite(name: string, client: () => PostgresClient, schemas: string[] = []): void {
  describe(name, () => {
    it(
      'migration 8 re-keys the open rows by identity and group; the later of two colliding rows holds no key and is reported',
      SLOW,
      async () => {
        const schema = freshSchema('ac_rekey');
        schemas.push(schema);
        unwrap(await migrate(client(), { schema }));
        const stored = records();
        const writer = createPostgresRepository({ client: client(), schema });
        unwrap(
          await writer.commit(
            batch(
              stored.map(create),
              stored.map((a) => event(a.id, 1, a.status)),
            ),
          ),
        );
        // Back to version 7: migration 8 changes no table, only the open rows' keys.
        await client().query(`DELETE FROM "${schema}".actioncenter_schema_version WHERE version >= 8`);
        const migrated = unwrap(await migrate(client(), { schema }));
        expect(migrated.applied).toEqual([8]);
        expect(migrated.notes).toHaveLength(1);
        expect(migrated.notes?.[0]).toMatch(/^version 8: open action "rel" now shares its open key with "iso"/);

        const repository = createPostgresRepository({ client: client(), schema });
        const isolationKey = openKeyOf(builtInCatalog.require('isolateDevice'), device('any name'));
        expect(isolationKey).toBe('group:isolation\u0000device:dev-1');
        expect(unwrap(await repository.findOpen(isolationKey))?.id).toBe('iso');
        const quarantine = stored[2] as ActionRecord;
        expect(unwrap(await repository.findOpen(openKeyOf('quarantineFile', quarantine.target)))?.id).toBe('q-open');
        expect(unwrap(await repository.findOpen(quarantine.openKey ?? ''))).toBeNull();
        const all = unwrap(await repository.query(unwrap(resolveQuery({ page: { size: 100 } }, 0))));
        expect(all.skipped).toBeUndefined();
        const keys = Object.fromEntries(all.items.map((a) => [a.id, a.openKey]));
        expect(keys).toEqual({
          iso: isolationKey,
          rel: null,
          'q-open': openKeyOf('quarantineFile', quarantine.target),
          'q-unkeyed': null,
          done: null,
        });
        // Both stay open; a second migrate changes nothing.
        const statuses = Object.fromEntries(all.items.map((a) => [a.id, a.status]));
        expect([statuses['iso'], statuses['rel']]).toEqual(['pending', 'approved']);
        expect(unwrap(await migrate(client(), { schema }))).toEqual({
          schema,
          from: migrated.to,
          to: migrated.to,
          applied: [],
        });
      },
    );
  });
}

migrationSuite('on PGlite', () => sharedPGlite());

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  migrationSuite('server', () => pool, schemas);
});
