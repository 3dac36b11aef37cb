/**
 * Issue 16, N-of-M approvals as properties: N distinct approvers are needed, the requester never
 * counts, one rejection rejects, a bulk approve records one approval per item, and two approvers
 * racing on a 2-of-M action (two engines on one store, fast-check's scheduler interleaving their
 * store calls) end with one approval and one approve, audited without gaps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryRepository, type BuiltInRequestInput, type PrincipalInput } from '../../src/index.js';
import { isolate, must, people, scheduled, testCenter } from './fixtures.js';

// Generous: every run submits and decides through the engine, on a loaded machine.
const TIMEOUT = 120_000;

const analyst = (id: string): PrincipalInput => ({
  id,
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
});
const requester = analyst('requester@contoso.com');
const approvers = ['a1', 'a2', 'a3', 'a4', 'a5'].map((n) => analyst(`${n}@contoso.com`));
/** Who approves: one of five analysts, or the requester (who never counts). */
const approverArb = fc.constantFrom(requester, ...approvers);

const policyOf = (n: number) => ({
  requirements: [{ match: { actionTypes: ['isolateDevice'] }, requiredApprovals: n }],
});
const proposal = (device = 'LAPTOP-1'): BuiltInRequestInput => ({ ...isolate(device, requester), propose: true });

describe('N-of-M approvals: properties', () => {
  it(
    'an action is approved exactly when N distinct principals other than the requester approved it',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.array(approverArb, { maxLength: 8 }),
          async (n, sequence) => {
            const { center } = testCenter({ repository: createMemoryRepository(), approvalPolicy: policyOf(n) });
            const { action } = await must(center.submit({ request: proposal(), principal: requester }));
            const counted = new Set<string>();
            for (const who of sequence) {
              const before = await must(center.get({ principal: people.reader, id: action.id }));
              const item = (await must(center.approve({ principal: who, ids: [action.id] }))).items[0];
              // Permission first: the requester is denied (four eyes, and never counts), whatever the state.
              if (who.id === requester.id) {
                expect(item).toMatchObject({ ok: false, outcome: 'denied' });
              } else if (before.status !== 'pending') {
                expect(item).toMatchObject({ ok: false, error: { code: 'invalidTransition' } });
              } else if (counted.has(who.id)) {
                expect(item).toMatchObject({ ok: false, error: { code: 'alreadyApproved' } });
              } else {
                counted.add(who.id);
                expect(item?.ok && item.action.status).toBe(counted.size >= n ? 'approved' : 'pending');
              }
            }
            const after = await must(center.get({ principal: people.reader, id: action.id }));
            expect(after.status).toBe(counted.size >= n ? 'approved' : 'pending');
            // Every counted approval is in the audit trail, once: the partial ones and the decision.
            const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
            const approvals = trail.filter((e) => e.type === 'addApproval' || e.type === 'approve');
            expect(approvals.map((e) => (e.actor.type === 'principal' ? e.actor.id : ''))).toEqual([...counted]);
            expect(trail.map((e) => e.sequence)).toEqual(trail.map((_, i) => i + 1));
          },
        ),
        { numRuns: 60 },
      );
    },
    TIMEOUT,
  );

  it(
    'one rejection rejects, after any number of approvals short of N',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.nat({ max: 3 }), async (n, k) => {
          const given = Math.min(k, n - 1);
          const { center } = testCenter({ repository: createMemoryRepository(), approvalPolicy: policyOf(n) });
          const { action } = await must(center.submit({ request: proposal(), principal: requester }));
          for (const who of approvers.slice(0, given)) await must(center.approve({ principal: who, ids: [action.id] }));
          const rejecter = approvers[4] as PrincipalInput;
          await must(center.reject({ principal: rejecter, ids: [action.id] }));
          const after = await must(center.get({ principal: people.reader, id: action.id }));
          expect(after).toMatchObject({ status: 'rejected', decidedBy: { id: rejecter.id } });
          expect(after.approvals).toHaveLength(given);
        }),
        { numRuns: 30 },
      );
    },
    TIMEOUT,
  );

  it(
    'a bulk approve records exactly one approval per item (one new version and one audit event each)',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 5 }), async (n, count) => {
          const { center } = testCenter({ repository: createMemoryRepository(), approvalPolicy: policyOf(n) });
          const ids: string[] = [];
          for (let i = 0; i < count; i++)
            ids.push((await must(center.submit({ request: proposal(`LAPTOP-${i}`), principal: requester }))).action.id);
          const bulk = await must(center.approve({ principal: approvers[0] as PrincipalInput, ids }));
          expect(bulk.counts.applied).toBe(count);
          for (const id of ids) {
            const stored = await must(center.get({ principal: people.reader, id }));
            expect(stored.version).toBe(2);
            expect(stored.status).toBe(n === 1 ? 'approved' : 'pending');
            const trail = await must(center.auditTrail({ principal: people.reader, id }));
            expect(trail.map((e) => e.type)).toEqual(['created', n === 1 ? 'approve' : 'addApproval']);
          }
        }),
        { numRuns: 30 },
      );
    },
    TIMEOUT,
  );

  it(
    'two principals approving a 2-of-M action at once: approved exactly once, both approvals counted, no gap in the audit trail',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.scheduler(), async (s) => {
          const store = createMemoryRepository();
          const setup = testCenter({ repository: store, approvalPolicy: policyOf(2) });
          const { action } = await must(setup.center.submit({ request: proposal(), principal: requester }));
          // Two engines (two processes) on one store, each call interleaved by the scheduler.
          const a = testCenter({ repository: scheduled(store, s), approvalPolicy: policyOf(2) }).center;
          const b = testCenter({ repository: scheduled(store, s), approvalPolicy: policyOf(2) }).center;
          const [first, second] = approvers as [PrincipalInput, PrincipalInput];
          const racing = Promise.all([
            a.approve({ principal: first, ids: [action.id] }),
            b.approve({ principal: second, ids: [action.id] }),
          ]);
          const [ra, rb] = await s.waitFor(racing);
          if (!ra.ok || !rb.ok) throw new Error('operations must not fail as a whole');
          expect([ra.value.items[0]?.outcome, rb.value.items[0]?.outcome]).toEqual(['applied', 'applied']);
          const stored = await must(setup.center.get({ principal: people.reader, id: action.id }));
          expect(stored).toMatchObject({ status: 'approved', version: 3 });
          const trail = await must(setup.center.auditTrail({ principal: people.reader, id: action.id }));
          expect(trail.map((e) => e.type)).toEqual(['created', 'addApproval', 'approve']);
          expect(trail.map((e) => e.sequence)).toEqual([1, 2, 3]);
          const by = trail.slice(1).map((e) => (e.actor.type === 'principal' ? e.actor.id : ''));
          expect([...by].sort()).toEqual([first.id, second.id].sort());
        }),
        { numRuns: 100 },
      );
    },
    TIMEOUT,
  );
});
