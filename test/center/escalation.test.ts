/**
 * Issue 16: approval deadlines with escalation, per-type pending expiry, and the expiry of approved
 * actions that never started, example by example on a manual clock, on the memory repository and
 * PGlite; then two centers sweeping one store at once (fast-check's scheduler interleaving their
 * store calls): each escalation is committed exactly once.
 */
import fc from 'fast-check';
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
  type ApprovalPolicyConfig,
  type AuditEvent,
  type BuiltInRequestInput,
  type CommittedChange,
} from '../../src/index.js';
import { dueAtOf } from '../../src/adapter-kit.js';
import { actionTypeExpiriesArbitrary, policyExpiriesArbitrary } from '../../src/testing/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { DAY, T0, idsOf, isolate, must, people, quarantine, scheduled, testCenter } from './fixtures.js';

usePGlite();

const HOUR = 60 * 60 * 1000;
const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

const LEAD = 'soc-lead@contoso.com';
/** Splunk SOAR: isolations must be decided within 4 hours, then escalate to the SOC lead. */
const sla: ApprovalPolicyConfig = {
  requirements: [{ match: { actionTypes: ['isolateDevice'] }, decideWithinMs: 4 * HOUR, escalateTo: [LEAD] }],
};
/** A manual isolation proposed by one analyst, for another to approve. */
const proposed = (device = 'LAPTOP-1'): BuiltInRequestInput => ({ ...isolate(device, people.secAdmin), propose: true });

/** Cortex XSIAM sets an action's expiration in hours: this type's pending actions expire after 2 hours. */
const hourlyScan = defineActionType({
  id: 'hourlyScan',
  displayName: 'Scan (expires in hours)',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
  pendingExpiryMs: 2 * HOUR,
});
/** Approved actions of this type that never started expire after 30 minutes. */
const urgentScan = defineActionType({
  id: 'urgentScan',
  displayName: 'Urgent scan',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({}),
  approvedExpiryMs: 30 * 60 * 1000,
  retry: { maxAttempts: 3, backoffMs: 60 * 60 * 1000 },
});
const catalog = unwrap(createCatalog([...builtInActionTypes, hourlyScan, urgentScan]));
const scan = (actionType: string, propose = false, device = 'LAPTOP-1') =>
  ({
    actionType,
    target: { kind: 'device', deviceId: `id-${device}`, deviceName: device, deviceGroup: 'Workstations' },
    parameters: {},
    source: 'manualDeviceAction',
    requestedBy: { type: 'principal', id: people.secAdmin.id },
    propose,
  }) as unknown as BuiltInRequestInput;

/** An executor that never answers the calls it counts; `hang: false` succeeds at once. */
function counting(answer: 'succeed' | 'transient' = 'succeed'): ActionExecutor & { calls: number } {
  const executor = {
    calls: 0,
    supports: () => true,
    execute: async () => {
      executor.calls += 1;
      return answer === 'succeed'
        ? ({ status: 'succeeded' } as const)
        : ({ status: 'failed', failure: { code: 'throttled', message: 'HTTP 429' }, retryable: true } as const);
    },
  };
  return executor;
}

const ofType = (trail: readonly AuditEvent[], type: string) => trail.filter((e) => e.type === type);

describe.each(stores)('approval deadline and escalation (%s)', (_name, makeStore) => {
  it('Splunk SOAR SLA: undecided after 4 hours, the isolation escalates to the SOC lead, once, seen by subscribers and the change feed', async () => {
    const repository = await makeStore();
    const { center, clock } = testCenter({ repository, approvalPolicy: sla });
    const heard: CommittedChange[] = [];
    center.subscribe((change) => heard.push(change));
    const { action, disposition } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    expect(disposition).toBe('pending');
    expect([action.escalateAt, action.escalatedAt, action.escalatedTo]).toEqual([T0 + 4 * HOUR, null, []]);
    expect(dueAtOf(action)).toBe(T0 + 4 * HOUR);

    clock.advance(4 * HOUR - 1);
    expect((await must(center.run())).escalated).toBe(0);
    const before = await must(center.get({ principal: people.reader, id: action.id }));
    expect(before.escalatedAt).toBe(null);

    clock.advance(1);
    // The run's report counts the escalation of its tick, once: the next tick has none left.
    expect((await must(center.run())).escalated).toBe(1);
    expect((await must(center.run())).escalated).toBe(0);
    await must(center.expire());
    const after = await must(center.get({ principal: people.reader, id: action.id }));
    expect(after).toMatchObject({
      status: 'pending',
      escalateAt: null,
      escalatedAt: T0 + 4 * HOUR,
      escalatedTo: [LEAD],
    });
    // Still due at its expiry: the pending expiry (7 days) stays.
    expect(dueAtOf(after)).toBe(T0 + 7 * DAY);
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    const escalations = ofType(trail, 'escalate');
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({
      at: T0 + 4 * HOUR,
      actor: { type: 'system', component: 'escalation' },
      from: 'pending',
      to: 'pending',
      details: { escalateAt: T0 + 4 * HOUR, escalatedTo: [LEAD] },
    });
    // Subscribers hear the committed escalation, once.
    const heardEscalations = heard.flatMap((c) => c.events).filter((e) => e.type === 'escalate');
    expect(heardEscalations.map((e) => e.actionId)).toEqual([action.id]);
    // The change feed carries it.
    const feed = await must(repository.changes({ after: null, limit: 100 }));
    expect(feed.entries.filter((e) => e.event.type === 'escalate').map((e) => e.event.actionId)).toEqual([action.id]);
  }, 60_000);

  it('a member of the escalation group may approve at the deadline, with no sweep before (the decision escalates first), and not before it', async () => {
    const lead = { id: LEAD, assignments: [] };
    const { center, clock } = testCenter({ repository: await makeStore(), approvalPolicy: sla });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    clock.advance(4 * HOUR - 1);
    const early = await must(center.approve({ principal: lead, ids: [action.id] }));
    expect(early.items[0]?.ok === false ? early.items[0].outcome : 'applied').toBe('denied');
    clock.advance(1);
    const late = await must(center.approve({ principal: lead, ids: [action.id], comment: 'SLA passed' }));
    expect(late.items[0]?.ok === true ? late.items[0].action.status : late.items[0]).toBe('approved');
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'escalate', 'approve']);
  }, 60_000);

  it('an action decided before its deadline never escalates', async () => {
    const { center, clock } = testCenter({ repository: await makeStore(), approvalPolicy: sla });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    clock.advance(HOUR);
    await must(center.reject({ principal: people.globalAdmin, ids: [action.id], comment: 'not needed' }));
    clock.advance(10 * HOUR);
    await must(center.run());
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(ofType(trail, 'escalate')).toHaveLength(0);
    const record = await must(center.get({ principal: people.reader, id: action.id }));
    expect([record.status, record.escalateAt, record.escalatedAt]).toEqual(['rejected', null, null]);
  }, 60_000);

  it('expiry and escalation due in one tick: expire wins, nothing escalates', async () => {
    const policy: ApprovalPolicyConfig = {
      pendingExpiryMs: 2 * HOUR,
      requirements: [{ match: {}, decideWithinMs: 2 * HOUR, escalateTo: [LEAD] }],
    };
    const { center, clock } = testCenter({ repository: await makeStore(), approvalPolicy: policy });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    clock.advance(3 * HOUR);
    const tick = await must(center.run());
    expect([tick.expired, tick.escalated]).toEqual([1, 0]);
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => e.type)).toEqual(['created', 'expire']);
  }, 60_000);

  it('a rule without escalateTo still escalates, to nobody: the deadline is recorded as passed', async () => {
    const policy: ApprovalPolicyConfig = {
      requirements: [{ match: { workloads: ['endpoint'] }, decideWithinMs: HOUR }],
    };
    const { center, clock } = testCenter({ repository: await makeStore(), approvalPolicy: policy });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    clock.advance(HOUR);
    await must(center.expire());
    const record = await must(center.get({ principal: people.reader, id: action.id }));
    expect([record.escalatedAt, record.escalatedTo]).toEqual([T0 + HOUR, []]);
  }, 60_000);

  it('a read after the deadline escalates too (any sweep does): no tick is needed', async () => {
    const { center, clock } = testCenter({ repository: await makeStore(), approvalPolicy: sla });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    clock.advance(5 * HOUR);
    const page = await must(center.list({ principal: people.reader, query: { page: { size: 10 } } }));
    expect(page.items.find((a) => a.id === action.id)?.escalatedAt).toBe(T0 + 5 * HOUR);
  }, 60_000);
});

describe.each(stores)('per-type pending expiry (%s)', (_name, makeStore) => {
  it('Cortex XSIAM: a type whose expiration is set in hours expires after 2 hours, the others after the policy’s 7 days', async () => {
    const { center, clock } = testCenter({ repository: await makeStore(), catalog });
    const short = await must(center.submit({ request: scan('hourlyScan', true), principal: people.secAdmin }));
    const long = await must(center.submit({ request: proposed('LAPTOP-2'), principal: people.secAdmin }));
    expect(short.action.expiresAt).toBe(T0 + 2 * HOUR);
    expect(long.action.expiresAt).toBe(T0 + 7 * DAY);
    clock.advance(2 * HOUR);
    expect((await must(center.run())).expired).toBe(1);
    const statuses = await Promise.all(
      [short.action.id, long.action.id].map(
        async (id) => (await must(center.get({ principal: people.reader, id }))).status,
      ),
    );
    expect(statuses).toEqual(['expired', 'pending']);
  }, 60_000);

  it('Defender: a built-in type keeps the 7-day pending expiry by default', async () => {
    const { center, clock } = testCenter({
      repository: await makeStore(),
      approvalPolicy: { defaultAutomationLevel: 'semiAll' },
    });
    const { action } = await must(center.submit({ request: quarantine('PC-1') }));
    expect(action.status).toBe('pending');
    expect(action.expiresAt).toBe(T0 + 7 * DAY);
    clock.advance(7 * DAY - 1);
    expect(await must(center.expire())).toBe(0);
    clock.advance(1);
    expect(await must(center.expire())).toBe(1);
  }, 60_000);
});

describe('expiry per type or policy, any durations', () => {
  it('pending: the type’s pendingExpiryMs, else the policy’s; approved: the type’s approvedExpiryMs, else the policy’s, else never', async () => {
    await fc.assert(
      fc.asyncProperty(actionTypeExpiriesArbitrary(fc), policyExpiriesArbitrary(fc), async (typeExpiries, policy) => {
        const custom = defineActionType({
          id: 'customScan',
          displayName: 'Custom scan',
          workload: 'endpoint',
          targetKind: 'device',
          parameters: z.strictObject({}),
          ...typeExpiries,
        });
        const { center, clock } = testCenter({
          catalog: unwrap(createCatalog([...builtInActionTypes, custom])),
          approvalPolicy: policy,
        });
        const { action } = await must(center.submit({ request: scan('customScan', true), principal: people.secAdmin }));
        const pendingMs = typeExpiries.pendingExpiryMs ?? policy.pendingExpiryMs ?? 7 * DAY;
        expect(action.expiresAt).toBe(T0 + pendingMs);
        const at = T0 + Math.floor(pendingMs / 2);
        clock.set(at);
        const result = await must(center.approve({ principal: people.globalAdmin, ids: [action.id] }));
        const approved = result.items[0];
        const approvedMs = typeExpiries.approvedExpiryMs ?? policy.approvedExpiryMs ?? null;
        expect(approved?.ok === true ? approved.action.expiresAt : 'refused').toBe(
          approvedMs === null ? null : at + approvedMs,
        );
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

describe.each(stores)('expiry of approved actions that never started (%s)', (_name, makeStore) => {
  it('taken now and never started: expired by the tick after approvedExpiryMs, never executed', async () => {
    const executor = counting();
    const { center, clock } = testCenter({ repository: await makeStore(), catalog, executor });
    const { action, disposition } = await must(
      center.submit({ request: scan('urgentScan'), principal: people.secAdmin }),
    );
    expect(disposition).toBe('takenNow');
    expect(action.expiresAt).toBe(T0 + 30 * 60 * 1000);
    clock.advance(30 * 60 * 1000);
    const tick = await must(center.run());
    expect([tick.expired, tick.started, executor.calls]).toEqual([1, 0, 0]);
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => [e.type, e.from, e.to])).toEqual([
      ['created', null, 'approved'],
      ['expire', 'approved', 'expired'],
    ]);
    expect(trail[1]?.details).toMatchObject({ expiresAt: T0 + 30 * 60 * 1000 });
  }, 60_000);

  it('approval starts the clock: the policy’s approvedExpiryMs from the approve; started in time, it runs', async () => {
    const executor = counting();
    const { center, clock } = testCenter({
      repository: await makeStore(),
      executor,
      approvalPolicy: { approvedExpiryMs: HOUR },
    });
    const { action } = await must(center.submit({ request: proposed(), principal: people.secAdmin }));
    expect(action.expiresAt).toBe(T0 + 7 * DAY);
    clock.advance(HOUR);
    const [approved] = (await must(center.approve({ principal: people.globalAdmin, ids: [action.id], comment: 'ok' })))
      .items;
    expect(approved?.ok === true ? approved.action.expiresAt : null).toBe(T0 + 2 * HOUR);
    clock.advance(HOUR - 1);
    const tick = await must(center.run());
    expect([tick.expired, tick.started, tick.succeeded, executor.calls]).toEqual([0, 1, 1, 1]);
    const record = await must(center.get({ principal: people.reader, id: action.id }));
    expect([record.status, record.expiresAt]).toEqual(['succeeded', null]);
  }, 60_000);

  it('a retry-waiting action (started once) never expires this way, however long it waits', async () => {
    const executor = counting('transient');
    const { center, clock } = testCenter({ repository: await makeStore(), catalog, executor });
    const { action } = await must(center.submit({ request: scan('urgentScan'), principal: people.secAdmin }));
    await must(center.run());
    const waiting = await must(center.get({ principal: people.reader, id: action.id }));
    expect([waiting.status, waiting.attempt, waiting.expiresAt]).toEqual(['approved', 1, null]);
    clock.advance(HOUR);
    const tick = await must(center.run());
    expect([tick.expired, tick.started]).toEqual([0, 1]);
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(ofType(trail, 'expire')).toHaveLength(0);
  }, 60_000);

  it('without approvedExpiryMs (the default) an approved action waits for ever', async () => {
    const { center, clock } = testCenter({ repository: await makeStore(), executor: counting() });
    const { action } = await must(
      center.submit({ request: isolate('PC-9', people.secAdmin), principal: people.secAdmin }),
    );
    expect([action.status, action.expiresAt, dueAtOf(action)]).toEqual(['approved', null, null]);
    clock.advance(400 * DAY);
    expect(await must(center.expire())).toBe(0);
  }, 60_000);
});

describe('escalation exactly once across processes', () => {
  it('two centers on one memory store sweeping at once, any interleaving: one escalate event per action, none after a decision', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('run', 'expire', 'list'),
        async (s, decideFirst, sweep) => {
          const store = createMemoryRepository();
          const setup = testCenter({ repository: store, approvalPolicy: sla, idGenerator: idsOf('setup') });
          const ids: string[] = [];
          for (const [i, decide] of decideFirst.entries()) {
            const { action } = await must(
              setup.center.submit({ request: proposed(`PC-${i}`), principal: people.secAdmin }),
            );
            ids.push(action.id);
            if (decide) await must(setup.center.reject({ principal: people.globalAdmin, ids: [action.id] }));
          }
          const clock = { now: () => T0 + 4 * HOUR };
          const center = (prefix: string) =>
            testCenter({ repository: scheduled(store, s), clock, approvalPolicy: sla, idGenerator: idsOf(prefix) })
              .center;
          const [a, b] = [center('a'), center('b')];
          const tick = (c: typeof a) =>
            sweep === 'run'
              ? c.run()
              : sweep === 'expire'
                ? c.expire()
                : c.list({ principal: people.reader, query: { page: { size: 10 } } });
          const [ra, rb] = await s.waitFor(Promise.all([tick(a), tick(b)]));
          expect([ra.ok, rb.ok]).toEqual([true, true]);
          for (const [i, id] of ids.entries()) {
            const trail = await must(store.auditTrail(id));
            expect(ofType(trail, 'escalate')).toHaveLength(decideFirst[i] === true ? 0 : 1);
            expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, n) => n + 1));
          }
        },
      ),
      { numRuns: 60 },
    );
  }, 120_000);

  it('PGlite: two centers sweeping one store at once commit each escalation once', async () => {
    const store = await freshRepository();
    const setup = testCenter({ repository: store, approvalPolicy: sla, idGenerator: idsOf('setup') });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (await must(setup.center.submit({ request: proposed(`PC-${i}`), principal: people.secAdmin }))).action.id,
      );
    const clock = { now: () => T0 + 5 * HOUR };
    const centers = ['a', 'b', 'c'].map(
      (p) => testCenter({ repository: store, clock, approvalPolicy: sla, idGenerator: idsOf(p) }).center,
    );
    const ticks = await Promise.all(centers.flatMap((c) => [c.run(), c.expire()]));
    expect(ticks.every((t) => t.ok)).toBe(true);
    // Each escalation is counted by at most one of the runs (expire's report counts expiries only).
    const escalated = ticks.reduce((n, t) => n + (t.ok && typeof t.value === 'object' ? t.value.escalated : 0), 0);
    expect(escalated).toBeLessThanOrEqual(ids.length);
    for (const id of ids) {
      const trail = await must(store.auditTrail(id));
      expect(ofType(trail, 'escalate')).toHaveLength(1);
      const record = await must(store.get(id));
      expect([record?.escalatedAt, record?.escalateAt, dueAtOf(record ?? ({} as never))]).toEqual([
        T0 + 5 * HOUR,
        null,
        T0 + 7 * DAY,
      ]);
    }
  }, 120_000);
});
