/**
 * `transition` split into its parts (issue 14): the record step (`transitionRecord`), and the
 * effects and audit draft derived from the two records and the event (`transitionEffects`,
 * `transitionAudit`). Over the testing kit's records (every reachable state, undo counterparts
 * included) and events (accepted ones and refused ones, clocks behind and ahead), the parts put
 * together are exactly `transition`'s result, and what `transition` returned before the split
 * (./lifecycle-reference.ts), refusals included; the engine's audit event built
 * from the parts is the draft plus its ids; the record step is total on hostile event types.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  transition,
  transitionRecord,
  type ActionFailure,
  type ActionId,
  type ActionRecord,
  type ActionStatus,
  type LifecycleEvent,
} from '../../src/index.js';
import {
  acceptedEvents,
  asId,
  transitionAudit,
  transitionEffects,
  type AuditEventId,
  type PrincipalId,
  type LifecycleEventType,
} from '../../src/adapter-kit.js';
import { stepAuditEvent } from '../../src/rules/lifecycle-derive.js';
import { actionCenterArbitraries } from '../../src/testing/index.js';
import { referenceTransition } from './lifecycle-reference.js';

const kit = actionCenterArbitraries(fc);
// Generous: hundreds of generated histories on a loaded machine.
const TIMEOUT = 120_000;
const contextOf = (action: ActionRecord) => ({ actionType: kit.catalog.require(action.actionType) });

/** `event` as one of type `type`, with the data that type carries. */
function retyped(
  event: LifecycleEvent,
  type: LifecycleEventType,
  failure: ActionFailure,
  undoActionId: ActionId,
): LifecycleEvent {
  const common = { by: event.by, at: event.at, comment: event.comment };
  switch (type) {
    case 'fail':
    case 'retry':
      return { type, ...common, failure, ...detailsOf(event) };
    case 'timeOut':
    case 'undoFailed':
      return { type, ...common, failure };
    case 'requestUndo':
      return { type, ...common, undoActionId };
    // Issue 15: dispatch and report; details sometimes, from the event drawn.
    case 'succeed':
      return { type, ...common, ...detailsOf(event) };
    case 'accept':
      return { type, ...common, reference: 'ma-7f3c1d2e', ...detailsOf(event) };
    case 'progress':
      return { type, ...common, details: detailsOf(event).details ?? { machineActionStatus: 'InProgress' } };
    case 'reportDiscarded':
      return { type, ...common, outcome: 'failed', reference: 'ma-7f3c1d2e', failure: failure, ...detailsOf(event) };
    // Issue 16: only a principal adds an approval (a system actor drawn stands for one).
    case 'addApproval':
      return { type, ...common, by: event.by.type === 'principal' ? event.by : approver };
    // Issue 16: an escalation names its group (here the approver, or nobody).
    case 'escalate':
      return { type, ...common, escalatedTo: event.by.type === 'principal' ? [approver.id] : [] };
    // Issue 16: a manual retry names the new action (the drawn undo id serves).
    case 'retried':
      return { type, ...common, retryActionId: undoActionId };
    // Issue 16: a note's text is its comment (never blank); a revert sets one of its two fields.
    case 'addNote':
      return { type, ...common, comment: common.comment?.trim() ? common.comment : 'Note' };
    case 'setRevert':
      return common.at % 2 === 0
        ? { type, ...common, revertAt: common.at % 3 === 0 ? null : common.at + 60_000 }
        : { type, ...common, revertAfterMs: common.at % 3 === 0 ? null : 3_600_000 };
    default:
      return { type, ...common };
  }
}

const failureArb = fc.record({
  code: fc.string({ minLength: 1, maxLength: 12 }),
  message: fc.string({ maxLength: 30 }),
});
const approver = { type: 'principal' as const, id: asId<PrincipalId>('approver@contoso.com') };
const undoIdArb = fc.integer({ min: 1, max: 999 }).map((n) => asId<ActionId>(`act-undo-${n}`));

// Any record, or one in a status that accepts something (most random walks end in a final status).
const actionArb = fc.oneof(
  kit.actionRecord,
  fc
    .constantFrom<ActionStatus>('pending', 'approved', 'running', 'succeeded', 'undoing', 'undoFailed')
    .chain((status) => kit.actionRecordIn(status)),
);

/**
 * A record and an event for it: three times in four one the record accepts (if any) (retyped from a random
 * event), otherwise the random event as it is (mostly refused). Times are those of the kit: the
 * event is as often dated before the record's last change as after it, and sometimes within 2 ms
 * of it.
 */
const caseArb = fc
  .record({
    action: actionArb,
    event: kit.lifecycleEvent,
    accepted: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    pick: fc.nat(),
    failure: failureArb,
    undoActionId: undoIdArb,
    // Sometimes dated within a few ms of the record's last change: the edges of the clock clamp.
    nudge: fc.option(fc.integer({ min: -2, max: 2 }), { freq: 2 }),
    // A frozen actor (as the engine's are) is shared, not copied.
    frozen: fc.boolean(),
  })
  .map(({ action, event, accepted, pick, failure, undoActionId, nudge, frozen }) => {
    const types = acceptedEvents(action, contextOf(action));
    const type = types[pick % Math.max(1, types.length)];
    const at = nudge === null ? event.at : Math.max(0, action.updatedAt + nudge);
    // The same actor kind as drawn (an `addApproval` keeps its principal): the spread widens it, hence the cast.
    const dated = { ...event, at, by: frozen ? Object.freeze({ ...event.by }) : { ...event.by } } as LifecycleEvent;
    return { action, event: accepted && type !== undefined ? retyped(dated, type, failure, undoActionId) : dated };
  });

// Inherited names and any other string: event types outside the types.
const hostileTypeArb = fc.oneof(
  fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', ''),
  fc.string({ maxLength: 16 }),
);

describe('transition = transitionRecord + transitionEffects + transitionAudit', () => {
  it(
    'the parts put together deep-equal transition’s result and the pre-split transition’s, refusals included',
    () => {
      let acceptedCount = 0;
      let skewed = 0;
      let settling = 0;
      fc.assert(
        fc.property(caseArb, ({ action, event }) => {
          // The oracle: `transition` as one function, before the split (./lifecycle-reference.ts).
          const before = referenceTransition(action, event, contextOf(action));
          const whole = transition(action, event, contextOf(action));
          const record = transitionRecord(action, event, contextOf(action));
          expect(whole).toEqual(before);
          if (!before.ok) {
            expect(record).toEqual(before);
            return;
          }
          expect(record.ok).toBe(true);
          if (!record.ok) return;
          acceptedCount++;
          if (event.at < action.updatedAt) skewed++;
          const effects = transitionEffects(action, record.value, event);
          if (effects.some((e) => e.type === 'settleUndo')) settling++;
          const parts = { action: record.value, effects, audit: transitionAudit(action, record.value, event) };
          expect(parts).toEqual(before.value);
          // Key order too: stores and hashes serialize records and audit details as they are.
          expect(JSON.stringify(parts)).toBe(JSON.stringify(before.value));
        }),
        { numRuns: 400 },
      );
      // Not vacuous: accepted steps, clocks behind and counterparts ending were all drawn.
      expect(acceptedCount).toBeGreaterThan(100);
      expect(skewed).toBeGreaterThan(10);
      expect(settling).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'regression (seed -555337183): a setRevert clearing revertAfterMs (null) is audited as cleared (to: null), by transition and the oracle alike',
    () => {
      let checked = 0;
      fc.assert(
        fc.property(
          fc.constantFrom<ActionStatus>('approved', 'succeeded').chain((status) => kit.actionRecordIn(status)),
          (drawn) => {
            const action: ActionRecord = { ...drawn, revertAfterMs: 3_600_000 };
            fc.pre((acceptedEvents(action, contextOf(action)) as readonly string[]).includes('setRevert'));
            const event: LifecycleEvent = {
              type: 'setRevert',
              by: { type: 'system', component: 'automatedInvestigation' },
              at: action.updatedAt + 1,
              comment: null,
              revertAfterMs: null,
            };
            const whole = transition(action, event, contextOf(action));
            expect(whole).toEqual(referenceTransition(action, event, contextOf(action)));
            expect(whole).toMatchObject({
              ok: true,
              value: {
                action: { revertAfterMs: null },
                audit: { type: 'setRevert', details: { field: 'revertAfterMs', from: 3_600_000, to: null } },
              },
            });
            checked++;
          },
        ),
        { numRuns: 50 },
      );
      expect(checked).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    'the record step answers `{ ok, value }` only, and shares the actor it records with the audit draft',
    () => {
      fc.assert(
        fc.property(caseArb, ({ action, event }) => {
          const record = transitionRecord(action, event, contextOf(action));
          expect(Object.keys(record)).toEqual(record.ok ? ['ok', 'value'] : ['ok', 'error']);
          if (!record.ok) return;
          const audit = transitionAudit(action, record.value, event);
          // The actor the record keeps is the audit draft's too (one per step): the event's own when
          // frozen (it cannot change), else the record's own copy.
          if (Object.isFrozen(event.by)) expect(audit.actor).toBe(event.by);
          else expect(audit.actor).not.toBe(event.by);
          expect(audit.actor).toEqual(event.by);
          if (event.type === 'requestUndo') expect(audit.actor).toBe(record.value.undoRequestedBy);
          else if (['approve', 'reject', 'expire', 'cancel'].includes(event.type))
            expect(audit.actor).toBe(record.value.decidedBy);
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );

  it(
    'the engine’s audit event (stepAuditEvent) is the draft plus its id, the action’s id, the sequence and its chain link (hash left to the engine)',
    () => {
      fc.assert(
        fc.property(caseArb, fc.integer({ min: 1, max: 1e6 }), ({ action, event }, n) => {
          const record = transitionRecord(action, event, contextOf(action));
          if (!record.ok) return;
          const id = asId<AuditEventId>(`evt-${n}`);
          expect(stepAuditEvent(action, record.value, event, id)).toEqual({
            ...transitionAudit(action, record.value, event),
            id,
            actionId: action.id,
            sequence: action.version + 1,
            hash: null,
            previousHash: action.auditHead,
          });
        }),
        { numRuns: 200 },
      );
    },
    TIMEOUT,
  );

  it(
    'the record step never throws on hostile event types: the same typed refusal as transition',
    () => {
      fc.assert(
        fc.property(actionArb, kit.lifecycleEvent, hostileTypeArb, (action, base, type) => {
          fc.pre(!(acceptedEvents(action, contextOf(action)) as readonly string[]).includes(type));
          const event = { ...base, type } as unknown as LifecycleEvent;
          const record = transitionRecord(action, event, contextOf(action));
          expect(record.ok).toBe(false);
          if (!record.ok)
            expect(record.error).toMatchObject({
              code: 'invalidTransition',
              actionId: action.id,
              state: action.status,
            });
          expect(record).toEqual(transition(action, event, contextOf(action)));
        }),
        { numRuns: 300 },
      );
    },
    TIMEOUT,
  );
});

/** The drawn value's execution details, as an event's optional `details` (issue 15). */
function detailsOf(from: unknown): { details?: Readonly<Record<string, string | number | boolean | null>> } {
  const details = (from as { details?: unknown }).details;
  return typeof details === 'object' && details !== null
    ? { details: details as Readonly<Record<string, string | number | boolean | null>> }
    : {};
}
