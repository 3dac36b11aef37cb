/**
 * actioncenter/postgres on a real PostgreSQL server (DATABASE_URL; .ci/run starts PostgreSQL 15 and
 * sets it): `pg` Pool and Client, several application instances (engines on their own connection
 * pools) racing on one database, concurrent migrations, and a server that cannot be reached.
 * Without DATABASE_URL these tests are skipped, and the reason is printed.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActionCenter,
  manualClock,
  randomIdGenerator,
  unwrap,
  type ActionCenter,
  type ActionRecord,
  type ActionRequestInput,
  type PrincipalInput,
} from 'actioncenter';
import { asId, referenceQuery, resolveQuery } from 'actioncenter/adapter-kit';
import { SCHEMA_VERSION, createPostgresRepository, migrate, type PostgresRepository } from 'actioncenter/postgres';
import {
  DATABASE_URL,
  T0,
  action,
  batch,
  conflictOf,
  create,
  event,
  freshSchema,
  update,
  warnWhenNoServer,
} from './postgres-fixtures.js';

warnWhenNoServer('postgres.server.test.ts');

const admin = (id: string): PrincipalInput => ({
  id,
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
});
const alice = admin('alice@contoso.com');
const bob = admin('bob@contoso.com');

function quarantine(device: string, idempotencyKey: string | null = null): ActionRequestInput {
  return {
    actionType: 'quarantineFile',
    target: {
      kind: 'file',
      deviceId: `dev-${device}`,
      deviceName: device,
      deviceGroup: 'Workstations',
      path: 'C:\\Users\\alex\\invoice.exe',
      sha1: 'ab'.repeat(20),
    },
    source: 'automatedDeviceAction',
    verdict: 'suspicious',
    investigationId: 'inv-1',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
    idempotencyKey,
  };
}

describe.runIf(DATABASE_URL !== undefined)('on the PostgreSQL server (DATABASE_URL)', () => {
  const schemas: string[] = [];
  const pools: pg.Pool[] = [];
  const newPool = (max = 5) => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max });
    pools.push(pool);
    return pool;
  };
  let admin: pg.Pool;

  beforeAll(() => {
    admin = newPool(2);
  });
  afterAll(async () => {
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(pools.map((p) => p.end()));
  });

  /** A migrated fresh schema; engines are built on their own pools, like separate application instances. */
  async function database(): Promise<string> {
    const schema = freshSchema('ac_server');
    schemas.push(schema);
    unwrap(await migrate(admin, { schema }));
    return schema;
  }

  function instance(
    schema: string,
    clock = manualClock(T0),
  ): { center: ActionCenter; repository: PostgresRepository; pool: pg.Pool } {
    const pool = newPool();
    const repository = createPostgresRepository({ client: pool, schema });
    return { center: createActionCenter({ repository, clock, idGenerator: randomIdGenerator }), repository, pool };
  }

  it('the server is PostgreSQL 15 or later', async () => {
    const r = await admin.query<{ server_version_num: string }>('SHOW server_version_num');
    expect(Number(r.rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
  });

  it('concurrent migrations from several instances: one applies, the others find it done', async () => {
    const schema = freshSchema('ac_server');
    schemas.push(schema);
    const reports = await Promise.all(
      [newPool(1), newPool(1), newPool(1)].map(async (pool) => unwrap(await migrate(pool, { schema }))),
    );
    expect(reports.map((r) => r.applied.length).sort()).toEqual([0, 0, SCHEMA_VERSION]);
  });

  it('works on a pg Pool and on a pg Client (one connection, used in turns)', async () => {
    const schema = await database();
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const onPool = createPostgresRepository({ client: newPool(), schema });
      const onClient = createPostgresRepository({ client, schema });
      const actions = Array.from({ length: 30 }, (_, i) =>
        action(`a${i}`, { createdAt: T0 + (i % 7), status: i % 4 === 0 ? 'pending' : 'succeeded' }),
      );
      // Concurrent commits on the one connection never interleave their transactions.
      const results = await Promise.all(actions.map((a) => onClient.commit(batch([create(a)], [event(a.id, 1)]))));
      for (const r of results) expect(r.ok).toBe(true);
      const q = unwrap(
        resolveQuery(
          {
            filter: { view: 'history' },
            sort: { column: 'createdAt', direction: 'desc' },
            page: { size: 4, index: 2 },
          },
          T0 + 1e6,
        ),
      );
      expect(unwrap(await onPool.query(q))).toEqual(referenceQuery(actions, q));
      expect(unwrap(await onClient.query(q))).toEqual(referenceQuery(actions, q));
      const stale = await onPool.commit(
        batch([update(actions[0] as ActionRecord, {}), update(actions[1] as ActionRecord, {}, 9)]),
      );
      expect(conflictOf(stale)).toMatchObject({ reason: 'staleVersion', actionIds: ['a1'] });
    } finally {
      await client.end();
    }
  });

  it('two engines on two pools racing on the same approvals: exactly one decision wins per action, the audit trail shows one each', async () => {
    const schema = await database();
    const first = instance(schema);
    const second = instance(schema);
    const submitted: string[] = [];
    for (let i = 0; i < 40; i++)
      submitted.push(unwrap(await first.center.submit({ request: quarantine(`LAPTOP-${i}`) })).action.id);
    // Each engine decides every action: one by one, in its own order, and in bulk batches.
    const oneByOne = (
      center: ActionCenter,
      principal: PrincipalInput,
      ids: readonly string[],
      operation: 'approve' | 'reject',
    ) => Promise.all(ids.map((id) => center[operation]({ principal, ids: [id] })));
    const inBulk = (
      center: ActionCenter,
      principal: PrincipalInput,
      ids: readonly string[],
      operation: 'approve' | 'reject',
    ) => Promise.all([ids.slice(0, 20), ids.slice(20)].map((chunk) => center[operation]({ principal, ids: chunk })));
    const results = await Promise.all([
      oneByOne(first.center, alice, submitted, 'approve'),
      inBulk(second.center, bob, [...submitted].reverse(), 'reject'),
      oneByOne(second.center, bob, submitted.slice(10, 30), 'approve'),
    ]);
    const outcomes = new Map<string, string[]>();
    for (const r of results.flat()) {
      const bulk = unwrap(r);
      for (const item of bulk.items)
        outcomes.set(item.actionId, [...(outcomes.get(item.actionId) ?? []), item.outcome]);
    }
    let conflicts = 0;
    for (const id of submitted) {
      const got = outcomes.get(id) ?? [];
      expect(
        got.filter((o) => o === 'applied'),
        `${id}: ${got.join(', ')}`,
      ).toHaveLength(1);
      for (const o of got) expect(['applied', 'conflict', 'invalidState']).toContain(o);
      conflicts += got.filter((o) => o === 'conflict').length;
      const trail = unwrap(await first.repository.auditTrail(asId(id)));
      expect(trail.filter((e) => e.type === 'approve' || e.type === 'reject')).toHaveLength(1);
      expect(trail.map((e) => e.sequence)).toEqual([1, 2]);
      const stored = unwrap(await second.repository.get(asId(id)));
      expect(stored?.version).toBe(2);
      expect(stored?.decidedBy).toEqual(trail[1]?.actor);
    }
    // The race is real: some decisions lost to a concurrent commit, not only to a later read.
    expect(conflicts).toBeGreaterThan(0);
  }, 60_000);

  it('two instances submitting the same action at once open it once (open key) and claim an idempotency key once', async () => {
    const schema = await database();
    const first = instance(schema);
    const second = instance(schema);
    const same = await Promise.all([
      first.center.submit({ request: quarantine('SRV-1') }),
      second.center.submit({ request: quarantine('SRV-1') }),
    ]);
    expect(same.filter((r) => r.ok)).toHaveLength(1);
    expect(same.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'duplicateOpenAction' } });
    const keyed = await Promise.all([
      first.center.submit({ request: quarantine('SRV-2', 'req-7') }),
      second.center.submit({ request: quarantine('SRV-2', 'req-7') }),
    ]);
    const dispositions = keyed.map((r) => unwrap(r).disposition).sort();
    expect(dispositions).toEqual(['pending', 'replayed']);
    expect(unwrap(keyed[0]).action.id).toBe(unwrap(keyed[1]).action.id);
    const all = unwrap(await first.repository.query(unwrap(resolveQuery({}, T0 + 1))));
    expect(all.total).toBe(2);
  });

  it('bulk approve of 2,000 actions is one commit on the server', async () => {
    const schema = await database();
    const { repository, center } = instance(schema);
    const actions = Array.from({ length: 2000 }, (_, i) => ({
      ...action(`bulk-${String(i).padStart(4, '0')}`),
      approvalId: asId<NonNullable<ActionRecord['approvalId']>>(`apr-${i}`),
      expiresAt: T0 + 7 * 24 * 3600 * 1000,
    }));
    unwrap(
      await repository.commit(
        batch(
          actions.map(create),
          actions.map((a) => event(a.id, 1)),
        ),
      ),
    );
    const approved = unwrap(await center.approve({ principal: alice, ids: actions.map((a) => a.id) }));
    expect(approved.counts.applied).toBe(2000);
    expect(
      unwrap(await repository.query(unwrap(resolveQuery({ filter: { status: ['approved'] } }, T0 + 1)))).total,
    ).toBe(2000);
  }, 60_000);

  it('a row edited by hand is a corruptRecord error on the server too', async () => {
    const schema = await database();
    const { repository } = instance(schema);
    unwrap(await repository.commit(batch([create(action('a'))])));
    await admin.query(`UPDATE "${schema}".actioncenter_actions SET record = record - 'createdAt'`);
    const r = await repository.get(asId('a'));
    expect(!r.ok && r.error).toMatchObject({ code: 'corruptRecord', actionId: 'a' });
  });

  it('migrate refuses a database that is not UTF8, and creates nothing in it', async () => {
    const name = `actioncenter_ascii_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`);
    const url = new URL(DATABASE_URL as string);
    url.pathname = `/${name}`;
    const ascii = new pg.Pool({ connectionString: url.toString(), max: 1 });
    try {
      const r = await migrate(ascii);
      expect(!r.ok && r.error).toMatchObject({ code: 'repositoryUnavailable' });
      expect(!r.ok && r.error.message).toMatch(/encoding is SQL_ASCII.*needs UTF8/);
      const tables = await ascii.query(
        `SELECT count(*)::int AS n FROM pg_catalog.pg_tables WHERE tablename LIKE 'actioncenter%'`,
      );
      expect(tables.rows[0]?.['n']).toBe(0);
      expect((await migrate(admin, { schema: await database() })).ok).toBe(true);
    } finally {
      await ascii.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    }
  });
});

describe('a server that cannot be reached', () => {
  it('is repositoryUnavailable from every method, never an exception', async () => {
    // Port 1 on loopback: nothing listens there.
    const pool = new pg.Pool({
      connectionString: 'postgres://postgres@127.0.0.1:1/none',
      connectionTimeoutMillis: 2000,
    });
    try {
      const repo = createPostgresRepository({ client: pool });
      const results = await Promise.all([
        repo.get(asId('a')),
        repo.query(unwrap(resolveQuery({}, T0))),
        repo.commit(batch([create(action('a'))])),
      ]);
      for (const r of results) expect(!r.ok && r.error.code).toBe('repositoryUnavailable');
      const m = await migrate(pool);
      expect(!m.ok && m.error.message).toMatch(/ECONNREFUSED|connect/);
    } finally {
      await pool.end();
    }
  });
});
