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
  /** Reads back the actions and audit trails of `ids`. */
  const readBack = async (schema: string, ids: readonly string[]) => {
    const repo = createPostgresRepository({ client: client(), schema });
    const actions = unwrap(await repo.getMany(ids));
    const trails: (readonly AuditEvent[])[] = [];
    for (const id of ids) trails.push(unwrap(await repo.auditTrail(asId(id))));
    return { actions, trails };
  };

  describe(name, () => {
    it(
      'into an empty store: reads return what the commit path stores, every index and constraint as before',
      SLOW,
      async () => {
        const empty = await fresh();
        const used = await fresh();
        const before = await schemaShape(client(), empty);
        const actions = Array.from({ length: 23 }, (_, i) =>
          action(`a${String(i).padStart(2, '0')}`, { openKey: `k${i}`, status: i % 3 === 0 ? 'succeeded' : 'pending' }),
        );
        const events = actions.flatMap((a) => [event(a.id, 1), event(a.id, 2)]);
        const r = unwrap(await bulkLoad(client(), { actions, events }, { schema: empty, batchSize: 5 }));
        expect(r).toEqual({ actions: 23, events: 46, batches: 5 });
        expect(await schemaShape(client(), empty)).toEqual(before);
        // The same load through the commit path (the store holds an action already).
        const repo = createPostgresRepository({ client: client(), schema: used });
        unwrap(await repo.commit(batch([create(action('zz-first'))])));
        unwrap(await bulkLoad(client(), { actions, events }, { schema: used, batchSize: 5 }));
        const ids = actions.map((a) => a.id);
        const loaded = await readBack(empty, ids);
        expect(loaded.actions.map((a) => a.id)).toEqual(ids);
        expect(loaded).toEqual(await readBack(used, ids));
        expect(loaded.trails.every((t) => t.map((e) => e.sequence).join() === '1,2')).toBe(true);
        // The open-key index is there and enforced: a new open action on a loaded key is refused.
        const taken = await createPostgresRepository({ client: client(), schema: empty }).commit(
          batch([create(action('b', { openKey: 'k1' }))]),
        );
        expect(!taken.ok && taken.error.code === 'conflict' && taken.error.reason).toBe('openKeyTaken');
        expect(unwrap(await createPostgresRepository({ client: client(), schema: empty }).findOpen('k1'))?.id).toBe(
          'a01',
        );
      },
    );

    it(
      'into an empty store: conflicts among the loaded rows, in any batch, name every offending action and write nothing',
      SLOW,
      async () => {
        const schema = await fresh();
        const before = await schemaShape(client(), schema);
        const actions: ActionRecord[] = [
          ...Array.from({ length: 8 }, (_, i) => action(`c${i}`)),
          action('dup'),
          action('o1', { openKey: 'same' }),
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
        const r = await bulkLoad(client(), { actions, events }, { schema, batchSize: 4 });
        expect(r.ok).toBe(false);
        const conflict = !r.ok && r.error.code === 'conflict' ? r.error : null;
        expect(conflict?.reason).toBe('alreadyExists');
        expect([...(conflict?.actionIds ?? [])].sort()).toEqual(['c2', 'c3', 'dup', 'nowhere', 'o2']);
        expect(await rowCounts(client(), schema)).toEqual([0, 0]);
        expect(await schemaShape(client(), schema)).toEqual(before);
        // Each reason alone.
        const open = await bulkLoad(client(), { actions: actions.slice(9, 13), events: [] }, { schema, batchSize: 1 });
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
        const r = await bulkLoad(
          client(),
          { actions: actions as ActionRecord[], events: [] },
          { schema, batchSize: 3 },
        );
        expect(!r.ok && r.error.code === 'corruptRecord' && r.error.actionId).toBe('bad');
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
        const actions = [...Array.from({ length: 6 }, (_, i) => action(`m${i}`)), action('boom')];
        const events = actions.map((a) => event(a.id, 1));
        const r = await bulkLoad(client(), { actions, events }, { schema, batchSize: 3 });
        expect(!r.ok && r.error.code).toBe('repositoryUnavailable');
        expect(await rowCounts(client(), schema)).toEqual([0, 0]);
        expect(await schemaShape(client(), schema)).toEqual(before);
        // And the store still loads.
        const ok = unwrap(
          await bulkLoad(client(), { actions: actions.slice(0, 6), events: events.slice(0, 6) }, { schema }),
        );
        expect(ok.actions).toBe(6);
        expect(await rowCounts(client(), schema)).toEqual([6, 6]);
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
              await client().query(`DELETE FROM "${schema}".actioncenter_audit_events`);
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
});
