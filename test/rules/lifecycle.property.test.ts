/**
 * Properties of the lifecycle over random actions and random event sequences: it never leaves the
 * state set, final states hold, inputs are never mutated, versions and audit drafts follow every
 * accepted step, and `acceptedEvents` agrees with `transition`.
 */
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ACTION_STATUSES,
  builtInActionTypeMap,
  defineActionType,
  isFinal,
  transition,
  type ActionId,
  type ActionRecord,
  type ActionStatus,
  type ActionTypeDefinition,
  type Actor,
  type ActionFailure,
  type LifecycleEvent,
} from '../../src/index.js';
import {
  ActionRecordSchema,
  ActionRequestSchema,
  AuditEventSchema,
  CommentSchema,
  DECISION_EVENT_TYPES,
  LIFECYCLE_EVENT_TYPES,
  SafeObjectSchema,
  acceptedEvents,
  asId,
  createActionRecord,
  createUndoCounterpart,
  type ApprovalId,
  type PrincipalId,
  type LifecycleEventType,
} from '../../src/adapter-kit.js';

// ---- arbitraries -------------------------------------------------------------------------------

const MAX_TIMESTAMP = 8.64e15;

/** Action types covering every guard combination. */
const TYPES: readonly ActionTypeDefinition[] = [
  builtInActionTypeMap.isolateDevice, // undoable, not cancellable while running
  builtInActionTypeMap.quarantineFile, // undoable, not cancellable while running
  builtInActionTypeMap.releaseFromQuarantine, // neither
  defineActionType({
    id: 'testScan',
    displayName: 'Scan (test)',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.object({}),
    cancellableWhileRunning: true,
  }),
  defineActionType({
    id: 'testContain',
    displayName: 'Contain (test)',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: z.object({}),
    cancellableWhileRunning: true,
    undo: { counterpart: 'releaseFromIsolation', requiredRole: 'securityAdministrator' },
    deadlineMs: 366 * 24 * 60 * 60 * 1000,
  }),
];

const timestampArb = fc.oneof(
  fc.integer({ min: 0, max: 4_000_000_000_000 }),
  fc.integer({ min: 0, max: MAX_TIMESTAMP }),
  fc.constantFrom(0, MAX_TIMESTAMP),
);

const actorArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.stringMatching(/^[a-z]{1,8}@contoso\.com$/).map((id): Actor => ({ type: 'principal', id: asId(id) })),
  fc
    .constantFrom('executor', 'expiry', 'automatedInvestigation')
    .map((component): Actor => ({ type: 'system', component })),
);

const commentArb = fc.option(
  fc.string({ maxLength: 40 }).filter((s) => CommentSchema.safeParse(s).success),
  { nil: null },
);

const failureArb: fc.Arbitrary<ActionFailure> = fc.record({
  code: fc.string({ minLength: 1, maxLength: 20 }),
  message: fc.string({ maxLength: 60 }),
});

const approver = { type: 'principal' as const, id: asId<PrincipalId>('approver@contoso.com') };
const actionIdArb = fc.integer({ min: 2, max: 9999 }).map((n) => asId<ActionId>(`act-${n}`));

/** Everything any event could need; `eventOf` takes what its type carries. */
interface EventSeed {
  readonly by: Actor;
  readonly at: number;
  readonly comment: string | null;
  readonly failure: ActionFailure;
  readonly undoActionId: ActionId;
  readonly details: Readonly<Record<string, string | number | boolean | null>> | undefined;
}

const eventSeedArb: fc.Arbitrary<EventSeed> = fc.record({
  by: actorArb,
  at: timestampArb,
  comment: commentArb,
  failure: failureArb,
  undoActionId: actionIdArb,
  details: fc.option(
    fc.dictionary(
      fc.constantFrom('machineActionStatus', 'progress', 'note'),
      fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null)),
      { minKeys: 1, maxKeys: 3, noNullPrototype: true },
    ),
    { nil: undefined },
  ),
});

function eventOf(type: LifecycleEventType, seed: EventSeed): LifecycleEvent {
  const common = { by: seed.by, at: seed.at, comment: seed.comment };
  switch (type) {
    case 'fail':
    case 'retry':
      return { type, ...common, failure: seed.failure, ...detailsOf(seed) };
    case 'timeOut':
    case 'undoFailed':
      return { type, ...common, failure: seed.failure };
    case 'requestUndo':
      return { type, ...common, undoActionId: seed.undoActionId };
    // Issue 15: dispatch and report; details sometimes, from the event drawn.
    case 'succeed':
      return { type, ...common, ...detailsOf(seed) };
    case 'accept':
      return { type, ...common, reference: 'ma-7f3c1d2e', ...detailsOf(seed) };
    case 'progress':
      return { type, ...common, details: detailsOf(seed).details ?? { machineActionStatus: 'InProgress' } };
    case 'reportDiscarded':
      return {
        type,
        ...common,
        outcome: 'failed',
        reference: 'ma-7f3c1d2e',
        failure: seed.failure,
        ...detailsOf(seed),
      };
    // Issue 16: only a principal adds an approval (a system actor drawn stands for one).
    case 'addApproval':
      return { type, ...common, by: seed.by.type === 'principal' ? seed.by : approver };
    // Issue 16: an escalation names its group (here the approver, or nobody).
    case 'escalate':
      return { type, ...common, escalatedTo: seed.by.type === 'principal' ? [approver.id] : [] };
    // Issue 16: a manual retry names the new action (the drawn undo id serves).
    case 'retried':
      return { type, ...common, retryActionId: seed.undoActionId };
    // Issue 16: a note's text is its comment (never blank); a revert sets one of its two fields.
    case 'addNote':
      return { type, ...common, comment: common.comment?.trim() ? common.comment : 'Note' };
    case 'setRevert':
      return common.at % 2 === 0
        ? { type, ...common, revertAt: common.at % 3 === 0 ? null : Math.min(common.at + 60_000, MAX_TIMESTAMP) }
        : { type, ...common, revertAfterMs: common.at % 3 === 0 ? null : 3_600_000 };
    default:
      return { type, ...common };
  }
}

const eventTypeArb = fc.constantFrom(...LIFECYCLE_EVENT_TYPES);
const eventArb: fc.Arbitrary<LifecycleEvent> = fc.tuple(eventTypeArb, eventSeedArb).map(([t, s]) => eventOf(t, s));

interface Subject {
  readonly action: ActionRecord;
  readonly type: ActionTypeDefinition;
}

/**
 * A random action: created pending or approved, then moved along a random walk of accepted events
 * (each step picks one of the events the action accepts), so that every state is reachable.
 */
const subjectArb: fc.Arbitrary<Subject> = fc
  .record({
    typeIndex: fc.nat({ max: TYPES.length - 1 }),
    status: fc.constantFrom('pending' as const, 'approved' as const),
    now: timestampArb,
    pendingExpiryMs: fc.integer({ min: 0, max: 30 * 24 * 60 * 60 * 1000 }),
    walk: fc.array(fc.tuple(fc.nat(), eventSeedArb), { maxLength: 8 }),
  })
  .map(({ typeIndex, status, now, pendingExpiryMs, walk }) => {
    const type = TYPES[typeIndex]!;
    const request = ActionRequestSchema.parse({
      actionType: type.id,
      target:
        type.targetKind === 'file'
          ? {
              kind: 'file',
              deviceId: 'dev-1',
              deviceName: 'LAPTOP-1',
              deviceGroup: 'Workstations',
              path: 'C:\\x.exe',
              sha1: 'ab'.repeat(20),
            }
          : { kind: 'device', deviceId: 'dev-1', deviceName: 'LAPTOP-1', deviceGroup: 'Workstations' },
      parameters: type.id === 'isolateDevice' ? { isolationType: 'selective' } : {},
      source: 'automatedDeviceAction',
      requestedBy: { type: 'system', component: 'automatedInvestigation' },
    });
    let action = createActionRecord(request, {
      id: asId<ActionId>('act-1'),
      now,
      status,
      actionType: type,
      approvalId: status === 'pending' ? asId<ApprovalId>('apr-1') : null,
      pendingExpiryMs,
    }).action;
    for (const [pick, seed] of walk) {
      const accepted = acceptedEvents(action, { actionType: type });
      if (accepted.length === 0) break;
      const r = transition(action, eventOf(accepted[pick % accepted.length]!, seed), { actionType: type });
      if (!r.ok) throw new Error(`acceptedEvents listed a refused event: ${r.error.message}`);
      action = r.value.action;
    }
    // Counterexamples print the action and the type's id, not the type's zod schema.
    return { action, type, [fc.toStringMethod]: () => `{ type: ${type.id}, action: ${fc.stringify(action)} }` };
  });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const STATUSES = new Set<ActionStatus>(ACTION_STATUSES);
const DECISIONS = new Set<LifecycleEventType>(DECISION_EVENT_TYPES);

// ---- properties --------------------------------------------------------------------------------

describe('lifecycle properties', () => {
  it('(1) no sequence of random events leaves the lifecycle outside ACTION_STATUSES, nor produces an invalid record', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(eventArb, { maxLength: 30 }), ({ action, type }, events) => {
        let current = action;
        for (const event of events) {
          const r = transition(current, event, { actionType: type });
          if (r.ok) current = r.value.action;
          expect(STATUSES.has(current.status)).toBe(true);
        }
        expect(ActionRecordSchema.safeParse(current).success).toBe(true);
      }),
    );
  });

  it('(2) once in a final state, no decision event ever changes it; only an undo may move it on', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(eventArb, { maxLength: 30 }), ({ action, type }, events) => {
        let current = action;
        let reachedFinal = isFinal(current.status);
        for (const event of events) {
          const r = transition(current, event, { actionType: type });
          // The one exception: a timed-out action takes a late success (the executor did the work).
          const lateSuccess = current.status === 'timedOut' && event.type === 'succeed';
          if (reachedFinal && DECISIONS.has(event.type) && !lateSuccess) {
            expect(r.ok).toBe(false);
            // In `undoing` (an undo in flight after the outcome) the refusal is not about finality.
            if (!r.ok && isFinal(current.status))
              expect(r.error).toMatchObject({ reason: 'finalState', final: true, state: current.status });
          }
          if (r.ok) current = r.value.action;
          // After the outcome, the action stays within the final states and the undo in flight.
          if (reachedFinal) expect(isFinal(current.status) || current.status === 'undoing').toBe(true);
          reachedFinal ||= isFinal(current.status);
        }
      }),
    );
    // The same, aimed straight at final states.
    fc.assert(
      fc.property(
        subjectArb.filter((s) => isFinal(s.action.status)),
        fc.constantFrom(...DECISION_EVENT_TYPES),
        eventSeedArb,
        ({ action, type }, decision, seed) => {
          const r = transition(action, eventOf(decision, seed), { actionType: type });
          if (action.status === 'timedOut' && decision === 'succeed')
            expect(r.ok && r.value.action.status).toBe('succeeded');
          else expect(r.ok).toBe(false);
        },
      ),
    );
  });

  it('(3) transitions never mutate their input (deep-frozen, and equal to a clone before)', () => {
    fc.assert(
      fc.property(subjectArb, eventArb, ({ action, type }, event) => {
        const actionBefore = structuredClone(action);
        const eventBefore = structuredClone(event);
        deepFreeze(action);
        deepFreeze(event);
        const r = transition(action, event, { actionType: type });
        expect(action).toEqual(actionBefore);
        expect(event).toEqual(eventBefore);
        if (r.ok) {
          expect(r.value.action).not.toBe(action);
          // The result owns what it took from the event: no shared mutable objects. A frozen actor
          // (this event's is) cannot change, so the step may share it rather than copy it.
          if (r.value.action.failure !== null && 'failure' in event)
            expect(r.value.action.failure).not.toBe(event.failure);
          if (r.value.audit.actor === event.by) expect(Object.isFrozen(event.by)).toBe(true);
          expect(r.value.audit.actor).toEqual(event.by);
        }
      }),
    );
  });

  it('(3b) creating an undo counterpart does not touch the original', () => {
    fc.assert(
      fc.property(subjectArb, actionIdArb, actorArb, commentArb, timestampArb, ({ action }, id, by, comment, now) => {
        const before = structuredClone(action);
        deepFreeze(action);
        const counterpart = createUndoCounterpart(action, {
          id,
          now,
          by,
          comment,
          counterpartType: builtInActionTypeMap.releaseFromIsolation,
        });
        expect(action).toEqual(before);
        expect(counterpart.action.undoOf).toBe(action.id);
        expect(ActionRecordSchema.safeParse(counterpart.action).success).toBe(true);
      }),
    );
  });

  it('(4) the version increases by exactly 1 per accepted event and never on refused ones', () => {
    fc.assert(
      fc.property(subjectArb, fc.array(eventArb, { maxLength: 30 }), ({ action, type }, events) => {
        let current = action;
        let accepted = 0;
        for (const event of events) {
          const before = current.version;
          const lastTime = current.updatedAt;
          const r = transition(current, event, { actionType: type });
          if (r.ok) {
            expect(r.value.action.version).toBe(before + 1);
            // Times never go backwards on a record: an earlier event is recorded at the last time.
            expect(r.value.action.updatedAt).toBe(Math.max(event.at, lastTime));
            accepted += 1;
            current = r.value.action;
          } else {
            expect(current.version).toBe(before);
          }
        }
        expect(current.version).toBe(action.version + accepted);
      }),
    );
  });

  it('(5) every accepted transition yields exactly one audit draft whose from/to match, as plain JSON', () => {
    fc.assert(
      fc.property(subjectArb, eventArb, ({ action, type }, event) => {
        const r = transition(action, event, { actionType: type });
        if (!r.ok) return;
        const { audit, effects } = r.value;
        expect(audit.details['clockSkewMs']).toBe(
          event.at < action.updatedAt ? action.updatedAt - event.at : undefined,
        );
        expect(audit).toMatchObject({
          type: event.type,
          at: Math.max(event.at, action.updatedAt),
          actor: event.by,
          comment: event.comment,
          from: action.status,
          to: r.value.action.status,
        });
        expect(SafeObjectSchema.safeParse(audit.details).success).toBe(true);
        expect(JSON.parse(JSON.stringify(audit.details))).toEqual(audit.details);
        expect(
          AuditEventSchema.safeParse({ ...audit, id: 'evt-1', actionId: action.id, sequence: r.value.action.version })
            .success,
        ).toBe(true);
        // One notification per step, last, with the same from/to as the audit.
        expect(effects.filter((e) => e.type === 'notify')).toEqual([
          { type: 'notify', actionId: action.id, from: audit.from, to: audit.to },
        ]);
        expect(effects.at(-1)?.type).toBe('notify');
      }),
    );
  });

  it('(6) acceptedEvents agrees with transition: an event is accepted iff it is listed', () => {
    fc.assert(
      fc.property(subjectArb, eventSeedArb, ({ action, type }, seed) => {
        const listed = new Set(acceptedEvents(action, { actionType: type }));
        for (const eventType of LIFECYCLE_EVENT_TYPES) {
          const r = transition(action, eventOf(eventType, seed), { actionType: type });
          expect(r.ok).toBe(listed.has(eventType));
          if (!r.ok) {
            // The error names the state and the event.
            expect(r.error).toMatchObject({
              code: 'invalidTransition',
              actionId: action.id,
              state: action.status,
              event: eventType,
              final: isFinal(action.status),
            });
          }
        }
      }),
    );
  });

  it('(7) transition is deterministic: the same action and event give the same result', () => {
    fc.assert(
      fc.property(subjectArb, eventArb, ({ action, type }, event) => {
        expect(transition(action, event, { actionType: type })).toEqual(
          transition(action, event, { actionType: type }),
        );
      }),
    );
  });

  it('(8) the random walk reaches every status (the arbitrary is not blind to a corner)', () => {
    const seen = new Set<ActionStatus>();
    fc.assert(
      fc.property(subjectArb, ({ action }) => {
        seen.add(action.status);
      }),
      { numRuns: 2000, seed: 42 },
    );
    expect([...seen].sort()).toEqual([...ACTION_STATUSES].sort());
  });
});

/** The drawn value's execution details, as an event's optional `details` (issue 15). */
function detailsOf(from: unknown): { details?: Readonly<Record<string, string | number | boolean | null>> } {
  const details = (from as { details?: unknown }).details;
  return typeof details === 'object' && details !== null
    ? { details: details as Readonly<Record<string, string | number | boolean | null>> }
    : {};
}
