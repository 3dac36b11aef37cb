/**
 * The transition table compiled for `transition`'s hot path (src/rules/lifecycle-steps.ts) says
 * exactly what the table says, guards included; `transition` stays total on event types outside
 * the types; and a step's result owns its actors (none shared with the event unless frozen).
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ACTION_STATUSES,
  builtInActionTypeMap,
  defineActionType,
  transition,
  type ActionId,
  type ActionRecord,
  type Actor,
  type LifecycleEvent,
} from '../../src/index.js';
import {
  ActionRequestSchema,
  DEFAULT_PENDING_EXPIRY_MS,
  LIFECYCLE_EVENT_TYPES,
  asId,
  createActionRecord,
  isOpen,
  lifecycleEdge,
} from '../../src/adapter-kit.js';
import { acceptedStep } from '../../src/rules/lifecycle-steps.js';

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);
const bob: Actor = { type: 'principal', id: asId('bob@contoso.com') };
const executor: Actor = { type: 'system', component: 'executor' };

// Every combination of the two guards: undoable or not, cancellable while running or not.
const isolateDevice = builtInActionTypeMap.isolateDevice;
const typeOf = (undoable: boolean, cancellable: boolean) =>
  defineActionType({
    id: `testType${undoable ? 'Undoable' : ''}${cancellable ? 'Cancellable' : ''}`,
    displayName: 'Test type',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.object({}),
    cancellableWhileRunning: cancellable,
    ...(undoable ? { undo: { counterpart: 'releaseFromIsolation', requiredRole: 'securityAdministrator' } } : {}),
  });
const TYPES = [typeOf(false, false), typeOf(false, true), typeOf(true, false), typeOf(true, true)];

function pendingIsolation(): ActionRecord {
  const request = ActionRequestSchema.parse({
    actionType: 'isolateDevice',
    target: { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
    parameters: { isolationType: 'full' },
    source: 'automatedDeviceAction',
    requestedBy: { type: 'system', component: 'automatedInvestigation' },
  });
  return createActionRecord(request, {
    id: asId<ActionId>('act-1'),
    now: T0,
    status: 'pending',
    actionType: isolateDevice,
    approvalId: null,
    pendingExpiryMs: DEFAULT_PENDING_EXPIRY_MS,
  }).action;
}

describe('the compiled transition table', () => {
  it('accepts exactly the edges lifecycleEdge accepts, leading to the same state, for every guard outcome', () => {
    let accepted = 0;
    for (const type of TYPES) {
      for (const status of ACTION_STATUSES) {
        for (const event of LIFECYCLE_EVENT_TYPES) {
          const edge = lifecycleEdge(status, event, type);
          const step = acceptedStep(status, event, type);
          expect(step !== null, `${type.id}: ${status} --${event}-->`).toBe(edge.accepted);
          if (step !== null && edge.accepted) {
            expect(step).toMatchObject({ from: status, to: edge.to, open: isOpen(edge.to) });
            accepted += 1;
          }
        }
      }
    }
    // Both guards were taken and refused somewhere: the loop is not vacuous.
    expect(accepted).toBeGreaterThan(4 * 10);
    expect(acceptedStep('running', 'cancel', TYPES[0]!)).toBeNull();
    expect(acceptedStep('running', 'cancel', TYPES[1]!)).not.toBeNull();
    expect(acceptedStep('succeeded', 'requestUndo', TYPES[1]!)).toBeNull();
    expect(acceptedStep('succeeded', 'requestUndo', TYPES[2]!)).not.toBeNull();
  });

  it('an event type outside the types (an inherited name or an unknown one) is a refusal, not a throw', () => {
    const pending = pendingIsolation();
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'bogus']) {
      const event = { type: name, by: bob, at: T0 + 1, comment: null } as unknown as LifecycleEvent;
      expect(acceptedStep('pending', name as LifecycleEvent['type'], isolateDevice), name).toBeNull();
      const r = transition(pending, event, { actionType: isolateDevice });
      expect(r.ok, name).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: 'invalidTransition', state: 'pending', event: name });
    }
  });
});

describe('what a step owns', () => {
  it('the actor on the record and on the audit draft is a copy, not the event’s object', () => {
    const approve: LifecycleEvent = { type: 'approve', by: { ...bob }, at: T0 + 1, comment: 'ok' };
    const approved = transition(pendingIsolation(), approve, { actionType: isolateDevice });
    if (!approved.ok) throw new Error(approved.error.message);
    expect(approved.value.action.decidedBy).toEqual(approve.by);
    expect(approved.value.action.decidedBy).not.toBe(approve.by);
    expect(approved.value.audit.actor).not.toBe(approve.by);

    const start: LifecycleEvent = { type: 'start', by: executor, at: T0 + 2, comment: null };
    const running = transition(approved.value.action, start, { actionType: isolateDevice });
    if (!running.ok) throw new Error(running.error.message);
    const succeed: LifecycleEvent = { type: 'succeed', by: executor, at: T0 + 3, comment: null };
    const succeeded = transition(running.value.action, succeed, { actionType: isolateDevice });
    if (!succeeded.ok) throw new Error(succeeded.error.message);
    const undo: LifecycleEvent = {
      type: 'requestUndo',
      by: { ...bob },
      at: T0 + 4,
      comment: null,
      undoActionId: asId<ActionId>('act-2'),
    };
    const undoing = transition(succeeded.value.action, undo, { actionType: isolateDevice });
    if (!undoing.ok) throw new Error(undoing.error.message);
    expect(undoing.value.action.undoRequestedBy).toEqual(undo.by);
    expect(undoing.value.action.undoRequestedBy).not.toBe(undo.by);
    expect(undoing.value.audit.actor).not.toBe(undo.by);
  });

  it('a frozen actor (the engine freezes its actors once) is shared by the record and the audit, not copied', () => {
    const by = Object.freeze({ ...bob });
    const approve: LifecycleEvent = { type: 'approve', by, at: T0 + 1, comment: 'ok' };
    const approved = transition(pendingIsolation(), approve, { actionType: isolateDevice });
    if (!approved.ok) throw new Error(approved.error.message);
    expect(approved.value.action.decidedBy).toBe(by);
    expect(approved.value.audit.actor).toBe(by);
    const frozenExecutor = Object.freeze({ ...executor });
    const start: LifecycleEvent = { type: 'start', by: frozenExecutor, at: T0 + 2, comment: null };
    const running = transition(approved.value.action, start, { actionType: isolateDevice });
    expect(running.ok && running.value.audit.actor).toBe(frozenExecutor);
  });

  it('a step without details has empty audit details, and one with a clock behind gets its own object', () => {
    const pending = pendingIsolation();
    const reject: LifecycleEvent = { type: 'reject', by: bob, at: T0 + 1, comment: null };
    const a = transition(pending, reject, { actionType: isolateDevice });
    const b = transition(pending, { ...reject, at: T0 - 5 }, { actionType: isolateDevice });
    if (!a.ok || !b.ok) throw new Error('refused');
    expect(a.value.audit.details).toEqual({});
    expect(b.value.audit.details).toEqual({ clockSkewMs: 5 });
    // The skew went into a fresh object: the next step without details still has none.
    const c = transition(pending, reject, { actionType: isolateDevice });
    expect(c.ok && c.value.audit.details).toEqual({});
  });
});
