/**
 * Timers (issue 15): a tick over 1,000,000 stored actions with nothing due. A fifth of them are
 * pending (expiring within the week) and a twentieth running (deadline within the hour), the rest
 * final, as in a large, busy action center: the sweep must find that nothing is due.
 *
 * Subjects: `center.expire()` and `center.run()`, which find expiries and deadlines through the
 * store's due index (`repository.due`), and `repository.due` alone. Baseline in the same run:
 * today's full scan, as `expire` and `run` did it before issue 15 (every pending action, then
 * every running one, read a page of 1,000 at a time through `repository.query` sorted by creation,
 * each checked against the clock), and, for `run`, the approved actions both read.
 *
 * Memory always; PostgreSQL on DATABASE_URL's server (1,000,000 actions) or, without it, on PGlite
 * in process (100,000), in a schema of its own (`actioncenter_bench_due_<size>`, kept on a server).
 *
 * @module
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  createActionCenter,
  createMemoryRepository,
  manualClock,
  sequentialIdGenerator,
  type ActionCenter,
  type ActionRecord,
  type ActionRepository,
  type ActionStatus,
  type AuditEvent,
} from '../../src/index.js';
import { resolveQuery, type ResolvedQuery } from '../../src/adapter-kit.js';
import { bulkLoad, createPostgresRepository, migrate, type PostgresClient } from '../../src/adapters/postgres/index.js';
import { databaseOf } from '../../src/adapters/postgres/client.js';
import { DAY, NOW, historyActions } from '../data.js';
import { compare, count, measureVariants, timeRow, type BenchOptions, type BenchRow, type Stats } from '../harness.js';

const HOUR = 3_600_000;

/** History data with a fifth pending (expiring in 1-7 days) and a twentieth running (deadline in 1 h); nothing due at NOW. */
export function notDueActions(size: number): ActionRecord[] {
  return historyActions(size).map((a, i): ActionRecord => {
    if (i % 5 === 1)
      return {
        ...a,
        status: 'pending',
        openKey: null,
        expiresAt: NOW + DAY + (i % 6) * DAY,
        decidedBy: null,
        decidedAt: null,
        decisionComment: null,
        startedAt: null,
        deadlineAt: null,
        completedAt: null,
        failure: null,
      };
    if (i % 20 === 2)
      return {
        ...a,
        status: 'running',
        openKey: null,
        expiresAt: null,
        startedAt: NOW - HOUR,
        deadlineAt: NOW + HOUR,
        completedAt: null,
        failure: null,
      };
    return a;
  });
}

/** A sweep's query as the engine wrote it before issue 15: one status, oldest first, 1,000 a page. */
function statusQuery(status: ActionStatus): ResolvedQuery {
  const q = resolveQuery({ filter: { status: [status] }, sort: { column: 'createdAt', direction: 'asc' } }, NOW);
  if (!q.ok) throw new Error(q.error.message);
  return { ...q.value, page: { size: 1000, cursor: null, index: 0 } };
}

/** Every action of a status, page by page, as the old `collect` read them. */
async function collect(repo: ActionRepository, status: ActionStatus): Promise<ActionRecord[]> {
  const all: ActionRecord[] = [];
  const base = statusQuery(status);
  let cursor: string | null = null;
  for (;;) {
    const page = await repo.query({ ...base, page: { ...base.page, cursor } });
    if (!page.ok) throw new Error(page.error.message);
    all.push(...page.value.items);
    if (page.value.nextCursor === null) return all;
    cursor = page.value.nextCursor;
  }
}

/** Today's full scan of `expire`: every pending action read and checked. Answers how many are due. */
async function oldExpire(repo: ActionRepository): Promise<number> {
  const pending = await collect(repo, 'pending');
  return pending.filter((a) => a.expiresAt !== null && a.expiresAt <= NOW).length;
}

/** Today's full scan of `run`'s sweeps: pending and running read and checked, then the approved read. */
async function oldRun(repo: ActionRepository): Promise<number> {
  const expiring = await oldExpire(repo);
  const running = await collect(repo, 'running');
  const approved = await collect(repo, 'approved');
  return expiring + running.filter((a) => a.deadlineAt !== null && a.deadlineAt <= NOW).length + approved.length;
}

function centerOn(repository: ActionRepository): ActionCenter {
  return createActionCenter({ repository, clock: manualClock(NOW), idGenerator: sequentialIdGenerator() });
}

/** Checks once, untimed, that every variant finds nothing due. */
async function checkNothingDue(repo: ActionRepository, center: ActionCenter): Promise<void> {
  const page = await repo.due({ before: NOW, limit: 500 });
  const expired = await center.expire();
  const ran = await center.run();
  const old = await oldRun(repo);
  if (!page.ok || page.value.items.length > 0 || !expired.ok || expired.value !== 0 || !ran.ok || old !== 0)
    throw new Error('due bench: something is due, or a variant failed');
  if (ran.value.expired + ran.value.timedOut + ran.value.started !== 0) throw new Error('due bench: run() did work');
}

/** The rows of one store: expire and run against the old scans, and the due lookup alone. */
async function rowsOf(
  group: string,
  size: string,
  repo: ActionRepository,
  options: BenchOptions,
  perRun: number,
): Promise<BenchRow[]> {
  const center = centerOn(repo);
  await checkNothingDue(repo, center);
  const times = async <T>(n: number, f: () => Promise<T>) => {
    let last: T | undefined;
    for (let i = 0; i < n; i++) last = await f();
    return last;
  };
  const stats = await measureVariants(
    [
      { name: 'oldExpire', run: () => oldExpire(repo) },
      { name: 'oldRun', run: () => oldRun(repo) },
      { name: 'expire', ops: perRun, run: () => times(perRun, () => center.expire()) },
      { name: 'run', ops: perRun, run: () => times(perRun, () => center.run()) },
      { name: 'due', ops: perRun, run: () => times(perRun, () => repo.due({ before: NOW, limit: 500 })) },
    ],
    options,
    { warmup: 2, runs: 7 },
  );
  const get = (name: string): Stats => {
    const s = stats.get(name);
    if (s === undefined) throw new Error(`due bench: no measurements for ${name}`);
    return s;
  };
  const [oldE, oldR] = [get('oldExpire'), get('oldRun')];
  return [
    timeRow(group, 'baseline: full scan of pending (expire before issue 15)', size, oldE),
    timeRow(group, 'baseline: full scans of pending, running, approved (run before)', size, oldR),
    timeRow(group, 'center.expire(): due index', size, get('expire'), [
      compare(get('expire'), 'full scan of pending', oldE),
    ]),
    timeRow(
      group,
      'center.run(): due index, then the approved',
      size,
      get('run'),
      [compare(get('run'), 'full scans', oldR)],
      'the approved actions are read by status in both (work, not timers)',
    ),
    timeRow(group, 'repository.due({ before: now, limit: 500 })', size, get('due')),
  ];
}

/** `created` events for the loaded actions (bulkLoad wants each action's history). */
function createdEvent(a: ActionRecord): AuditEvent {
  return {
    id: `${a.id}-e1` as AuditEvent['id'],
    actionId: a.id,
    sequence: 1,
    type: 'created',
    at: a.createdAt,
    actor: { type: 'system', component: 'bench' },
    from: null,
    to: a.status,
    comment: null,
    details: {},
    hash: null,
    previousHash: null,
  };
}

/** The PostgreSQL store of `size` actions, loaded once with bulkLoad (kept between runs on a server). */
async function postgresStore(client: PostgresClient, size: number): Promise<string> {
  const schema = `actioncenter_bench_due_${size}`;
  const db = databaseOf(client);
  const marker = await db.read((q) =>
    q.query(`SELECT to_regclass($1) IS NOT NULL AS done`, [`"${schema}".bench_due_loaded`]),
  );
  if (marker.rows[0]?.['done'] === true) return schema;
  await db.read((q) => q.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  const migrated = await migrate(client, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const all = notDueActions(size);
  for (let i = 0; i < all.length; i += 100_000) {
    const actions = all.slice(i, i + 100_000);
    const loaded = await bulkLoad(
      client,
      { actions, events: actions.map(createdEvent) },
      { schema, batchSize: 10_000 },
    );
    if (!loaded.ok) throw new Error(`loading the due bench data: ${loaded.error.message}`);
  }
  await db.read(async (q) => {
    await q.query(`VACUUM ANALYZE "${schema}".actioncenter_actions`);
    await q.query(`CREATE TABLE "${schema}".bench_due_loaded (done boolean)`);
  });
  return schema;
}

/** The EXPLAIN of the due lookup: which index it takes. */
async function duePlan(client: PostgresClient, schema: string): Promise<string> {
  const r = await databaseOf(client).read((q) =>
    q.query(
      `EXPLAIN SELECT id FROM "${schema}".actioncenter_actions a WHERE a.due_at IS NOT NULL AND a.due_at <= $1::bigint ORDER BY a.due_at, a.id LIMIT 501`,
      [NOW],
    ),
  );
  const lines = r.rows.map((row) => String(row['QUERY PLAN'] ?? Object.values(row)[0]).trim());
  return lines.find((line) => line.includes('Index') || line.includes('Scan')) ?? lines[0] ?? '?';
}

/** Runs the due-time case: memory, then PostgreSQL (server or PGlite). */
export async function dueBench(options: BenchOptions): Promise<BenchRow[]> {
  const memorySize = options.quick ? 20_000 : 1_000_000;
  const repository = createMemoryRepository();
  const loaded = repository.load({ actions: notDueActions(memorySize) });
  if (!loaded.ok) throw new Error(loaded.error.message);
  const memoryRows = await rowsOf(
    'Tick with nothing due (memory)',
    `${count(memorySize)} actions, ${count(memorySize / 5)} pending, ${count(memorySize / 20)} running`,
    repository,
    options,
    1000,
  );

  const url = process.env['DATABASE_URL'];
  const server = url !== undefined && url !== '';
  const size = server ? (options.quick ? 10_000 : 1_000_000) : options.quick ? 10_000 : 100_000;
  const client: PostgresClient = server ? new pg.Pool({ connectionString: url, max: 4 }) : new PGlite();
  try {
    const schema = await postgresStore(client, size);
    const repo = createPostgresRepository({ client, schema });
    const rows = await rowsOf(
      `Tick with nothing due (${server ? 'PostgreSQL server' : 'PGlite in process, no DATABASE_URL'})`,
      `${count(size)} actions, ${count(size / 5)} pending, ${count(size / 20)} running`,
      repo,
      options,
      20,
    );
    const plan = await duePlan(client, schema);
    const last = rows[rows.length - 1];
    if (last !== undefined) rows[rows.length - 1] = { ...last, note: `plan: ${plan}` };
    return [...memoryRows, ...rows];
  } finally {
    if (server) await (client as pg.Pool).end();
    else await (client as PGlite).close();
  }
}
