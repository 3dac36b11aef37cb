import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  ACTION_SOURCES,
  ACTION_STATUSES,
  builtInCatalog,
  createCatalog,
  defineActionType,
  undoEligibility,
  unwrap,
  type AccessDecision,
  type AccessPolicy,
  type ActionId,
  type ActionRecord,
  type ActionTypeDefinition,
  type Operation,
  type Principal,
  type Target,
  type Workload,
} from '../../src/index.js';
import {
  ACTION_SOURCE_IDS,
  UNDO_ELIGIBLE_ORIGIN_GROUPS,
  UNDO_INELIGIBLE_REASONS,
  UNDOABLE_STATUSES,
  asId,
  isUndoEligibleSource,
  type AccessSubject,
  type DeviceGroupId,
  type PrincipalId,
  type UndoContext,
  type UndoIneligibleReason,
  type UndoRole,
} from '../../src/adapter-kit.js';
import { actionRecord } from '../support/records.js';

// A test catalogue that encodes seed 001's undo table ("Isolate device, Restrict code execution,
// Quarantine a file, Remove a registry key, Stop a service, Disable a driver, Remove a scheduled
// task") plus contain device and contain user (DESIGN.md), with counterparts; and types that are
// not undoable. Built with defineActionType because the built-in catalogue is being completed.
type Kind = ActionTypeDefinition['targetKind'];
function undoable(
  id: string,
  displayName: string,
  targetKind: Kind,
  counterpart: string,
  workload: Workload = 'endpoint',
  requiredRole: UndoRole = 'securityAdministrator',
) {
  return [
    defineActionType({
      id,
      displayName,
      workload,
      targetKind,
      parameters: z.object({}),
      undo: { counterpart, requiredRole },
    }),
    defineActionType({
      id: counterpart,
      displayName: `Undo ${displayName}`,
      workload,
      targetKind,
      parameters: z.object({}),
      undoes: [id],
    }),
  ];
}
const SEED_001_UNDOABLE = [
  ['isolateDevice', 'Isolate device', 'device'],
  ['restrictCodeExecution', 'Restrict code execution', 'device'],
  ['quarantineFile', 'Quarantine file', 'file'],
  ['removeRegistryKey', 'Remove registry key', 'registryKey'],
  ['stopService', 'Stop service', 'service'],
  ['disableDriver', 'Disable driver', 'driver'],
  ['removeScheduledTask', 'Remove scheduled task', 'scheduledTask'],
] as const;
const catalog = unwrap(
  createCatalog([
    ...SEED_001_UNDOABLE.flatMap(([id, name, kind]) => undoable(id, name, kind, `undo_${id}`)),
    ...undoable('containDevice', 'Contain device', 'device', 'uncontainDevice'),
    ...undoable('containUser', 'Contain user', 'user', 'uncontainUser', 'identity', 'globalAdministrator'),
    defineActionType({
      id: 'killProcess',
      displayName: 'Kill process',
      workload: 'endpoint',
      targetKind: 'process',
      parameters: z.object({}),
    }),
    defineActionType({
      id: 'runAntivirusScan',
      displayName: 'Run antivirus scan',
      workload: 'endpoint',
      targetKind: 'device',
      parameters: z.object({}),
    }),
    defineActionType({
      id: 'softDeleteEmail',
      displayName: 'Soft delete email',
      workload: 'email',
      targetKind: 'emailMessage',
      parameters: z.object({}),
    }),
  ]),
);

const device = { deviceId: 'd1', deviceName: 'PC-1', deviceGroup: asId<DeviceGroupId>('Workstations') };
function targetOf(kind: Kind): Target {
  switch (kind) {
    case 'device':
      return { kind, ...device };
    case 'file':
      return { kind, ...device, path: 'C:\\x.exe', sha1: null, sha256: null };
    case 'process':
      return { kind, ...device, processName: 'x.exe', processId: null, sha1: null };
    case 'registryKey':
      return { kind, ...device, keyPath: 'HKLM\\Run', valueName: null };
    case 'service':
      return { kind, ...device, serviceName: 'svc' };
    case 'driver':
      return { kind, ...device, driverName: 'drv', path: null };
    case 'scheduledTask':
      return { kind, ...device, taskName: 'task' };
    case 'user':
      return { kind, userId: 'u1', userPrincipalName: 'bob@contoso.com' };
    default:
      return { kind: 'emailMessage', mailbox: 'bob@contoso.com', networkMessageId: 'm1', subject: null };
  }
}

// A succeeded automated quarantine by default; workload and target follow the action type.
function record(overrides: Partial<ActionRecord> = {}): ActionRecord {
  const type = catalog.get(overrides.actionType ?? 'quarantineFile');
  return actionRecord({
    id: asId<ActionId>('a1'),
    version: 3,
    workload: type.ok ? type.value.workload : 'endpoint',
    target: targetOf(type.ok ? type.value.targetKind : 'file'),
    status: 'succeeded',
    verdict: 'malicious',
    startedAt: 1_100,
    deadlineAt: 1_000_000,
    completedAt: 1_200,
    updatedAt: 1_200,
    ...overrides,
  });
}

const alice: Principal = { id: asId<PrincipalId>('alice'), displayName: 'Alice', assignments: [] };

// Hand-written access policies: they record their calls and decide by a predicate.
function stubPolicy(allow: (operation: Operation, subject: AccessSubject) => boolean) {
  const calls: { principal: Principal; operation: Operation; subject: AccessSubject }[] = [];
  const policy: AccessPolicy = {
    name: 'stub',
    authorize(principal, operation, subject): AccessDecision {
      calls.push({ principal, operation, subject });
      return allow(operation, subject)
        ? { allowed: true, rule: 'stubAllow', operation, principalId: principal.id }
        : {
            allowed: false,
            rule: 'stubDeny',
            operation,
            principalId: principal.id,
            reason: 'missingRole',
            missing: [],
            message: 'Denied by the stub',
          };
    },
  };
  return { policy, calls };
}
// Models the default rule "undoing contain user needs Global Administrator": a principal holding
// only Security Administrator may undo everything else.
const securityAdministratorOnly = stubPolicy(
  (operation, subject) =>
    operation === 'undo' &&
    subject.kind === 'action' &&
    subject.actionType.undo?.requiredRole !== 'globalAdministrator',
).policy;

const sourcesByGroup = (group: string) => ACTION_SOURCE_IDS.filter((s) => ACTION_SOURCES[s].originGroup === group);

describe("seed 001's undo table", () => {
  it('seed 001: "you can undo remediation actions that were taken, whether those actions were taken automatically or manually" — every listed type from every listed source', () => {
    const sources = [
      ...sourcesByGroup('automatedInvestigation'),
      ...sourcesByGroup('antivirus'),
      ...sourcesByGroup('manualResponse'),
    ];
    expect(sources).toEqual(expect.arrayContaining(['automatedDeviceAction', 'antivirus', 'manualDeviceAction']));
    for (const [id] of SEED_001_UNDOABLE) {
      for (const source of sources) {
        const e = undoEligibility(record({ actionType: id, source }), { catalog });
        expect(e.eligible, `${id} from ${source}`).toBe(true);
        if (e.eligible) expect(e.counterpart.id).toBe(`undo_${id}`);
      }
    }
  });

  it('seed 001 Action source column: "Automated investigation / Microsoft Defender Antivirus / Manual response actions" — and no others', () => {
    expect([...UNDO_ELIGIBLE_ORIGIN_GROUPS]).toEqual(['automatedInvestigation', 'antivirus', 'manualResponse']);
    for (const source of ACTION_SOURCE_IDS) {
      const eligible = ['automatedInvestigation', 'antivirus', 'manualResponse'].includes(
        ACTION_SOURCES[source].originGroup,
      );
      expect(isUndoEligibleSource(source), source).toBe(eligible);
      const e = undoEligibility(record({ source }), { catalog });
      expect(e.eligible ? null : e.reason, source).toBe(eligible ? null : 'sourceNotEligible');
    }
  });

  it('live response, advanced hunting and Explorer actions are not undone from the Action center', () => {
    for (const source of [
      'manualLiveResponseAction',
      'liveResponseAction',
      'advancedHuntingAction',
      'explorerAction',
    ] as const) {
      expect(undoEligibility(record({ source }), { catalog })).toMatchObject({
        eligible: false,
        reason: 'sourceNotEligible',
      });
    }
  });

  it('contain device and contain user can be undone too (DESIGN.md)', () => {
    expect(undoEligibility(record({ actionType: 'containDevice' }), { catalog }).eligible).toBe(true);
    expect(
      undoEligibility(record({ actionType: 'containUser', source: 'manualDeviceAction' }), { catalog }).eligible,
    ).toBe(true);
  });

  it('types outside the table cannot be undone: typeNotUndoable', () => {
    for (const actionType of ['killProcess', 'runAntivirusScan', 'softDeleteEmail']) {
      expect(undoEligibility(record({ actionType }), { catalog })).toMatchObject({
        eligible: false,
        reason: 'typeNotUndoable',
      });
    }
  });

  it('an unknown type cannot be undone', () => {
    expect(undoEligibility(record({ actionType: 'noSuchType' }), { catalog })).toMatchObject({
      eligible: false,
      reason: 'typeNotUndoable',
    });
  });

  it('a counterpart action (a release) is never undone, even if its type had an undo', () => {
    const release = record({ actionType: 'undo_quarantineFile', undoOf: asId<ActionId>('a0') });
    expect(undoEligibility(release, { catalog })).toMatchObject({ eligible: false, reason: 'typeNotUndoable' });
    const odd = record({ actionType: 'quarantineFile', undoOf: asId<ActionId>('a0') });
    expect(undoEligibility(odd, { catalog })).toMatchObject({ eligible: false, reason: 'typeNotUndoable' });
  });

  it("seed 001's table over the built-in catalogue (built-in ids): exactly the listed types, plus contain device and contain user, are undoable", () => {
    const undoableIds = builtInCatalog.types.filter((t) => t.undo !== null).map((t) => t.id);
    expect(undoableIds.sort()).toEqual([...SEED_001_UNDOABLE.map(([id]) => id), 'containDevice', 'containUser'].sort());
    for (const id of undoableIds) {
      for (const source of ['automatedDeviceAction', 'antivirus', 'manualDeviceAction'] as const) {
        const e = undoEligibility(record({ actionType: id, source }), { catalog: builtInCatalog });
        expect(e.eligible && e.counterpart.undoes, `${id} from ${source}`).toContain(id);
      }
    }
    expect(builtInCatalog.require('containUser').undo?.requiredRole).toBe('globalAdministrator');
  });

  it('with the built-in catalogue (built-in ids quarantineFile, isolateDevice): the counterparts are the releases', () => {
    const q = undoEligibility(record({ actionType: 'quarantineFile' }), { catalog: builtInCatalog });
    expect(q.eligible && q.counterpart.id).toBe('releaseFromQuarantine');
    const i = undoEligibility(record({ actionType: 'isolateDevice', target: targetOf('device') }), {
      catalog: builtInCatalog,
    });
    expect(i.eligible && i.counterpart.id).toBe('releaseFromIsolation');
    const r = undoEligibility(record({ actionType: 'releaseFromQuarantine', undoOf: asId<ActionId>('a0') }), {
      catalog: builtInCatalog,
    });
    expect(r).toMatchObject({ eligible: false, reason: 'typeNotUndoable' });
  });
});

describe('states', () => {
  it('DESIGN.md: undo "only when the action succeeded and has not been undone"; a failed undo may be retried', () => {
    const expected: Record<string, UndoIneligibleReason | null> = {
      succeeded: null,
      undoFailed: null,
      undoing: 'undoInProgress',
      undone: 'alreadyUndone',
      pending: 'wrongState',
      approved: 'wrongState',
      running: 'wrongState',
      failed: 'wrongState',
      timedOut: 'wrongState',
      rejected: 'wrongState',
      expired: 'wrongState',
      cancelled: 'wrongState',
    };
    expect(Object.keys(expected).sort()).toEqual([...ACTION_STATUSES].sort());
    for (const status of ACTION_STATUSES) {
      const e = undoEligibility(record({ status }), { catalog });
      expect(e.eligible ? null : e.reason, status).toBe(expected[status]);
    }
    expect([...UNDOABLE_STATUSES]).toEqual(['succeeded', 'undoFailed']);
  });

  it('regression, UNDOABLE_STATUSES was documented as deciding undo but undoEligibility kept its own list: a status passes the state check iff it is in UNDOABLE_STATUSES', () => {
    for (const status of ACTION_STATUSES) {
      const e = undoEligibility(record({ status }), { catalog });
      const passesState = e.eligible || !['undoInProgress', 'alreadyUndone', 'wrongState'].includes(e.reason);
      expect(passesState, status).toBe(UNDOABLE_STATUSES.includes(status));
    }
  });

  it('checks in order: type, then source, then state', () => {
    expect(
      undoEligibility(record({ actionType: 'killProcess', source: 'explorerAction', status: 'pending' }), { catalog }),
    ).toMatchObject({
      reason: 'typeNotUndoable',
    });
    expect(undoEligibility(record({ source: 'explorerAction', status: 'undone' }), { catalog })).toMatchObject({
      reason: 'sourceNotEligible',
    });
  });
});

describe('permission', () => {
  it('asks the access policy for "undo" on the action, with its type', () => {
    const { policy, calls } = stubPolicy(() => true);
    const action = record();
    const e = undoEligibility(action, { catalog, principal: alice, accessPolicy: policy });
    expect(e.eligible).toBe(true);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.operation).toBe('undo');
    expect(calls[0]?.principal).toBe(alice);
    expect(calls[0]?.subject).toEqual({ kind: 'action', actionType: catalog.require('quarantineFile'), action });
    if (e.eligible) expect(e.decision).toMatchObject({ allowed: true, rule: 'stubAllow' });
  });

  it('"Undoing contain user needs Global Administrator": a denial gives notPermitted carrying the decision', () => {
    const e = undoEligibility(record({ actionType: 'containUser' }), {
      catalog,
      principal: alice,
      accessPolicy: securityAdministratorOnly,
    });
    expect(e).toMatchObject({
      eligible: false,
      reason: 'notPermitted',
      message: 'Denied by the stub',
      decision: { allowed: false, reason: 'missingRole' },
    });
    expect(
      undoEligibility(record({ actionType: 'containDevice' }), {
        catalog,
        principal: alice,
        accessPolicy: securityAdministratorOnly,
      }).eligible,
    ).toBe(true);
  });

  it('the policy is not consulted when the action itself cannot be undone', () => {
    const { policy, calls } = stubPolicy(() => false);
    const e = undoEligibility(record({ status: 'undone' }), { catalog, principal: alice, accessPolicy: policy });
    expect(e).toMatchObject({ reason: 'alreadyUndone' });
    expect(calls).toHaveLength(0);
  });

  it('without a principal there is no decision', () => {
    const e = undoEligibility(record(), { catalog });
    expect(e.eligible && e.decision).toBeNull();
  });

  it('a principal without an access policy (or the reverse) does not compile', () => {
    const { policy } = stubPolicy(() => true);
    // @ts-expect-error a principal needs an access policy
    const onlyPrincipal: UndoContext = { catalog, principal: alice };
    // @ts-expect-error an access policy needs a principal
    const onlyPolicy: UndoContext = { catalog, accessPolicy: policy };
    expect([onlyPrincipal, onlyPolicy]).toHaveLength(2);
    expectTypeOf<UndoIneligibleReason>().toEqualTypeOf<(typeof UNDO_INELIGIBLE_REASONS)[number]>();
    expect([...UNDO_INELIGIBLE_REASONS]).toEqual([
      'wrongState',
      'typeNotUndoable',
      'sourceNotEligible',
      'alreadyUndone',
      'undoInProgress',
      'notPermitted',
    ]);
  });

  it('does not mutate the action', () => {
    const action = Object.freeze(record());
    const copy = structuredClone(action);
    undoEligibility(action, { catalog, principal: alice, accessPolicy: stubPolicy(() => true).policy });
    expect(action).toEqual(copy);
  });
});
