/**
 * The lifecycle's dispatch-and-report edges (issue 15), rule by rule: `accept` and `progress` keep
 * an action running and record the remote reference and details; `succeed`/`fail` merge their
 * details onto the record; `reportDiscarded` is an audit-only step (version and time move, nothing
 * else). Seed: Defender machine actions go Pending -> InProgress -> Succeeded/Failed/TimeOut/Cancelled.
 */
import { describe, expect, it } from 'vitest';
import {
  builtInCatalog,
  parseActionRequest,
  transition,
  unwrap,
  type ActionId,
  type ActionRecord,
  type ActionTypeDefinition,
  type LifecycleEvent,
} from '../../src/index.js';
import {
  DEFAULT_PENDING_EXPIRY_MS,
  EXECUTION_DETAILS_LIMITS,
  ActionRecordSchema,
  acceptedEvents,
  asId,
  createActionRecord,
  parseLifecycleEvent,
} from '../../src/adapter-kit.js';

const T0 = Date.UTC(2026, 10, 29, 9);
const MINUTE = 60_000;
const executor = { type: 'system', component: 'executor' } as const;
const alice = { type: 'principal', id: 'alice@contoso.com' } as LifecycleEvent['by'];
const collect: ActionTypeDefinition = builtInCatalog.require('collectInvestigationPackage');
const isolate: ActionTypeDefinition = builtInCatalog.require('isolateDevice');

function approved(type = collect): ActionRecord {
  const request = unwrap(
    parseActionRequest({
      actionType: type.id,
      target: { kind: 'device', deviceId: 'd1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
      parameters: type.id === 'isolateDevice' ? { isolationType: 'full' } : {},
      source: 'manualDeviceAction',
      requestedBy: alice,
    }),
  );
  return createActionRecord(request, {
    id: asId<ActionId>('act-1'),
    now: T0,
    status: 'approved',
    actionType: type,
    approvalId: null,
    pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
  }).action;
}

function apply(action: ActionRecord, event: LifecycleEvent, type = collect) {
  const r = transition(action, event, { actionType: type });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

const start = (at = T0 + MINUTE): LifecycleEvent => ({ type: 'start', by: executor, at, comment: null });
const accept = (reference = 'ma-1', at = T0 + 2 * MINUTE): LifecycleEvent => ({
  type: 'accept',
  by: executor,
  at,
  comment: null,
  reference,
  details: { machineActionStatus: 'Pending' },
});
const progress = (details: Record<string, string | number | boolean | null>, at = T0 + 3 * MINUTE): LifecycleEvent => ({
  type: 'progress',
  by: executor,
  at,
  comment: null,
  details,
});

describe('dispatch and report in the lifecycle (issue 15)', () => {
  it('Defender seed: Pending -> InProgress -> Succeeded is running -accept-> running -progress-> running -succeed-> succeeded, details merged', () => {
    const running = apply(approved(), start()).action;
    expect(acceptedEvents(running, { actionType: collect })).toEqual(
      expect.arrayContaining(['accept', 'progress', 'succeed']),
    );
    const accepted = apply(running, accept());
    expect(accepted.action).toMatchObject({
      status: 'running',
      version: running.version + 1,
      externalReference: 'ma-1',
      executionDetails: { machineActionStatus: 'Pending' },
    });
    expect(accepted.audit).toMatchObject({
      type: 'accept',
      from: 'running',
      to: 'running',
      details: { reference: 'ma-1', executorDetails: { machineActionStatus: 'Pending' } },
    });
    expect(accepted.effects).toEqual([{ type: 'notify', actionId: 'act-1', from: 'running', to: 'running' }]);
    const inProgress = apply(accepted.action, progress({ machineActionStatus: 'InProgress', percent: 40 })).action;
    expect(inProgress.executionDetails).toEqual({ machineActionStatus: 'InProgress', percent: 40 });
    const done = apply(inProgress, {
      type: 'succeed',
      by: executor,
      at: T0 + 4 * MINUTE,
      comment: null,
      details: { machineActionStatus: 'Succeeded', packageUri: 'https://example.invalid/p.zip' },
    });
    expect(done.action).toMatchObject({
      status: 'succeeded',
      externalReference: 'ma-1',
      executionDetails: {
        machineActionStatus: 'Succeeded',
        percent: 40,
        packageUri: 'https://example.invalid/p.zip',
      },
    });
    expect(done.audit.details).toEqual({
      executorDetails: { machineActionStatus: 'Succeeded', packageUri: 'https://example.invalid/p.zip' },
    });
    expect(ActionRecordSchema.safeParse(done.action).success).toBe(true);
  });

  it('Defender seed: InProgress -> Failed is a fail with details, the reference kept', () => {
    const running = apply(apply(approved(), start()).action, accept()).action;
    const failed = apply(running, {
      type: 'fail',
      by: executor,
      at: T0 + 5 * MINUTE,
      comment: null,
      failure: { code: 'deviceOffline', message: 'The device did not come back' },
      details: { machineActionStatus: 'Failed' },
    });
    expect(failed.action).toMatchObject({
      status: 'failed',
      externalReference: 'ma-1',
      executionDetails: { machineActionStatus: 'Failed' },
      failure: { code: 'deviceOffline' },
    });
    expect(failed.audit.details).toMatchObject({ executorDetails: { machineActionStatus: 'Failed' } });
  });

  it('accept and progress are refused outside running: before start and after the outcome', () => {
    const before = approved();
    expect(transition(before, accept(), { actionType: collect })).toMatchObject({
      ok: false,
      error: { code: 'invalidTransition', state: 'approved', event: 'accept', reason: 'noSuchTransition' },
    });
    const done = apply(apply(before, start()).action, {
      type: 'succeed',
      by: executor,
      at: T0 + 2 * MINUTE,
      comment: null,
    }).action;
    expect(transition(done, progress({ a: 1 }), { actionType: collect })).toMatchObject({
      ok: false,
      error: { code: 'invalidTransition', state: 'succeeded', event: 'progress', reason: 'finalState' },
    });
  });

  it('Defender seed: Cancelled, then the device reports: reportDiscarded changes version and time only, the audit keeps the report', () => {
    const running = apply(apply(approved(isolate), start(), isolate).action, accept(), isolate).action;
    // isolate device cannot be cancelled while running; a time-out ends it instead.
    const timedOut = apply(
      running,
      {
        type: 'timeOut',
        by: executor,
        at: T0 + 90 * MINUTE,
        comment: null,
        failure: { code: 'deadlineExceeded', message: 'late' },
      },
      isolate,
    ).action;
    const late = apply(
      timedOut,
      {
        type: 'reportDiscarded',
        by: executor,
        at: T0 + 91 * MINUTE,
        comment: null,
        outcome: 'failed',
        reference: 'ma-1',
        failure: { code: 'TimeOut', message: 'Defender gave up' },
        details: { machineActionStatus: 'TimeOut' },
      },
      isolate,
    );
    const { version: v1, updatedAt: u1, ...rest1 } = late.action;
    const { version: v0, updatedAt: u0, ...rest0 } = timedOut;
    expect(rest1).toEqual(rest0);
    expect([v1, u1]).toEqual([v0 + 1, T0 + 91 * MINUTE]);
    expect(late.audit).toMatchObject({
      type: 'reportDiscarded',
      from: 'timedOut',
      to: 'timedOut',
      details: {
        outcome: 'failed',
        reference: 'ma-1',
        failure: { code: 'TimeOut', message: 'Defender gave up' },
        executorDetails: { machineActionStatus: 'TimeOut' },
      },
    });
  });

  it('reportDiscarded is taken by every state a started action can end in, and by no open one', () => {
    for (const status of ['succeeded', 'failed', 'timedOut', 'cancelled', 'undoing', 'undone', 'undoFailed'] as const)
      expect(acceptedEvents({ status }, { actionType: collect })).toContain('reportDiscarded');
    for (const status of ['pending', 'approved', 'running', 'rejected', 'expired'] as const)
      expect(acceptedEvents({ status }, { actionType: collect })).not.toContain('reportDiscarded');
  });

  it('a record keeps at most 32 detail keys: later values win, new keys past the limit are left out', () => {
    let action = apply(apply(approved(), start()).action, accept()).action; // 1 key
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    action = apply(action, progress(many)).action;
    expect(Object.keys(action.executionDetails ?? {})).toHaveLength(EXECUTION_DETAILS_LIMITS.maxKeys);
    expect(action.executionDetails).toMatchObject({ machineActionStatus: 'Pending', k0: 0, k30: 30 });
    expect(action.executionDetails).not.toHaveProperty('k31');
    action = apply(action, progress({ machineActionStatus: 'InProgress' }, T0 + 4 * MINUTE)).action;
    expect(action.executionDetails?.['machineActionStatus']).toBe('InProgress');
    expect(ActionRecordSchema.safeParse(action).success).toBe(true);
  });

  it('the events are validated from outside: a reference of control characters, nested details, a progress without details are refused', () => {
    const base = { by: executor, at: T0, comment: null };
    expect(parseLifecycleEvent({ type: 'accept', ...base, reference: 'ma-1' }).ok).toBe(true);
    expect(parseLifecycleEvent({ type: 'accept', ...base, reference: 'ma\u0000' }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'accept', ...base, reference: 'x'.repeat(201) }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'progress', ...base }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'progress', ...base, details: { a: { b: 1 } } }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'progress', ...base, details: JSON.parse('{"__proto__": 1}') }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'succeed', ...base, details: { n: Number.NaN } }).ok).toBe(false);
  });

  it('records stored before issue 15 (no externalReference, no executionDetails) read back with null', () => {
    const { externalReference: _r, executionDetails: _d, ...old } = approved();
    const parsed = ActionRecordSchema.safeParse(JSON.parse(JSON.stringify(old)));
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({ externalReference: null, executionDetails: null });
  });
});
