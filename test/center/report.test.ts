/**
 * Dispatch and report (issue 15), rule by rule: an executor that answers `accepted` leaves the
 * action running with its remote reference; `center.report` records the outcome later (memory and
 * PGlite), idempotently, and keeps late reports in the audit trail without changing the state.
 * Seed: Defender machine actions go Pending -> InProgress -> Succeeded/Failed/TimeOut/Cancelled.
 */
import { describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  randomIdGenerator,
  type ActionExecutor,
  type ActionRepository,
  type BuiltInRequestInput,
  type ExecutionOutcome,
} from '../../src/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { DAY, must, people, quarantine, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

/** An executor that dispatches: `accepted` with `ref-<action id>` and Defender's first status. */
function dispatching(answer?: (id: string) => unknown): ActionExecutor {
  return {
    supports: () => true,
    execute: async ({ action }) =>
      (answer?.(action.id) ?? {
        status: 'accepted',
        reference: `ref-${action.id}`,
        details: { machineActionStatus: 'Pending' },
      }) as ExecutionOutcome,
  };
}

const scan = (device: string): BuiltInRequestInput => ({
  actionType: 'runAntivirusScan',
  target: { kind: 'device', deviceId: `id-${device}`, deviceName: device, deviceGroup: 'Workstations' },
  parameters: { scanType: 'quick' },
  source: 'manualDeviceAction',
  requestedBy: { type: 'principal', id: people.secAdmin.id },
});

async function dispatched(makeStore: () => Promise<ActionRepository>, executor = dispatching()) {
  const ctx = testCenter({ repository: await makeStore(), executor, idGenerator: randomIdGenerator });
  const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
  const run = await must(ctx.center.run());
  const trail = async () => must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
  const get = async () => must(ctx.center.get({ principal: people.reader, id: action.id }));
  return { ...ctx, id: action.id, reference: `ref-${action.id}`, run, trail, get };
}

describe.each(stores)('dispatch and report (%s)', (_, makeStore) => {
  it('Defender seed, Pending: an executor answering accepted leaves the action running with its reference and details, audited', async () => {
    const t = await dispatched(makeStore);
    expect(t.run).toMatchObject({ started: 1, accepted: 1, succeeded: 0, failed: 0, timedOut: 0 });
    expect(await t.get()).toMatchObject({
      status: 'running',
      externalReference: t.reference,
      executionDetails: { machineActionStatus: 'Pending' },
    });
    expect((await t.trail()).at(-1)).toMatchObject({
      type: 'accept',
      from: 'running',
      to: 'running',
      actor: { type: 'system', component: 'executor' },
      details: { reference: t.reference, executorDetails: { machineActionStatus: 'Pending' } },
    });
  }, 60_000);

  it('Defender seed, InProgress -> Succeeded: progress is recorded (running), the success ends it; details merged on the record and in the audit', async () => {
    const t = await dispatched(makeStore);
    const progress = await must(
      t.center.report({
        actionId: t.id,
        reference: t.reference,
        outcome: { status: 'progress', details: { machineActionStatus: 'InProgress', percent: 40 } },
      }),
    );
    expect(progress).toMatchObject({ recorded: true, action: { status: 'running' } });
    const done = await must(
      t.center.report({
        actionId: t.id,
        reference: t.reference,
        outcome: { status: 'succeeded', details: { machineActionStatus: 'Succeeded' } },
      }),
    );
    expect(done).toMatchObject({ recorded: true, late: false, action: { status: 'succeeded' } });
    expect(await t.get()).toMatchObject({
      status: 'succeeded',
      executionDetails: { machineActionStatus: 'Succeeded', percent: 40 },
    });
    const types = (await t.trail()).map((e) => e.type);
    expect(types).toEqual(['created', 'start', 'accept', 'progress', 'succeed']);
    expect((await t.trail()).at(-1)?.details).toMatchObject({ executorDetails: { machineActionStatus: 'Succeeded' } });
  }, 60_000);

  it('idempotent: the same final report twice changes nothing the second time (duplicate, no second audit event); so does the same progress', async () => {
    const t = await dispatched(makeStore);
    const progress = {
      actionId: t.id,
      reference: t.reference,
      outcome: { status: 'progress', details: { machineActionStatus: 'InProgress' } },
    } as const;
    await must(t.center.report(progress));
    expect(await must(t.center.report(progress))).toMatchObject({ recorded: false, reason: 'duplicate' });
    const failed = {
      actionId: t.id,
      reference: t.reference,
      outcome: { status: 'failed', failure: { code: 'deviceOffline', message: 'Offline' } },
    } as const;
    await must(t.center.report(failed));
    const before = await t.trail();
    expect(await must(t.center.report(failed))).toMatchObject({
      recorded: false,
      reason: 'duplicate',
      action: { status: 'failed' },
    });
    expect(await t.trail()).toEqual(before);
  }, 60_000);

  it('a partial result is recorded as a failure whose message says so, its details on the record', async () => {
    const t = await dispatched(makeStore);
    await must(
      t.center.report({
        actionId: t.id,
        reference: t.reference,
        outcome: { status: 'partial', failure: { code: 'someFiles', message: '2 of 3' }, details: { done: 2 } },
      }),
    );
    expect(await t.get()).toMatchObject({
      status: 'failed',
      failure: { code: 'someFiles', message: 'Partial: 2 of 3' },
      executionDetails: { machineActionStatus: 'Pending', done: 2 },
    });
  }, 60_000);

  it('unknown action, another reference, an action never started: typed errors, nothing changed', async () => {
    const t = await dispatched(makeStore);
    const outcome = { status: 'succeeded' } as const;
    const before = await t.trail();
    expect(await t.center.report({ actionId: 'act-nope', reference: t.reference, outcome })).toMatchObject({
      ok: false,
      error: { code: 'notFound', actionId: 'act-nope' },
    });
    expect(await t.center.report({ actionId: t.id, reference: 'ref-other', outcome })).toMatchObject({
      ok: false,
      error: { code: 'referenceMismatch', actionId: t.id },
    });
    expect(await t.trail()).toEqual(before);
    const { action: pending } = await must(
      t.center.submit({ request: quarantine('LAPTOP-2', { verdict: 'suspicious' }) }),
    );
    expect(pending.status).toBe('pending');
    expect(await t.center.report({ actionId: pending.id, reference: 'ref-x', outcome })).toMatchObject({
      ok: false,
      error: { code: 'notRunning', actionId: pending.id, status: 'pending' },
    });
  }, 60_000);

  it('Defender seed, TimeOut: an accepted action is timed out by run at its deadline; a late failure is kept as reportDiscarded (state unchanged), once; a late success is recorded (timedOut -> succeeded, late)', async () => {
    const t = await dispatched(makeStore);
    const deadlineAt = (await t.get()).deadlineAt ?? 0;
    t.clock.advance(2 * DAY);
    expect(await must(t.center.run())).toMatchObject({ timedOut: 1 });
    const timedOut = await t.get();
    expect(timedOut.status).toBe('timedOut');
    const late = {
      actionId: t.id,
      reference: t.reference,
      outcome: { status: 'failed', failure: { code: 'TimeOut', message: 'Defender gave up' } },
    } as const;
    const discarded = await must(t.center.report(late));
    expect(discarded).toMatchObject({ recorded: false, reason: 'discarded', action: { status: 'timedOut' } });
    // State unchanged: only the version, the update time and the audit head (the hash of the new
    // last event, which the chain requires) move.
    const after = await t.get();
    const { version: _v, updatedAt: _u, auditHead, ...rest } = after;
    const { version: _v0, updatedAt: _u0, auditHead: _h0, ...rest0 } = timedOut;
    expect(rest).toEqual(rest0);
    expect(after.version).toBe(timedOut.version + 1);
    expect(auditHead).toBe((await t.trail()).at(-1)?.hash);
    expect(auditHead).not.toBe(timedOut.auditHead);
    expect((await t.trail()).at(-1)).toMatchObject({
      type: 'reportDiscarded',
      from: 'timedOut',
      to: 'timedOut',
      details: { outcome: 'failed', reference: t.reference, failure: { code: 'TimeOut' } },
    });
    const count = (await t.trail()).length;
    expect(await must(t.center.report(late))).toMatchObject({ recorded: false, reason: 'duplicate' });
    expect(await t.trail()).toHaveLength(count);
    const success = await must(
      t.center.report({ actionId: t.id, reference: t.reference, outcome: { status: 'succeeded' } }),
    );
    expect(success).toMatchObject({ recorded: true, late: true, action: { status: 'succeeded' } });
    expect((await t.trail()).at(-1)).toMatchObject({
      type: 'succeed',
      from: 'timedOut',
      details: { late: true, deadlineAt },
    });
  }, 60_000);

  it('a failure reported past the deadline, before any run tick, is the time-out run would have recorded (order does not matter); a success is late', async () => {
    const t = await dispatched(makeStore);
    t.clock.advance(2 * DAY);
    const r = await must(
      t.center.report({
        actionId: t.id,
        reference: t.reference,
        outcome: { status: 'failed', failure: { code: 'deviceOffline', message: 'x' } },
      }),
    );
    expect(r).toMatchObject({ recorded: true, action: { status: 'timedOut', failure: { code: 'deadlineExceeded' } } });
    expect((await t.trail()).at(-1)?.details).toMatchObject({ reported: { outcome: 'failed' } });
    expect(await must(t.center.run())).toMatchObject({ timedOut: 0 });
    const u = await dispatched(makeStore);
    u.clock.advance(2 * DAY);
    const s = await must(u.center.report({ actionId: u.id, reference: u.reference, outcome: { status: 'succeeded' } }));
    expect(s).toMatchObject({ recorded: true, late: true, action: { status: 'succeeded' } });
  }, 60_000);

  it('Defender seed, Cancelled: a report after cancel is discarded, kept in the audit; progress after the outcome too', async () => {
    const ctx = testCenter({ repository: await makeStore(), executor: dispatching(), idGenerator: randomIdGenerator });
    const { action } = await must(ctx.center.submit({ request: scan('LAPTOP-9'), principal: people.secAdmin }));
    await must(ctx.center.run());
    const cancelled = await must(ctx.center.cancel({ principal: people.secAdmin, ids: [action.id] }));
    expect(cancelled.items[0]).toMatchObject({ ok: true, action: { status: 'cancelled' } });
    const r = await must(
      ctx.center.report({ actionId: action.id, reference: `ref-${action.id}`, outcome: { status: 'succeeded' } }),
    );
    expect(r).toMatchObject({ recorded: false, reason: 'discarded', action: { status: 'cancelled' } });
    const p = await must(
      ctx.center.report({
        actionId: action.id,
        reference: `ref-${action.id}`,
        outcome: { status: 'progress', details: { machineActionStatus: 'InProgress' } },
      }),
    );
    expect(p).toMatchObject({ recorded: false, reason: 'discarded' });
    const trail = await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual([
      'created',
      'start',
      'accept',
      'cancel',
      'reportDiscarded',
      'reportDiscarded',
    ]);
    expect(trail.map((e) => e.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 60_000);

  it('concurrent reports never both win: a success and a failure at once, one recorded, the other discarded', async () => {
    const t = await dispatched(makeStore);
    const [a, b] = await Promise.all([
      t.center.report({ actionId: t.id, reference: t.reference, outcome: { status: 'succeeded' } }),
      t.center.report({
        actionId: t.id,
        reference: t.reference,
        outcome: { status: 'failed', failure: { code: 'x', message: 'y' } },
      }),
    ]);
    const results = [a, b].map((r) => (r.ok ? (r.value.recorded ? 'recorded' : r.value.reason) : r.error.code));
    expect(results.sort()).toEqual(['discarded', 'recorded']);
    const trail = await t.trail();
    expect(trail.filter((e) => e.type === 'succeed' || e.type === 'fail')).toHaveLength(1);
    expect(trail.map((e) => e.sequence)).toEqual(trail.map((_e, i) => i + 1));
  }, 60_000);
});

describe('report input and executor answers', () => {
  it('hostile input (Proxies, throwing getters, oversize details, bad references, unknown keys) is invalidInput, and changes nothing', async () => {
    const t = await dispatched(async () => createMemoryRepository());
    const before = await t.trail();
    const throwing = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    const getter = Object.defineProperty({ actionId: t.id, reference: t.reference }, 'outcome', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]));
    const bad: unknown[] = [
      undefined,
      null,
      42,
      throwing,
      getter,
      { actionId: t.id, reference: t.reference, outcome: throwing },
      { actionId: t.id, reference: t.reference, outcome: { status: 'progress', details: many } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'progress', details: { a: { b: 1 } } } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'succeeded', details: { t: 'x'.repeat(501) } } },
      { actionId: t.id, reference: 'ref\u0000', outcome: { status: 'succeeded' } },
      { actionId: t.id, reference: 'x'.repeat(201), outcome: { status: 'succeeded' } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'succeeded', extra: 1 } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'failed' } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'failed', failure: { code: '', message: '' } } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'done' } },
      { actionId: t.id, reference: t.reference, outcome: { status: 'progress' } },
    ];
    for (const input of bad) {
      const r = await t.center.report(input as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('invalidInput');
    }
    expect(await t.trail()).toEqual(before);
    expect((await t.get()).status).toBe('running');
  }, 60_000);

  it('an executor answering accepted with a malformed reference is a failure (invalidExecutorResult), as any bad answer', async () => {
    const t = await dispatched(
      async () => createMemoryRepository(),
      dispatching(() => ({ status: 'accepted', reference: '' })),
    );
    expect(await t.get()).toMatchObject({
      status: 'failed',
      externalReference: null,
      failure: { code: 'invalidExecutorResult' },
    });
  }, 60_000);

  it('an executor without accept (a final answer) leaves no reference: a report is referenceMismatch', async () => {
    const t = await dispatched(
      async () => createMemoryRepository(),
      dispatching(() => ({ status: 'succeeded', details: { ok: true } })),
    );
    expect(await t.get()).toMatchObject({ status: 'succeeded', executionDetails: { ok: true } });
    expect(
      await t.center.report({ actionId: t.id, reference: t.reference, outcome: { status: 'succeeded' } }),
    ).toMatchObject({ ok: false, error: { code: 'referenceMismatch' } });
  }, 60_000);
});
