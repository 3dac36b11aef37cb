/**
 * `approvalEligibility` foresees the engine's answer to one approval: for actions in every N-of-M
 * state (required 1-3, approvals given, requested by a person or by automation, escalated to some,
 * past their expiry or not, pending or decided) and principals of every kind, it answers eligible
 * exactly when `center.approve` applies the item, and with the engine's own reason and message
 * when not. Also the seeds' and issue 16's statements as named cases, and hostile arguments.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  builtInCatalog,
  createActionCenter,
  createMemoryRepository,
  defaultAccessPolicy,
  manualClock,
  sequentialIdGenerator,
  type AccessPolicy,
  type ActionRecord,
  type Principal,
  type PrincipalInput,
} from '../../src/index.js';
import { approvalEligibility, PrincipalSchema, type ApprovalEligibility } from '../../src/adapter-kit.js';
import { T0, isolate, must, people, quarantine, testCenter } from '../center/fixtures.js';

const HOUR = 60 * 60 * 1000;
const APPROVERS = [
  people.secAdmin,
  people.globalAdmin,
  people.reader,
  people.serversOnly,
  people.nobody,
  people.emailCollabOnlyAdmin,
];
const IDS = APPROVERS.map((p) => p.id);
const principalOf = (p: PrincipalInput): Principal => PrincipalSchema.parse(p);

/** Allows everything, the requester's own actions included: the N-of-M rules must hold whatever the policy. */
const permissive: AccessPolicy = {
  name: 'permissive',
  authorize: (principal, operation) => ({
    allowed: true,
    rule: 'test.permissive',
    operation,
    principalId: principal.id,
  }),
};
const POLICIES = { default: defaultAccessPolicy, permissive } as const;

/** Pending: requested by the Security Administrator (proposed), and by automation; decided: rejected. */
const bases: { byPerson: ActionRecord; bySystem: ActionRecord; rejected: ActionRecord } = {} as never;

beforeAll(async () => {
  const { center } = testCenter();
  bases.byPerson = (
    await must(
      center.submit({ request: { ...isolate('PC-1', people.secAdmin), propose: true }, principal: people.secAdmin }),
    )
  ).action;
  bases.bySystem = (await must(center.submit({ request: quarantine('PC-2') }))).action;
  const rejected = (await must(center.submit({ request: quarantine('PC-3') }))).action;
  await must(center.reject({ principal: people.secAdmin, ids: [rejected.id], comment: 'false positive' }));
  bases.rejected = await must(center.get({ principal: people.reader, id: rejected.id }));
});

/** The engine's answer to one approval of `record` by `approver` at `now`, on a store holding only it. */
async function engineAnswer(
  record: ActionRecord,
  approver: PrincipalInput,
  now: number,
  accessPolicy: AccessPolicy = defaultAccessPolicy,
) {
  const repository = createMemoryRepository();
  const loaded = repository.load({ actions: [record] });
  if (!loaded.ok) throw new Error(`the generated record does not load: ${loaded.error.message}`);
  const center = createActionCenter({
    repository,
    accessPolicy,
    clock: manualClock(now),
    idGenerator: sequentialIdGenerator(),
  });
  const result = await must(center.approve({ principal: approver, ids: [record.id] }));
  const item = result.items[0];
  if (item === undefined) throw new Error('no item');
  return item;
}

/** Checks the foreseen answer against the engine's item. */
function expectAgreement(
  foreseen: ApprovalEligibility,
  item: Awaited<ReturnType<typeof engineAnswer>>,
  record: ActionRecord,
): void {
  expect(foreseen.eligible).toBe(item.ok);
  if (item.ok) {
    if (!foreseen.eligible) return;
    expect(item.action.status).toBe(foreseen.step === 'approve' ? 'approved' : 'pending');
    return;
  }
  if (foreseen.eligible) return;
  switch (foreseen.reason) {
    case 'notPermitted':
      expect([item.outcome, item.error.code, item.error.message]).toEqual(['denied', 'accessDenied', foreseen.message]);
      break;
    case 'requester':
      expect(item.outcome).toBe('denied');
      expect(item.error).toMatchObject({
        code: 'accessDenied',
        message: foreseen.message,
        decision: { reason: 'ownAction' },
      });
      break;
    case 'alreadyApproved':
      expect([item.outcome, item.error.code, item.error.message]).toEqual([
        'invalidState',
        'alreadyApproved',
        foreseen.message,
      ]);
      break;
    case 'notPending':
      expect(item.outcome).toBe('invalidState');
      expect(record.status !== 'pending' || (record.expiresAt !== null && record.expiresAt <= T0 + 2 * HOUR)).toBe(
        true,
      );
      break;
    default:
      throw new Error(`unexpected reason ${foreseen.reason}`);
  }
}

const stateArbitrary = fc
  .record({
    base: fc.constantFrom('byPerson', 'bySystem', 'rejected'),
    required: fc.integer({ min: 1, max: 3 }),
    approvedBy: fc.subarray(IDS, { maxLength: 2 }),
    escalatedTo: fc.subarray(IDS, { maxLength: 3 }),
    expiry: fc.constantFrom('none', 'past', 'future'),
    approver: fc.constantFrom(...APPROVERS),
    policy: fc.constantFrom('default', 'permissive'),
  })
  .map(({ base, required, approvedBy, escalatedTo, expiry, approver, policy }) => {
    const from = bases[base as keyof typeof bases];
    const pending = from.status === 'pending';
    const approvals = pending ? approvedBy.slice(0, required - 1).map((by) => ({ by, at: T0, comment: null })) : [];
    const expiresAt = !pending || expiry === 'none' ? from.expiresAt : expiry === 'past' ? T0 + HOUR : T0 + 3 * HOUR;
    const record = {
      ...from,
      requiredApprovals: pending ? required : from.requiredApprovals,
      approvals,
      escalatedTo: pending ? escalatedTo : [],
      expiresAt,
    } as ActionRecord;
    return { record, approver, accessPolicy: POLICIES[policy as keyof typeof POLICIES] };
  });

describe('approvalEligibility foresees the engine', () => {
  it('agrees with center.approve on every N-of-M state, escalation, expiry and principal (property)', async () => {
    await fc.assert(
      fc.asyncProperty(stateArbitrary, async ({ record, approver, accessPolicy }) => {
        const now = T0 + 2 * HOUR;
        const foreseen = approvalEligibility(record, {
          catalog: builtInCatalog,
          principal: principalOf(approver),
          accessPolicy,
          now,
        });
        expectAgreement(foreseen, await engineAnswer(record, approver, now, accessPolicy), record);
      }),
      { numRuns: 300 },
    );
  });

  it('issue 16: "the requester never counts", whatever the access policy: refused by the four-eyes policy, and by the N-of-M rule under a policy that allows it', async () => {
    const record: ActionRecord = { ...bases.byPerson, requiredApprovals: 2 };
    const context = { catalog: builtInCatalog, principal: principalOf(people.secAdmin) };
    const fourEyes = approvalEligibility(record, { ...context, accessPolicy: defaultAccessPolicy });
    expect(fourEyes).toMatchObject({ eligible: false, reason: 'notPermitted', decision: { reason: 'ownAction' } });
    expectAgreement(fourEyes, await engineAnswer(record, people.secAdmin, T0), record);
    const nOfM = approvalEligibility(record, { ...context, accessPolicy: permissive });
    expect(nOfM).toMatchObject({ eligible: false, reason: 'requester' });
    expectAgreement(nOfM, await engineAnswer(record, people.secAdmin, T0, permissive), record);
  });

  it('issue 16: approvals come from distinct principals: a second approval by one is refused, another adds the last', async () => {
    const record: ActionRecord = {
      ...bases.bySystem,
      requiredApprovals: 2,
      approvals: [{ by: people.secAdmin.id as never, at: T0, comment: null }],
    };
    const context = { catalog: builtInCatalog, accessPolicy: defaultAccessPolicy };
    const again = approvalEligibility(record, { ...context, principal: principalOf(people.secAdmin) });
    expect(again).toMatchObject({ eligible: false, reason: 'alreadyApproved' });
    expectAgreement(again, await engineAnswer(record, people.secAdmin, T0), record);
    const other = approvalEligibility(record, { ...context, principal: principalOf(people.globalAdmin) });
    expect(other).toEqual({ eligible: true, step: 'approve', byEscalation: false });
    expectAgreement(other, await engineAnswer(record, people.globalAdmin, T0), record);
  });

  it('issue 16: an escalation lets its approvers approve what the access policy would not let them', async () => {
    const record: ActionRecord = { ...bases.bySystem, escalatedTo: [people.reader.id as never] };
    const foreseen = approvalEligibility(record, {
      catalog: builtInCatalog,
      principal: principalOf(people.reader),
      accessPolicy: defaultAccessPolicy,
    });
    expect(foreseen).toEqual({ eligible: true, step: 'approve', byEscalation: true });
    expectAgreement(foreseen, await engineAnswer(record, people.reader, T0), record);
  });

  it('seed: a Security Reader may view but not approve: refused with the access policy’s message', () => {
    const foreseen = approvalEligibility(bases.bySystem, {
      catalog: builtInCatalog,
      principal: principalOf(people.reader),
      accessPolicy: defaultAccessPolicy,
    });
    expect(foreseen).toMatchObject({ eligible: false, reason: 'notPermitted', decision: { allowed: false } });
  });

  it('never throws: a record with a throwing getter, a policy that throws, an unknown type', () => {
    const context = {
      catalog: builtInCatalog,
      principal: principalOf(people.secAdmin),
      accessPolicy: defaultAccessPolicy,
    };
    const hostile = new Proxy(bases.bySystem, {
      get(target, key) {
        if (key === 'status') throw new Error('boom');
        return Reflect.get(target, key);
      },
    });
    expect(approvalEligibility(hostile, context)).toMatchObject({ eligible: false, reason: 'unreadable' });
    const throwing = {
      name: 'throwing',
      authorize: () => {
        throw new Error('no');
      },
    };
    expect(approvalEligibility(bases.bySystem, { ...context, accessPolicy: throwing })).toMatchObject({
      eligible: false,
      reason: 'notPermitted',
    });
    expect(approvalEligibility({ ...bases.bySystem, actionType: 'noSuchType' }, context)).toMatchObject({
      eligible: false,
      reason: 'unknownType',
    });
  });
});
