/**
 * Retries of transient failures (issue 15: "transient failures (the executor says retryable) are
 * retried with backoff up to a per-type limit, each attempt in the audit trail"), example by
 * example, on the memory repository and PGlite: attempts 1..max with exact backoff times on a
 * manual clock, the last attempt final, a non-retryable failure final at once, hostile answers.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  builtInActionTypes,
  createCatalog,
  createMemoryRepository,
  defineActionType,
  unwrap,
  type ActionExecutor,
  type ActionRepository,
  type BuiltInRequestInput,
} from '../../src/index.js';
import { ActionRecordSchema, attemptsOf, dueAtOf } from '../../src/adapter-kit.js';
import { freshRepository, freshSchema, sharedPGlite, usePGlite } from '../adapters/postgres-fixtures.js';
import { actionRecord } from '../support/records.js';
import { T0, must, people, quarantine, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

/** Four starts at most, 1 s doubling, capped at 3 s: waits 1000, 2000, 3000. */
const flakyScan = defineActionType({
  id: 'flakyScan',
  displayName: 'Flaky scan',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
  retry: { maxAttempts: 4, backoffMs: 1000, maxBackoffMs: 3000 },
});
/** No policy (the default of defineActionType): transient failures are final at once. */
const plainScan = defineActionType({
  id: 'plainScan',
  displayName: 'Plain scan',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
});
const catalog = unwrap(createCatalog([...builtInActionTypes, flakyScan, plainScan]));

const request = (actionType: string, device = 'LAPTOP-1') =>
  ({
    actionType,
    target: { kind: 'device', deviceId: `id-${device}`, deviceName: device, deviceGroup: 'Workstations' },
    parameters: {},
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: people.secAdmin.id },
  }) as unknown as BuiltInRequestInput;

const transient = { status: 'failed', failure: { code: 'throttled', message: 'HTTP 429' }, retryable: true } as const;

/** An executor answering from a list, one answer per call (the last repeated); counts its calls. */
function answering(...answers: unknown[]): ActionExecutor & { calls: number } {
  const executor = {
    calls: 0,
    supports: () => true,
    execute: async () => {
      const answer = answers[Math.min(executor.calls, answers.length - 1)];
      executor.calls += 1;
      if (answer instanceof Error) throw answer;
      return answer as never;
    },
  };
  return executor;
}

async function submitted(makeStore: () => Promise<ActionRepository>, executor: ActionExecutor, type = 'flakyScan') {
  const ctx = testCenter({ repository: await makeStore(), executor, catalog });
  const { action } = await must(ctx.center.submit({ request: request(type), principal: people.secAdmin }));
  const get = async () => must(ctx.center.get({ principal: people.reader, id: action.id }));
  const trail = async () => must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
  return { ...ctx, id: action.id, get, trail };
}

describe.each(stores)('retries of transient failures (%s)', (_, makeStore) => {
  it('attempts 1..max: each transient failure waits min(backoff * 2^(n-1), cap), exactly; the last attempt is final', async () => {
    const executor = answering(transient);
    const t = await submitted(makeStore, executor);
    expect((await t.get()).status).toBe('approved');
    const waits = [1000, 2000, 3000];
    for (const [i, wait] of waits.entries()) {
      const report = await must(t.center.run());
      expect(report).toMatchObject({ started: 1, failed: 0 });
      const action = await t.get();
      expect(action).toMatchObject({ status: 'approved', attempt: i + 1, retryAt: t.clock.now() + wait });
      expect(action.failure).toEqual({ code: 'throttled', message: 'HTTP 429' });
      // The due time of an approved action waiting for its retry is its retryAt: the sweep's index finds it.
      expect(dueAtOf(action)).toBe(t.clock.now() + wait);
      const due = await must(t.repository.due({ before: t.clock.now() + wait, limit: 10 }));
      expect(due.items.map((a) => a.id)).toEqual([t.id]);
      // One millisecond early: not started.
      t.clock.advance(wait - 1);
      expect(await must(t.center.run())).toMatchObject({ started: 0 });
      expect(executor.calls).toBe(i + 1);
      t.clock.advance(1);
    }
    const last = await must(t.center.run());
    expect(last).toMatchObject({ started: 1, failed: 1 });
    const final = await t.get();
    expect(final).toMatchObject({ status: 'failed', attempt: 4, retryAt: null, failure: { code: 'throttled' } });
    expect(executor.calls).toBe(4);
    expect(dueAtOf(final)).toBeNull();
    // The audit trail lists every attempt: its start (numbered from the second) and how it ended.
    const trail = await t.trail();
    expect(trail.map((e) => e.type)).toEqual([
      'created',
      'start',
      'retry',
      'start',
      'retry',
      'start',
      'retry',
      'start',
      'fail',
    ]);
    expect(trail.filter((e) => e.type === 'retry').map((e) => e.details)).toEqual([
      { attempt: 1, failure: { code: 'throttled', message: 'HTTP 429' }, retryAt: T0 + 1000 },
      { attempt: 2, failure: { code: 'throttled', message: 'HTTP 429' }, retryAt: T0 + 1000 + 2000 },
      { attempt: 3, failure: { code: 'throttled', message: 'HTTP 429' }, retryAt: T0 + 1000 + 2000 + 3000 },
    ]);
    expect(trail.filter((e) => e.type === 'start').map((e) => e.details['attempt'])).toEqual([undefined, 2, 3, 4]);
    expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
    // Final: nothing more to run, whatever the time.
    t.clock.advance(60 * 60 * 1000);
    expect(await must(t.center.run())).toMatchObject({ started: 0 });
  });

  it('a transient failure then a success: succeeded on the second attempt, the failure cleared', async () => {
    const t = await submitted(makeStore, answering(transient, { status: 'succeeded' }));
    await must(t.center.run());
    t.clock.advance(1000);
    expect(await must(t.center.run())).toMatchObject({ started: 1, succeeded: 1 });
    expect(await t.get()).toMatchObject({ status: 'succeeded', attempt: 2, failure: null, retryAt: null });
    expect((await t.trail()).map((e) => e.type)).toEqual(['created', 'start', 'retry', 'start', 'succeed']);
  });

  it('a failure the executor does not call transient is final at once, even with attempts left', async () => {
    const executor = answering({ status: 'failed', failure: { code: 'deviceOffline', message: 'No response' } });
    const t = await submitted(makeStore, executor);
    expect(await must(t.center.run())).toMatchObject({ started: 1, failed: 1 });
    expect(await t.get()).toMatchObject({ status: 'failed', attempt: 1 });
    expect((await t.trail()).map((e) => e.type)).toEqual(['created', 'start', 'fail']);
  });

  it('a type without a retry policy fails at once on a transient failure', async () => {
    const t = await submitted(makeStore, answering(transient), 'plainScan');
    expect(await must(t.center.run())).toMatchObject({ started: 1, failed: 1 });
    expect(await t.get()).toMatchObject({ status: 'failed', attempt: 1 });
  });

  it('the built-in types retry by the default policy: three starts, 30 s then 60 s apart', async () => {
    const executor = answering(transient);
    const ctx = testCenter({ repository: await makeStore(), executor });
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-9', { verdict: 'malicious' }) }));
    await must(ctx.center.run());
    expect(await must(ctx.center.get({ principal: people.reader, id: action.id }))).toMatchObject({
      status: 'approved',
      retryAt: T0 + 30_000,
    });
    ctx.clock.advance(30_000);
    await must(ctx.center.run());
    expect(await must(ctx.center.get({ principal: people.reader, id: action.id }))).toMatchObject({
      retryAt: T0 + 30_000 + 60_000,
    });
    ctx.clock.advance(60_000);
    await must(ctx.center.run());
    expect(await must(ctx.center.get({ principal: people.reader, id: action.id }))).toMatchObject({
      status: 'failed',
      attempt: 3,
    });
    expect(executor.calls).toBe(3);
  });

  it('resume: a retried attempt answers retried with its retryAt; before then notDue, nothing started', async () => {
    const executor = answering(transient, { status: 'succeeded' });
    const t = await submitted(makeStore, executor);
    expect(await must(t.center.resume({ id: t.id }))).toEqual({
      id: t.id,
      outcome: 'retried',
      status: 'approved',
      retryAt: T0 + 1000,
    });
    expect(await must(t.center.resume({ id: t.id }))).toEqual({
      id: t.id,
      outcome: 'notDue',
      status: 'approved',
      retryAt: T0 + 1000,
    });
    expect(executor.calls).toBe(1);
    t.clock.advance(1000);
    expect(await must(t.center.resume({ id: t.id }))).toMatchObject({ outcome: 'succeeded', status: 'succeeded' });
  });

  it('a cancel while waiting for the retry ends it: cancelled, nothing due, never started again', async () => {
    const executor = answering(transient);
    const t = await submitted(makeStore, executor);
    await must(t.center.run());
    const cancelled = await t.center.cancel({ principal: people.secAdmin, ids: [t.id] });
    expect(cancelled.ok).toBe(true);
    const action = await t.get();
    expect(action).toMatchObject({ status: 'cancelled', retryAt: null });
    expect(dueAtOf(action)).toBeNull();
    t.clock.advance(10_000);
    await must(t.center.run());
    expect(executor.calls).toBe(1);
  });
});

describe('hostile executor answers are never retryable', () => {
  const throwingGetter = {
    status: 'failed',
    failure: { code: 'throttled', message: 'x' },
    get retryable(): boolean {
      throw new Error('boom');
    },
  };
  const proxy = new Proxy(
    {},
    {
      get: (_, key) => {
        if (key === 'retryable') throw new Error('trap');
        if (key === 'status') return 'failed';
        if (key === 'failure') return { code: 'throttled', message: 'x' };
        return undefined;
      },
      has: () => true,
    },
  );
  const cases: [string, unknown][] = [
    ["retryable: 'yes'", { ...transient, retryable: 'yes' }],
    ['retryable: 1', { ...transient, retryable: 1 }],
    ["retryable: 'true'", { ...transient, retryable: 'true' }],
    ['retryable on a partial answer', { status: 'partial', failure: { code: 'half', message: '' }, retryable: true }],
    ['a throwing getter on retryable', throwingGetter],
    ['a Proxy whose retryable trap throws', proxy],
    ['a thrown Error', new Error('transient?')],
  ];
  it.each(cases)('%s: final at once', async (_, answer) => {
    const t = await submitted(async () => createMemoryRepository(), answering(answer));
    expect(await must(t.center.run())).toMatchObject({ started: 1, failed: 1 });
    expect(await t.get()).toMatchObject({ status: 'failed', attempt: 1, retryAt: null });
    expect((await t.trail()).map((e) => e.type)).toEqual(['created', 'start', 'fail']);
  });
});

describe('retry policies are checked by the catalogue (typed errors, never a throw)', () => {
  const withRetry = (retry: unknown) => ({ ...flakyScan, id: 'badRetry', retry }) as unknown as typeof flakyScan;
  const bad: [string, unknown][] = [
    ['one attempt', { maxAttempts: 1, backoffMs: 1000, maxBackoffMs: 1000 }],
    ['21 attempts', { maxAttempts: 21, backoffMs: 1000, maxBackoffMs: 1000 }],
    ['a fractional attempt count', { maxAttempts: 2.5, backoffMs: 1000, maxBackoffMs: 1000 }],
    ['no backoff', { maxAttempts: 3, backoffMs: 0, maxBackoffMs: 1000 }],
    ['a cap below the backoff', { maxAttempts: 3, backoffMs: 2000, maxBackoffMs: 1000 }],
    ['an unknown key', { maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 1000, jitter: true }],
    ['a string', '3 times'],
    [
      'a throwing getter',
      {
        get maxAttempts(): number {
          throw new Error('boom');
        },
        backoffMs: 1000,
      },
    ],
  ];
  it.each(bad)('%s: invalidInput at retry', (_, retry) => {
    const r = createCatalog([...builtInActionTypes, withRetry(retry)]);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidInput');
      // Named at `retry`, or (a getter that throws) the definition could not be read.
      expect(JSON.stringify(r.error)).toMatch(/retry|could not be read/);
    }
  });

  it('defineActionType fills in the cap (max(backoff, 1 hour)) and freezes the policy; null and absent are no retry', () => {
    const t = defineActionType({ ...flakyScan, id: 'capless', retry: { maxAttempts: 3, backoffMs: 500 } });
    expect(t.retry).toEqual({ maxAttempts: 3, backoffMs: 500, maxBackoffMs: 3_600_000 });
    expect(Object.isFrozen(t.retry)).toBe(true);
    expect(plainScan.retry).toBeNull();
    const { retry: _, ...written } = plainScan;
    expect(createCatalog([written]).ok).toBe(true);
  });
});

describe('records stored before retries existed', () => {
  it('read back with attempt 0 and retryAt null (schema defaults), and count as started once when they had started', () => {
    const {
      attempt: _a,
      retryAt: _r,
      ...before
    } = actionRecord({ status: 'running', startedAt: T0, deadlineAt: T0 + 1 });
    const parsed = ActionRecordSchema.parse(JSON.parse(JSON.stringify(before)));
    expect(parsed).toMatchObject({ attempt: 0, retryAt: null });
    expect(attemptsOf(parsed)).toBe(1);
  });

  it('PGlite: rows whose JSON lacks attempt and retryAt read back with the defaults, the due column agreeing', async () => {
    const schema = freshSchema('ac_retry_before');
    const executor = answering(transient, { status: 'succeeded' });
    const t = await submitted(() => freshRepository(sharedPGlite(), schema), executor);
    await sharedPGlite().query(
      `UPDATE "${schema}".actioncenter_actions SET record = record - 'attempt' - 'retryAt' WHERE record IS NOT NULL`,
    );
    expect(await t.get()).toMatchObject({ status: 'approved', attempt: 0, retryAt: null });
    // The stored-before approved action runs as any other; its first start is attempt 1.
    expect(await must(t.center.run())).toMatchObject({ started: 1 });
    expect(await t.get()).toMatchObject({ status: 'approved', attempt: 1, retryAt: T0 + 1000 });
    const due = await must(t.repository.due({ before: T0 + 1000, limit: 10 }));
    expect(due.items.map((a) => a.id)).toEqual([t.id]);
  });
});
