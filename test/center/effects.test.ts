/**
 * Issue 13: the effects `transition` returns are carried out by the engine, in one place, and
 * every post-step behaviour comes from them: `run` queues the action for the next `run`, `abort`
 * stops the execution this process holds, `undo` creates the counterpart in the same commit,
 * `settleUndo` ends the original's undo with its counterpart, `notify` tells subscribers; the open
 * key is released by the lifecycle itself.
 */
import { describe, expect, it } from 'vitest';
import {
  builtInActionTypeMap,
  requestFor,
  type ActionExecutor,
  type CommittedChange,
  type ExecutionOutcome,
} from '../../src/index.js';
import { LIFECYCLE_EFFECT_TYPES } from '../../src/adapter-kit.js';
import { isolate, must, people, quarantine, testCenter } from './fixtures.js';

/** An executor whose executions wait until released, and which records the signals it was given. */
function gatedExecutor() {
  const signals = new Map<string, AbortSignal>();
  const started: string[] = [];
  const release = new Map<string, (o: ExecutionOutcome) => void>();
  const executor: ActionExecutor = {
    supports: () => true,
    execute: ({ action, signal }) => {
      signals.set(action.id, signal);
      started.push(action.id);
      return new Promise<ExecutionOutcome>((resolve) => {
        release.set(action.id, resolve);
        signal.addEventListener('abort', () =>
          resolve({ status: 'failed', failure: { code: 'aborted', message: String(signal.reason) } }),
        );
      });
    },
  };
  return { executor, signals, started, release };
}

const scan = (device: string) =>
  requestFor(builtInActionTypeMap.runAntivirusScan, {
    target: { kind: 'device', deviceId: `dev-${device}`, deviceName: device, deviceGroup: 'Workstations' },
    parameters: { scanType: 'quick' },
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: people.secAdmin.id },
  });

/** Waits until `check` holds, a macrotask at a time (no wall-clock assertion: bounded by turns). */
async function until(check: () => boolean, turns = 1000): Promise<void> {
  for (let i = 0; i < turns && !check(); i += 1) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

describe('effects are carried out by the engine (issue 13)', () => {
  it('every effect type the lifecycle can return is one the engine knows (the list this file covers)', () => {
    // A new effect type fails here until it is carried out (./src/center/engine/{plan,commit}.ts
    // switch on it exhaustively) and tested below.
    expect([...LIFECYCLE_EFFECT_TYPES]).toEqual(['run', 'abort', 'undo', 'settleUndo', 'notify']);
  });

  it('abort: cancelling a running action stops its execution (the signal is aborted), after the commit', async () => {
    const gate = gatedExecutor();
    const { center } = testCenter({ executor: gate.executor });
    const { action } = await must(center.submit({ request: scan('LAPTOP-1'), principal: people.secAdmin }));
    const run = center.run();
    await until(() => gate.started.includes(action.id));
    const signal = gate.signals.get(action.id);
    expect(signal?.aborted).toBe(false);
    const cancelled = await must(center.cancel({ principal: people.secAdmin, ids: [action.id] }));
    expect(cancelled.allApplied).toBe(true);
    expect(signal?.aborted).toBe(true);
    expect(String((signal?.reason as Error | undefined)?.message)).toBe('cancelled');
    const report = await must(run);
    expect(report.discarded).toBe(1); // the executor's late answer changes nothing
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('cancelled');
  });

  it('abort: a cancel that could not be committed aborts nothing', async () => {
    const gate = gatedExecutor();
    const base = testCenter({ executor: gate.executor });
    let failCommits = false;
    const repository = {
      ...base.repository,
      commit: (batch: Parameters<typeof base.repository.commit>[0]) =>
        failCommits
          ? Promise.resolve({ ok: false as const, error: { code: 'repositoryUnavailable' as const, message: 'down' } })
          : base.repository.commit(batch),
    };
    const { center } = testCenter({ executor: gate.executor, repository });
    const { action } = await must(center.submit({ request: scan('LAPTOP-1'), principal: people.secAdmin }));
    const run = center.run();
    await until(() => gate.started.includes(action.id));
    failCommits = true;
    const cancelled = await must(center.cancel({ principal: people.secAdmin, ids: [action.id] }));
    expect(cancelled.items[0]?.outcome).toBe('storeError');
    expect(gate.signals.get(action.id)?.aborted).toBe(false);
    failCommits = false;
    gate.release.get(action.id)?.({ status: 'succeeded' });
    await must(run);
  });

  it('abort: a time-out stops the execution with the deadline as the reason', async () => {
    const gate = gatedExecutor();
    // Deadlines pass at once: the sleep resolves on the next turn.
    const { center } = testCenter({ executor: gate.executor, sleep: () => new Promise((r) => setImmediate(r)) });
    const { action } = await must(center.submit({ request: scan('LAPTOP-1'), principal: people.secAdmin }));
    const report = await must(center.run());
    expect(report.timedOut).toBe(1);
    expect(gate.signals.get(action.id)?.aborted).toBe(true);
    expect(String((gate.signals.get(action.id)?.reason as Error | undefined)?.message)).toBe('deadline passed');
  });

  it('run: approved actions run in the order they were approved in this process, then the others oldest first', async () => {
    const order: string[] = [];
    const executor: ActionExecutor = {
      supports: () => true,
      execute: async ({ action }) => {
        order.push(action.id);
        return { status: 'succeeded' };
      },
    };
    const { center } = testCenter({ executor, concurrency: 1 });
    const a = await must(center.submit({ request: quarantine('A') }));
    const b = await must(center.submit({ request: quarantine('B') }));
    const c = await must(center.submit({ request: quarantine('C') }));
    expect([a, b, c].map((s) => s.disposition)).toEqual(['pending', 'pending', 'pending']);
    // Approved C first, then A: the run effect queues them in that order; B stays pending.
    for (const id of [c.action.id, a.action.id]) {
      expect((await must(center.approve({ principal: people.secAdmin, ids: [id] }))).allApplied).toBe(true);
    }
    expect((await must(center.run())).succeeded).toBe(2);
    expect(order).toEqual([c.action.id, a.action.id]);
  });

  it('undo: the counterpart is created in the same commit as the undo request, linked both ways', async () => {
    const { center } = testCenter();
    const { action } = await must(
      center.submit({ request: isolate('LAPTOP-1', people.secAdmin), principal: people.secAdmin }),
    );
    await must(center.run());
    const heard: CommittedChange[] = [];
    center.subscribe((c) => heard.push(c));
    const undone = await must(center.undo({ principal: people.secAdmin, ids: [action.id] }));
    const item = undone.items[0];
    expect(item?.ok && item.action.status).toBe('undoing');
    const counterpartId = item?.ok ? item.action.undoActionId : null;
    expect(heard).toHaveLength(1); // one commit: the request and the counterpart together
    expect(heard[0]?.actions.map((a) => [a.id, a.status, a.undoOf])).toEqual([
      [action.id, 'undoing', null],
      [counterpartId, 'approved', action.id],
    ]);
    expect(heard[0]?.events.map((e) => e.type)).toEqual(['requestUndo', 'created']);
  });

  it('settleUndo: a counterpart that succeeds ends the undo (undone), in the counterpart’s commit', async () => {
    const { center } = testCenter();
    const { action } = await must(
      center.submit({ request: isolate('LAPTOP-1', people.secAdmin), principal: people.secAdmin }),
    );
    await must(center.run());
    await must(center.undo({ principal: people.secAdmin, ids: [action.id] }));
    const heard: CommittedChange[] = [];
    center.subscribe((c) => heard.push(c));
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('undone');
    const finished = heard.find((c) => c.events.some((e) => e.type === 'undoSucceeded'));
    expect(finished?.events.map((e) => e.type)).toEqual(['succeed', 'undoSucceeded']);
  });

  it('settleUndo: a counterpart cancelled before it runs fails the undo (undoFailed, retryable), with the reason', async () => {
    const { center } = testCenter();
    const { action } = await must(
      center.submit({ request: isolate('LAPTOP-1', people.secAdmin), principal: people.secAdmin }),
    );
    await must(center.run());
    const undone = await must(center.undo({ principal: people.secAdmin, ids: [action.id] }));
    const counterpartId = undone.items[0]?.ok ? undone.items[0].action.undoActionId : null;
    expect(counterpartId).not.toBeNull();
    const cancelled = await must(center.cancel({ principal: people.secAdmin, ids: [counterpartId ?? ''] }));
    expect(cancelled.allApplied).toBe(true);
    const original = await must(center.get({ principal: people.reader, id: action.id }));
    expect([original.status, original.failure?.code]).toEqual(['undoFailed', 'counterpartCancelled']);
    // Retryable: a second undo creates a second counterpart.
    expect((await must(center.undo({ principal: people.secAdmin, ids: [action.id] }))).allApplied).toBe(true);
  });

  it('notify: subscribers hear each committed change once, and nothing when the commit fails', async () => {
    const base = testCenter();
    let failCommits = false;
    const repository = {
      ...base.repository,
      commit: (batch: Parameters<typeof base.repository.commit>[0]) =>
        failCommits
          ? Promise.resolve({ ok: false as const, error: { code: 'repositoryUnavailable' as const, message: 'down' } })
          : base.repository.commit(batch),
    };
    const { center } = testCenter({ repository });
    const heard: CommittedChange[] = [];
    center.subscribe((c) => heard.push(c));
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    expect(heard.map((c) => c.events.map((e) => `${e.from ?? '-'}>${e.to}`))).toEqual([['->pending']]);
    failCommits = true;
    await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(heard).toHaveLength(1);
    failCommits = false;
    await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(heard.map((c) => c.events.map((e) => `${e.from ?? '-'}>${e.to}`))).toEqual([
      ['->pending'],
      ['pending>approved'],
    ]);
  });

  it('the open key is released by the lifecycle: after the action ends, the same action on the same target may open again', async () => {
    const { center } = testCenter();
    const first = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    expect(first.action.openKey).not.toBeNull();
    const again = await center.submit({ request: quarantine('LAPTOP-1') });
    expect(!again.ok && again.error.code).toBe('duplicateOpenAction');
    const rejected = await must(center.reject({ principal: people.secAdmin, ids: [first.action.id] }));
    expect(rejected.items[0]?.ok && rejected.items[0].action.openKey).toBeNull();
    expect((await must(center.submit({ request: quarantine('LAPTOP-1') }))).disposition).toBe('pending');
  });
});
