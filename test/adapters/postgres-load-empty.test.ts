/**
 * Issue 14: `bulkLoad` into an EMPTY store takes the fast path (load-empty.ts: tables locked, the
 * checks made among the loaded rows, secondary indexes and the events' constraints dropped and made
 * again after the rows). On PGlite, and on the server with DATABASE_URL: it stores what the commit
 * path stores (read back equal), leaves every index and constraint as it was, names every conflict,
 * refuses bad input, and writes nothing when anything fails, mid-way included.
 */
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { unwrap, type ActionRecord, type ActionStatus, type AuditEvent } from 'actioncenter';
import { asId } from 'actioncenter/adapter-kit';
import { bulkLoad, createPostgresRepository, migrate, type PostgresClient } from 'actioncenter/postgres';
import { REBUILD_FROM } from '../../src/adapters/postgres/load-empty.js';
import {
  DATABASE_URL,
  T0,
  action,
  batch,
  create,
  deleteAuditEventsSql,
  event,
  freshSchema,
  sharedPGlite,
  usePGlite,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('postgres-load-empty.test.ts');
usePGlite();

const SLOW = { timeout: 180_000 };
const TABLES = ['actioncenter_actions', 'actioncenter_audit_events'] as const;

/** Every index (name, definition, valid) and constraint (name, definition) of the two tables. */
async function schemaShape(client: PostgresClient, schema: string): Promise<unknown[]> {
  const r = await client.query(
    `SELECT 'index' AS kind, c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition, i.indisvalid AND i.indisready AS ok
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid
       JOIN pg_namespace s ON s.oid = t.relnamespace
      WHERE s.nspname = $1 AND t.relname = ANY($2::text[])
     UNION ALL
     SELECT 'constraint', k.conname, pg_get_constraintdef(k.oid), k.convalidated
       FROM pg_constraint k JOIN pg_class t ON t.oid = k.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
      WHERE s.nspname = $1 AND t.relname = ANY($2::text[])
     ORDER BY 1, 2`,
    [schema, `{${TABLES.join(',')}}`],
  );
  return r.rows;
}

async function rowCounts(client: PostgresClient, schema: string): Promise<number[]> {
  const r = await client.query(
    `SELECT (SELECT count(*) FROM "${schema}".actioncenter_actions)::int AS a, (SELECT count(*) FROM "${schema}".actioncenter_audit_events)::int AS e`,
  );
  return [Number(r.rows[0]?.['a']), Number(r.rows[0]?.['e'])];
}

function suite(name: string, client: () => PostgresClient, schemas: string[]): void {
  const fresh = async (prefix = 'ac_load') => {
    const schema = freshSchema(prefix);
    schemas.push(schema);
    unwrap(await migrate(client(), { schema }));
    return schema;
  };
  /** Reads back the actions of `ids`, and the audit trails of one in `every`. */
  const readBack = async (schema: string, ids: readonly string[], every = 1) => {
    const repo = createPostgresRepository({ client: client(), schema });
    const actions = unwrap(await repo.getMany(ids));
    const trails: (readonly AuditEvent[])[] = [];
    for (let i = 0; i < ids.length; i += every) trails.push(unwrap(await repo.auditTrail(asId(ids[i] as string))));
    return { actions, trails };
  };
  /** `n` actions after the ones given: enough for a load to take the index rebuild (REBUILD_FROM). */
  const padded = (n: number, ...rest: ActionRecord[]) => [
    ...Array.from({ length: n }, (_, i) => action(`p${String(i).padStart(5, '0')}`)),
    ...rest,
  ];

  describe(name, () => {
    it(
      'into an empty store: reads return what the commit path stores, every index and constraint as before',
      SLOW,
      async () => {
        // A small load keeps the indexes; a large one drops them and makes them again.
        for (const [count, batchSize] of [
          [23, 5],
          [REBUILD_FROM + 300, 500],
        ] as const) {
          const empty = await fresh();
          const used = await fresh();
          const before = await schemaShape(client(), empty);
          const actions = Array.from({ length: count }, (_, i) =>
            action(`a${String(i).padStart(5, '0')}`, {
              openKey: `k${i}`,
              status: i % 3 === 0 ? 'succeeded' : 'pending',
            }),
          );
          const events = actions.flatMap((a) => [event(a.id, 1), event(a.id, 2)]);
          const r = unwrap(await bulkLoad(client(), { actions, events }, { schema: empty, batchSize }));
          expect(r).toEqual({ actions: count, events: 2 * count, batches: Math.ceil(count / batchSize) });
          expect(await schemaShape(client(), empty)).toEqual(before);
          // The same load through the commit path (the store holds an action already).
          const repo = createPostgresRepository({ client: client(), schema: used });
          unwrap(await repo.commit(batch([create(action('zz-first'))])));
          unwrap(await bulkLoad(client(), { actions, events }, { schema: used, batchSize }));
          const ids = actions.map((a) => a.id);
          const every = Math.ceil(count / 50);
          const loaded = await readBack(empty, ids, every);
          expect(loaded.actions.map((a) => a.id)).toEqual(ids);
          expect(loaded).toEqual(await readBack(used, ids, every));
          expect(loaded.trails.every((t) => t.map((e) => e.sequence).join() === '1,2')).toBe(true);
          // The open-key index is there and enforced: a new open action on a loaded key is refused.
          const loadedRepo = createPostgresRepository({ client: client(), schema: empty });
          const taken = await loadedRepo.commit(batch([create(action('b', { openKey: 'k1' }))]));
          expect(!taken.ok && taken.error.code === 'conflict' && taken.error.reason).toBe('openKeyTaken');
          expect(unwrap(await loadedRepo.findOpen('k1'))?.id).toBe('a00001');
        }
      },
    );

    it(
      'into an empty store: conflicts among the loaded rows, in any batch, name every offending action and write nothing',
      SLOW,
      async () => {
        const schema = await fresh();
        const before = await schemaShape(client(), schema);
        // The first of each pair in the first batch, the second in the last.
        const actions: ActionRecord[] = [
          ...Array.from({ length: 8 }, (_, i) => action(`c${i}`)),
          action('dup'),
          action('o1', { openKey: 'same' }),
          ...padded(REBUILD_FROM),
          action('dup'),
          action('o2', { openKey: 'same' }),
          action('closed', { openKey: 'same', status: 'succeeded' }),
        ];
        const events: AuditEvent[] = [
          event('c0', 1),
          event('nowhere', 1),
          event('c1', 1),
          { ...event('c2', 1), id: asId('c1-e1') },
          event('c3', 1),
          { ...event('c3', 1), id: asId('c3-again') },
        ];
        const r = await bulkLoad(client(), { actions, events }, { schema, batchSize: 400 });
        expect(r.ok).toBe(false);
        const conflict = !r.ok && r.error.code === 'conflict' ? r.error : null;
        expect(conflict?.reason).toBe('alreadyExists');
        expect([...(conflict?.actionIds ?? [])].sort()).toEqual(['c2', 'c3', 'dup', 'nowhere', 'o2']);
        expect(await rowCounts(client(), schema)).toEqual([0, 0]);
        expect(await schemaShape(client(), schema)).toEqual(before);
        // Each reason alone.
        const open = await bulkLoad(
          client(),
          { actions: [action('o1', { openKey: 'same' }), action('o2', { openKey: 'same' })], events: [] },
          { schema, batchSize: 1 },
        );
        expect(!open.ok && open.error.code === 'conflict' && [open.error.reason, open.error.actionIds]).toEqual([
          'openKeyTaken',
          ['o2'],
        ]);
        const orphan = await bulkLoad(client(), { actions: [action('x')], events: [event('y', 1)] }, { schema });
        expect(!orphan.ok && orphan.error.code === 'conflict' && [orphan.error.reason, orphan.error.actionIds]).toEqual(
          ['staleVersion', ['y']],
        );
        expect(await rowCounts(client(), schema)).toEqual([0, 0]);
      },
    );

    it(
      'into an empty store: a record reads would refuse, in a later batch, is corruptRecord and writes nothing',
      SLOW,
      async () => {
        const schema = await fresh();
        const before = await schemaShape(client(), schema);
        const actions = [
          ...Array.from({ length: 9 }, (_, i) => action(`d${i}`)),
          { ...action('bad'), status: 'nonsense' },
        ];
        for (const load of [actions, [...padded(REBUILD_FROM), ...actions]]) {
          const r = await bulkLoad(
            client(),
            { actions: load as ActionRecord[], events: [] },
            { schema, batchSize: 3 + (load.length > 10 ? 500 : 0) },
          );
          expect(!r.ok && r.error.code === 'corruptRecord' && r.error.actionId).toBe('bad');
        }
        const badEvent = { ...event('d0', 1), sequence: -1 };
        const e = await bulkLoad(
          client(),
          { actions: actions.slice(0, 9) as ActionRecord[], events: [badEvent] },
          { schema },
        );
        expect(!e.ok && e.error.code).toBe('corruptRecord');
        const hostile = new Proxy(
          {},
          {
            get: () => {
              throw new Error('boom');
            },
          },
        ) as ActionRecord;
        const h = await bulkLoad(client(), { actions: [action('d0'), hostile], events: [] }, { schema, batchSize: 1 });
        expect(!h.ok && h.error.code).toBe('invalidInput');
        // Events are put in feed order before they are validated: a hostile one is still invalid input.
        const hostileEvent = hostile as unknown as AuditEvent;
        const he = await bulkLoad(
          client(),
          { actions: [action('d0'), action('d1')], events: [event('d0', 1), hostileEvent, event('d1', 1)] },
          { schema },
        );
        expect(!he.ok && he.error.code).toBe('invalidInput');
        expect(await rowCounts(client(), schema)).toEqual([0, 0]);
        expect(await schemaShape(client(), schema)).toEqual(before);
      },
    );

    it(
      'into an empty store: a statement failing mid-way writes nothing and leaves the indexes as they were',
      SLOW,
      async () => {
        const schema = await fresh();
        // A constraint of the operator's that only the third batch breaks.
        await client().query(
          `ALTER TABLE "${schema}".actioncenter_actions ADD CONSTRAINT no_boom CHECK (id <> 'boom')`,
        );
        const before = await schemaShape(client(), schema);
        // Small and large loads (the indexes kept, or dropped and made again).
        for (const actions of [[action('m0'), action('boom')], padded(REBUILD_FROM, action('boom'))]) {
          const events = actions.map((a) => event(a.id, 1));
          const r = await bulkLoad(client(), { actions, events }, { schema, batchSize: 500 });
          expect(!r.ok && r.error.code).toBe('repositoryUnavailable');
          expect(await rowCounts(client(), schema)).toEqual([0, 0]);
          expect(await schemaShape(client(), schema)).toEqual(before);
        }
        // And the store still loads.
        const actions = padded(REBUILD_FROM);
        const events = actions.map((a) => event(a.id, 1));
        expect(unwrap(await bulkLoad(client(), { actions, events }, { schema })).actions).toBe(REBUILD_FROM);
        expect(await rowCounts(client(), schema)).toEqual([REBUILD_FROM, REBUILD_FROM]);
        expect(await schemaShape(client(), schema)).toEqual(before);
      },
    );

    it(
      'property: any valid set of actions loads into an empty store and reads back as the commit path stores it',
      SLOW,
      async () => {
        const empty = await fresh();
        const used = await fresh();
        const statuses: readonly ActionStatus[] = ['pending', 'approved', 'running', 'succeeded', 'failed', 'rejected'];
        const itemArb = fc.record({
          status: fc.constantFrom(...statuses),
          openKey: fc.constantFrom(null, 'k\u00001', 'k2', '\u{1F600}', 'é'.repeat(300)),
          comment: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
          at: fc.integer({ min: 0, max: 1_000 }),
          events: fc.integer({ min: 0, max: 3 }),
        });
        const setArb = fc.uniqueArray(fc.tuple(fc.stringMatching(/^[a-z0-9\u00e9]{1,6}$/), itemArb), {
          selector: ([id]) => id,
          maxLength: 12,
        });
        await fc.assert(
          fc.asyncProperty(setArb, fc.integer({ min: 1, max: 5 }), async (items, batchSize) => {
            const seen = new Set<string>();
            const actions = items.map(([id, f]) => {
              // Open keys stay unique among open actions: this is a set of valid actions.
              const open = f.openKey !== null && ['pending', 'approved', 'running'].includes(f.status);
              const openKey = open && seen.has(f.openKey as string) ? null : f.openKey;
              if (open && openKey !== null) seen.add(openKey);
              return action(id, { status: f.status, openKey, requestComment: f.comment, createdAt: T0 + f.at });
            });
            const events = items.flatMap(([id, f]) => Array.from({ length: f.events }, (_, i) => event(id, i + 1)));
            for (const schema of [empty, used]) {
              await client().query(deleteAuditEventsSql(schema));
              await client().query(`DELETE FROM "${schema}".actioncenter_actions`);
            }
            unwrap(
              await createPostgresRepository({ client: client(), schema: used }).commit(
                batch([create(action('~first'))]),
              ),
            );
            unwrap(await bulkLoad(client(), { actions, events }, { schema: empty, batchSize }));
            unwrap(await bulkLoad(client(), { actions, events }, { schema: used, batchSize }));
            const ids = actions.map((a) => a.id as string);
            const loaded = await readBack(empty, ids);
            expect(loaded.actions.map((a) => a.id)).toEqual(ids);
            expect(loaded).toEqual(await readBack(used, ids));
          }),
          { numRuns: 15 },
        );
      },
    );
  });
}

suite('PGlite', sharedPGlite, []);

describe.skipIf(DATABASE_URL === undefined)('server (DATABASE_URL)', () => {
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 3 });
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }, 60_000);
  suite('server', () => pool, schemas);

  it(
    'regression (issue 14): two loads racing into one empty store: one loads, the other is a conflict, not a deadlock',
    SLOW,
    async () => {
      const schema = freshSchema('ac_load_race');
      schemas.push(schema);
      unwrap(await migrate(pool, { schema }));
      const pools = [0, 1].map(() => new pg.Pool({ connectionString: DATABASE_URL, max: 1 }));
      try {
        const actions = Array.from({ length: 50 }, (_, i) => action(`r${String(i).padStart(2, '0')}`));
        for (let round = 0; round < 10; round++) {
          await pool.query(`DELETE FROM "${schema}".actioncenter_actions`);
          const results = await Promise.all(pools.map((p) => bulkLoad(p, { actions, events: [] }, { schema })));
          expect(results.filter((r) => r.ok)).toHaveLength(1);
          const refused = results.find((r) => !r.ok);
          expect(
            refused !== undefined && !refused.ok && refused.error.code === 'conflict' && refused.error.reason,
          ).toBe('alreadyExists');
          expect(await rowCounts(pool, schema)).toEqual([50, 0]);
        }
      } finally {
        for (const p of pools) await p.end();
      }
    },
  );

  it(
    'a role that does not own the tables loads a large set into an empty store with the indexes in place',
    SLOW,
    async () => {
      const schema = freshSchema('ac_load_guest');
      schemas.push(schema);
      unwrap(await migrate(pool, { schema }));
      const role = `ac_load_guest_${process.pid}`;
      await pool.query(`CREATE ROLE ${role}`);
      const guest = new pg.Pool({ connectionString: DATABASE_URL, max: 1, options: `-c role=${role}` });
      try {
        await pool.query(`GRANT USAGE ON SCHEMA "${schema}" TO ${role}`);
        await pool.query(`GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA "${schema}" TO ${role}`);
        const before = await schemaShape(pool, schema);
        const actions = Array.from({ length: REBUILD_FROM + 10 }, (_, i) => action(`g${String(i).padStart(5, '0')}`));
        const events = actions.map((a) => event(a.id, 1));
        const r = unwrap(await bulkLoad(guest, { actions, events }, { schema, batchSize: 1_000 }));
        expect(r.actions).toBe(REBUILD_FROM + 10);
        expect(await rowCounts(pool, schema)).toEqual([REBUILD_FROM + 10, REBUILD_FROM + 10]);
        expect(await schemaShape(pool, schema)).toEqual(before);
      } finally {
        await guest.end();
        await pool.query(`DROP OWNED BY ${role}`);
        await pool.query(`DROP ROLE ${role}`);
      }
    },
  );
});
