/**
 * Issue 14 on PostgreSQL (PGlite; the server too with DATABASE_URL): the bulk load path (all or
 * nothing, validated like commit), and migration 4 (the open-key unique index replacing the
 * deferred hash exclusion) from a database at version 3, whose open keys it keeps enforcing.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { builtInCatalog, unwrap, type ActionRecord } from 'actioncenter';
import { asId, openKeyOf } from 'actioncenter/adapter-kit';
import { columnText } from '../../src/adapters/postgres/text.js';
import { fileTarget } from '../support/records.js';
import { bulkLoad, createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  action,
  batch,
  conflictOf,
  create,
  downgradeToVersion3,
  versionsAfter,
  event,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('postgres-bulk-load.test.ts');
usePGlite();

const SLOW = { timeout: 120_000 };

function suite(name: string, client: () => PostgresClient, schemas: string[] = []): void {
  const fresh = async () => {
    const schema = freshSchema('ac_bulk');
    schemas.push(schema);
    unwrap(await migrate(client(), { schema }));
    return schema;
  };
  describe(name, () => {
    it('bulkLoad writes every action and event in batches, and reads return them', SLOW, async () => {
      const schema = await fresh();
      const actions = Array.from({ length: 25 }, (_, i) =>
        action(`a${String(i).padStart(2, '0')}`, { openKey: `k${i}` }),
      );
      const events = actions.flatMap((a) => [event(a.id, 1), event(a.id, 2)]);
      const r = unwrap(await bulkLoad(client(), { actions, events }, { schema, batchSize: 10 }));
      expect(r).toEqual({ actions: 25, events: 50, batches: 3 });
      const repo = createPostgresRepository({ client: client(), schema });
      expect(unwrap(await repo.getMany(actions.map((a) => a.id)))).toEqual(actions);
      expect(unwrap(await repo.auditTrail(asId('a24'))).map((e) => e.sequence)).toEqual([1, 2]);
      expect(unwrap(await repo.findOpen('k7'))?.id).toBe('a07');
    });

    it(
      'bulkLoad is all or nothing: a taken id or open key in a later batch names the actions and writes nothing',
      SLOW,
      async () => {
        const schema = await fresh();
        const repo = createPostgresRepository({ client: client(), schema });
        unwrap(await repo.commit(batch([create(action('held', { openKey: 'k' }))])));
        const actions: ActionRecord[] = [
          ...Array.from({ length: 10 }, (_, i) => action(`b${i}`)),
          action('x', { openKey: 'k' }),
          action('held'),
        ];
        const r = await bulkLoad(client(), { actions, events: [event('b0', 1)] }, { schema, batchSize: 10 });
        // The first reason by priority names its actions, all of them in the later batch.
        const conflict = !r.ok && r.error.code === 'conflict' ? r.error : null;
        expect(conflict?.actionIds.length).toBeGreaterThan(0);
        for (const id of conflict?.actionIds ?? []) expect(['held', 'x']).toContain(id);
        expect(unwrap(await repo.getMany(['b0', 'b9']))).toEqual([]);
        expect(unwrap(await repo.auditTrail(asId('b0')))).toEqual([]);
      },
    );

    it('bulkLoad refuses what reads would refuse, and invalid input, as values', async () => {
      const schema = await fresh();
      const bad = { ...action('c'), status: 'nonsense' } as unknown as ActionRecord;
      const r = await bulkLoad(client(), { actions: [bad], events: [] }, { schema });
      expect(!r.ok && r.error.code).toBe('corruptRecord');
      const hostile = new Proxy(
        {},
        {
          get: () => {
            throw new Error('boom');
          },
        },
      ) as never;
      const h = await bulkLoad(client(), hostile, { schema });
      expect(!h.ok && h.error.code).toBe('invalidInput');
      const size = await bulkLoad(client(), { actions: [], events: [] }, { schema, batchSize: 0 });
      expect(!size.ok && size.error.code).toBe('invalidInput');
    });

    it(
      'regression (issue 14): migration 4 from version 3 keeps open keys unique, through the new index',
      SLOW,
      async () => {
        const schema = await fresh();
        const repo = createPostgresRepository({ client: client(), schema });
        // Real open keys (openKeyOf, issue 16), since migration 8 re-keys open rows by it: one short,
        // one readable (at most 1,000 characters) but, in 3-byte characters, past the ~2.7 kB a
        // btree entry takes, which only migration 4's index on the key's hash can hold.
        const quarantine = builtInCatalog.require('quarantineFile');
        const shortTarget = fileTarget({ deviceId: 'dev-1' });
        const longTarget = fileTarget({ deviceId: '漢'.repeat(950) });
        const k = openKeyOf(quarantine, shortTarget);
        const long = openKeyOf(quarantine, longTarget);
        expect(long.length).toBeLessThanOrEqual(1000);
        expect(Buffer.byteLength(columnText(long), 'utf8')).toBeGreaterThan(2704);
        unwrap(
          await repo.commit(
            batch([
              create(action('a', { actionType: quarantine.id, target: shortTarget, openKey: k })),
              create(action('long', { actionType: quarantine.id, target: longTarget, openKey: long })),
            ]),
          ),
        );
        await downgradeToVersion3(client(), schema);
        const m = unwrap(await migrate(client(), { schema }));
        expect([m.from, m.applied]).toEqual([3, versionsAfter(3)]);
        const again = createPostgresRepository({ client: client(), schema });
        expect(unwrap(await again.findOpen(k))?.id).toBe('a');
        expect(unwrap(await again.findOpen(long))?.id).toBe('long');
        const r = await again.commit(
          batch([create(action('b', { actionType: quarantine.id, target: shortTarget, openKey: k }))]),
        );
        expect(conflictOf(r)).toMatchObject({ reason: 'openKeyTaken', actionIds: ['b'] });
        // The index itself refuses a second open holder, whatever the adapter checks (the column holds
        // the key encoded: its NUL separator cannot be stored as it is).
        await expect(
          client().query(`UPDATE "${schema}".actioncenter_actions SET open_key = $1 WHERE id = 'long'`, [
            columnText(k),
          ]),
        ).rejects.toMatchObject({ code: '23505' });
      },
    );
  });
}

suite('on PGlite', () => sharedPGlite());

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  suite('server', () => pool, schemas);

  it(
    'regression (issue 14): two concurrent commits opening the same key: one commits, the other is openKeyTaken',
    SLOW,
    async () => {
      const schema = freshSchema('ac_bulk_race');
      schemas.push(schema);
      unwrap(await migrate(pool, { schema }));
      const pools = [0, 1].map(() => new pg.Pool({ connectionString: DATABASE_URL, max: 1 }));
      const [one, two] = pools.map((client) => createPostgresRepository({ client, schema })) as [
        ReturnType<typeof createPostgresRepository>,
        ReturnType<typeof createPostgresRepository>,
      ];
      try {
        for (let round = 0; round < 10; round++) {
          const results = await Promise.all([
            one.commit(batch([create(action(`r${round}a`, { openKey: `race${round}` }))])),
            two.commit(batch([create(action(`r${round}b`, { openKey: `race${round}` }))])),
          ]);
          expect(results.filter((r) => r.ok)).toHaveLength(1);
          const refused = results.find((r) => !r.ok);
          expect(refused && conflictOf(refused)).toMatchObject({ reason: 'openKeyTaken' });
        }
      } finally {
        for (const p of pools) await p.end();
      }
    },
  );
});
