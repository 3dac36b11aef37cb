/**
 * The action lifecycle, sentence by sentence (DESIGN.md, "Lifecycle"), plus the type-level checks
 * that keep the table, the events and their handling exhaustive.
 */
import { z } from 'zod';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ACTION_STATUSES,
  FINAL_STATUSES,
  builtInActionTypeMap,
  defineActionType,
  isFinal,
  transition,
  type ActionId,
  type ActionRecord,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type LifecycleEffect,
  type LifecycleEvent,
} from '../../src/index.js';
import {
  AUDIT_EVENT_TYPES,
  ActionRecordSchema,
  ActionRequestSchema,
  AuditEventSchema,
  DECISION_EVENT_TYPES,
  DEFAULT_PENDING_EXPIRY_MS,
  LIFECYCLE_EVENT_TYPES,
  LIFECYCLE_GUARDS,
  LIFECYCLE_TRANSITIONS,
  UNDO_EVENT_TYPES,
  REPORT_EVENT_TYPES,
  RETRY_EVENT_TYPES,
  NOTE_EVENT_TYPES,
  APPROVAL_EVENT_TYPES,
  ESCALATION_EVENT_TYPES,
  MANUAL_RETRY_EVENT_TYPES,
  SafeObjectSchema,
  acceptedEvents,
  asId,
  assertNever,
  createActionRecord,
  createUndoCounterpart,
  isExpired,
  lifecycleEdge,
  outcomeOf,
  parseLifecycleEvent,
  undoResultOfCounterpart,
  type ApprovalId,
  type AuditDraft,
  type FinalStatus,
  type LifecycleEventOf,
  type LifecycleEventType,
  type LifecycleTransitionTable,
  type TransitionResult,
} from '../../src/adapter-kit.js';

// ---- fixtures ----------------------------------------------------------------------------------

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const alice: Actor = { type: 'principal', id: asId('alice@contoso.com') };
const bob: Actor = { type: 'principal', id: asId('bob@contoso.com') };
const automation: Actor = { type: 'system', component: 'automatedInvestigation' };
const executor: Actor = { type: 'system', component: 'executor' };
const expiry: Actor = { type: 'system', component: 'expiry' };

/** Not cancellable while running, undone by release from isolation. */
const isolateDevice = builtInActionTypeMap.isolateDevice;
const quarantineFile = builtInActionTypeMap.quarantineFile;
const releaseFromQuarantine = builtInActionTypeMap.releaseFromQuarantine;
/** Like run antivirus scan: may be cancelled while running (cancel-machine-action.md), no undo. */
const antivirusScan = defineActionType({
  id: 'testAntivirusScan',
  displayName: 'Run antivirus scan (test)',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.object({ scanType: z.enum(['quick', 'full']) }),
  cancellableWhileRunning: true,
  deadlineMs: 3 * 60 * MINUTE,
});

const device = { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' } as const;
const file = {
  ...device,
  kind: 'file',
  path: 'C:\\Users\\alex\\Downloads\\invoice.exe',
  sha1: 'ab'.repeat(20),
} as const;

function requestOf(type: ActionTypeDefinition, comment: string | null = null) {
  return ActionRequestSchema.parse({
    actionType: type.id,
    target: type.targetKind === 'file' ? file : device,
    parameters: type.id === isolateDevice.id ? { isolationType: 'full' } : {},
    source: 'automatedDeviceAction',
    requestedBy: automation,
    investigationId: 'inv-1',
    verdict: 'suspicious',
    comment,
  });
}

function created(type: ActionTypeDefinition, status: 'pending' | 'approved' = 'pending', id = 'act-1'): ActionRecord {
  return createActionRecord(requestOf(type), {
    id: asId<ActionId>(id),
    now: T0,
    status,
    actionType: type,
    approvalId: status === 'pending' ? asId<ApprovalId>('apr-1') : null,
    pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
  }).action;
}

const ev = {
  approve: (at = T0 + MINUTE, by = alice, comment: string | null = null): LifecycleEvent => ({
    type: 'approve',
    by,
    at,
    comment,
  }),
  reject: (at = T0 + MINUTE, by = alice, comment: string | null = null): LifecycleEvent => ({
    type: 'reject',
    by,
    at,
    comment,
  }),
  expire: (at = T0 + 7 * DAY): LifecycleEvent => ({ type: 'expire', by: expiry, at, comment: null }),
  cancel: (at = T0 + 2 * MINUTE, by = alice): LifecycleEvent => ({
    type: 'cancel',
    by,
    at,
    comment: 'Not needed any more',
  }),
  start: (at = T0 + 2 * MINUTE): LifecycleEvent => ({ type: 'start', by: executor, at, comment: null }),
  succeed: (at = T0 + 3 * MINUTE): LifecycleEvent => ({ type: 'succeed', by: executor, at, comment: null }),
  fail: (at = T0 + 3 * MINUTE, code = 'deviceOffline'): LifecycleEvent => ({
    type: 'fail',
    by: executor,
    at,
    comment: null,
    failure: { code, message: 'The device did not respond' },
  }),
  timeOut: (at = T0 + 3 * MINUTE): LifecycleEvent => ({
    type: 'timeOut',
    by: executor,
    at,
    comment: null,
    failure: { code: 'deadlineExceeded', message: 'No result in time' },
  }),
  requestUndo: (undoActionId = 'act-2', at = T0 + DAY, by = alice): LifecycleEvent => ({
    type: 'requestUndo',
    by,
    at,
    comment: 'False positive',
    undoActionId: asId<ActionId>(undoActionId),
  }),
  undoSucceeded: (at = T0 + DAY + MINUTE): LifecycleEvent => ({
    type: 'undoSucceeded',
    by: executor,
    at,
    comment: null,
  }),
  undoFailed: (at = T0 + DAY + MINUTE): LifecycleEvent => ({
    type: 'undoFailed',
    by: executor,
    at,
    comment: null,
    failure: { code: 'fileInUse', message: 'The file is locked' },
  }),
  // Issue 15: dispatch (the remote reference) and reports (progress, too late).
  accept: (at = T0 + 2 * MINUTE + 1): LifecycleEvent => ({
    type: 'accept',
    by: executor,
    at,
    comment: null,
    reference: 'ma-7f3c1d2e',
    details: { machineActionStatus: 'Pending' },
  }),
  progress: (at = T0 + 2 * MINUTE + 2): LifecycleEvent => ({
    type: 'progress',
    by: executor,
    at,
    comment: null,
    details: { machineActionStatus: 'InProgress' },
  }),
  reportDiscarded: (at = T0 + 2 * DAY): LifecycleEvent => ({
    type: 'reportDiscarded',
    by: executor,
    at,
    comment: null,
    outcome: 'failed',
    reference: 'ma-7f3c1d2e',
    failure: { code: 'deviceOffline', message: 'Too late' },
  }),
  retry: (at = T0 + 3 * MINUTE): LifecycleEvent => ({
    type: 'retry',
    by: executor,
    at,
    comment: null,
    failure: { code: 'deviceBusy', message: 'Try again later' },
  }),
  addNote: (at = T0 + 4 * MINUTE, by: Actor = alice): LifecycleEvent => ({
    type: 'addNote',
    by,
    at,
    comment: 'Called the device owner',
  }),
  setRevert: (at = T0 + 4 * MINUTE): LifecycleEvent => ({
    type: 'setRevert',
    by: alice,
    at,
    comment: null,
    revertAfterMs: 3_600_000,
  }),
  addApproval: (at = T0 + 4 * MINUTE): LifecycleEvent => ({
    type: 'addApproval',
    by: { type: 'principal', id: asId('bob@contoso.com') },
    at,
    comment: null,
  }),
  retried: (at = T0 + 3 * DAY, by: Actor = alice): LifecycleEvent => ({
    type: 'retried',
    by,
    at,
    comment: null,
    retryActionId: asId('act-retry'),
  }),
  escalate: (at = T0 + 240 * MINUTE): LifecycleEvent => ({
    type: 'escalate',
    by: { type: 'system', component: 'escalation' },
    at,
    comment: null,
    escalatedTo: [asId('soc-lead@contoso.com')],
  }),
} satisfies Record<LifecycleEventType, (...args: never[]) => LifecycleEvent>;

function step(action: ActionRecord, event: LifecycleEvent, type: ActionTypeDefinition): TransitionResult {
  const r = transition(action, event, { actionType: type });
  if (!r.ok) throw new Error(`expected ${event.type} to be accepted: ${r.error.message}`);
  return r.value;
}

function walk(action: ActionRecord, type: ActionTypeDefinition, ...events: LifecycleEvent[]): ActionRecord {
  return events.reduce((a, e) => step(a, e, type).action, action);
}

function refusal(action: ActionRecord, event: LifecycleEvent, type: ActionTypeDefinition) {
  const r = transition(action, event, { actionType: type });
  if (r.ok) throw new Error(`expected ${event.type} to be refused in ${action.status}`);
  return r.error;
}

function anyEventOf(type: LifecycleEventType): LifecycleEvent {
  return ev[type]();
}

/** The action type, driven to a status along the shortest path. */
function inStatus(status: ActionStatus, type: ActionTypeDefinition = quarantineFile): ActionRecord {
  const pending = created(type);
  const running = walk(pending, type, ev.approve(), ev.start());
  switch (status) {
    case 'pending':
      return pending;
    case 'approved':
      return walk(pending, type, ev.approve());
    case 'running':
      return running;
    case 'succeeded':
      return walk(running, type, ev.succeed());
    case 'failed':
      return walk(running, type, ev.fail());
    case 'timedOut':
      return walk(running, type, ev.timeOut());
    case 'rejected':
      return walk(pending, type, ev.reject());
    case 'expired':
      return walk(pending, type, ev.expire());
    case 'cancelled':
      return walk(pending, type, ev.cancel());
    case 'undoing':
      return walk(running, type, ev.succeed(), ev.requestUndo());
    case 'undone':
      return walk(running, type, ev.succeed(), ev.requestUndo(), ev.undoSucceeded());
    case 'undoFailed':
      return walk(running, type, ev.succeed(), ev.requestUndo(), ev.undoFailed());
    default:
      return assertNever(status);
  }
}

const toAuditEvent = (draft: AuditDraft, actionId: ActionId, sequence: number) => ({
  ...draft,
  id: `evt-${sequence}`,
  actionId,
  sequence,
});

afterEach(() => {
  vi.restoreAllMocks();
});

// ---- the table ---------------------------------------------------------------------------------

describe('the transition table', () => {
  it('has one row per status, and every edge leads to a status', () => {
    expect(Object.keys(LIFECYCLE_TRANSITIONS).sort()).toEqual([...ACTION_STATUSES].sort());
    for (const row of Object.values(LIFECYCLE_TRANSITIONS)) {
      for (const [event, to] of Object.entries(row)) {
        expect(LIFECYCLE_EVENT_TYPES).toContain(event);
        expect(ACTION_STATUSES).toContain(to);
      }
    }
  });

  it('guards only edges that exist', () => {
    const table: LifecycleTransitionTable = LIFECYCLE_TRANSITIONS;
    for (const [status, row] of Object.entries(LIFECYCLE_GUARDS)) {
      for (const event of Object.keys(row)) {
        expect(table[status as ActionStatus][event as LifecycleEventType]).toBeDefined();
      }
    }
  });

  it('is frozen at every level, so nobody can edit the lifecycle at run time', () => {
    expect(Object.isFrozen(LIFECYCLE_TRANSITIONS)).toBe(true);
    for (const row of Object.values(LIFECYCLE_TRANSITIONS)) expect(Object.isFrozen(row)).toBe(true);
    expect(Object.isFrozen(LIFECYCLE_GUARDS.running)).toBe(true);
    expect(() => {
      (LIFECYCLE_TRANSITIONS.rejected as Record<string, string>)['approve'] = 'approved';
    }).toThrow(TypeError);
  });

  it('a final state accepts no decision event and nothing but an undo; a state that is not final always accepts something', () => {
    for (const type of [isolateDevice, quarantineFile, releaseFromQuarantine, antivirusScan]) {
      for (const status of ACTION_STATUSES) {
        const accepted = LIFECYCLE_EVENT_TYPES.filter((e) => lifecycleEdge(status, e, type).accepted);
        // A final state takes an undo, a timed-out one a late success (the executor did the work), and
        // one a started action can end in a late report, discarded (issue 15).
        if (isFinal(status))
          expect(
            accepted.every(
              (e) =>
                e === 'requestUndo' ||
                e === 'reportDiscarded' ||
                (status === 'timedOut' && e === 'succeed') ||
                // Issue 16: a note on any action; the revert time of a succeeded one.
                e === 'addNote' ||
                (status === 'succeeded' && e === 'setRevert') ||
                // Issue 16: a failed or timed-out action is retried by hand (a new action).
                ((status === 'failed' || status === 'timedOut') && e === 'retried'),
            ),
          ).toBe(true);
        else expect(accepted.length).toBeGreaterThan(0);
      }
    }
    // `undoing` is the one open state that takes no decision: only the undo's outcome.
    expect(acceptedEvents({ status: 'undoing' }, { actionType: quarantineFile })).toEqual([
      'undoSucceeded',
      'undoFailed',
      'reportDiscarded',
      'addNote',
    ]);
  });

  it('decision, undo, report and retry events together are every lifecycle event, once each', () => {
    expect(
      [
        ...DECISION_EVENT_TYPES,
        ...UNDO_EVENT_TYPES,
        ...REPORT_EVENT_TYPES,
        ...RETRY_EVENT_TYPES,
        ...NOTE_EVENT_TYPES,
        ...APPROVAL_EVENT_TYPES,
        ...ESCALATION_EVENT_TYPES,
        ...MANUAL_RETRY_EVENT_TYPES,
      ].sort(),
    ).toEqual([...LIFECYCLE_EVENT_TYPES].sort());
  });
});

// ---- DESIGN.md, Lifecycle, sentence by sentence -------------------------------------------------

describe('DESIGN.md Lifecycle', () => {
  it('"Each event carries who (a principal or the system), when, and an optional comment."', () => {
    const pending = created(quarantineFile);
    const { action, audit } = step(pending, ev.approve(T0 + 5 * MINUTE, bob, 'Confirmed by SOC'), quarantineFile);
    expect(action).toMatchObject({ decidedBy: bob, decidedAt: T0 + 5 * MINUTE, decisionComment: 'Confirmed by SOC' });
    expect(audit).toEqual({
      type: 'approve',
      at: T0 + 5 * MINUTE,
      actor: bob,
      from: 'pending',
      to: 'approved',
      comment: 'Confirmed by SOC',
      details: {},
    });
  });

  it('"`pending` → approve → `approved`": the engine is asked to run it, and no expiry is due any more', () => {
    const pending = created(quarantineFile);
    expect(pending.expiresAt).toBe(T0 + 7 * DAY);
    const r = step(pending, ev.approve(), quarantineFile);
    expect(r.action.status).toBe('approved');
    expect(r.action.expiresAt).toBeNull();
    expect(r.action.version).toBe(2);
    expect(r.action.updatedAt).toBe(T0 + MINUTE);
    expect(r.effects).toEqual<LifecycleEffect[]>([
      { type: 'run', actionId: pending.id },
      { type: 'notify', actionId: pending.id, from: 'pending', to: 'approved' },
    ]);
  });

  it('"`pending` → reject → `rejected`": nothing runs', () => {
    const r = step(created(quarantineFile), ev.reject(T0 + MINUTE, bob, 'Benign'), quarantineFile);
    expect(r.action).toMatchObject({ status: 'rejected', decidedBy: bob, decisionComment: 'Benign', expiresAt: null });
    expect(r.effects.map((e) => e.type)).toEqual(['notify']);
  });

  it('"→ expire → `expired` (default 7 days)"', () => {
    const pending = created(quarantineFile);
    expect(DEFAULT_PENDING_EXPIRY_MS).toBe(7 * DAY);
    expect(pending.expiresAt).toBe(T0 + 7 * DAY);
    expect(isExpired(pending, T0 + 7 * DAY - 1)).toBe(false);
    expect(isExpired(pending, T0 + 7 * DAY)).toBe(true);
    const r = step(pending, ev.expire(T0 + 7 * DAY), quarantineFile);
    expect(r.action).toMatchObject({ status: 'expired', decidedBy: expiry, decidedAt: T0 + 7 * DAY, expiresAt: null });
    expect(r.audit.details).toEqual({ expiresAt: T0 + 7 * DAY });
    expect(isExpired(r.action, T0 + 30 * DAY)).toBe(false);
  });

  it('an action that did not start pending never expires', () => {
    const approved = created(quarantineFile, 'approved');
    expect(approved.expiresAt).toBeNull();
    expect(isExpired(approved, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('expiry: "the behaviour is the same as if the action is rejected" (automation-levels.md)', () => {
    const expired = inStatus('expired');
    const rejected = inStatus('rejected');
    expect(outcomeOf('expired')).toBe('rejected');
    expect(outcomeOf(expired.status)).toBe(outcomeOf(rejected.status));
    expect(isFinal(expired.status)).toBe(isFinal(rejected.status));
    expect(acceptedEvents(expired, { actionType: quarantineFile })).toEqual(
      acceptedEvents(rejected, { actionType: quarantineFile }),
    );
    // Only a note (issue 16), which decides nothing.
    expect(acceptedEvents(expired, { actionType: quarantineFile })).toEqual(['addNote']);
    // Neither ran: no start, no completion.
    expect([expired.startedAt, expired.completedAt, rejected.startedAt, rejected.completedAt]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('outcomeOf keeps every other status as it is', () => {
    for (const status of ACTION_STATUSES) if (status !== 'expired') expect(outcomeOf(status)).toBe(status);
  });

  it('"→ cancel → `cancelled`" from pending: nothing to abort', () => {
    const r = step(created(quarantineFile), ev.cancel(), quarantineFile);
    expect(r.action).toMatchObject({ status: 'cancelled', decidedBy: alice, decisionComment: 'Not needed any more' });
    expect(r.effects.map((e) => e.type)).toEqual(['notify']);
  });

  it('"`approved` → start → `running`": the deadline is the start plus the type\'s deadline', () => {
    const approved = inStatus('approved', antivirusScan);
    const r = step(approved, ev.start(T0 + 10 * MINUTE), antivirusScan);
    expect(r.action).toMatchObject({
      status: 'running',
      startedAt: T0 + 10 * MINUTE,
      deadlineAt: T0 + 10 * MINUTE + 3 * 60 * MINUTE,
    });
    expect(r.audit.details).toEqual({ deadlineAt: T0 + 10 * MINUTE + 3 * 60 * MINUTE });
    expect(parseLifecycleEvent({ type: 'start', by: executor, at: T0, deadlineAt: T0 }).ok).toBe(false);
  });

  it('"`running` → succeed / fail / timeOut"', () => {
    const running = inStatus('running');
    const succeeded = step(running, ev.succeed(T0 + 4 * MINUTE), quarantineFile);
    expect(succeeded.action).toMatchObject({ status: 'succeeded', completedAt: T0 + 4 * MINUTE, failure: null });

    const failed = step(running, ev.fail(T0 + 4 * MINUTE, 'deviceOffline'), quarantineFile);
    expect(failed.action).toMatchObject({
      status: 'failed',
      completedAt: T0 + 4 * MINUTE,
      failure: { code: 'deviceOffline' },
    });
    expect(failed.audit.details).toEqual({ failure: { code: 'deviceOffline', message: 'The device did not respond' } });

    const timedOut = step(running, ev.timeOut(T0 + 4 * MINUTE), quarantineFile);
    expect(timedOut.action).toMatchObject({ status: 'timedOut', failure: { code: 'deadlineExceeded' } });
    // Whoever saw the deadline pass may not own the execution: the engine is asked to stop it.
    expect(timedOut.effects[0]).toEqual({ type: 'abort', actionId: running.id });
  });

  it('"Cancel is allowed in any non-final state where the type allows it (cancel-machine-action.md)": a scan may be cancelled while running', () => {
    const running = inStatus('running', antivirusScan);
    const r = step(running, ev.cancel(), antivirusScan);
    expect(r.action.status).toBe('cancelled');
    expect(r.effects).toEqual([
      { type: 'abort', actionId: running.id },
      { type: 'notify', actionId: running.id, from: 'running', to: 'cancelled' },
    ]);
    expect(acceptedEvents(running, { actionType: antivirusScan })).toContain('cancel');
  });

  it('"Cancel is allowed in any non-final state where the type allows it": isolate device cannot be cancelled while running', () => {
    expect(isolateDevice.cancellableWhileRunning).toBe(false);
    const running = inStatus('running', isolateDevice);
    const e = refusal(running, ev.cancel(), isolateDevice);
    expect(e).toMatchObject({
      code: 'invalidTransition',
      state: 'running',
      event: 'cancel',
      final: false,
      reason: 'notCancellableWhileRunning',
    });
    expect(acceptedEvents(running, { actionType: isolateDevice })).toEqual([
      'succeed',
      'fail',
      'timeOut',
      'accept',
      'progress',
      // The built-in types retry transient failures (issue 15) while attempts are left.
      'retry',
      // Issue 16: a note, and the revert delay of a time-limited action (isolation has an undo).
      'addNote',
      'setRevert',
    ]);
    // Before it runs, any type may be cancelled.
    expect(step(inStatus('approved', isolateDevice), ev.cancel(), isolateDevice).action.status).toBe('cancelled');
  });

  it('"`succeeded` → requestUndo → `undoing` → undoSucceeded → `undone`"', () => {
    const succeeded = inStatus('succeeded');
    const undoing = step(succeeded, ev.requestUndo('act-2', T0 + DAY, bob), quarantineFile);
    expect(undoing.action).toMatchObject({
      status: 'undoing',
      undoActionId: 'act-2',
      undoRequestedBy: bob,
      undoRequestedAt: T0 + DAY,
      undoCompletedAt: null,
    });
    expect(undoing.effects[0]).toEqual({ type: 'undo', actionId: succeeded.id, undoActionId: 'act-2' });
    expect(undoing.audit.details).toEqual({ undoActionId: 'act-2' });

    const undone = step(undoing.action, ev.undoSucceeded(T0 + DAY + 5 * MINUTE), quarantineFile);
    expect(undone.action).toMatchObject({ status: 'undone', undoCompletedAt: T0 + DAY + 5 * MINUTE, failure: null });
    expect(refusal(undone.action, ev.requestUndo('act-3'), quarantineFile)).toMatchObject({
      reason: 'finalState',
      final: true,
    });
  });

  it('"or undoFailed → `undoFailed` (which may be retried)"', () => {
    const failedUndo = inStatus('undoFailed');
    expect(failedUndo.failure).toEqual({ code: 'fileInUse', message: 'The file is locked' });
    expect(acceptedEvents(failedUndo, { actionType: quarantineFile })).toEqual([
      'requestUndo',
      'reportDiscarded',
      'addNote',
    ]);
    const retry = step(failedUndo, ev.requestUndo('act-3', T0 + 2 * DAY), quarantineFile);
    // The retry starts afresh: it links the new counterpart and forgets the failed attempt (the audit keeps it).
    expect(retry.action).toMatchObject({
      status: 'undoing',
      undoActionId: 'act-3',
      failure: null,
      undoCompletedAt: null,
    });
    expect(step(retry.action, ev.undoSucceeded(), quarantineFile).action.status).toBe('undone');
  });

  it('"Undo is carried out as a linked counterpart action (release from quarantine for quarantine file, ...) that appears in History with a link to the action it undoes"', () => {
    const original = inStatus('succeeded');
    const counterpartType = releaseFromQuarantine;
    expect(quarantineFile.undo?.counterpart).toBe(counterpartType.id);
    const { action, audit, effects } = createUndoCounterpart(original, {
      id: asId<ActionId>('act-2'),
      now: T0 + DAY,
      by: bob,
      comment: 'False positive',
      counterpartType,
    });
    expect(action).toMatchObject({
      id: 'act-2',
      version: 1,
      actionType: 'releaseFromQuarantine',
      status: 'approved',
      undoOf: original.id,
      // Issue 12, item 10: a person's undo is a manual action of its workload, decided by them.
      source: 'manualDeviceAction',
      decidedBy: bob,
      decidedAt: T0 + DAY,
      target: original.target,
      investigationId: original.investigationId,
      parameters: {},
      requestedBy: bob,
      requestComment: 'False positive',
      expiresAt: null,
    });
    expect(action.target).not.toBe(original.target);
    expect(ActionRecordSchema.safeParse(action).success).toBe(true);
    expect(audit).toEqual({
      type: 'created',
      at: T0 + DAY,
      actor: bob,
      from: null,
      to: 'approved',
      comment: 'False positive',
      details: { undoOf: original.id },
    });
    expect(effects[0]).toEqual({ type: 'run', actionId: 'act-2' });

    // The original's undo ends as its counterpart ends.
    const undoing = step(original, ev.requestUndo('act-2'), quarantineFile).action;
    const ran = walk(action, counterpartType, ev.start(), ev.succeed());
    const result = undoResultOfCounterpart(ran.status);
    expect(result).toBe('undoSucceeded');
    expect(
      step(undoing, result === 'undoSucceeded' ? ev.undoSucceeded() : ev.undoFailed(), quarantineFile).action.status,
    ).toBe('undone');
  });

  it('a counterpart that does not succeed fails the undo; one still open has not ended it', () => {
    expect(undoResultOfCounterpart('failed')).toBe('undoFailed');
    expect(undoResultOfCounterpart('timedOut')).toBe('undoFailed');
    expect(undoResultOfCounterpart('cancelled')).toBe('undoFailed');
    expect(undoResultOfCounterpart('approved')).toBeNull();
    expect(undoResultOfCounterpart('running')).toBeNull();
  });

  it('a counterpart that ends says so itself: the settleUndo effect names the original, the result and why', () => {
    const original = inStatus('succeeded');
    const { action: counterpart } = createUndoCounterpart(original, {
      id: asId<ActionId>('act-2'),
      now: T0 + DAY,
      by: bob,
      comment: null,
      counterpartType: releaseFromQuarantine,
    });
    const running = walk(counterpart, releaseFromQuarantine, ev.start());
    expect(step(counterpart, ev.start(), releaseFromQuarantine).effects.map((e) => e.type)).toEqual(['notify']);
    expect(step(running, ev.succeed(), releaseFromQuarantine).effects).toContainEqual({
      type: 'settleUndo',
      actionId: 'act-2',
      originalId: original.id,
      result: 'undoSucceeded',
      failure: null,
    });
    const failed = step(running, ev.fail(), releaseFromQuarantine).effects.find((e) => e.type === 'settleUndo');
    expect(failed).toMatchObject({ result: 'undoFailed', failure: { code: 'deviceOffline' } });
    const cancelled = step(counterpart, ev.cancel(), releaseFromQuarantine).effects.find(
      (e) => e.type === 'settleUndo',
    );
    expect(cancelled).toMatchObject({ result: 'undoFailed', failure: { code: 'counterpartCancelled' } });
    // An action that undoes nothing settles nothing.
    expect(step(inStatus('running'), ev.succeed(), quarantineFile).effects.some((e) => e.type === 'settleUndo')).toBe(
      false,
    );
  });

  it('leaving the open statuses releases the open key; staying open keeps it', () => {
    const open = { ...created(quarantineFile), openKey: 'quarantineFile\u0000{"x":1}' };
    expect(step(open, ev.approve(), quarantineFile).action.openKey).toBe(open.openKey);
    const approved = step(open, ev.approve(), quarantineFile).action;
    expect(step(approved, ev.start(), quarantineFile).action.openKey).toBe(open.openKey);
    expect(step(open, ev.reject(), quarantineFile).action.openKey).toBeNull();
    const running = step(approved, ev.start(), quarantineFile).action;
    for (const end of [ev.succeed(), ev.fail(), ev.timeOut()]) {
      const next = step(running, end, quarantineFile).action;
      expect(next.openKey, next.status).toBeNull();
    }
  });

  it('an action whose type has no undo cannot be undone (reason notUndoable)', () => {
    const succeeded = inStatus('succeeded', releaseFromQuarantine);
    // No undo, so no revert time either (issue 16): only a note.
    expect(acceptedEvents(succeeded, { actionType: releaseFromQuarantine })).toEqual(['reportDiscarded', 'addNote']);
    expect(refusal(succeeded, ev.requestUndo(), releaseFromQuarantine)).toMatchObject({
      code: 'invalidTransition',
      state: 'succeeded',
      event: 'requestUndo',
      final: true,
      reason: 'notUndoable',
    });
  });

  it('"Final states accept no event but the ones above"', () => {
    for (const status of FINAL_STATUSES) {
      const action = inStatus(status);
      for (const event of DECISION_EVENT_TYPES) {
        if (status === 'timedOut' && event === 'succeed') continue; // the late success, below
        expect(refusal(action, anyEventOf(event), quarantineFile)).toMatchObject({
          state: status,
          event,
          final: true,
          reason: 'finalState',
        });
      }
    }
    expect(acceptedEvents(inStatus('succeeded'), { actionType: quarantineFile })).toEqual([
      'requestUndo',
      'reportDiscarded',
      'addNote',
      'setRevert',
    ]);
  });

  it('"an invalid event is a typed error naming state and event, never a silent no-op": approving a rejected action', () => {
    const rejected = inStatus('rejected');
    const before = structuredClone(rejected);
    const r = transition(rejected, ev.approve(T0 + 2 * DAY, bob), { actionType: quarantineFile });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toEqual({
      code: 'invalidTransition',
      message: expect.stringMatching(/rejected.*"approve"/),
      actionId: rejected.id,
      state: 'rejected',
      event: 'approve',
      final: true,
      reason: 'finalState',
    });
    expect(rejected).toEqual(before);
  });

  it('a step the table does not have, from a state that is not final, is refused as noSuchTransition', () => {
    expect(refusal(inStatus('pending'), ev.start(), quarantineFile)).toMatchObject({
      state: 'pending',
      event: 'start',
      final: false,
      reason: 'noSuchTransition',
    });
    expect(refusal(inStatus('undoing'), ev.approve(), quarantineFile)).toMatchObject({
      state: 'undoing',
      event: 'approve',
      final: false,
      reason: 'noSuchTransition',
    });
    expect(refusal(inStatus('approved'), ev.approve(), quarantineFile)).toMatchObject({ reason: 'noSuchTransition' });
  });

  it('"Every transition is a pure function of (action, event, now)": no clock, no randomness, same answer twice', () => {
    const now = vi.spyOn(Date, 'now');
    const random = vi.spyOn(Math, 'random');
    const running = inStatus('running');
    const a = transition(running, ev.succeed(), { actionType: quarantineFile });
    const b = transition(running, ev.succeed(), { actionType: quarantineFile });
    expect(a).toEqual(b);
    expect(now).not.toHaveBeenCalled();
    expect(random).not.toHaveBeenCalled();
  });

  it('clock going backwards: an event dated before the last change is recorded at the last change, and the audit says by how much', () => {
    const approved = inStatus('approved');
    const r = step(approved, ev.start(approved.updatedAt - 5_000), quarantineFile);
    expect(r.action.updatedAt).toBe(approved.updatedAt);
    expect(r.action.startedAt).toBe(approved.updatedAt);
    expect(r.action.deadlineAt).toBe(approved.updatedAt + quarantineFile.deadlineMs);
    expect(r.audit).toMatchObject({ at: approved.updatedAt, details: { clockSkewMs: 5_000 } });
    // On time: no skew noted.
    expect(step(approved, ev.start(approved.updatedAt), quarantineFile).audit.details).not.toHaveProperty(
      'clockSkewMs',
    );
  });

  it('late success after the deadline: a timed-out action takes a late succeed and becomes succeeded, then undoable', () => {
    const timedOut = inStatus('timedOut');
    expect(acceptedEvents(timedOut, { actionType: quarantineFile })).toEqual([
      'succeed',
      'reportDiscarded',
      'addNote',
      'retried',
    ]);
    const late = step(timedOut, ev.succeed(timedOut.updatedAt + MINUTE), quarantineFile);
    expect(late.action).toMatchObject({ status: 'succeeded', failure: null, completedAt: timedOut.updatedAt + MINUTE });
    expect(late.audit).toMatchObject({ type: 'succeed', from: 'timedOut', to: 'succeeded' });
    expect(acceptedEvents(late.action, { actionType: quarantineFile })).toEqual([
      'requestUndo',
      'reportDiscarded',
      'addNote',
      'setRevert',
    ]);
    // Only a success: a late failure or a second time-out changes nothing.
    expect(refusal(timedOut, ev.fail(), quarantineFile)).toMatchObject({ reason: 'finalState' });
    expect(refusal(timedOut, ev.timeOut(), quarantineFile)).toMatchObject({ reason: 'finalState' });
  });

  it('approved action of an unknown type: an approved action may fail without starting', () => {
    const approved = inStatus('approved');
    const failed = step(approved, ev.fail(approved.updatedAt + MINUTE, 'unknownActionType'), quarantineFile);
    expect(failed.action).toMatchObject({ status: 'failed', startedAt: null, failure: { code: 'unknownActionType' } });
    expect(failed.audit).toMatchObject({ type: 'fail', from: 'approved', to: 'failed' });
    expect(failed.effects).toEqual([{ type: 'notify', actionId: approved.id, from: 'approved', to: 'failed' }]);
  });
});

// ---- creation ----------------------------------------------------------------------------------

describe('createActionRecord', () => {
  it('a pending action: version 1, an expiry, an approval id, and a created audit draft by the requester', () => {
    const request = requestOf(quarantineFile, 'Suspicious attachment');
    const { action, audit, effects } = createActionRecord(request, {
      id: asId<ActionId>('act-9'),
      now: T0,
      status: 'pending',
      actionType: quarantineFile,
      approvalId: asId<ApprovalId>('apr-9'),
      pendingExpiryMs: 2 * DAY,
    });
    expect(action).toMatchObject({
      id: 'act-9',
      version: 1,
      status: 'pending',
      actionType: 'quarantineFile',
      workload: 'endpoint',
      approvalId: 'apr-9',
      createdAt: T0,
      updatedAt: T0,
      expiresAt: T0 + 2 * DAY,
      requestComment: 'Suspicious attachment',
      decidedBy: null,
      undoOf: null,
      openKey: null,
    });
    expect(ActionRecordSchema.safeParse(action).success).toBe(true);
    expect(audit).toEqual({
      type: 'created',
      at: T0,
      actor: automation,
      from: null,
      to: 'pending',
      comment: 'Suspicious attachment',
      details: { expiresAt: T0 + 2 * DAY, approvalId: 'apr-9' },
    });
    expect(AuditEventSchema.safeParse(toAuditEvent(audit, action.id, 1)).success).toBe(true);
    expect(effects).toEqual([{ type: 'notify', actionId: 'act-9', from: null, to: 'pending' }]);
  });

  it('an approved action has no expiry and is handed to the executor', () => {
    const { action, effects } = createActionRecord(requestOf(isolateDevice), {
      id: asId<ActionId>('act-1'),
      now: T0,
      status: 'approved',
      actionType: isolateDevice,
      approvalId: null,
      pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
    });
    expect(action.expiresAt).toBeNull();
    expect(effects.map((e) => e.type)).toEqual(['run', 'notify']);
  });

  it('the record owns its data: editing the request afterwards does not reach it', () => {
    const request = requestOf(isolateDevice);
    const { action } = createActionRecord(request, {
      id: asId<ActionId>('act-1'),
      now: T0,
      status: 'pending',
      actionType: isolateDevice,
      approvalId: null,
      pendingExpiryMs: DAY,
    });
    (request.parameters as Record<string, unknown>)['isolationType'] = 'selective';
    (request.target as { deviceName: string }).deviceName = 'CHANGED';
    expect(action.parameters).toEqual({ isolationType: 'full' });
    expect(action.target).toMatchObject({ deviceName: 'LAPTOP-1' });
  });

  it('computed times stay within the timestamps a record may hold', () => {
    const { action } = createActionRecord(requestOf(quarantineFile), {
      id: asId<ActionId>('act-1'),
      now: 8.64e15 - 1,
      status: 'pending',
      actionType: quarantineFile,
      approvalId: null,
      pendingExpiryMs: DAY,
    });
    expect(action.expiresAt).toBe(8.64e15);
    const running = walk(action, quarantineFile, ev.approve(8.64e15), ev.start(8.64e15));
    expect(running.deadlineAt).toBe(8.64e15);
    expect(ActionRecordSchema.safeParse(running).success).toBe(true);
  });
});

// ---- events from outside -----------------------------------------------------------------------

describe('parseLifecycleEvent', () => {
  it('accepts a well-formed event and defaults the comment to null', () => {
    const r = parseLifecycleEvent({ type: 'reject', by: { type: 'principal', id: 'bob@contoso.com' }, at: T0 });
    expect(r).toEqual({
      ok: true,
      value: { type: 'reject', by: { type: 'principal', id: 'bob@contoso.com' }, at: T0, comment: null },
    });
  });

  it('refuses an event without the data its type needs, naming the path', () => {
    const r = parseLifecycleEvent({ type: 'fail', by: executor, at: T0 });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalidInput');
      expect(r.error.issues.map((i) => i.path)).toContainEqual(['failure']);
    }
    expect(parseLifecycleEvent({ type: 'requestUndo', by: alice, at: T0 }).ok).toBe(false);
  });

  it('refuses unknown event types, negative times, comments with control characters and unknown keys', () => {
    expect(parseLifecycleEvent({ type: 'pause', by: alice, at: T0 }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'approve', by: alice, at: -1 }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'approve', by: alice, at: T0, comment: 'bell\u0007' }).ok).toBe(false);
    expect(parseLifecycleEvent({ type: 'approve', by: alice, at: T0, status: 'succeeded' }).ok).toBe(false);
  });
});

// ---- types -------------------------------------------------------------------------------------

describe('types', () => {
  it('the events of the schema are exactly LIFECYCLE_EVENT_TYPES, and each is an audit event type', () => {
    expectTypeOf<LifecycleEvent['type']>().toEqualTypeOf<LifecycleEventType>();
    expectTypeOf<LifecycleEventType>().toExtend<(typeof AUDIT_EVENT_TYPES)[number]>();
    expectTypeOf<LifecycleEventOf<'fail'>['failure']>().toEqualTypeOf<{ code: string; message: string }>();
    expectTypeOf<LifecycleEventOf<'requestUndo'>['undoActionId']>().toEqualTypeOf<ActionId>();
    expectTypeOf<FinalStatus>().toExtend<ActionStatus>();
    for (const type of LIFECYCLE_EVENT_TYPES) expect(AUDIT_EVENT_TYPES).toContain(type);
  });

  it('transition returns an invalidTransition error and nothing else', () => {
    type ActionFailure = Extract<ReturnType<typeof transition>, { ok: false }>['error'];
    expectTypeOf<ActionFailure['code']>().toEqualTypeOf<'invalidTransition'>();
    expect(refusal(inStatus('undone'), ev.approve(), quarantineFile).code).toBe('invalidTransition');
  });

  it('a switch over every event, ending in assertNever, compiles; one that misses an event does not', () => {
    const describeEvent = (e: LifecycleEventType): string => {
      switch (e) {
        case 'approve':
        case 'reject':
        case 'expire':
        case 'cancel':
          return 'decision';
        case 'start':
        case 'succeed':
        case 'fail':
        case 'timeOut':
          return 'execution';
        case 'requestUndo':
        case 'undoSucceeded':
        case 'undoFailed':
          return 'undo';
        case 'accept':
        case 'progress':
        case 'reportDiscarded':
          return 'report';
        case 'retry':
          return 'retry';
        case 'addNote':
        case 'setRevert':
          return 'note';
        case 'addApproval':
          return 'approval';
        case 'retried':
          return 'manualRetry';
        case 'escalate':
          return 'escalation';
        default:
          return assertNever(e);
      }
    };
    const missesUndoFailed = (e: LifecycleEventType): string => {
      switch (e) {
        case 'approve':
        case 'reject':
        case 'expire':
        case 'cancel':
        case 'start':
        case 'succeed':
        case 'fail':
        case 'timeOut':
        case 'requestUndo':
        case 'undoSucceeded':
          return 'handled';
        default:
          // @ts-expect-error 'undoFailed' is not handled, so `e` is not `never` here.
          return assertNever(e);
      }
    };
    expect(LIFECYCLE_EVENT_TYPES.map(describeEvent).filter((d) => d === 'undo')).toHaveLength(UNDO_EVENT_TYPES.length);
    expect(missesUndoFailed('approve')).toBe('handled');
  });

  it('a transition table that misses a state, names an unknown event or leads nowhere does not compile', () => {
    // @ts-expect-error the 'undoFailed' row is missing.
    const missingState: LifecycleTransitionTable = {
      pending: {},
      approved: {},
      running: {},
      succeeded: {},
      failed: {},
      timedOut: {},
      rejected: {},
      expired: {},
      cancelled: {},
      undoing: {},
      undone: {},
    };
    const unknownEvent: LifecycleTransitionTable = {
      ...LIFECYCLE_TRANSITIONS,
      // @ts-expect-error 'pause' is not a lifecycle event.
      running: { pause: 'approved' },
    };
    const unknownTarget: LifecycleTransitionTable = {
      ...LIFECYCLE_TRANSITIONS,
      // @ts-expect-error 'paused' is not a status.
      running: { succeed: 'paused' },
    };
    expect(Object.keys(missingState)).toHaveLength(ACTION_STATUSES.length - 1);
    expect(Object.keys(unknownEvent)).toHaveLength(ACTION_STATUSES.length);
    expect(Object.keys(unknownTarget)).toHaveLength(ACTION_STATUSES.length);
  });

  it('audit drafts are plain JSON that the audit event schema accepts', () => {
    let action = created(quarantineFile);
    const drafts: AuditDraft[] = [];
    for (const e of [
      ev.approve(),
      ev.start(),
      ev.succeed(),
      ev.requestUndo(),
      ev.undoFailed(),
      ev.requestUndo('act-3'),
      ev.undoSucceeded(),
    ]) {
      const r = step(action, e, quarantineFile);
      drafts.push(r.audit);
      action = r.action;
    }
    drafts.forEach((d, i) => {
      expect(SafeObjectSchema.safeParse(d.details).success).toBe(true);
      expect(JSON.parse(JSON.stringify(d.details))).toEqual(d.details);
      expect(AuditEventSchema.safeParse(toAuditEvent(d, action.id, i + 2)).success).toBe(true);
    });
    expect(action.version).toBe(1 + drafts.length);
  });
});
