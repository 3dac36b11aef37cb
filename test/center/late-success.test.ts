/**
 * Regression tests of issue 11, item 11: a success that arrives after the deadline was recorded as
 * timed out and could not be undone, though the remote side did the work. It is now recorded as
 * `succeeded`, late (the audit event says so), and can be undone.
 */
import { describe, expect, it } from 'vitest';
import {
  createMemoryRepository,
  randomIdGenerator,
  type ActionExecutor,
  type ActionRepository,
  type CommittedChange,
  type ExecutionOutcome,
} from '../../src/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { DAY, must, people, quarantine, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

describe.each(stores)('late success after the deadline (%s)', (_, makeStore) => {
  it('late success after the deadline: the clock passed the deadline while the executor worked; recorded succeeded, late, and undoable', async () => {
    let advance: (ms: number) => void = () => undefined;
    const executor: ActionExecutor = {
      supports: () => true,
      execute: async () => {
        advance(2 * DAY); // the work took longer than any deadline
        return { status: 'succeeded' };
      },
    };
    const ctx = testCenter({
      repository: await makeStore(),
      executor,
      sleep: () => new Promise(() => undefined),
      idGenerator: randomIdGenerator,
    });
    advance = (ms) => ctx.clock.advance(ms);
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(await must(ctx.center.run())).toMatchObject({ started: 1, succeeded: 1, timedOut: 0 });
    const stored = await must(ctx.center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({ status: 'succeeded', failure: null });
    expect(stored.completedAt).toBeGreaterThan(stored.deadlineAt ?? Infinity);
    const trail = await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.at(-1)).toMatchObject({
      type: 'succeed',
      from: 'running',
      to: 'succeeded',
      details: { late: true, deadlineAt: stored.deadlineAt },
    });
    const undo = await must(ctx.center.undo({ principal: people.secAdmin, ids: [action.id] }));
    expect(undo.items[0]?.outcome).toBe('applied');
  }, 60_000);

  it('late success after the deadline: recorded timedOut at the deadline, then succeeded when the success arrives, and undoable', async () => {
    const gate: { answer?: (o: ExecutionOutcome) => void; aborted?: boolean } = {};
    const executor: ActionExecutor = {
      supports: () => true,
      execute: ({ signal }) =>
        new Promise((resolve) => {
          gate.answer = resolve;
          signal.addEventListener('abort', () => (gate.aborted = true));
        }),
    };
    // The deadline timer fires at once: the action times out while the executor still works.
    const ctx = testCenter({
      repository: await makeStore(),
      executor,
      sleep: async () => undefined,
      idGenerator: randomIdGenerator,
    });
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(await must(ctx.center.run())).toMatchObject({ started: 1, timedOut: 1 });
    expect((await must(ctx.center.get({ principal: people.reader, id: action.id }))).status).toBe('timedOut');
    expect(gate.aborted).toBe(true);
    // The remote side did the work after all.
    const heard = new Promise<CommittedChange>((resolve) => {
      const stop = ctx.center.subscribe((change) => {
        if (change.events.some((e) => e.type === 'succeed')) {
          stop();
          resolve(change);
        }
      });
    });
    ctx.clock.advance(60 * 60_000);
    gate.answer?.({ status: 'succeeded' });
    await heard;
    const stored = await must(ctx.center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({ status: 'succeeded', failure: null });
    const trail = await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'start', 'timeOut', 'succeed']);
    expect(trail.at(-1)).toMatchObject({
      from: 'timedOut',
      to: 'succeeded',
      details: { late: true, deadlineAt: stored.deadlineAt },
    });
    const undo = await must(ctx.center.undo({ principal: people.secAdmin, ids: [action.id] }));
    expect(undo.items[0]?.outcome).toBe('applied');
  }, 60_000);

  it('a failure after the deadline leaves the action timed out', async () => {
    const gate: { answer?: (o: ExecutionOutcome) => void } = {};
    const executor: ActionExecutor = {
      supports: () => true,
      execute: () => new Promise((resolve) => (gate.answer = resolve)),
    };
    const ctx = testCenter({
      repository: await makeStore(),
      executor,
      sleep: async () => undefined,
      idGenerator: randomIdGenerator,
    });
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    await must(ctx.center.run());
    gate.answer?.({ status: 'failed', failure: { code: 'late', message: 'too late' } });
    // Let the late answer be handled (it is dropped), then check nothing changed.
    for (let i = 0; i < 20; i += 1) await new Promise((r) => setTimeout(r, 5));
    const stored = await must(ctx.center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({ status: 'timedOut', failure: { code: 'deadlineExceeded' } });
    expect((await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }))).map((e) => e.type)).toEqual(
      ['created', 'start', 'timeOut'],
    );
  }, 60_000);
});
