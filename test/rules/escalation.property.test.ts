/**
 * Issue 16, the pure rules of approval deadlines and expiries: `pending --escalate--> pending` once
 * (refused once escalated), a decision clears the deadline; `approved --expire--> expired` only for
 * an action never started (a retry-waiting one is refused, `alreadyStarted`); `approve` starts the
 * unstarted expiry; the due time follows (`dueAtOf`), and the action type carries its own expiries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ACTION_STATUSES,
  builtInCatalog,
  createCatalog,
  defineActionType,
  transition,
  type ActionRecord,
  type ActionStatus,
  type LifecycleEvent,
} from '../../src/index.js';
import { acceptedEvents, asId, dueAtOf, isExpired, type PrincipalId } from '../../src/adapter-kit.js';
import { actionCenterArbitraries } from '../../src/testing/index.js';

const arbitraries = actionCenterArbitraries(fc, { maxEvents: 8 });
const anyRecord = fc.constantFrom(...ACTION_STATUSES).chain((s: ActionStatus) => arbitraries.actionRecordIn(s));
const typeOf = (a: ActionRecord) => builtInCatalog.require(a.actionType);
const LEAD = asId<PrincipalId>('soc-lead@contoso.com');
const escalate = (at: number, escalatedTo: PrincipalId[] = [LEAD]): LifecycleEvent => ({
  type: 'escalate',
  by: { type: 'system', component: 'escalation' },
  at,
  comment: null,
  escalatedTo,
});
const expire = (at: number): LifecycleEvent => ({
  type: 'expire',
  by: { type: 'system', component: 'expiry' },
  at,
  comment: null,
});

describe('escalate: pending -> pending, once', () => {
  it('accepted exactly by a pending action not escalated yet; then escalatedAt is set, escalateAt cleared, nothing else decided', () => {
    fc.assert(
      fc.property(anyRecord, fc.integer({ min: 0, max: 8.64e15 }), (action, at) => {
        const r = transition(action, escalate(at), { actionType: typeOf(action) });
        const expected = action.status === 'pending' && action.escalatedAt === null;
        expect(r.ok).toBe(expected);
        expect(acceptedEvents(action, { actionType: typeOf(action) }).includes('escalate')).toBe(expected);
        if (!r.ok) {
          if (action.status === 'pending') expect(r.error.reason).toBe('alreadyEscalated');
          return;
        }
        const next = r.value.action;
        expect([next.status, next.escalateAt, next.escalatedAt, next.escalatedTo]).toEqual([
          'pending',
          null,
          Math.max(at, action.updatedAt),
          [LEAD],
        ]);
        expect([next.expiresAt, next.decidedBy, next.version]).toEqual([
          action.expiresAt,
          action.decidedBy,
          action.version + 1,
        ]);
        expect(r.value.audit).toMatchObject({ type: 'escalate', from: 'pending', to: 'pending' });
        expect(r.value.audit.details).toMatchObject({ escalateAt: action.escalateAt, escalatedTo: [LEAD] });
        // Once: a second escalation is refused.
        const again = transition(next, escalate(at), { actionType: typeOf(action) });
        expect(again.ok ? null : again.error.reason).toBe('alreadyEscalated');
        // Due at its expiry only now.
        expect(dueAtOf(next)).toBe(next.expiresAt);
      }),
    );
  });

  it('a decision clears the approval deadline: nothing escalates a decided action', () => {
    fc.assert(
      fc.property(
        arbitraries.actionRecordIn('pending'),
        fc.constantFrom('approve', 'reject', 'cancel', 'expire'),
        (action, type) => {
          const at = action.expiresAt ?? action.updatedAt;
          const event: LifecycleEvent = { type, by: { type: 'principal', id: LEAD }, at, comment: null };
          const r = transition(action, event, { actionType: typeOf(action) });
          if (!r.ok) return; // N-of-M: an approval short of the number is addApproval, not approve
          expect(r.value.action.escalateAt).toBe(null);
          expect(r.value.action.escalatedAt).toBe(action.escalatedAt);
          expect(transition(r.value.action, escalate(at), { actionType: typeOf(action) }).ok).toBe(false);
        },
      ),
    );
  });
});

describe('expire from approved: only never started', () => {
  it('accepted by an approved action exactly when it was never started; refused (alreadyStarted) for a retry-waiting one', () => {
    fc.assert(
      fc.property(arbitraries.actionRecordIn('approved'), (action) => {
        const at = Math.max(action.updatedAt, action.expiresAt ?? 0);
        const r = transition(action, expire(at), { actionType: typeOf(action) });
        const neverStarted = action.attempt === 0 && action.startedAt === null;
        expect(r.ok).toBe(neverStarted);
        if (!r.ok) expect(r.error.reason).toBe('alreadyStarted');
        else
          expect([r.value.action.status, r.value.action.expiresAt, r.value.action.openKey]).toEqual([
            'expired',
            null,
            null,
          ]);
        // The sweep's test agrees with the rule.
        if (action.expiresAt !== null) expect(isExpired(action, action.expiresAt)).toBe(neverStarted);
      }),
    );
  });

  it('approve sets the unstarted expiry from the context (else the type); start clears it', () => {
    fc.assert(
      fc.property(
        arbitraries.actionRecordIn('pending'),
        fc.option(fc.integer({ min: 1, max: 366 * 86_400_000 }), { nil: null }),
        (action, approvedExpiryMs) => {
          const at = action.updatedAt;
          const approve: LifecycleEvent = { type: 'approve', by: { type: 'principal', id: LEAD }, at, comment: null };
          const r = transition(action, approve, { actionType: typeOf(action), approvedExpiryMs });
          if (!r.ok) return; // N-of-M: more approvals needed
          const approved = r.value.action;
          expect(approved.expiresAt).toBe(approvedExpiryMs === null ? null : Math.min(at + approvedExpiryMs, 8.64e15));
          expect(dueAtOf(approved)).toBe(approved.expiresAt);
          const start: LifecycleEvent = {
            type: 'start',
            by: { type: 'system', component: 'executor' },
            at,
            comment: null,
          };
          const started = transition(approved, start, { actionType: typeOf(action) });
          expect(started.ok && started.value.action.expiresAt).toBe(null);
        },
      ),
    );
  });
});

describe('per-type expiries on the action type', () => {
  const type = (extra: Record<string, unknown>) =>
    defineActionType({
      id: 'scanWithExpiry',
      displayName: 'Scan',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.strictObject({}),
      ...extra,
    });

  it('a catalogue takes a positive pendingExpiryMs and approvedExpiryMs of at most 366 days, and refuses the rest', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('pendingExpiryMs', 'approvedExpiryMs'),
        fc.oneof(fc.integer({ min: -10, max: 367 * 86_400_000 }), fc.double(), fc.constant(Number.NaN)),
        (field, value) => {
          const valid = Number.isInteger(value) && value > 0 && value <= 366 * 86_400_000;
          const catalog = createCatalog([type({ [field]: value })]);
          expect(catalog.ok).toBe(valid);
          if (catalog.ok)
            expect((catalog.value.require('scanWithExpiry') as unknown as Record<string, unknown>)[field]).toBe(value);
        },
      ),
    );
  });

  it('left out, the type has none (the policy’s apply)', () => {
    const t = type({});
    expect(['pendingExpiryMs' in t, 'approvedExpiryMs' in t]).toEqual([false, false]);
  });
});
