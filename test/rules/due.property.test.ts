import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTION_STATUSES, builtInCatalog, transition, type ActionRecord, type ActionStatus } from '../../src/index.js';
import { compareDue, dueAtOf, isExpired, referenceDue } from '../../src/adapter-kit.js';
import { actionCenterArbitraries } from '../../src/testing/index.js';

const arbitraries = actionCenterArbitraries(fc);
const anyRecord = fc.constantFrom(...ACTION_STATUSES).chain((s: ActionStatus) => arbitraries.actionRecordIn(s));
const time = fc.integer({ min: 0, max: 8.64e15 });

describe('dueAtOf: the due time of a record', () => {
  it('pending: the earlier of its expiry and approval deadline (issue 16); running: its deadline; approved: its retry time (issue 15), else its unstarted expiry when never started (issue 16); succeeded: its revert time (issue 16); every other status: none', () => {
    fc.assert(
      fc.property(anyRecord, (action) => {
        const due = dueAtOf(action);
        if (action.status === 'pending') {
          const times = [action.expiresAt, action.escalateAt].filter((t): t is number => t !== null);
          expect(due).toBe(times.length === 0 ? null : Math.min(...times));
        } else if (action.status === 'running') expect(due).toBe(action.deadlineAt);
        else if (action.status === 'approved')
          expect(due).toBe(action.retryAt ?? (action.attempt === 0 ? action.expiresAt : null));
        // Issue 16: a time-limited action that succeeded is due when its undo is (autoRevert).
        else if (action.status === 'succeeded') expect(due).toBe(action.revertAt);
        else expect(due).toBe(null);
      }),
    );
  });

  it('a pending action is due at a time exactly when it is expired or its approval deadline passed at that time', () => {
    fc.assert(
      fc.property(arbitraries.actionRecordIn('pending'), time, (action, now) => {
        const due = dueAtOf(action);
        const escalationDue = action.escalateAt !== null && action.escalateAt <= now;
        expect(due !== null && due <= now).toBe(isExpired(action, now) || escalationDue);
      }),
    );
  });

  it('an approved action never started is due at a time exactly when it is expired then; a retry-waiting one at its retry time only (issue 16)', () => {
    fc.assert(
      fc.property(arbitraries.actionRecordIn('approved'), time, (action, now) => {
        const due = dueAtOf(action);
        if (action.retryAt !== null) {
          expect(due).toBe(action.retryAt);
          expect(isExpired(action, now)).toBe(false);
        } else expect(due !== null && due <= now).toBe(isExpired(action, now));
      }),
    );
  });

  it('an escalated pending action is due at its expiry only (the sweep escalates once)', () => {
    fc.assert(
      fc.property(arbitraries.actionRecordIn('pending'), (action) => {
        const at = action.escalateAt ?? action.createdAt;
        const event = {
          type: 'escalate' as const,
          by: { type: 'system' as const, component: 'escalation' },
          at,
          comment: null,
          escalatedTo: [],
        };
        const step = transition(action, event, { actionType: builtInCatalog.require(action.actionType) });
        if (action.escalatedAt !== null) {
          expect(step.ok).toBe(false);
          return;
        }
        expect(step.ok).toBe(true);
        if (step.ok) expect(dueAtOf(step.value.action)).toBe(action.expiresAt);
      }),
    );
  });

  it('reads only status, expiry, deadline, retry time, approval deadline, attempt and revert time (other fields change nothing)', () => {
    fc.assert(
      fc.property(anyRecord, anyRecord, (a, b) => {
        const mixed: ActionRecord = {
          ...b,
          status: a.status,
          expiresAt: a.expiresAt,
          deadlineAt: a.deadlineAt,
          retryAt: a.retryAt,
          escalateAt: a.escalateAt,
          attempt: a.attempt,
          revertAt: a.revertAt,
        };
        expect(dueAtOf(mixed)).toBe(dueAtOf(a));
      }),
    );
  });

  it('an expired pending action has nothing due any more (the sweep does not find it twice)', () => {
    fc.assert(
      fc.property(arbitraries.actionRecordIn('pending'), (action) => {
        const at = action.expiresAt ?? action.createdAt;
        const step = transition(
          action,
          { type: 'expire', by: { type: 'system', component: 'expiry' }, at, comment: null },
          { actionType: builtInCatalog.require(action.actionType) },
        );
        expect(step.ok).toBe(true);
        if (step.ok) expect(dueAtOf(step.value.action)).toBe(null);
      }),
    );
  });
});

describe('compareDue and referenceDue', () => {
  const place = fc.record({ dueAt: fc.integer({ min: 0, max: 100 }), id: fc.string({ maxLength: 3 }) });

  it('compareDue is a total order: antisymmetric, transitive, 0 only for the same place', () => {
    fc.assert(
      fc.property(place, place, place, (a, b, c) => {
        expect(Math.sign(compareDue(a, b)) + Math.sign(compareDue(b, a))).toBe(0);
        if (compareDue(a, b) <= 0 && compareDue(b, c) <= 0) expect(compareDue(a, c)).toBeLessThanOrEqual(0);
        expect(compareDue(a, b) === 0).toBe(a.dueAt === b.dueAt && a.id === b.id);
      }),
    );
  });

  it('pages of referenceDue, followed by their cursors, give every due action once, in order', () => {
    fc.assert(
      fc.property(
        fc.array(anyRecord, { maxLength: 30 }),
        time,
        fc.integer({ min: 1, max: 7 }),
        (drawn, before, limit) => {
          const records = [...new Map(drawn.map((r) => [r.id as string, r])).values()];
          const expected = records
            .filter((r) => {
              const due = dueAtOf(r);
              return due !== null && due <= before;
            })
            .map((r) => ({ dueAt: dueAtOf(r) as number, id: r.id as string }))
            .sort(compareDue)
            .map((p) => p.id);
          const seen: string[] = [];
          let after: { dueAt: number; id: string } | null = null;
          for (let n = 0; n <= records.length + 1; n++) {
            const page: { items: ActionRecord[]; next: { dueAt: number; id: string } | null } = referenceDue(records, {
              before,
              limit,
              after,
            });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((a) => a.id));
            if (page.next === null) break;
            expect(page.items.length).toBe(limit);
            after = page.next;
          }
          expect(seen).toEqual(expected);
        },
      ),
    );
  });
});
