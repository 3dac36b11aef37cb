/**
 * The `auditChain` group of `repositoryContract` (issue 16): audit events and records come back
 * with what their hashes cover, so chained trails still verify (`verifyAuditTrail`): every field of
 * every event (nested details included, whatever the key order the store gives back), `hash`,
 * `previousHash` and the record's `auditHead`.
 *
 * @module
 */
import { verifyAuditTrail, type ActionRecord, type ActionRepository, type AuditEvent } from 'actioncenter';
import { asId, chainAuditEvent } from 'actioncenter/adapter-kit';
import { fixtureHistories } from '../fixtures.js';
import type { ContractCase } from '../runner.js';
import type { RepositoryContractGroup } from './options.js';
import { batch, commitOk, create, fixture, storeHistories, update, value, type Expect } from './shared.js';

// Details a store could spoil: nested objects with keys out of order, arrays, numbers JSON writes
// in exponent form, escapes, non-ASCII text, empty strings and nulls.
const AWKWARD_DETAILS: Readonly<Record<string, unknown>> = {
  zeta: { b: [1, 0.1, -2.5e-7, 1e21, { y: 'é', x: '\u2028"\\' }], a: '' },
  alpha: null,
  'key with space': true,
  Émoji: '🛡️',
  n: -0.5,
};

async function verifiesStored(expect: Expect, repo: ActionRepository, id: ActionRecord['id'], events: number) {
  const record = await value(expect, repo.get(id), 'get');
  const trail = await value(expect, repo.auditTrail(id), 'auditTrail');
  expect(record !== null, `the record of ${id} is found`).toBe(true);
  expect(verifyAuditTrail(trail, record as ActionRecord), `the chain of ${id} as read back`).toEqual({
    ok: true,
    value: { intact: true, chained: events, unchained: 0 },
  });
}

export function auditChainCases(expect: Expect): ContractCase<RepositoryContractGroup, ActionRepository>[] {
  return [
    {
      group: 'auditChain',
      title: 'chained trails read back verify: every hash, previousHash and audit head kept',
      run: async (repo) => {
        const histories = fixtureHistories();
        await storeHistories(expect, repo, histories);
        for (const h of histories) {
          const trail = await value(expect, repo.auditTrail(h.action.id), 'auditTrail');
          expect(
            trail.map((e) => [e.hash, e.previousHash]),
            `the hashes of ${h.action.id}`,
          ).toEqual(h.events.map((e) => [e.hash, e.previousHash]));
          await verifiesStored(expect, repo, h.action.id, h.events.length);
        }
      },
    },
    {
      group: 'auditChain',
      title: 'nested details (any key order, exponents, escapes, non-ASCII) read back as hashed',
      run: async (repo) => {
        const h = fixture('act-b');
        const [first, second] = h.steps;
        if (first === undefined || second === undefined) throw new Error('fixture too short');
        const created = chainAuditEvent({ ...first.event, details: AWKWARD_DETAILS }, null);
        const createdRecord: ActionRecord = { ...first.action, auditHead: created.hash };
        const next = chainAuditEvent(
          { ...second.event, id: asId('act-b~awkward2'), details: { ...AWKWARD_DETAILS, step: 2 } },
          created.hash,
        );
        const nextRecord: ActionRecord = { ...second.action, auditHead: next.hash };
        await commitOk(expect, repo, batch([create(createdRecord)], [created]), 'create');
        await commitOk(expect, repo, batch([update(nextRecord)], [next]), 'update');
        const trail: readonly AuditEvent[] = await value(expect, repo.auditTrail(h.action.id), 'auditTrail');
        expect(
          trail.map((e) => e.details),
          'details as given',
        ).toEqual([created.details, next.details]);
        await verifiesStored(expect, repo, h.action.id, 2);
      },
    },
  ];
}
