/**
 * actioncenter/pg-boss on a real PostgreSQL server (DATABASE_URL; .ci/run starts one): approving
 * enqueues the job in the approval's transaction (a failed commit leaves neither), workers carry
 * jobs through `center.resume` (completed once recorded; final actions without an executor call;
 * malformed payloads and unknown actions refused, typed, and never retried), and a running action
 * whose executor is gone is executed again and recorded once. Skipped, saying why, without a server.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createActionCenter,
  randomIdGenerator,
  single,
  unwrap,
  type ActionCenter,
  type ActionExecutor,
} from 'actioncenter';
import { createPostgresRepository, migrate, type BeforeCommit } from 'actioncenter/postgres';
import { pgBossEnqueue, readActionJob, startWorkers, type PgBossLike, type WorkerFailure } from 'actioncenter/pg-boss';
import { DATABASE_URL, freshSchema, warnWhenNoServer } from './postgres-fixtures.js';
import { people, quarantine } from '../center/fixtures.js';

warnWhenNoServer('pg-boss.server.test.ts');

// The engine tests' principal and request (seed 002's Security Administrator, an automated quarantine).
const alice = people.secAdmin;

/** An executor that counts its calls per action; `hold` makes calls wait until `release()`. */
function countingExecutor(hold = false) {
  const calls = new Map<string, number>();
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const executor: ActionExecutor = {
    supports: () => true,
    async execute({ action }) {
      calls.set(action.id, (calls.get(action.id) ?? 0) + 1);
      if (hold) await gate;
      return { status: 'succeeded' };
    },
  };
  return { executor, calls, release: () => release() };
}

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.runIf(DATABASE_URL !== undefined)('actioncenter/pg-boss on the PostgreSQL server (DATABASE_URL)', () => {
  const pools: pg.Pool[] = [];
  const bosses: PgBoss[] = [];
  const schemas: string[] = [];
  let admin: pg.Pool;
  let queueCount = 0;

  beforeAll(() => {
    admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
  }, 60_000);
  afterAll(async () => {
    for (const boss of bosses) await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await Promise.all(pools.map((p) => p.end()));
    await admin.end();
  }, 120_000);

  /** A migrated schema, a started pg-boss (own schema) with a fresh queue, and a center enqueueing on it. */
  async function setup(options: { hook?: (enqueue: BeforeCommit) => BeforeCommit; executor?: ActionExecutor } = {}) {
    const schema = freshSchema('ac_pgboss');
    const bossSchema = `${schema}_boss`;
    schemas.push(schema, bossSchema);
    unwrap(await migrate(admin, { schema }));
    const boss = new PgBoss({
      connectionString: DATABASE_URL ?? '',
      schema: bossSchema,
      max: 3,
      supervise: false,
      schedule: false,
    });
    boss.on('error', () => undefined);
    bosses.push(boss);
    await boss.start();
    const queue = `actions${(queueCount += 1)}`;
    await boss.createQueue(queue, { name: queue, retryLimit: 3 });
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 5 });
    pools.push(pool);
    const enqueue: BeforeCommit = pgBossEnqueue({ boss, queue });
    const repository = createPostgresRepository({
      client: pool,
      schema,
      beforeCommit: options.hook === undefined ? enqueue : options.hook(enqueue),
    });
    const executor = options.executor ?? countingExecutor().executor;
    const center = createActionCenter({ repository, executor, idGenerator: randomIdGenerator });
    const jobs = async () =>
      (
        await admin.query<{ state: string; data: unknown }>(
          `SELECT state::text AS state, data FROM "${bossSchema}".job WHERE name = $1 ORDER BY created_on`,
          [queue],
        )
      ).rows;
    return { boss, queue, center, repository, jobs, pool, schema };
  }

  async function submitted(center: ActionCenter, devices: readonly string[]): Promise<string[]> {
    const ids: string[] = [];
    for (const d of devices) ids.push(unwrap(await center.submit({ request: quarantine(d) })).action.id);
    return ids;
  }

  const statusOf = async (center: ActionCenter, id: string) =>
    unwrap(await center.get({ principal: alice, id })).status;

  it('a real PgBoss is a PgBossLike', () => {
    const boss: PgBossLike = new PgBoss({ connectionString: DATABASE_URL ?? '' });
    expect(typeof boss.send).toBe('function');
  });

  it('approving enqueues one job { actionId } per approved action, in the same commit', async () => {
    const { center, jobs } = await setup();
    const ids = await submitted(center, ['d1', 'd2', 'd3']);
    expect(await jobs()).toEqual([]); // pending: no job
    const approved = unwrap(await center.approve({ principal: alice, ids }));
    expect(approved.allApplied).toBe(true);
    const rows = await jobs();
    expect(rows.map((r) => unwrap(readActionJob(r.data)).actionId).sort()).toEqual([...ids].sort());
    expect(rows.every((r) => r.state === 'created')).toBe(true);
  }, 120_000);

  it('a commit whose hook fails after the send leaves no job and no approval (repositoryUnavailable)', async () => {
    const { center, jobs } = await setup({
      hook: (enqueue) => async (tx, batch) => {
        await enqueue(tx, batch);
        if (batch.events.some((e) => e.to === 'approved')) throw new Error('hook failed after sending');
      },
    });
    const [id] = await submitted(center, ['d1']);
    const r = single(await center.approve({ principal: alice, ids: [id as string] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('repositoryUnavailable');
    expect(await statusOf(center, id as string)).toBe('pending');
    expect(await jobs()).toEqual([]);
  }, 120_000);

  it('a send that creates no job (no such queue) refuses the approval: no approved action without its job', async () => {
    const { center, jobs, boss } = await setup({
      hook: () => pgBossEnqueue({ boss: bosses[bosses.length - 1] as PgBoss, queue: 'no-such-queue' }),
    });
    expect(boss).toBeDefined();
    const [id] = await submitted(center, ['d1']);
    const r = single(await center.approve({ principal: alice, ids: [id as string] }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('repositoryUnavailable');
    expect(await statusOf(center, id as string)).toBe('pending');
    expect(await jobs()).toEqual([]);
  }, 120_000);

  it('two instances approving the same action at once: one wins, the loser commits nothing and sends no job', async () => {
    const first = await setup();
    const [id] = await submitted(first.center, ['c1']);
    const other = createActionCenter({
      repository: createPostgresRepository({
        client: first.pool,
        schema: first.schema,
        beforeCommit: pgBossEnqueue({ boss: first.boss, queue: first.queue }),
      }),
      idGenerator: randomIdGenerator,
    });
    const results = await Promise.all(
      [first.center, other].map(async (c) => single(await c.approve({ principal: alice, ids: [id as string] }))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await statusOf(first.center, id as string)).toBe('approved');
    expect((await first.jobs()).map((j) => unwrap(readActionJob(j.data)).actionId)).toEqual([id]);
  }, 120_000);

  it('workers run every approved action once, complete the jobs, and skip the executor for final actions', async () => {
    const counting = countingExecutor();
    const { center, jobs, boss, queue } = await setup({ executor: counting.executor });
    const ids = await submitted(center, ['w1', 'w2', 'w3', 'w4', 'w5']);
    unwrap(await center.approve({ principal: alice, ids }));
    const failures: WorkerFailure[] = [];
    const workers = unwrap(
      startWorkers({ boss, center, queue, concurrency: 3, pollIntervalMs: 50, onError: (f) => failures.push(f) }),
    );
    try {
      await until('every job completed', async () => (await jobs()).every((j) => j.state === 'completed'));
      for (const id of ids) expect(await statusOf(center, id)).toBe('succeeded');
      expect([...counting.calls.values()]).toEqual([1, 1, 1, 1, 1]);
      // A second job for a final action (at least once delivery): completed, no executor call.
      await boss.send(queue, { actionId: ids[0] });
      await until('the duplicate job completed', async () => (await jobs()).every((j) => j.state === 'completed'));
      expect(counting.calls.get(ids[0] as string)).toBe(1);
      expect(failures).toEqual([]);
      expect(workers.stats()).toMatchObject({ completed: 6, failed: 0, cancelled: 0 });
    } finally {
      await workers.stop();
    }
  }, 120_000);

  it('a malformed job payload or an unknown action: a typed error, nothing changed, the job cancelled (no retry)', async () => {
    const counting = countingExecutor();
    const { center, jobs, boss, queue } = await setup({ executor: counting.executor });
    const [pending] = await submitted(center, ['m1']);
    const failures: WorkerFailure[] = [];
    await boss.send(queue, { actionId: 42 });
    await boss.send(queue, { actionId: pending, extra: true });
    await boss.send(queue, { actionId: 'no-such-action' });
    const workers = unwrap(startWorkers({ boss, center, queue, pollIntervalMs: 50, onError: (f) => failures.push(f) }));
    try {
      await until('three jobs refused', async () => (await jobs()).every((j) => j.state === 'cancelled'));
    } finally {
      await workers.stop();
    }
    expect(failures.map((f) => [f.error.code, f.job]).sort()).toEqual([
      ['invalidInput', 'cancelled'],
      ['invalidInput', 'cancelled'],
      ['notFound', 'cancelled'],
    ]);
    expect(await statusOf(center, pending as string)).toBe('pending');
    expect(counting.calls.size).toBe(0);
  }, 120_000);

  it('resume: a running action whose executor is gone is executed again and recorded once', async () => {
    const held = countingExecutor(true);
    const first = await setup({ executor: held.executor });
    const [id] = await submitted(first.center, ['r1']);
    unwrap(await first.center.approve({ principal: alice, ids: [id as string] }));
    // The first "process" starts it and hangs in the executor (as a killed worker would, forever).
    const hanging = first.center.resume({ id: id as string });
    await until('the action running', async () => (await statusOf(first.center, id as string)) === 'running');
    // Another process (its own center: no executor of it holds the action) takes the retried job.
    const again = countingExecutor();
    const other = createActionCenter({
      repository: first.repository,
      executor: again.executor,
      idGenerator: randomIdGenerator,
    });
    const r = unwrap(await other.resume({ id: id as string }));
    expect(r).toEqual({ id, outcome: 'succeeded', status: 'succeeded' });
    expect(again.calls.get(id as string)).toBe(1);
    // The first executor answers late: its outcome is not recorded a second time.
    held.release();
    expect(unwrap(await hanging)).toMatchObject({ outcome: 'discarded', status: 'succeeded' });
    const trail = unwrap(await other.auditTrail({ principal: alice, id: id as string }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'approve', 'start', 'succeed']);
    expect(trail.map((e) => e.sequence)).toEqual([1, 2, 3, 4]);
    expect(trail[3]?.details).toMatchObject({ resumed: true });
    // Final now: resuming again changes nothing and calls nothing.
    expect(unwrap(await other.resume({ id: id as string }))).toEqual({ id, outcome: 'unchanged', status: 'succeeded' });
    expect(again.calls.get(id as string)).toBe(1);
  }, 120_000);

  it('resume refuses malformed input and unknown ids, typed', async () => {
    const { center } = await setup();
    expect(await center.resume({ id: 7 } as never)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    expect(await center.resume(null as never)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    expect(await center.resume({ id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'notFound', actionId: 'nope' },
    });
  }, 120_000);
});
