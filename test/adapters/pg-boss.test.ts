/**
 * actioncenter/pg-boss without a server: a fake pg-boss (jobs in memory) and the in-memory center.
 * Payloads and options are read once and checked (hostile ones are typed errors, never throws);
 * the enqueue hook sends one job per action landing in approved and refuses when no job is made;
 * workers complete jobs once recorded, fail them (for pg-boss to retry) when the store is down,
 * cancel malformed ones, and hand back jobs taken while stopping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createActionCenter,
  err,
  manualClock,
  sequentialIdGenerator,
  unwrap,
  type ActionCenter,
  type ActionExecutor,
  type AuditEvent,
  type PrincipalInput,
} from 'actioncenter';
import type { CommitBatch } from 'actioncenter/adapter-kit';
import {
  approvedBy,
  pgBossEnqueue,
  readActionJob,
  startWorkers,
  type PgBossJob,
  type PgBossLike,
  type WorkerFailure,
} from 'actioncenter/pg-boss';
import { hostile, materialize, revokedProxy, throwingGetters, trapProxy } from '../support/hostile.js';
import { quarantine } from '../center/fixtures.js';

const alice: PrincipalInput = {
  id: 'alice@contoso.com',
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
};

/** A pg-boss double: jobs in memory, each call logged. */
function fakeBoss(options: { sendAnswer?: string | null } = {}) {
  const jobs = new Map<
    string,
    { job: PgBossJob; state: 'created' | 'active' | 'completed' | 'failed' | 'cancelled' }
  >();
  const log: string[] = [];
  let n = 0;
  const settle = (id: string, state: 'completed' | 'failed' | 'cancelled') => {
    const entry = jobs.get(id);
    if (entry !== undefined && entry.state === 'active') entry.state = state;
    log.push(`${state} ${id}`);
    return Promise.resolve();
  };
  const boss: PgBossLike = {
    async send(name, data, opts) {
      if (options.sendAnswer !== undefined) return options.sendAnswer;
      await opts.db?.executeSql('INSERT INTO job', [name, data]);
      const id = `job-${(n += 1)}`;
      jobs.set(id, { job: { id, name, data }, state: 'created' });
      return id;
    },
    async fetch(name, opts) {
      const out: PgBossJob[] = [];
      for (const entry of jobs.values()) {
        if (out.length >= (opts.batchSize ?? 1)) break;
        if (entry.job.name === name && entry.state === 'created') {
          entry.state = 'active';
          out.push(entry.job);
        }
      }
      return out;
    },
    complete: (_name, id) => settle(id, 'completed'),
    fail: (_name, id) => settle(id, 'failed'),
    cancel: (_name, id) => settle(id, 'cancelled'),
  };
  const add = (data: unknown) => {
    const id = `job-${(n += 1)}`;
    jobs.set(id, { job: { id, name: 'actions', data }, state: 'created' });
    return id;
  };
  const states = () => [...jobs.values()].map((j) => j.state);
  return { boss, jobs, log, add, states };
}

function countingExecutor(): { executor: ActionExecutor; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    executor: {
      supports: () => true,
      execute: async ({ action }) => {
        calls.push(action.id);
        return { status: 'succeeded' };
      },
    },
  };
}

async function approvedAction(center: ActionCenter, device: string): Promise<string> {
  const submitted = unwrap(await center.submit({ request: quarantine(device) }));
  unwrap(await center.approve({ principal: alice, ids: [submitted.action.id] }));
  return submitted.action.id;
}

const until = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000) => {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

const event = (actionId: string, from: AuditEvent['from'], to: AuditEvent['to'], sequence: number) =>
  ({ actionId, from, to, sequence }) as unknown as AuditEvent;

describe('readActionJob', () => {
  it('reads { actionId } and nothing else', () => {
    expect(unwrap(readActionJob({ actionId: 'act-1' }))).toEqual({ actionId: 'act-1' });
    for (const bad of [null, 'act-1', {}, { actionId: '' }, { actionId: 7 }, { actionId: 'a', more: 1 }]) {
      expect(readActionJob(bad)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    }
  });

  it('never throws: Proxies, throwing getters and anything else are invalidInput', () => {
    for (const bad of [revokedProxy(), trapProxy(), throwingGetters(['actionId'])]) {
      expect(readActionJob(bad)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    }
    fc.assert(
      fc.property(hostile, (h) => {
        const r = readActionJob(materialize(h));
        return !r.ok && r.error.code === 'invalidInput';
      }),
      { numRuns: 200 },
    );
  });
});

describe('approvedBy and pgBossEnqueue', () => {
  it('picks each action landing in approved once: approvals and submissions approved at once, not re-saves', () => {
    const batch: CommitBatch = {
      writes: [],
      events: [
        event('a', 'pending', 'approved', 2),
        event('b', null, 'approved', 1),
        event('c', 'approved', 'running', 3),
        event('d', 'pending', 'rejected', 2),
        event('e', 'approved', 'approved', 3),
      ],
      idempotencyKey: null,
    };
    expect(approvedBy(batch)).toEqual(['a', 'b']);
  });

  it('sends one job per approved action on the transaction; a send that makes no job throws', async () => {
    const fake = fakeBoss();
    const statements: unknown[][] = [];
    const tx = { query: async (_text: string, params?: unknown[]) => (statements.push(params ?? []), { rows: [] }) };
    const hook = pgBossEnqueue({ boss: fake.boss, queue: 'actions' });
    await hook(tx, { writes: [], events: [event('a', 'pending', 'approved', 2)], idempotencyKey: null });
    expect(statements).toEqual([['actions', { actionId: 'a' }]]);
    await hook(tx, { writes: [], events: [event('c', 'approved', 'running', 3)], idempotencyKey: null });
    expect(statements).toHaveLength(1);
    const none = pgBossEnqueue({ boss: fakeBoss({ sendAnswer: null }).boss, queue: 'actions' });
    await expect(
      none(tx, { writes: [], events: [event('a', 'pending', 'approved', 2)], idempotencyKey: null }),
    ).rejects.toThrow(/no job/);
  });

  it('invalid options are a programming error (ActionCenterException), hostile ones included', () => {
    for (const bad of [null, {}, { boss: {}, queue: 'q' }, { boss: fakeBoss().boss, queue: '' }, trapProxy()]) {
      expect(() => pgBossEnqueue(bad as never)).toThrow(/pgBossEnqueue options/);
    }
  });
});

describe('startWorkers (fake pg-boss, memory center)', () => {
  const center = (executor: ActionExecutor) =>
    createActionCenter({ executor, clock: manualClock(Date.UTC(2026, 10, 29)), idGenerator: sequentialIdGenerator() });

  it('invalid options are invalidInput, never a throw', () => {
    const good = { boss: fakeBoss().boss, center: center(countingExecutor().executor), queue: 'actions' };
    for (const bad of [
      null,
      revokedProxy(),
      trapProxy(),
      { ...good, queue: '' },
      { ...good, concurrency: 0 },
      { ...good, boss: {} },
      { ...good, center: {} },
      { ...good, pollIntervalMs: 1 },
    ]) {
      expect(startWorkers(bad as never)).toMatchObject({ ok: false, error: { code: 'invalidInput' } });
    }
  });

  it('completes each job once its action is recorded; a duplicate job of a final action calls nothing', async () => {
    const counting = countingExecutor();
    const c = center(counting.executor);
    const fake = fakeBoss();
    const ids = [await approvedAction(c, 'd1'), await approvedAction(c, 'd2')];
    for (const id of [...ids, ids[0]]) fake.add({ actionId: id });
    const workers = unwrap(startWorkers({ boss: fake.boss, center: c, queue: 'actions', pollIntervalMs: 10 }));
    await until('three jobs completed', () => fake.states().every((s) => s === 'completed'));
    await workers.stop();
    expect(counting.calls.sort()).toEqual([...ids].sort());
    for (const id of ids) expect(unwrap(await c.get({ principal: alice, id })).status).toBe('succeeded');
    expect(workers.stats()).toEqual({ completed: 3, failed: 0, cancelled: 0 });
  });

  it('the store down: the job is failed (pg-boss retries it) and onError hears repositoryUnavailable', async () => {
    const fake = fakeBoss();
    const failures: WorkerFailure[] = [];
    const down = {
      resume: async () => err({ code: 'repositoryUnavailable' as const, message: 'connection refused' }),
    };
    fake.add({ actionId: 'a1' });
    const workers = unwrap(
      startWorkers({
        boss: fake.boss,
        center: down,
        queue: 'actions',
        pollIntervalMs: 10,
        onError: (f) => failures.push(f),
      }),
    );
    await until('the job failed', () => fake.states()[0] === 'failed');
    await workers.stop();
    expect(failures).toEqual([
      { jobId: 'job-1', error: { code: 'repositoryUnavailable', message: 'connection refused' }, job: 'failed' },
    ]);
  });

  it('a center that throws anyway, or a listener that throws: the job is failed, the workers go on', async () => {
    const fake = fakeBoss();
    const throwing = {
      resume: () => {
        throw new Error('bug');
      },
    };
    fake.add({ actionId: 'a1' });
    fake.add({ actionId: 'a2' });
    const workers = unwrap(
      startWorkers({
        boss: fake.boss,
        center: throwing as never,
        queue: 'actions',
        pollIntervalMs: 10,
        onError: () => {
          throw new Error('listener bug');
        },
      }),
    );
    await until('both jobs failed', () => fake.states().every((s) => s === 'failed'));
    await workers.stop();
    expect(workers.stats()).toMatchObject({ failed: 2 });
  });

  it('malformed payloads and unknown actions: typed errors, jobs cancelled, nothing called', async () => {
    const counting = countingExecutor();
    const fake = fakeBoss();
    const failures: WorkerFailure[] = [];
    fake.add({ actionId: 5 });
    fake.add(null);
    fake.add({ actionId: 'nope' });
    const workers = unwrap(
      startWorkers({
        boss: fake.boss,
        center: center(counting.executor),
        queue: 'actions',
        pollIntervalMs: 10,
        onError: (f) => failures.push(f),
      }),
    );
    await until('three jobs cancelled', () => fake.states().every((s) => s === 'cancelled'));
    await workers.stop();
    expect(failures.map((f) => f.error.code).sort()).toEqual(['invalidInput', 'invalidInput', 'notFound']);
    expect(counting.calls).toEqual([]);
  });

  it('stop waits for the jobs in hand to be recorded and completed', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow: ActionExecutor = {
      supports: () => true,
      execute: async () => {
        await gate;
        return { status: 'succeeded' };
      },
    };
    const c = center(slow);
    const fake = fakeBoss();
    const id = await approvedAction(c, 's1');
    fake.add({ actionId: id });
    const workers = unwrap(startWorkers({ boss: fake.boss, center: c, queue: 'actions', pollIntervalMs: 10 }));
    await until('the action running', async () => unwrap(await c.get({ principal: alice, id })).status === 'running');
    let stopped = false;
    const stopping = workers.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(fake.states()).toEqual(['completed']);
    expect(unwrap(await c.get({ principal: alice, id })).status).toBe('succeeded');
  });
});
