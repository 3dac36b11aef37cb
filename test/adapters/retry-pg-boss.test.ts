/**
 * Retries through pg-boss without a server (issue 15): the enqueue hook sends a retry's job with
 * `startAfter` its `retryAt`, in the retry's transaction; a worker completes the job whose attempt
 * was recorded as a retry, and the next job runs the next attempt after the backoff; a job delivered
 * before the backoff is replaced by one for `retryAt` (the executor not called). A fake pg-boss that
 * honours `startAfter` on its own clock, the PostgreSQL repository on PGlite.
 */
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  manualClock,
  sequentialIdGenerator,
  unwrap,
  type ActionExecutor,
  type PrincipalInput,
} from 'actioncenter';
import type { CommitBatch } from 'actioncenter/adapter-kit';
import { pgBossEnqueue, startWorkers, type PgBossJob, type PgBossLike } from 'actioncenter/pg-boss';
import { createPostgresRepository, migrate } from 'actioncenter/postgres';
import { freshSchema, sharedPGlite, usePGlite } from './postgres-fixtures.js';
import { actionRecord } from '../support/records.js';

usePGlite();

const T0 = Date.UTC(2026, 10, 29, 9);
const alice: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

/** A pg-boss double whose jobs wait for `startAfter` on `now()`; every send logged with its options. */
function delayingBoss(now: () => number, honourStartAfter = true) {
  const jobs: { job: PgBossJob; startAfter: number | null; state: string; inTransaction: boolean }[] = [];
  const boss: PgBossLike = {
    async send(name, data, opts) {
      const id = `job-${jobs.length + 1}`;
      const startAfter = opts.startAfter === undefined ? null : opts.startAfter.getTime();
      jobs.push({ job: { id, name, data }, startAfter, state: 'created', inTransaction: opts.db !== undefined });
      return id;
    },
    async fetch(name, opts) {
      const out: PgBossJob[] = [];
      for (const entry of jobs) {
        if (out.length >= (opts.batchSize ?? 1)) break;
        if (entry.job.name !== name || entry.state !== 'created') continue;
        if (honourStartAfter && entry.startAfter !== null && entry.startAfter > now()) continue;
        entry.state = 'active';
        out.push(entry.job);
      }
      return out;
    },
    complete: async (_n, id) => void setState(id, 'completed'),
    fail: async (_n, id) => void setState(id, 'failed'),
    cancel: async (_n, id) => void setState(id, 'cancelled'),
  };
  const setState = (id: string, state: string) => {
    const entry = jobs.find((j) => j.job.id === id);
    if (entry !== undefined && entry.state === 'active') entry.state = state;
  };
  return { boss, jobs };
}

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

/** A center on PGlite whose commits enqueue through `boss`; its executor answers from a list. */
async function queuedCenter(boss: PgBossLike, answers: unknown[], clock = manualClock(T0)) {
  const client = sharedPGlite();
  const schema = freshSchema('ac_retry');
  const migrated = await migrate(client, { schema });
  if (!migrated.ok) throw new Error(migrated.error.message);
  const repository = createPostgresRepository({
    client,
    schema,
    beforeCommit: pgBossEnqueue({ boss, queue: 'actions' }),
  });
  const calls: number[] = [];
  const executor: ActionExecutor = {
    supports: () => true,
    execute: async () => {
      calls.push(clock.now());
      return answers[Math.min(calls.length - 1, answers.length - 1)] as never;
    },
  };
  const center = createActionCenter({ repository, executor, clock, idGenerator: sequentialIdGenerator() });
  const submitted = unwrap(
    await center.submit({
      request: {
        actionType: 'quarantineFile',
        target: {
          kind: 'file',
          deviceId: 'dev-1',
          deviceName: 'LAPTOP-1',
          deviceGroup: 'Workstations',
          path: 'C:\\Users\\alex\\invoice.exe',
          sha1: 'ab'.repeat(20),
        },
        source: 'automatedDeviceAction',
        verdict: 'suspicious',
        investigationId: 'inv-1',
        requestedBy: { type: 'system', component: 'automatedInvestigation' },
      },
    }),
  );
  unwrap(await center.approve({ principal: alice, ids: [submitted.action.id] }));
  return { center, clock, calls, id: submitted.action.id };
}

const transient = { status: 'failed', failure: { code: 'throttled', message: 'HTTP 429' }, retryable: true };

describe('retries through pg-boss (fake pg-boss, PGlite)', () => {
  it('the hook: a first approval is sent at once, a retry with startAfter = retryAt, both on the transaction', async () => {
    const sent: { data: object; startAfter: Date | undefined; db: boolean }[] = [];
    const boss = {
      send: async (_name: string, data: object, opts: { db?: unknown; startAfter?: Date }) => {
        sent.push({ data, startAfter: opts.startAfter, db: opts.db !== undefined });
        return 'job';
      },
    } as unknown as PgBossLike;
    const hook = pgBossEnqueue({ boss, queue: 'actions' });
    const tx = { query: async () => ({ rows: [] }) };
    const approved = actionRecord({ status: 'approved', version: 2 });
    const retried = actionRecord({ status: 'approved', version: 4, attempt: 1, retryAt: T0 + 30_000 });
    const batch = (action: typeof approved, from: 'pending' | 'running'): CommitBatch =>
      ({
        writes: [{ action, expectedVersion: action.version - 1 }],
        events: [{ actionId: action.id, from, to: 'approved', sequence: action.version }],
        idempotencyKey: null,
      }) as unknown as CommitBatch;
    await hook(tx, batch(approved, 'pending'));
    await hook(tx, batch(retried, 'running'));
    expect(sent).toEqual([
      { data: { actionId: approved.id }, startAfter: undefined, db: true },
      { data: { actionId: retried.id }, startAfter: new Date(T0 + 30_000), db: true },
    ]);
  });

  it('a transient failure: the job completes, the retry job waits for retryAt, the next attempt succeeds', async () => {
    const clock = manualClock(T0);
    const fake = delayingBoss(() => clock.now());
    const t = await queuedCenter(fake.boss, [transient, { status: 'succeeded' }], clock);
    const workers = unwrap(startWorkers({ boss: fake.boss, center: t.center, queue: 'actions', pollIntervalMs: 10 }));
    try {
      await until('the first job completed and the retry job sent', () => fake.jobs.length === 2);
      await until('the first job completed', () => fake.jobs[0]?.state === 'completed');
      expect(fake.jobs.map((j) => [j.startAfter, j.inTransaction])).toEqual([
        [null, true],
        [T0 + 30_000, true],
      ]);
      expect(unwrap(await t.center.get({ principal: alice, id: t.id }))).toMatchObject({
        status: 'approved',
        attempt: 1,
        retryAt: T0 + 30_000,
      });
      // The retry's job is not handed out before its time.
      await new Promise((r) => setTimeout(r, 100));
      expect(fake.jobs[1]?.state).toBe('created');
      expect(t.calls).toEqual([T0]);
      clock.advance(30_000);
      await until('the retry job completed', () => fake.jobs[1]?.state === 'completed');
    } finally {
      await workers.stop();
    }
    expect(t.calls).toEqual([T0, T0 + 30_000]);
    expect(fake.jobs).toHaveLength(2);
    const trail = unwrap(await t.center.auditTrail({ principal: alice, id: t.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'approve', 'start', 'retry', 'start', 'succeed']);
    expect(workers.stats()).toEqual({ completed: 2, failed: 0, cancelled: 0 });
  }, 120_000);

  it('a job delivered before the backoff: replaced by a job for retryAt, the executor not called', async () => {
    const clock = manualClock(T0);
    const fake = delayingBoss(() => clock.now(), false);
    const t = await queuedCenter(fake.boss, [transient, { status: 'succeeded' }], clock);
    const workers = unwrap(startWorkers({ boss: fake.boss, center: t.center, queue: 'actions', pollIntervalMs: 10 }));
    try {
      // The retry's job (job-2) is taken at once (this fake ignores startAfter): not due, so job-3 is
      // sent for retryAt and job-2 completed.
      await until('a replacement job sent', () => fake.jobs.length >= 3);
      await until('the early job completed', () => fake.jobs[1]?.state === 'completed');
      expect(fake.jobs[2]).toMatchObject({ startAfter: T0 + 30_000, inTransaction: false });
      expect(t.calls).toEqual([T0]);
    } finally {
      await workers.stop();
    }
    expect(unwrap(await t.center.get({ principal: alice, id: t.id }))).toMatchObject({ status: 'approved' });
  }, 120_000);
});
