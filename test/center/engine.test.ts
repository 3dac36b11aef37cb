import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  collectCsv,
  type ActionExecutor,
  type ActionRecord,
  type AuditEvent,
  type BulkResult,
} from '../../src/index.js';
import {
  DAY,
  SHA1,
  T0,
  automation,
  isolate,
  must,
  people,
  quarantine,
  scriptedExecutor,
  softDeleteCluster,
  testCenter,
} from './fixtures.js';

async function historyTotal(center: ReturnType<typeof testCenter>['center']): Promise<number> {
  const page = await must(center.list({ principal: people.reader, query: { filter: { view: 'all' } } }));
  return page.total;
}

function outcomes(r: BulkResult): string[] {
  return r.items.map((i) => i.outcome);
}

describe('submit', () => {
  it('an automated device action on a suspicious file waits in Pending with an approval id and an expiry', async () => {
    const { center } = testCenter();
    const r = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    expect(r.disposition).toBe('pending');
    expect(r.action.status).toBe('pending');
    expect(r.action.approvalId).not.toBeNull();
    expect(r.action.expiresAt).toBe(T0 + 7 * DAY);
  });

  it('full automation remediates a malicious verdict at once', async () => {
    const { center } = testCenter();
    const r = await must(center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    expect(r.disposition).toBe('takenNow');
    expect(r.action.status).toBe('approved');
  });

  it('seed 004: "In Office 365 ATP, no remediation actions are taken automatically."', async () => {
    const { center } = testCenter();
    const r = await must(center.submit({ request: softDeleteCluster() }));
    expect(r.disposition).toBe('pending');
  });

  it('a device group with no automated response refuses automated actions with the reason', async () => {
    const { center } = testCenter({ approvalPolicy: { automationLevels: { Servers: 'none' } } });
    const r = await center.submit({ request: quarantine('SRV-1', { group: 'Servers', verdict: 'malicious' }) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('submissionRefused');
    expect(await historyTotal(center)).toBe(0);
  });

  it('a Security Administrator takes a manual device action directly; a reader is refused with the rule', async () => {
    const { center } = testCenter();
    const taken = await must(
      center.submit({ request: isolate('LAPTOP-2', people.secAdmin), principal: people.secAdmin }),
    );
    expect(taken.disposition).toBe('takenNow');
    const refused = await center.submit({ request: isolate('LAPTOP-3', people.reader), principal: people.reader });
    expect(refused.ok).toBe(false);
    if (!refused.ok && refused.error.code === 'accessDenied') {
      expect(refused.error.decision.allowed).toBe(false);
      expect(refused.error.decision.rule.length).toBeGreaterThan(0);
    } else {
      expect.fail('expected accessDenied');
    }
    expect(await historyTotal(center)).toBe(1);
  });

  it('a principal may propose instead of acting: the action waits for someone else', async () => {
    const { center } = testCenter();
    const r = await must(
      center.submit({
        request: { ...isolate('LAPTOP-4', people.secAdmin), propose: true },
        principal: people.secAdmin,
      }),
    );
    expect(r.disposition).toBe('pending');
  });

  it('refuses a manual request made in the name of another principal, and an automated source requested by a person', async () => {
    const { center } = testCenter();
    const r1 = await center.submit({ request: isolate('LAPTOP-5', people.globalAdmin), principal: people.secAdmin });
    expect(!r1.ok && r1.error.code).toBe('actorMismatch');
    const r2 = await center.submit({
      request: { ...quarantine('LAPTOP-5'), requestedBy: { type: 'principal', id: people.secAdmin.id } },
      principal: people.secAdmin,
    });
    expect(!r2.ok && r2.error.code).toBe('actorMismatch');
    expect(await historyTotal(center)).toBe(0);
  });

  it('the same idempotency key returns the first result', async () => {
    const { center } = testCenter();
    const first = await must(center.submit({ request: { ...quarantine('LAPTOP-6'), idempotencyKey: 'k-1' } }));
    const again = await must(center.submit({ request: { ...quarantine('LAPTOP-6'), idempotencyKey: 'k-1' } }));
    expect(again.disposition).toBe('replayed');
    expect(again.action.id).toBe(first.action.id);
    expect(await historyTotal(center)).toBe(1);
  });

  it('a second open action of the same type on the same target is refused by default', async () => {
    const { center } = testCenter();
    const first = await must(center.submit({ request: quarantine('LAPTOP-7') }));
    const second = await center.submit({ request: quarantine('LAPTOP-7') });
    expect(second.ok).toBe(false);
    if (!second.ok && second.error.code === 'duplicateOpenAction')
      expect(second.error.existingActionId).toBe(first.action.id);
    else expect.fail('expected duplicateOpenAction');
  });

  it('joins the open duplicate when configured, and allows a new one once the first is closed', async () => {
    const { center } = testCenter({ duplicates: 'join' });
    const first = await must(center.submit({ request: quarantine('LAPTOP-8') }));
    const joined = await must(center.submit({ request: quarantine('LAPTOP-8') }));
    expect(joined.disposition).toBe('joined');
    expect(joined.action.id).toBe(first.action.id);
    await must(center.reject({ principal: people.secAdmin, ids: [first.action.id] }));
    const fresh = await must(center.submit({ request: quarantine('LAPTOP-8') }));
    expect(fresh.action.id).not.toBe(first.action.id);
  });

  it.each([
    ['not an object', 42],
    ['unknown action type', { ...quarantine('X'), actionType: 'formatHardDrive' }],
    ['parameters that do not fit', { ...isolate('X', people.secAdmin), parameters: { isolationType: 'partial' } }],
    ['prototype-pollution key', { ...quarantine('X'), parameters: JSON.parse('{"__proto__": {"polluted": true}}') }],
    ['comment with control characters', { ...quarantine('X'), comment: 'ok\u0000hidden' }],
    ['unknown extra field', { ...quarantine('X'), role: 'admin' }],
  ])('bad input (%s) gets a typed error and stores nothing', async (_, request) => {
    const { center } = testCenter();
    const r = await center.submit({ request: request as never });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(['invalidInput', 'unknownActionType', 'invalidParameters']).toContain(r.error.code);
    expect(await historyTotal(center)).toBe(0);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('approve, reject, cancel', () => {
  it('approves a pending action and records who decided, when, and the comment', async () => {
    const { center, clock } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    clock.advance(60_000);
    const r = await must(center.approve({ principal: people.secAdmin, ids: [action.id], comment: 'Confirmed by SOC' }));
    expect(outcomes(r)).toEqual(['applied']);
    const stored = await must(center.get({ principal: people.reader, id: action.id }));
    expect(stored).toMatchObject({
      status: 'approved',
      decidedBy: { type: 'principal', id: people.secAdmin.id },
      decidedAt: T0 + 60_000,
      decisionComment: 'Confirmed by SOC',
    });
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => [e.type, e.from, e.to])).toEqual([
      ['created', null, 'pending'],
      ['approve', 'pending', 'approved'],
    ]);
  });

  it('a reader is refused approval with the reason; nothing changes', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const r = await must(center.approve({ principal: people.reader, ids: [action.id] }));
    const [item] = r.items;
    expect(item?.outcome).toBe('denied');
    if (item?.outcome === 'denied' && !item.error.decision.allowed)
      expect(item.error.decision.message.length).toBeGreaterThan(0);
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('pending');
  });

  it('seed 002: email remediation needs Security Administrator "--- and --- Search and Purge"', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: softDeleteCluster() }));
    const without = await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(outcomes(without)).toEqual(['denied']);
    const withIt = await must(center.approve({ principal: people.searchAndPurgeAdmin, ids: [action.id] }));
    expect(outcomes(withIt)).toEqual(['applied']);
  });

  it('seed 002: "select multiple actions if they have the same type of action"; a mixed selection is refused naming the offenders', async () => {
    const { center } = testCenter();
    const q1 = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const q2 = await must(center.submit({ request: quarantine('LAPTOP-2') }));
    const mail = await must(center.submit({ request: softDeleteCluster() }));
    const mixed = await center.approve({
      principal: people.globalAdmin,
      ids: [q1.action.id, q2.action.id, mail.action.id],
    });
    expect(mixed.ok).toBe(false);
    if (!mixed.ok && mixed.error.code === 'selectionRefused') {
      expect(mixed.error.offending.map((o) => o.actionId)).toEqual([mail.action.id]);
    } else expect.fail('expected selectionRefused');
    expect((await must(center.get({ principal: people.reader, id: q1.action.id }))).status).toBe('pending');
    const same = await must(center.approve({ principal: people.secAdmin, ids: [q1.action.id, q2.action.id] }));
    expect(outcomes(same)).toEqual(['applied', 'applied']);
  });

  it('a decision on a final action is an error naming the state and the event, never a silent no-op', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    await must(center.reject({ principal: people.secAdmin, ids: [action.id], comment: 'false positive' }));
    const again = await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    const [item] = again.items;
    if (item?.outcome === 'invalidState' && item.error.code === 'invalidTransition') {
      expect(item.error.state).toBe('rejected');
      expect(item.error.event).toBe('approve');
    } else expect.fail(`expected invalidState, got ${item?.outcome}`);
  });

  it('unknown ids get a notFound result; the others proceed', async () => {
    const { center } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const r = await must(center.reject({ principal: people.secAdmin, ids: ['act-404', action.id] }));
    expect(outcomes(r)).toEqual(['notFound', 'applied']);
  });

  it.each([
    ['empty selection', { ids: [] }],
    ['oversized selection', { ids: Array.from({ length: 11 }, (_, i) => `act-${i}`) }],
    ['the same id twice', { ids: ['act-1', 'act-1'] }],
    ['comment with control characters', { ids: ['act-1'], comment: 'a\u001b[31mred' }],
    ['ids of the wrong type', { ids: 'act-1' }],
    [
      'principal with a __proto__ key',
      { ids: ['act-1'], principal: JSON.parse('{"id":"x","assignments":[],"__proto__":{"admin":true}}') },
    ],
  ])('bad input (%s) gets a typed error and changes nothing', async (_, patch) => {
    const { center } = testCenter({ maxSelection: 10 });
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const r = await center.approve({ principal: people.secAdmin, ...patch } as never);
    expect(!r.ok && r.error.code).toBe('invalidInput');
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('pending');
  });

  it('cancel: pending and approved actions can be cancelled; running only for types that allow it', async () => {
    const gate: { release?: () => void } = {};
    const executor = scriptedExecutor(
      () => new Promise((resolve) => (gate.release = () => resolve({ status: 'succeeded' }))),
    );
    const { center } = testCenter({ executor });
    const pending = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    expect(outcomes(await must(center.cancel({ principal: people.secAdmin, ids: [pending.action.id] })))).toEqual([
      'applied',
    ]);
    const isolation = await must(
      center.submit({ request: isolate('LAPTOP-2', people.secAdmin), principal: people.secAdmin }),
    );
    const run = center.run();
    await new Promise((r) => setTimeout(r, 10));
    const refused = await must(center.cancel({ principal: people.secAdmin, ids: [isolation.action.id] }));
    const [item] = refused.items;
    expect(item?.outcome).toBe('invalidState');
    if (item?.outcome === 'invalidState' && item.error.code === 'invalidTransition')
      expect(item.error.reason).toBe('notCancellableWhileRunning');
    gate.release?.();
    await run;
    expect((await must(center.get({ principal: people.reader, id: isolation.action.id }))).status).toBe('succeeded');
  });
});

describe('run: the executor and its faults', () => {
  async function runOne(executor: ActionExecutor, options: Parameters<typeof testCenter>[0] = {}) {
    const ctx = testCenter({ executor, ...options });
    const { action } = await must(ctx.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    const report = await must(ctx.center.run());
    const stored = await must(ctx.center.get({ principal: people.reader, id: action.id }));
    const trail = await must(ctx.center.auditTrail({ principal: people.reader, id: action.id }));
    return { ...ctx, report, stored, trail };
  }

  it('a successful execution ends in succeeded with start and succeed events', async () => {
    const { stored, trail, report } = await runOne(scriptedExecutor(async () => ({ status: 'succeeded' })));
    expect(stored.status).toBe('succeeded');
    expect(trail.map((e) => e.type)).toEqual(['created', 'start', 'succeed']);
    expect(report).toMatchObject({ started: 1, succeeded: 1 });
  });

  it.each([
    [
      'reports failure',
      scriptedExecutor(async () => ({ status: 'failed', failure: { code: 'deviceOffline', message: 'no response' } })),
      'deviceOffline',
    ],
    [
      'throws',
      {
        supports: () => true,
        execute: () => {
          throw new Error('boom');
        },
      },
      'executorError',
    ],
    ['rejects', scriptedExecutor(() => Promise.reject(new Error('network down'))), 'executorError'],
    [
      'does not support the type',
      { supports: () => false, execute: async () => ({ status: 'succeeded' as const }) },
      'unsupportedActionType',
    ],
    [
      'reports a partial result',
      scriptedExecutor(async () => ({ status: 'partial', failure: { code: 'partial', message: '2 of 3 files' } })),
      'partial',
    ],
  ])('an executor that %s ends the action failed with the reason recorded', async (_, executor, code) => {
    const { stored, trail } = await runOne(executor as never);
    expect(stored.status).toBe('failed');
    expect(stored.failure?.code).toBe(code);
    expect(trail.at(-1)).toMatchObject({ type: 'fail', from: 'running', to: 'failed' });
  });

  it('a hung executor times out when the deadline passes, and is told to stop', async () => {
    let aborted = false;
    const executor = {
      supports: () => true,
      execute: ({ signal }: { signal: AbortSignal }) =>
        new Promise<never>(() => {
          signal.addEventListener('abort', () => (aborted = true));
        }),
    };
    // The deadline is measured by `sleep` (real time by default): an instant sleep makes it pass at once.
    const { stored } = await runOne(executor as never, { sleep: async () => undefined });
    expect(stored.status).toBe('timedOut');
    expect(stored.failure?.code).toBe('deadlineExceeded');
    expect(aborted).toBe(true);
  }, 10_000);

  it('an executor that succeeds after the action was cancelled changes nothing', async () => {
    const gate: { release?: () => void } = {};
    const executor = scriptedExecutor(
      () => new Promise((resolve) => (gate.release = () => resolve({ status: 'succeeded' }))),
    );
    const { center } = testCenter({ executor });
    const { action } = await must(
      center.submit({
        request: {
          ...isolate('LAPTOP-1', people.secAdmin),
          actionType: 'runAntivirusScan',
          parameters: { scanType: 'full' },
        },
        principal: people.secAdmin,
      }),
    );
    const run = center.run();
    await new Promise((r) => setTimeout(r, 10));
    expect(outcomes(await must(center.cancel({ principal: people.secAdmin, ids: [action.id] })))).toEqual(['applied']);
    gate.release?.();
    const report = await must(run);
    expect(report.discarded).toBe(1);
    const stored = await must(center.get({ principal: people.reader, id: action.id }));
    expect(stored.status).toBe('cancelled');
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'start', 'cancel']);
  });

  it('a sweep times out actions left running by a crashed process', async () => {
    const hung = scriptedExecutor(() => new Promise(() => undefined));
    const first = testCenter({ executor: hung, sleep: () => new Promise(() => undefined) });
    const { action } = await must(first.center.submit({ request: quarantine('LAPTOP-1', { verdict: 'malicious' }) }));
    void first.center.run(); // never finishes: the "process" dies here
    await new Promise((r) => setTimeout(r, 10));
    expect((await must(first.center.get({ principal: people.reader, id: action.id }))).status).toBe('running');
    const second = testCenter({ repository: first.repository });
    second.clock.set(T0 + 2 * DAY);
    const report = await must(second.center.run());
    expect(report.timedOut).toBe(1);
    expect((await must(second.center.get({ principal: people.reader, id: action.id }))).status).toBe('timedOut');
  });
});

describe('expire', () => {
  it('pending actions past 7 days expire, decided by the system', async () => {
    const { center, clock } = testCenter();
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    clock.advance(7 * DAY - 1);
    expect(await must(center.expire())).toBe(0);
    clock.advance(1);
    expect(await must(center.expire())).toBe(1);
    const stored = await must(center.get({ principal: people.reader, id: action.id }));
    expect(stored.status).toBe('expired');
    expect(stored.decidedBy).toEqual({ type: 'system', component: 'expiry' });
  });
});

describe('undo', () => {
  async function succeededQuarantines(devices: string[], options: Parameters<typeof testCenter>[0] = {}) {
    const ctx = testCenter(options);
    const actions: ActionRecord[] = [];
    for (const d of devices)
      actions.push((await must(ctx.center.submit({ request: quarantine(d, { verdict: 'malicious' }) }))).action);
    await must(ctx.center.run());
    return { ...ctx, actions };
  }

  it('undo runs through the linked counterpart and ends in undone', async () => {
    const { center, actions } = await succeededQuarantines(['LAPTOP-1']);
    const [original] = actions;
    if (original === undefined) throw new Error('no action');
    const r = await must(center.undo({ principal: people.secAdmin, ids: [original.id], comment: 'false positive' }));
    expect(outcomes(r)).toEqual(['applied']);
    const undoing = await must(center.get({ principal: people.reader, id: original.id }));
    expect(undoing.status).toBe('undoing');
    const counterpart = await must(center.get({ principal: people.reader, id: undoing.undoActionId ?? '' }));
    expect(counterpart).toMatchObject({ actionType: 'releaseFromQuarantine', undoOf: original.id, status: 'approved' });
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id: original.id }))).status).toBe('undone');
    expect((await must(center.get({ principal: people.reader, id: counterpart.id }))).status).toBe('succeeded');
  });

  it('a failed undo ends in undoFailed and may be retried', async () => {
    let fail = true;
    const executor = scriptedExecutor(async (type) =>
      type === 'releaseFromQuarantine' && fail
        ? { status: 'failed', failure: { code: 'locked', message: 'file in use' } }
        : { status: 'succeeded' },
    );
    const { center, actions } = await succeededQuarantines(['LAPTOP-1'], { executor });
    const id = actions[0]?.id ?? '';
    await must(center.undo({ principal: people.secAdmin, ids: [id] }));
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id }))).status).toBe('undoFailed');
    fail = false;
    expect(outcomes(await must(center.undo({ principal: people.secAdmin, ids: [id] })))).toEqual(['applied']);
    await must(center.run());
    expect((await must(center.get({ principal: people.reader, id }))).status).toBe('undone');
  });

  it('seed 001: "select Apply to X more instances of this file, and then select Undo"', async () => {
    const { center, actions } = await succeededQuarantines(['LAPTOP-1', 'LAPTOP-2', 'LAPTOP-3']);
    const other = await must(
      center.submit({ request: quarantine('LAPTOP-4', { sha1: 'cd'.repeat(20), verdict: 'malicious' }) }),
    );
    await must(center.run());
    const r = await must(
      center.undo({ principal: people.secAdmin, ids: [actions[0]?.id ?? ''], applyToOtherInstances: true }),
    );
    expect(r.items.map((i) => i.actionId).sort()).toEqual(actions.map((a) => a.id).sort());
    expect(r.counts.applied).toBe(3);
    expect(r.allApplied).toBe(true);
    expect((await must(center.get({ principal: people.reader, id: other.action.id }))).status).toBe('succeeded');
  });

  it('a reader may not undo; an action still pending cannot be undone', async () => {
    const { center, actions } = await succeededQuarantines(['LAPTOP-1']);
    const r = await must(center.undo({ principal: people.reader, ids: [actions[0]?.id ?? ''] }));
    expect(outcomes(r)).toEqual(['denied']);
    const pending = await must(center.submit({ request: quarantine('LAPTOP-9') }));
    const r2 = await must(center.undo({ principal: people.secAdmin, ids: [pending.action.id] }));
    expect(outcomes(r2)).toEqual(['invalidState']);
  });
});

describe('views, audit and export', () => {
  it('filters, sorts and pages the History view', async () => {
    const { center, clock } = testCenter();
    for (let i = 0; i < 5; i++) {
      clock.advance(1000);
      await must(center.submit({ request: quarantine(`LAPTOP-${i}`, { verdict: 'malicious' }) }));
    }
    await must(center.submit({ request: softDeleteCluster() }));
    await must(center.run());
    const page1 = await must(
      center.list({
        principal: people.reader,
        query: {
          filter: { view: 'history', actionType: ['quarantineFile'], time: { period: 'pastDay' } },
          sort: { column: 'createdAt', direction: 'desc' },
          page: { size: 2 },
        },
      }),
    );
    expect(page1.total).toBe(5);
    expect(page1.items.map((a) => (a.target.kind === 'file' ? a.target.deviceName : ''))).toEqual([
      'LAPTOP-4',
      'LAPTOP-3',
    ]);
    const page2 = await must(
      center.list({
        principal: people.reader,
        query: {
          filter: { view: 'history', actionType: ['quarantineFile'] },
          sort: { column: 'createdAt', direction: 'desc' },
          page: { size: 2, cursor: page1.nextCursor },
        },
      }),
    );
    expect(page2.items.map((a) => (a.target.kind === 'file' ? a.target.deviceName : ''))).toEqual([
      'LAPTOP-2',
      'LAPTOP-1',
    ]);
    const pending = await must(center.list({ principal: people.reader, query: { filter: { view: 'pending' } } }));
    expect(pending.items.map((a) => a.actionType)).toEqual(['softDeleteEmailClusters']);
  });

  it('principals without Action center access cannot view or export', async () => {
    const { center } = testCenter();
    const r = await center.list({ principal: people.emailCollabOnlyAdmin });
    expect(!r.ok && r.error.code).toBe('accessDenied');
    const e = await center.exportCsv({ principal: people.nobody });
    expect(!e.ok && e.error.code).toBe('accessDenied');
  });

  it('exports the filtered view to CSV that a real parser reads back', async () => {
    const { center } = testCenter();
    await must(center.submit({ request: quarantine('=cmd|calc', { verdict: 'malicious' }) }));
    await must(center.submit({ request: quarantine('LAPTOP-2', { verdict: 'malicious' }) }));
    await must(center.run());
    const csv = await collectCsv(
      await must(
        center.exportCsv({
          principal: people.reader,
          query: { filter: { view: 'history' } },
          columns: ['id', 'actionType', 'asset', 'status'],
        }),
      ),
    );
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['Action ID', 'Action type', 'Asset', 'Status']);
    expect(rows).toHaveLength(3);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['Quarantine file', 'Quarantine file']);
    expect(
      rows
        .slice(1)
        .map((r) => r[2])
        .sort(),
    ).toEqual(["'=cmd|calc", 'LAPTOP-2']);
    expect(csv.includes('\r\n')).toBe(true);
  });
});

describe('events and atomicity', () => {
  it('subscribers hear every committed change', async () => {
    const { center } = testCenter();
    const heard: AuditEvent[] = [];
    const stop = center.subscribe((c) => heard.push(...c.events));
    const { action } = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    stop();
    await must(center.run());
    expect(heard.map((e) => e.type)).toEqual(['created', 'approve']);
  });

  it('a failed commit leaves no trace: no state change, no audit event, no notification', async () => {
    const base = testCenter();
    const { action } = await must(base.center.submit({ request: quarantine('LAPTOP-1') }));
    let failing = true;
    const repository = {
      ...base.repository,
      commit: (batch: Parameters<typeof base.repository.commit>[0]) =>
        failing
          ? Promise.resolve({
              ok: false as const,
              error: { code: 'repositoryUnavailable' as const, message: 'disk full' },
            })
          : base.repository.commit(batch),
    };
    const { center } = testCenter({ repository });
    const heard: unknown[] = [];
    center.subscribe((c) => heard.push(c));
    const r = await must(center.approve({ principal: people.secAdmin, ids: [action.id] }));
    expect(outcomes(r)).toEqual(['storeError']);
    expect(heard).toEqual([]);
    expect((await must(center.get({ principal: people.reader, id: action.id }))).status).toBe('pending');
    expect(await must(center.auditTrail({ principal: people.reader, id: action.id }))).toHaveLength(1);
    failing = false;
  });

  it('every state change has exactly one audit event: trail length equals version, last event matches status', async () => {
    const executor = scriptedExecutor(async (_, device) =>
      device === 'LAPTOP-2' ? { status: 'failed', failure: { code: 'x', message: 'y' } } : { status: 'succeeded' },
    );
    const { center } = testCenter({ executor });
    const ids: string[] = [];
    for (const d of ['LAPTOP-1', 'LAPTOP-2', 'LAPTOP-3'])
      ids.push((await must(center.submit({ request: quarantine(d) }))).action.id);
    await must(center.approve({ principal: people.secAdmin, ids: ids.slice(0, 2) }));
    await must(center.reject({ principal: people.secAdmin, ids: ids.slice(2) }));
    await must(center.run());
    await must(center.undo({ principal: people.secAdmin, ids: [ids[0] ?? ''] }));
    await must(center.run());
    const all = await must(center.list({ principal: people.reader, query: { page: { size: 100 } } }));
    expect(all.total).toBe(4);
    for (const a of all.items) {
      const trail = await must(center.auditTrail({ principal: people.reader, id: a.id }));
      expect(trail.map((e) => e.sequence)).toEqual(Array.from({ length: a.version }, (_, i) => i + 1));
      expect(trail.at(-1)?.to).toBe(a.status);
    }
    expect(automation.type).toBe('system');
    expect(SHA1).toHaveLength(40);
  });
});
