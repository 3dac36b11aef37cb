/**
 * Issue 16: N-of-M approvals (Splunk SOAR's "required number of approvers") and required
 * justification, example by example on the memory repository and PGlite.
 */
import { describe, expect, it } from 'vitest';
import {
  collectCsv,
  createMemoryRepository,
  type ActionRepository,
  type ApprovalPolicyConfig,
  type BuiltInRequestInput,
  type PrincipalInput,
} from '../../src/index.js';
import { freshRepository, usePGlite } from '../adapters/postgres-fixtures.js';
import { isolate, must, people, quarantine, scriptedExecutor, testCenter } from './fixtures.js';

usePGlite();

const stores: [string, () => Promise<ActionRepository>][] = [
  ['memory', async () => createMemoryRepository()],
  ['PGlite', () => freshRepository()],
];

const analyst = (id: string): PrincipalInput => ({
  id,
  assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
});
const alice = analyst('alice@contoso.com');
const bob = analyst('bob@contoso.com');
const carol = analyst('carol@contoso.com');

/** Splunk SOAR: isolating a server needs two approvers; quarantines need one, as before. */
const twoForServers: ApprovalPolicyConfig = {
  requirements: [{ match: { actionTypes: ['isolateDevice'], deviceGroups: ['Servers'] }, requiredApprovals: 2 }],
};
/** Defender for Endpoint's isolate requires a comment; rejecting any endpoint action too. */
const justified: ApprovalPolicyConfig = {
  requirements: [
    { match: { actionTypes: ['isolateDevice'] }, justification: ['submit', 'undo'] },
    { match: { workloads: ['endpoint'] }, justification: ['reject'] },
  ],
};
const proposedIsolation = (by: PrincipalInput, device = 'SRV-1'): BuiltInRequestInput => ({
  ...isolate(device, by, 'Servers'),
  propose: true,
});

describe.each(stores)('N-of-M approvals (%s)', (_name, makeStore) => {
  it('Splunk SOAR "required number of approvers": 2 distinct approvals, "1 of 2" in between, audited each', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const { action } = await must(center.submit({ request: proposedIsolation(alice), principal: alice }));
    expect(action).toMatchObject({ status: 'pending', requiredApprovals: 2, approvals: [] });
    const first = await must(center.approve({ principal: bob, ids: [action.id], comment: 'Looks right' }));
    expect(first.items[0]?.ok).toBe(true);
    const half = await must(center.get({ principal: people.reader, id: action.id }));
    expect(half).toMatchObject({ status: 'pending', decidedBy: null });
    expect(half.approvals).toEqual([{ by: bob.id, at: expect.any(Number), comment: 'Looks right' }]);
    const second = await must(center.approve({ principal: carol, ids: [action.id] }));
    expect(second.items[0]?.ok).toBe(true);
    const done = await must(center.get({ principal: people.reader, id: action.id }));
    expect(done).toMatchObject({ status: 'approved', decidedBy: { type: 'principal', id: carol.id } });
    const trail = await must(center.auditTrail({ principal: people.reader, id: action.id }));
    expect(trail.map((e) => [e.type, e.from, e.to])).toEqual([
      ['created', null, 'pending'],
      ['addApproval', 'pending', 'pending'],
      ['approve', 'pending', 'approved'],
    ]);
    expect(trail[1]?.details).toEqual({ approvals: 1, requiredApprovals: 2 });
    expect(trail[2]?.details).toMatchObject({ approvals: 2 });
  });

  it('the same principal twice is alreadyApproved (nothing changes); the requester never counts', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const { action } = await must(center.submit({ request: proposedIsolation(alice), principal: alice }));
    await must(center.approve({ principal: bob, ids: [action.id] }));
    const again = await must(center.approve({ principal: bob, ids: [action.id] }));
    expect(again.items[0]).toMatchObject({
      ok: false,
      outcome: 'invalidState',
      error: { code: 'alreadyApproved', principalId: bob.id, approvals: 1, requiredApprovals: 2 },
    });
    const own = await must(center.approve({ principal: alice, ids: [action.id] }));
    expect(own.items[0]).toMatchObject({ ok: false, outcome: 'denied', error: { code: 'accessDenied' } });
    const after = await must(center.get({ principal: people.reader, id: action.id }));
    expect(after).toMatchObject({ status: 'pending', version: 2 });
    expect(after.approvals.map((a) => a.by)).toEqual([bob.id]);
  });

  it('the requester never counts, even when the access policy lets them decide their own actions', async () => {
    const { createDefaultAccessPolicy } = await import('../../src/index.js');
    const { center } = testCenter({
      repository: await makeStore(),
      approvalPolicy: twoForServers,
      accessPolicy: createDefaultAccessPolicy({ fourEyes: false }),
    });
    const { action } = await must(center.submit({ request: proposedIsolation(alice), principal: alice }));
    const own = await must(center.approve({ principal: alice, ids: [action.id] }));
    expect(own.items[0]).toMatchObject({
      ok: false,
      outcome: 'denied',
      error: { decision: { rule: 'approval.requesterNeverCounts', reason: 'ownAction' } },
    });
    expect((await must(center.get({ principal: people.reader, id: action.id }))).approvals).toEqual([]);
  });

  it('one rejection rejects, whatever approvals came before', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const { action } = await must(center.submit({ request: proposedIsolation(alice), principal: alice }));
    await must(center.approve({ principal: bob, ids: [action.id] }));
    await must(center.reject({ principal: carol, ids: [action.id] }));
    const after = await must(center.get({ principal: people.reader, id: action.id }));
    expect(after).toMatchObject({ status: 'rejected', decidedBy: { id: carol.id } });
  });

  it('bulk approve records one approval per item, in one operation; the default policy still approves at once', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const ids: string[] = [];
    for (const device of ['SRV-1', 'SRV-2', 'SRV-3'])
      ids.push((await must(center.submit({ request: proposedIsolation(alice, device), principal: alice }))).action.id);
    const first = await must(center.approve({ principal: bob, ids }));
    expect(first.counts.applied).toBe(3);
    for (const item of first.items) expect(item.ok && item.action).toMatchObject({ status: 'pending', version: 2 });
    const second = await must(center.approve({ principal: carol, ids }));
    for (const item of second.items) expect(item.ok && item.action.status).toBe('approved');
    // A workstation isolation matches no rule: one approval, as before.
    const { action } = await must(
      center.submit({ request: { ...isolate('LAPTOP-1', alice), propose: true }, principal: alice }),
    );
    expect(action.requiredApprovals).toBe(1);
    const once = await must(center.approve({ principal: bob, ids: [action.id] }));
    expect(once.items[0]?.ok && once.items[0].action.status).toBe('approved');
  });

  it('the number is fixed at submission: a later policy does not move an action in flight', async () => {
    const repository = await makeStore();
    const before = testCenter({ repository, approvalPolicy: twoForServers });
    const { action } = await must(before.center.submit({ request: proposedIsolation(alice), principal: alice }));
    const after = testCenter({ repository, approvalPolicy: {} });
    const r = await must(after.center.approve({ principal: bob, ids: [action.id] }));
    expect(r.items[0]?.ok && r.items[0].action).toMatchObject({ status: 'pending', approvals: [{ by: bob.id }] });
  });
});

describe.each(stores)('"awaiting my approval" (%s)', (_name, makeStore) => {
  it('lists pending actions the caller may approve, did not request and has not approved yet', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const one = (await must(center.submit({ request: proposedIsolation(alice, 'SRV-1'), principal: alice }))).action;
    const two = (await must(center.submit({ request: proposedIsolation(carol, 'SRV-2'), principal: carol }))).action;
    await must(center.approve({ principal: bob, ids: [one.id] }));
    const awaiting = async (who: PrincipalInput) => {
      const page = await must(center.list({ principal: who, query: { filter: { awaitingApprovalBy: who.id } } }));
      return page.items.map((a) => a.id).sort();
    };
    expect(await awaiting(bob)).toEqual([two.id]);
    expect(await awaiting(carol)).toEqual([one.id]);
    expect(await awaiting(alice)).toEqual([two.id]);
    // A reader may list but not approve: nothing awaits them.
    expect(await awaiting(people.reader)).toEqual([]);
    // Another's queue is not listed.
    const other = await center.list({ principal: carol, query: { filter: { awaitingApprovalBy: bob.id } } });
    expect(!other.ok && other.error.code).toBe('invalidInput');
    // Grouped by investigation too: an automated quarantine of investigation inv-1 awaits carol.
    await must(center.submit({ request: quarantine('LAPTOP-9') }));
    const groups = await must(
      center.listInvestigations({ principal: carol, query: { filter: { awaitingApprovalBy: carol.id } } }),
    );
    expect(groups.total).toBe(1);
  });

  it('the CSV shows "1 of 2" while an action waits for its second approval', async () => {
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: twoForServers });
    const { action } = await must(center.submit({ request: proposedIsolation(alice), principal: alice }));
    await must(center.approve({ principal: bob, ids: [action.id] }));
    const csv = await must(
      center.exportCsv({
        principal: carol,
        query: { filter: { awaitingApprovalBy: carol.id } },
        columns: ['id', 'approvals'],
      }),
    );
    expect((await collectCsv(csv)).trim().split(/\r?\n/)).toEqual(['Action ID,Approvals', `${action.id},1 of 2`]);
  });
});

describe.each(stores)('required justification (%s)', (_name, makeStore) => {
  it('submit without a comment is justificationRequired and stores nothing; with one it is taken', async () => {
    const repository = await makeStore();
    const { center } = testCenter({ repository, approvalPolicy: justified });
    const bare = await center.submit({ request: isolate('LAPTOP-1', alice), principal: alice });
    expect(!bare.ok && bare.error).toMatchObject({
      code: 'justificationRequired',
      operation: 'submit',
      actionIds: [],
      actionTypes: ['isolateDevice'],
    });
    const blank = await center.submit({ request: { ...isolate('LAPTOP-1', alice), comment: '   ' }, principal: alice });
    expect(!blank.ok && blank.error.code).toBe('justificationRequired');
    const listed = await must(center.list({ principal: people.reader, query: {} }));
    expect(listed.items).toEqual([]);
    const given = await center.submit({
      request: { ...isolate('LAPTOP-1', alice), comment: 'Beaconing to a known C2' },
      principal: alice,
    });
    expect(given.ok).toBe(true);
  });

  it('reject without a comment refuses the whole selection and changes nothing', async () => {
    const repository = await makeStore();
    const { center } = testCenter({ repository, approvalPolicy: justified });
    const a = await must(center.submit({ request: quarantine('LAPTOP-1') }));
    const b = await must(center.submit({ request: quarantine('LAPTOP-2') }));
    const ids = [a.action.id, b.action.id];
    const refused = await center.reject({ principal: bob, ids });
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'justificationRequired',
      operation: 'reject',
      actionIds: ids,
      actionTypes: ['quarantineFile'],
    });
    for (const id of ids) {
      const stored = await must(center.get({ principal: people.reader, id }));
      expect(stored).toMatchObject({ status: 'pending', version: 1 });
      expect(await must(center.auditTrail({ principal: people.reader, id }))).toHaveLength(1);
    }
    const done = await must(center.reject({ principal: bob, ids, comment: 'Benign installer' }));
    expect(done.counts.applied).toBe(2);
    // Approving needs no justification under this policy.
    const c = await must(center.submit({ request: quarantine('LAPTOP-3') }));
    expect((await must(center.approve({ principal: bob, ids: [c.action.id] }))).counts.applied).toBe(1);
  });

  it('undo of an isolation without a comment is justificationRequired; nothing changes', async () => {
    const executor = scriptedExecutor(async () => ({ status: 'succeeded' }));
    const { center } = testCenter({ repository: await makeStore(), approvalPolicy: justified, executor });
    const request = { ...isolate('LAPTOP-1', alice), comment: 'Beaconing to a known C2' };
    const { action } = await must(center.submit({ request, principal: alice }));
    await must(center.run());
    const ran = await must(center.get({ principal: people.reader, id: action.id }));
    expect(ran.status).toBe('succeeded');
    const refused = await center.undo({ principal: alice, ids: [action.id] });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'justificationRequired', operation: 'undo' });
    expect(await must(center.get({ principal: people.reader, id: action.id }))).toEqual(ran);
    const undone = await must(center.undo({ principal: alice, ids: [action.id], comment: 'Owner confirmed clean' }));
    expect(undone.counts.applied).toBe(1);
  });
});
