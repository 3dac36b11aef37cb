/**
 * Workers on pg-boss (issue 15): throughput with 1, 2 and 4 worker processes against a simulated
 * executor with 50 ms latency (I/O-bound, as real dispatch is), and the added cost per action of
 * going through the queue (enqueue in the approval's commit + claim + complete).
 *
 *   DATABASE_URL=postgres://... node --import tsx bench/workers.ts [--quick] [--per-process N] [--json]
 *
 * `npm run bench` runs it as its `workers` case (with `--json`) when DATABASE_URL is set.
 *
 * Throughput: the worker processes (test/support/workers/worker-process.ts, `concurrency` 1 each
 * by default) are started and ready, idle; N actions are submitted and approved (untimed: each approval
 * enqueues its jobs in its commit); then timed: from `go` to every job completed (claimed,
 * executed, recorded, completed). Target: 4 workers >= 3x one worker (per action: 4 workers' time
 * <= a third of one worker's).
 *
 * Added cost: one action at a time, in this process, with an executor answering at once: approve
 * with the enqueue hook, fetch the job, `center.resume`, complete the job, against approve without
 * the hook and `center.resume`. The difference of the medians is the queue's cost per action.
 *
 * @module
 */
import pg from 'pg';
import { unwrap, type ActionCenter, type ActionExecutor, type PrincipalInput } from 'actioncenter';
import { createActionCenter, randomIdGenerator } from 'actioncenter';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import { pgBossEnqueue, readActionJob } from 'actioncenter/pg-boss';
import { bossOf, settingsEnv, type ProcessSettings } from '../test/support/workers/setup.js';
import { startChild, type Child } from '../test/support/workers/spawn.js';
import { compare, count, formatTable, statsOf, timeRow, type BenchRow } from './harness.js';

const DATABASE_URL = process.env['DATABASE_URL'];
if (DATABASE_URL === undefined || DATABASE_URL === '') {
  console.log('bench/workers.ts needs a PostgreSQL server: set DATABASE_URL (skipped)');
  process.exit(0);
}
const quick = process.argv.includes('--quick');
const ACTIONS = quick ? 60 : 200;
const RUNS = quick ? 1 : 5;
const WARMUP = quick ? 0 : 1;
// How many jobs each worker process works on at once: `--per-process N` (default 1: one job at a
// time per process, so adding processes is what adds throughput).
const perProcessArg = process.argv.indexOf('--per-process');
const PER_PROCESS = perProcessArg === -1 ? 1 : Number(process.argv[perProcessArg + 1]);
const LATENCY_MS = 50;
const COST_SAMPLES = quick ? 30 : 200;
const GROUP = 'Workers on pg-boss (50 ms executor)';

const alice: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};
const stamp = `${process.pid}_${Date.now().toString(36)}`;
const schema = `ac_bench_workers_${stamp}`;
const settings: ProcessSettings = {
  databaseUrl: DATABASE_URL,
  schema,
  bossSchema: `${schema}_boss`,
  queue: 'actions',
  callsTable: `"${schema}".executor_calls`,
};
const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });

let devices = 0;
async function submitPending(center: ActionCenter, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    devices += 1;
    const r = await center.submit({
      request: {
        actionType: 'quarantineFile',
        target: {
          kind: 'file',
          deviceId: `dev-${devices}`,
          deviceName: `device-${devices}`,
          deviceGroup: 'Workstations',
          path: 'C:\\Users\\alex\\invoice.exe',
          sha1: 'ab'.repeat(20),
        },
        source: 'automatedDeviceAction',
        verdict: 'suspicious',
        investigationId: 'inv-bench',
        requestedBy: { type: 'system', component: 'automatedInvestigation' },
      },
    });
    ids.push(unwrap(r).action.id);
  }
  return ids;
}

async function pendingJobs(): Promise<number> {
  const r = await admin.query(
    `SELECT count(*)::int AS n FROM "${settings.bossSchema}".job WHERE name = $1 AND state <> 'completed'`,
    [settings.queue],
  );
  return Number(r.rows[0]?.['n'] ?? 0);
}

/** Throughput with `processes` worker processes: ms per run of ACTIONS actions. */
async function throughput(processes: number, center: ActionCenter): Promise<number[]> {
  const env = {
    ...settingsEnv(settings),
    AC_CONCURRENCY: String(PER_PROCESS),
    AC_LATENCY_MS: String(LATENCY_MS),
    AC_WAIT_FOR_GO: '1',
  };
  const children: Child[] = [];
  for (let i = 0; i < processes; i++) children.push(startChild('worker-process.ts', env));
  await Promise.all(children.map((c) => c.line((l) => l === 'ready', 120_000)));
  const samples: number[] = [];
  try {
    for (let run = 0; run < WARMUP + RUNS; run++) {
      // Untimed: the jobs are queued by the approvals (each commit enqueues its own).
      const ids = await submitPending(center, ACTIONS);
      for (let i = 0; i < ids.length; i += 100) {
        unwrap(await center.approve({ principal: alice, ids: ids.slice(i, i + 100) }));
      }
      const t0 = performance.now();
      for (const c of children) c.send('go');
      while ((await pendingJobs()) > 0) await new Promise((r) => setTimeout(r, 20));
      if (run >= WARMUP) samples.push(performance.now() - t0);
      // Idle again before the next run's queue is filled.
      for (const c of children) c.send('pause');
      const end = Date.now() + 120_000;
      while (children.some((c) => c.lines().filter((l) => l === 'paused').length <= run)) {
        if (Date.now() > end) throw new Error('the workers did not pause');
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  } finally {
    for (const c of children) c.process.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
  }
  return samples;
}

/** One action at a time: through the queue, and directly; ms per action. */
async function addedCost(): Promise<{ queued: number[]; direct: number[] }> {
  const boss = bossOf(settings, false);
  await boss.start();
  const now: ActionExecutor = { supports: () => true, execute: () => Promise.resolve({ status: 'succeeded' }) };
  const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const make = (hook: boolean) =>
    createActionCenter({
      repository: createPostgresRepository({
        client: pool,
        schema,
        ...(hook ? { beforeCommit: pgBossEnqueue({ boss, queue: settings.queue }) } : {}),
      }),
      executor: now,
      idGenerator: randomIdGenerator,
    });
  const queued = make(true);
  const direct = make(false);
  const samples = { queued: [] as number[], direct: [] as number[] };
  try {
    const a = await submitPending(queued, COST_SAMPLES);
    const b = await submitPending(direct, COST_SAMPLES);
    for (let i = 0; i < COST_SAMPLES; i++) {
      // Interleaved, so that drift on a loaded machine hits both alike.
      let t0 = performance.now();
      unwrap(await queued.approve({ principal: alice, ids: [a[i] as string] }));
      const [job] = await boss.fetch(settings.queue, { batchSize: 1 });
      if (job === undefined) throw new Error('no job after the approval');
      unwrap(await queued.resume({ id: unwrap(readActionJob(job.data)).actionId }));
      await boss.complete(settings.queue, job.id);
      samples.queued.push(performance.now() - t0);
      t0 = performance.now();
      unwrap(await direct.approve({ principal: alice, ids: [b[i] as string] }));
      unwrap(await direct.resume({ id: b[i] as string }));
      samples.direct.push(performance.now() - t0);
    }
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await pool.end();
  }
  return samples;
}

async function main(): Promise<void> {
  unwrap(await migrate(admin, { schema }));
  await admin.query(`CREATE TABLE ${settings.callsTable} (action_id text NOT NULL, pid integer NOT NULL)`);
  const boss = bossOf(settings, false);
  await boss.start();
  await boss.createQueue(settings.queue, { name: settings.queue, expireInSeconds: 60, retryLimit: 5 });
  const apiPool = new pg.Pool({ connectionString: DATABASE_URL, max: 4 });
  const center = createActionCenter({
    repository: createPostgresRepository({
      client: apiPool,
      schema,
      beforeCommit: pgBossEnqueue({ boss, queue: settings.queue }),
    }),
    idGenerator: randomIdGenerator,
  });
  const rows: BenchRow[] = [];
  try {
    const size = `${count(ACTIONS)} actions`;
    const by = new Map<number, ReturnType<typeof statsOf>>();
    for (const processes of [1, 2, 4]) by.set(processes, statsOf(await throughput(processes, center), 'ms', ACTIONS));
    const one = by.get(1);
    for (const processes of [1, 2, 4]) {
      const stats = by.get(processes);
      const comparisons =
        processes === 1 || one === undefined || stats === undefined
          ? []
          : [compare(stats, '1 worker', one, processes === 4 ? { maxRatio: 1 / 3, words: '≥ 3x one worker' } : null)];
      rows.push(
        timeRow(
          GROUP,
          `${processes} worker process${processes === 1 ? '' : 'es'} x ${PER_PROCESS} jobs at once`,
          size,
          stats,
          comparisons,
        ),
      );
    }
    const cost = await addedCost();
    const queued = statsOf(cost.queued, 'ms', 1);
    const direct = statsOf(cost.direct, 'ms', 1);
    const added = queued.median - direct.median;
    rows.push(
      timeRow(
        'Queue cost per action',
        'approve + enqueue + claim + resume + complete',
        `${count(COST_SAMPLES)} actions, one at a time`,
        queued,
        [compare(queued, 'approve + resume, no queue', direct)],
        `added cost (enqueue + claim + complete): median ${added.toFixed(2)} ms per action`,
      ),
    );
    rows.push(
      timeRow(
        'Queue cost per action',
        'baseline: approve + resume, no queue',
        `${count(COST_SAMPLES)} actions`,
        direct,
      ),
    );
  } finally {
    await boss.stop({ graceful: false, wait: true });
    await apiPool.end();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.query(`DROP SCHEMA IF EXISTS "${settings.bossSchema}" CASCADE`);
    await admin.end();
  }
  // `--json`: the rows for `npm run bench` (bench/index.ts runs this file as its `workers` case).
  if (process.argv.includes('--json')) console.log(`BENCH_ROWS ${JSON.stringify(rows)}`);
  else console.log(formatTable(rows, !quick));
}

await main();
