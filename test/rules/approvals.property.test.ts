/**
 * Issue 16, N-of-M approvals in the pure rules: the lifecycle itself refuses `approve` while more
 * approvals are needed and `addApproval` for the last one (so the engine cannot get it wrong), and
 * the approval step, "awaiting my approval" and the "k of N" text agree with the record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtInCatalog, transitionRecord, type ActionRecord } from '../../src/index.js';
import {
  acceptedEvents,
  approvalProgressText,
  approvalStepOf,
  asId,
  awaitsApprovalIn,
  type PrincipalId,
} from '../../src/adapter-kit.js';
import { actionRecord } from '../support/records.js';

const quarantineFile = builtInCatalog.require('quarantineFile');
const principal = (n: number) => asId<PrincipalId>(`p${n}@contoso.com`);

/** A pending action needing `n` approvals with `given` of them (distinct principals p1..). */
const pendingWith = (n: number, given: number): ActionRecord =>
  actionRecord({
    requiredApprovals: n,
    approvals: Array.from({ length: given }, (_, i) => ({ by: principal(i + 1), at: 1_000, comment: null })),
  });

const stateArb = fc
  .integer({ min: 1, max: 10 })
  .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 })));

describe('N-of-M approvals: the rules', () => {
  it('approve is accepted only as the last approval, addApproval only before it; both keep the rest', () => {
    fc.assert(
      fc.property(stateArb, fc.integer({ min: 20, max: 30 }), ([n, given], who) => {
        const action = pendingWith(n, given);
        const by = { type: 'principal' as const, id: principal(who) };
        const last = given + 1 >= n;
        const approve = transitionRecord(
          action,
          { type: 'approve', by, at: 2_000, comment: null },
          { actionType: quarantineFile },
        );
        const add = transitionRecord(
          action,
          { type: 'addApproval', by, at: 2_000, comment: 'ok' },
          { actionType: quarantineFile },
        );
        expect(approve.ok).toBe(last);
        expect(add.ok).toBe(!last);
        if (!approve.ok) expect(approve.error.reason).toBe('approvalsOutstanding');
        if (!add.ok) expect(add.error.reason).toBe('lastApproval');
        if (add.ok) {
          expect(add.value).toMatchObject({ status: 'pending', version: action.version + 1, decidedBy: null });
          expect(add.value.approvals).toEqual([...action.approvals, { by: by.id, at: 2_000, comment: 'ok' }]);
          expect(add.value.requiredApprovals).toBe(n);
        }
        if (approve.ok) expect(approve.value.status).toBe('approved');
        // What the table lists is what it accepts.
        const listed = acceptedEvents(action, { actionType: quarantineFile });
        expect(listed.includes('approve')).toBe(last);
        expect(listed.includes('addApproval')).toBe(!last);
        expect(approvalStepOf(action, by.id)).toBe(last ? 'approve' : 'addApproval');
      }),
    );
  });

  it('a principal who approved, or the requester of an action needing several, does not count again', () => {
    fc.assert(
      fc.property(stateArb, ([n, given]) => {
        fc.pre(given > 0);
        const action = pendingWith(n, given);
        expect(approvalStepOf(action, principal(1))).toBe('alreadyApproved');
        expect(awaitsApprovalIn(action, { awaitingApprovalBy: principal(1) })).toBe(false);
        expect(awaitsApprovalIn(action, { awaitingApprovalBy: principal(99) })).toBe(true);
        const own = { ...action, requestedBy: { type: 'principal' as const, id: principal(99) } };
        expect(approvalStepOf(own, principal(99))).toBe(n > 1 ? 'requester' : 'approve');
        expect(awaitsApprovalIn(own, { awaitingApprovalBy: principal(99) })).toBe(false);
        expect(approvalProgressText(action)).toBe(`${given} of ${n}`);
      }),
    );
  });

  it('records stored before N-of-M approvals (no fields) need one approval, as before', () => {
    const { requiredApprovals: _n, approvals: _a, ...old } = actionRecord();
    const legacy = old as unknown as ActionRecord;
    expect(acceptedEvents(legacy, { actionType: quarantineFile })).toContain('approve');
    expect(approvalProgressText(legacy)).toBe('');
    const r = transitionRecord(
      legacy,
      { type: 'approve', by: { type: 'principal', id: principal(1) }, at: 2_000, comment: null },
      { actionType: quarantineFile },
    );
    expect(r.ok && r.value).toMatchObject({ status: 'approved', requiredApprovals: 1, approvals: [] });
  });
});
