/**
 * actioncenter/postgres survives a dead connection at any moment (issue 11, item 3): the server
 * stopped with `pg_ctl stop -m immediate` during a 10,000-action bulk commit and during a list, and a
 * backend terminated with `pg_terminate_backend` mid-commit. Each time the process lives (no
 * unhandled 'error' event or rejection), the result is a typed `repositoryUnavailable`, nothing is
 * half-written, and the same repository object works again once the server is back.
 *
 * The server these tests kill is their OWN throwaway one (initdb in a temporary directory, pg_ctl on
 * a free port in 55440-55449), so that no other test loses its database. They run where the real
 * server tests run (DATABASE_URL set, as in CI) and PostgreSQL's binaries are installed; otherwise
 * they are skipped, and say why.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unwrap, type ActionRecord, type Result } from 'actioncenter';
import { resolveQuery, type CommitBatch, type QueryError } from 'actioncenter/adapter-kit';
import { createPostgresRepository, migrate, type PostgresClient, type PostgresRepository } from 'actioncenter/postgres';
import { DATABASE_URL, action, batch, create, event, update } from './postgres-fixtures.js';

const run = promisify(execFile);
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';
const haveBinaries = existsSync(join(PG_BIN, 'initdb')) && existsSync(join(PG_BIN, 'pg_ctl'));
const enabled = DATABASE_URL !== undefined && haveBinaries;
if (!enabled) {
  console.warn(
    `postgres.faults.server.test.ts: server fault tests skipped: ${DATABASE_URL === undefined ? 'DATABASE_URL is not set (.ci/run starts a server and sets it)' : `no PostgreSQL binaries in ${PG_BIN}`}.`,
  );
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
/** Runs a PostgreSQL tool, as the postgres user when we are root (the server refuses to run as root). */
const pgTool = (tool: string, args: readonly string[]) =>
  asRoot ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, tool), ...args]) : run(join(PG_BIN, tool), [...args]);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

/** A throwaway PostgreSQL server this file may kill at will. */
class ThrowawayServer {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<ThrowawayServer> {
    let port = 0;
    for (let p = 55440; p <= 55449 && port === 0; p++) if (await portFree(p)) port = p;
    if (port === 0) throw new Error('no free port in 55440-55449 for a throwaway PostgreSQL server');
    const dir = mkdtempSync(join(tmpdir(), 'actioncenter-faults-'));
    if (asRoot) await run('chown', ['postgres:postgres', dir]);
    await run('chmod', ['700', dir]);
    await pgTool('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-locale']);
    const server = new ThrowawayServer(dir, port);
    await server.start();
    return server;
  }

  /** The database tests use (a fresh one per test: see `fresh`). */
  database = 'postgres';

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${this.database}`;
  }

  /** Switches to a new, empty database. */
  async fresh(name: string): Promise<void> {
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${this.port}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    this.database = name;
  }

  async start(): Promise<void> {
    const options = `-c listen_addresses=127.0.0.1 -p ${this.port} -c unix_socket_directories='${this.dir}' -c fsync=off -c full_page_writes=off`;
    await pgTool('pg_ctl', [
      '-D',
      this.dir,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '120',
      '-o',
      options,
      'start',
    ]);
  }

  /** Stops the server the hard way: every backend dies at once, as in a crash. */
  async kill(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dir, '-m', 'immediate', '-w', 'stop']);
  }

  async destroy(): Promise<void> {
    await pgTool('pg_ctl', ['-D', this.dir, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const N = 10_000;
const ids = Array.from({ length: N }, (_, i) => `act-${String(i).padStart(5, '0')}`);
const pendings: ActionRecord[] = ids.map((id) => action(id, { status: 'pending', approvalId: null }));
const seed = (): CommitBatch =>
  batch(
    pendings.map(create),
    ids.map((id) => event(id, 1)),
  );
/** The bulk commit under test: approve all 10,000, each with its audit event. */
const approveAll = (): CommitBatch =>
  batch(
    pendings.map((a) => update(a, { status: 'approved' })),
    ids.map((id) => event(id, 2, 'approved')),
  );

/** Waits until a statement matching `like` is running on the server, then returns its backend pid. */
async function whenRunning(observer: pg.Client, like: string, timeoutMs = 120_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const r = await observer.query(
      `SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
      [like],
    );
    const pid = r.rows[0]?.['pid'];
    if (typeof pid === 'number') return pid;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no statement like ${like} ran within ${timeoutMs} ms`);
}

// The set-based UPDATE of the bulk approval (commit.ts).
const WRITE = '%WITH w AS MATERIALIZED%';

/** How many of the 10,000 are approved, and how many approve events exist. */
async function state(client: PostgresClient): Promise<{ approved: number; events: number }> {
  const a = await client.query(`SELECT count(*)::int AS n FROM actioncenter_actions WHERE status = 'approved'`);
  const e = await client.query(`SELECT count(*)::int AS n FROM actioncenter_audit_events WHERE sequence = 2`);
  return { approved: Number(a.rows[0]?.['n']), events: Number(e.rows[0]?.['n']) };
}

function unavailable(r: Result<unknown, QueryError>): string {
  return r.ok ? 'ok' : r.error.code;
}

describe.runIf(enabled)('a dead connection at any moment (a throwaway server, killed)', () => {
  let server: ThrowawayServer;
  let pool: pg.Pool;
  const crashes: unknown[] = [];
  const onCrash = (e: unknown) => crashes.push(e);
  let databases = 0;

  beforeAll(async () => {
    server = await ThrowawayServer.create();
    process.on('uncaughtException', onCrash);
    process.on('unhandledRejection', onCrash);
  }, 300_000);
  afterAll(async () => {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    await server?.destroy();
  }, 120_000);

  beforeEach(async () => {
    // A fresh database state per test, on a fresh pool the test may break.
    await server.fresh(`faults_${++databases}`);
    pool = new pg.Pool({ connectionString: server.url, max: 4 });
    unwrap(await migrate(pool));
    crashes.length = 0;
  }, 300_000);
  afterEach(async () => {
    await pool.end().catch(() => undefined);
  }, 120_000);

  async function seeded(): Promise<PostgresRepository> {
    const repo = createPostgresRepository({ client: pool });
    unwrap(await repo.commit(seed()));
    return repo;
  }

  it(
    'regression: stopping the server (-m immediate) during a 10,000-action bulk commit killed the process',
    { timeout: 600_000 },
    async () => {
      const repo = await seeded();
      const observer = new pg.Client({ connectionString: server.url });
      observer.on('error', () => undefined);
      await observer.connect();
      const committing = repo.commit(approveAll());
      await whenRunning(observer, WRITE);
      await server.kill();
      const result = await committing;
      expect(unavailable(result), 'a typed repositoryUnavailable').toBe('repositoryUnavailable');
      await observer.end().catch(() => undefined);

      // While the server is down, every call answers repositoryUnavailable.
      expect(unavailable(await repo.get(pendings[0]!.id))).toBe('repositoryUnavailable');
      expect(unavailable(await repo.commit(approveAll()))).toBe('repositoryUnavailable');

      await server.start();
      const after = await state(pool);
      expect([0, N], `all or nothing (${after.approved} approved, ${after.events} events)`).toContain(after.approved);
      expect(after.events).toBe(after.approved);
      // The same repository object works again: the commit goes through (unless the lost one had).
      if (after.approved === 0) unwrap(await repo.commit(approveAll()));
      expect(await state(pool)).toEqual({ approved: N, events: N });
      expect((await repo.get(pendings[N - 1]!.id)).ok).toBe(true);
      expect(crashes, 'no uncaught exception or unhandled rejection').toEqual([]);
    },
  );

  it(
    'regression: stopping the server (-m immediate) during a list killed the process',
    { timeout: 600_000 },
    async () => {
      const repo = await seeded();
      // A list that waits on a lock, so that the server dies while it runs.
      const locker = new pg.Client({ connectionString: server.url });
      locker.on('error', () => undefined);
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE actioncenter_actions IN ACCESS EXCLUSIVE MODE');
      const query = unwrap(resolveQuery({ filter: { view: 'all' }, page: { size: 1000 } }, Date.UTC(2026, 10, 30)));
      const listing = repo.query(query);
      const observer = new pg.Client({ connectionString: server.url });
      observer.on('error', () => undefined);
      await observer.connect();
      await whenRunning(observer, '%actioncenter_actions%ORDER BY%');
      await server.kill();
      expect(unavailable(await listing), 'a typed repositoryUnavailable').toBe('repositoryUnavailable');
      await Promise.all([locker.end().catch(() => undefined), observer.end().catch(() => undefined)]);

      await server.start();
      const page = await repo.query(query);
      expect(page.ok ? page.value.items.length : page.error).toBe(1000);
      expect(page.ok ? page.value.total : null).toBe(N);
      expect(crashes, 'no uncaught exception or unhandled rejection').toEqual([]);
    },
  );

  it(
    'regression: pg_terminate_backend of the connection mid-commit killed the process',
    { timeout: 600_000 },
    async () => {
      const repo = await seeded();
      const observer = new pg.Client({ connectionString: server.url });
      await observer.connect();
      const committing = repo.commit(approveAll());
      const pid = await whenRunning(observer, WRITE);
      await observer.query('SELECT pg_terminate_backend($1)', [pid]);
      const result = await committing;
      expect(unavailable(result), 'a typed repositoryUnavailable').toBe('repositoryUnavailable');
      expect(result.ok ? '' : result.error.message).toMatch(/terminat/i);
      expect(await state(observer), 'nothing was written').toEqual({ approved: 0, events: 0 });
      await observer.end();
      // The pool dropped the broken connection: the same repository commits on a fresh one.
      unwrap(await repo.commit(approveAll()));
      expect(await state(pool)).toEqual({ approved: N, events: N });
      expect(crashes, 'no uncaught exception or unhandled rejection').toEqual([]);
    },
  );

  it(
    'a single pg.Client that loses its connection answers repositoryUnavailable and does not kill the process',
    { timeout: 600_000 },
    async () => {
      await seeded();
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const repo = createPostgresRepository({ client });
      expect((await repo.get(pendings[0]!.id)).ok).toBe(true);
      const observer = new pg.Client({ connectionString: server.url });
      await observer.connect();
      const committing = repo.commit(approveAll());
      const pid = await whenRunning(observer, WRITE);
      await observer.query('SELECT pg_terminate_backend($1)', [pid]);
      expect(unavailable(await committing)).toBe('repositoryUnavailable');
      // One connection, lost for good: every later call says so, as a value.
      expect(unavailable(await repo.get(pendings[0]!.id))).toBe('repositoryUnavailable');
      expect(await state(observer)).toEqual({ approved: 0, events: 0 });
      await observer.end();
      await client.end().catch(() => undefined);
      expect(crashes, 'no uncaught exception or unhandled rejection').toEqual([]);
    },
  );
});
