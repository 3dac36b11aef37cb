import { describe, it, expect, expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  builtInCatalog,
  createDefaultAccessPolicy,
  defaultAccessPolicy,
  defineActionType,
  type AccessDecision,
  type AccessPolicy,
  type ActionRecord,
  type ActionTypeDefinition,
  type Actor,
  type InvalidInputError,
  type Operation,
  type Principal,
  type PrincipalInput,
  type Result,
  type Target,
} from '../../src/index.js';
import {
  DEFAULT_POLICY_RULES,
  DENIAL_REASONS,
  OPERATIONS,
  REMEDIATION_PERMISSIONS,
  ROLE_SCOPES,
  ROLE_SCOPES_THAT_COUNT,
  asId,
  assertNever,
  authorize,
  describeMissingRequirement,
  leastPrivilegeReport,
  PrincipalSchema,
  type AccessSubject,
  type DeviceGroupId,
  type RemediationPermission,
} from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget, fileTarget, type DeviceFields } from '../support/records.js';

// ---- fixtures: types built with defineActionType (the built-in list is being completed) -----------

const none = z.object({});
const isolateDevice = defineActionType({
  id: 'isolateDevice',
  displayName: 'Isolate device',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: none,
  undo: { counterpart: 'releaseFromIsolation', requiredRole: 'securityAdministrator' },
});
const quarantineFile = defineActionType({
  id: 'quarantineFile',
  displayName: 'Quarantine file',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: none,
  undo: { counterpart: 'releaseFromQuarantine', requiredRole: 'securityAdministrator' },
});
const addIndicator = defineActionType({
  id: 'addIndicator',
  displayName: 'Add indicator',
  workload: 'endpoint',
  targetKind: 'indicator',
  parameters: none,
});
const softDeleteEmail = defineActionType({
  id: 'softDeleteEmail',
  displayName: 'Soft delete email',
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: none,
});
const disableUser = defineActionType({
  id: 'disableUser',
  displayName: 'Disable user',
  workload: 'identity',
  targetKind: 'user',
  parameters: none,
});
const containUser = defineActionType({
  id: 'containUser',
  displayName: 'Contain user',
  workload: 'identity',
  targetKind: 'user',
  parameters: none,
  undo: { counterpart: 'releaseContainedUser', requiredRole: 'globalAdministrator' },
});

const ACTING: readonly Operation[] = ['submit', 'propose', 'approve', 'reject', 'cancel', 'undo'];
const DECIDING = ['approve', 'reject'] as const;
const REMEDIATING = ['submit', 'approve', 'reject', 'cancel'] as const;

const who = (id: string, ...assignments: PrincipalInput['assignments']): Principal =>
  PrincipalSchema.parse({ id, assignments });

const device = (group: string): DeviceFields => ({
  deviceId: `dev-${group}`,
  deviceName: `PC-${group}`,
  deviceGroup: group,
});
function targetFor(type: ActionTypeDefinition, group = 'Workstations'): Target {
  switch (type.targetKind) {
    case 'device':
      return deviceTarget(device(group));
    case 'file':
      return fileTarget(device(group));
    case 'indicator':
      return { kind: 'indicator', indicatorType: 'fileSha1', value: 'ab'.repeat(20) };
    case 'emailMessage':
      return { kind: 'emailMessage', mailbox: 'bob@contoso.com', networkMessageId: 'm1', subject: null };
    case 'user':
      return { kind: 'user', userId: 'u1', userPrincipalName: 'bob@contoso.com' };
    default:
      throw new Error(`no fixture target for ${type.targetKind}`);
  }
}

function actionOf(
  type: ActionTypeDefinition,
  options: { group?: string; requestedBy?: Actor; status?: ActionRecord['status'] } = {},
): AccessSubject {
  const action = actionRecord({
    actionType: type.id,
    workload: type.workload,
    target: targetFor(type, options.group),
    status: options.status ?? 'pending',
    requestedBy: options.requestedBy ?? { type: 'system', component: 'automatedInvestigation' },
  });
  return { kind: 'action', actionType: type, action };
}
const requestOf = (
  type: ActionTypeDefinition,
  deviceGroup: string | null = type.workload === 'endpoint' && type.targetKind !== 'indicator' ? 'Workstations' : null,
): AccessSubject => ({
  kind: 'request',
  actionType: type,
  deviceGroup,
});

const decide = (
  principal: Principal,
  operation: Operation,
  subject: AccessSubject,
  policy: AccessPolicy = defaultAccessPolicy,
): AccessDecision => policy.authorize(principal, operation, subject);
function denial(d: AccessDecision) {
  if (d.allowed) throw new Error(`expected a denial, got allowed by ${d.rule}`);
  return d;
}

// People as seed 002 describes them.
const secAdminEntra = who('sa-entra', { role: 'securityAdministrator', assignedIn: 'entraId' });
const secAdminM365 = who('sa-m365', { role: 'securityAdministrator', assignedIn: 'm365AdminCenter' });
const activeRemediation = who('ara', { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint' });
const emailAdmin = who(
  'email-admin',
  { role: 'securityAdministrator', assignedIn: 'entraId' },
  { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
);
const searchAndPurgeOnly = who('purge', { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' });
const emailCollabOnlyAdmin = who('collab', { role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' });
const globalAdmin = who('ga', { role: 'globalAdministrator', assignedIn: 'entraId' });
const securityReader = who('reader', { role: 'securityReader', assignedIn: 'entraId' });
const globalReader = who('greader', { role: 'globalReader', assignedIn: 'm365AdminCenter' });
const operator = who('operator', { role: 'securityOperator', assignedIn: 'entraId' });
const serversOnly = who('servers', {
  role: 'activeRemediationActions',
  assignedIn: 'defenderForEndpoint',
  deviceGroups: [asId<DeviceGroupId>('Servers')],
});
const nobody = who('nobody');

// ---- seed 002: the table ---------------------------------------------------------------------------

describe('seed 002, "Required permissions for Action center tasks"', () => {
  it('seed 002: "To perform tasks, such as approving or rejecting pending actions in the Action center, you must have permissions assigned as listed in the following table" — nobody else acts', () => {
    for (const p of [nobody, operator, securityReader, searchAndPurgeOnly, emailCollabOnlyAdmin]) {
      for (const op of DECIDING) {
        for (const t of [isolateDevice, softDeleteEmail])
          expect(decide(p, op, actionOf(t)).allowed, `${p.id} ${op} ${t.id}`).toBe(false);
      }
    }
  });

  describe('"Microsoft Defender for Endpoint remediation (devices)"', () => {
    it('seed 002: "Security Administrator role assigned in either Azure Active Directory (Azure AD) ... or the Microsoft 365 admin center"', () => {
      for (const p of [secAdminEntra, secAdminM365]) {
        for (const op of REMEDIATING) {
          expect(decide(p, op, actionOf(quarantineFile)), `${p.id} ${op}`).toMatchObject({
            allowed: true,
            rule: 'seed002.deviceRemediation',
          });
          expect(decide(p, op, requestOf(isolateDevice)).allowed).toBe(true);
        }
      }
    });

    it('seed 002: "--- or --- Active remediation actions role assigned in Microsoft Defender for Endpoint"', () => {
      for (const op of REMEDIATING) {
        expect(decide(activeRemediation, op, actionOf(isolateDevice))).toMatchObject({
          allowed: true,
          rule: 'seed002.deviceRemediation',
        });
      }
    });

    it('the roles count only where the table says: Security Administrator in Defender for Endpoint, Active remediation actions in Entra ID do not', () => {
      const misplaced = [
        who('x1', { role: 'securityAdministrator', assignedIn: 'defenderForEndpoint' }),
        who('x2', { role: 'activeRemediationActions', assignedIn: 'entraId' }),
        who('x3', { role: 'activeRemediationActions', assignedIn: 'emailAndCollaboration' }),
      ];
      for (const p of misplaced) {
        const d = denial(decide(p, 'approve', actionOf(isolateDevice)));
        expect(d).toMatchObject({ reason: 'missingRole', rule: 'default.deny' });
        expect(d.missing).toEqual([
          {
            kind: 'role',
            anyOf: [
              { role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] },
              { role: 'activeRemediationActions', assignedIn: ['defenderForEndpoint'] },
            ],
          },
        ]);
      }
    });

    it('a Security Operator, who may view, is told which roles would let them approve', () => {
      const d = denial(decide(operator, 'approve', actionOf(isolateDevice)));
      expect(d).toMatchObject({ reason: 'missingRole', rule: 'seed002.deviceRemediation' });
      expect(d.message).toContain('Security Administrator');
      expect(d.message).toContain('Active remediation actions');
    });
  });

  describe('"Microsoft Defender for Office 365 remediation (Office content and email)"', () => {
    it('seed 002: "Security Administrator role assigned in either Azure AD ... or the Microsoft 365 admin center --- and --- Search and Purge role assigned in the Microsoft 365 Defender > Email & collaboration roles"', () => {
      for (const op of REMEDIATING) {
        expect(decide(emailAdmin, op, actionOf(softDeleteEmail))).toMatchObject({
          allowed: true,
          rule: 'seed002.emailRemediation',
        });
      }
      const m365 = who(
        'm',
        { role: 'securityAdministrator', assignedIn: 'm365AdminCenter' },
        { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
      );
      expect(decide(m365, 'approve', actionOf(softDeleteEmail)).allowed).toBe(true);
    });

    it('"--- and ---": Security Administrator without Search and Purge is missing Search and Purge', () => {
      const d = denial(decide(secAdminEntra, 'approve', actionOf(softDeleteEmail)));
      expect(d).toMatchObject({ reason: 'missingRole', rule: 'seed002.emailRemediation' });
      expect(d.missing).toEqual([
        { kind: 'role', anyOf: [{ role: 'searchAndPurge', assignedIn: ['emailAndCollaboration'] }] },
      ]);
    });

    it('"--- and ---": Search and Purge without Security Administrator is missing Security Administrator (and gives no access)', () => {
      const d = denial(decide(searchAndPurgeOnly, 'approve', actionOf(softDeleteEmail)));
      expect(d).toMatchObject({ reason: 'missingRole', rule: 'default.deny' });
      expect(d.missing).toEqual([
        { kind: 'role', anyOf: [{ role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
      ]);
      expect(decide(searchAndPurgeOnly, 'view', { kind: 'none' }).allowed).toBe(false);
    });

    it('"--- and ---": a Security Operator lacks both, and the denial lists both', () => {
      const d = denial(decide(operator, 'reject', actionOf(softDeleteEmail)));
      expect(d.missing).toEqual([
        { kind: 'role', anyOf: [{ role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
        { kind: 'role', anyOf: [{ role: 'searchAndPurge', assignedIn: ['emailAndCollaboration'] }] },
      ]);
      expect(d.message).toMatch(/Security Administrator.*and.*Search and Purge/);
    });

    it('Active remediation actions (a device permission) does not remediate email', () => {
      expect(denial(decide(activeRemediation, 'approve', actionOf(softDeleteEmail))).reason).toBe('missingRole');
    });
  });

  describe('IMPORTANT note', () => {
    const important =
      'seed 002 IMPORTANT: "If you have the Security Administrator role assigned only in the Microsoft 365 Defender > Email & collaboration roles, you will not be able to access the Action center or Microsoft 365 Defender capabilities."';
    it(important, () => {
      for (const op of OPERATIONS) {
        for (const subject of [{ kind: 'none' } as const, actionOf(softDeleteEmail), actionOf(isolateDevice)]) {
          const d = denial(decide(emailCollabOnlyAdmin, op, subject));
          expect(d).toMatchObject({ reason: 'noActionCenterAccess', rule: 'seed002.emailAndCollabOnly' });
        }
      }
      // Not even with Search and Purge beside it.
      const withPurge = who(
        'p',
        { role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' },
        { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
      );
      expect(denial(decide(withPurge, 'approve', actionOf(softDeleteEmail))).reason).toBe('noActionCenterAccess');
      expect(denial(decide(withPurge, 'view', { kind: 'none' })).reason).toBe('noActionCenterAccess');
    });

    it('seed 002 IMPORTANT: "You must have the Security Administrator role assigned in Azure AD or the Microsoft 365 admin center." — the denial says exactly that', () => {
      const d = denial(decide(emailCollabOnlyAdmin, 'view', { kind: 'none' }));
      expect(d.missing).toEqual([
        { kind: 'role', anyOf: [{ role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
      ]);
      expect(d.message).toContain('Microsoft Entra ID (Azure AD)');
      expect(d.message).toContain('Microsoft 365 admin center');
    });

    it('the same Security Administrator also assigned in Entra ID has access', () => {
      const both = who(
        'b',
        { role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' },
        { role: 'securityAdministrator', assignedIn: 'entraId' },
      );
      expect(decide(both, 'view', { kind: 'none' }).allowed).toBe(true);
      expect(decide(both, 'approve', actionOf(isolateDevice)).allowed).toBe(true);
    });
  });

  describe('TIP', () => {
    it('seed 002 TIP: "Users who have the Global Administrator role assigned in Azure AD can approve or reject any pending action in the Action center."', () => {
      for (const t of [isolateDevice, quarantineFile, addIndicator, softDeleteEmail, disableUser, containUser]) {
        for (const group of ['Workstations', 'Servers', 'Domain controllers']) {
          for (const op of DECIDING) {
            expect(decide(globalAdmin, op, actionOf(t, { group })), `${op} ${t.id} ${group}`).toMatchObject({
              allowed: true,
              rule: 'seed002.globalAdministratorTip',
            });
          }
        }
      }
      const m365 = who('ga-m365', { role: 'globalAdministrator', assignedIn: 'm365AdminCenter' });
      expect(decide(m365, 'approve', actionOf(softDeleteEmail)).allowed).toBe(true);
    });

    it('TIP, "any pending action": a device-group list on a Global Administrator assignment does not narrow it', () => {
      const scoped = who('ga-s', {
        role: 'globalAdministrator',
        assignedIn: 'entraId',
        deviceGroups: [asId<DeviceGroupId>('Servers')],
      });
      expect(decide(scoped, 'approve', actionOf(isolateDevice, { group: 'Workstations' })).allowed).toBe(true);
    });

    it('Global Administrator is higher than Security Administrator: it may also submit, propose, cancel and undo (documented choice)', () => {
      for (const t of [isolateDevice, softDeleteEmail, disableUser]) {
        for (const op of ['submit', 'cancel'] as const) {
          expect(decide(globalAdmin, op, actionOf(t))).toMatchObject({
            allowed: true,
            rule: 'default.globalAdministratorAbove',
          });
        }
        expect(decide(globalAdmin, 'propose', actionOf(t))).toMatchObject({ allowed: true, rule: 'default.propose' });
      }
      expect(decide(globalAdmin, 'undo', actionOf(isolateDevice, { status: 'succeeded' }))).toMatchObject({
        allowed: true,
        rule: 'design.undo',
      });
    });

    it('Global Administrator assigned in Email & collaboration or Defender for Endpoint counts for nothing', () => {
      for (const assignedIn of ['emailAndCollaboration', 'defenderForEndpoint'] as const) {
        const p = who('x', { role: 'globalAdministrator', assignedIn });
        expect(decide(p, 'view', { kind: 'none' }).allowed).toBe(false);
        expect(decide(p, 'approve', actionOf(isolateDevice)).allowed).toBe(false);
      }
    });

    it('seed 002 TIP: "your organization should limit the number of people who have the Global Administrator role assigned. We recommend using the Security Administrator, Active remediation actions, and Search and Purge roles" — the least-privilege report', () => {
      const report = leastPrivilegeReport([globalAdmin, secAdminEntra, emailAdmin, nobody]);
      expect(report.map((f) => f.principalId)).toEqual(['ga']);
      const [finding] = report;
      expect(finding?.workloads).toEqual(['endpoint', 'email', 'identity']);
      expect(finding?.narrowerRoles.map((r) => r.role)).toEqual([
        'securityAdministrator',
        'activeRemediationActions',
        'searchAndPurge',
      ]);
      expect(finding?.message).toContain('Security Administrator, Active remediation actions, Search and Purge');
      expect(finding?.details.every((d) => d.operations.join() === 'approve,reject')).toBe(true);
    });
  });
});

describe('least-privilege report', () => {
  it('lists only the workloads that need Global Administrator, and what to grant instead', () => {
    const gaAndSecAdmin = who(
      'ga-sa',
      { role: 'globalAdministrator', assignedIn: 'entraId' },
      { role: 'securityAdministrator', assignedIn: 'entraId' },
    );
    const [finding] = leastPrivilegeReport([gaAndSecAdmin]);
    expect(finding?.workloads).toEqual(['email']);
    expect(finding?.details[0]?.missing).toEqual([
      { kind: 'role', anyOf: [{ role: 'searchAndPurge', assignedIn: ['emailAndCollaboration'] }] },
    ]);
    expect(finding?.narrowerRoles.map((r) => r.role)).toEqual(['searchAndPurge']);
  });

  it('a Global Administrator who holds every narrower role does not rely on it: not listed', () => {
    const covered = who(
      'ga-all',
      { role: 'globalAdministrator', assignedIn: 'entraId' },
      { role: 'securityAdministrator', assignedIn: 'entraId' },
      { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
    );
    expect(leastPrivilegeReport([covered])).toEqual([]);
  });

  it('device roles limited to some device groups do not replace Global Administrator on every device', () => {
    const scoped = who(
      'ga-servers',
      { role: 'globalAdministrator', assignedIn: 'entraId' },
      {
        role: 'activeRemediationActions',
        assignedIn: 'defenderForEndpoint',
        deviceGroups: [asId<DeviceGroupId>('Servers')],
      },
      { role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: [asId<DeviceGroupId>('Servers')] },
      { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
    );
    expect(leastPrivilegeReport([scoped]).map((f) => f.workloads)).toEqual([['endpoint']]);
  });

  it('takes a catalogue and a policy: a workload with no type is skipped, and the given policy is asked', () => {
    expect(
      leastPrivilegeReport([globalAdmin], defaultAccessPolicy, { types: [softDeleteEmail] }).map((f) => f.workloads),
    ).toEqual([['email']]);
    const asked: string[] = [];
    const gaOnly: AccessPolicy = {
      name: 'gaOnly',
      authorize: (p, operation) => {
        asked.push(`${p.id}:${p.assignments.length}:${operation}`);
        return p.assignments.some((a) => a.role === 'globalAdministrator')
          ? { allowed: true, rule: 'ga', operation, principalId: p.id }
          : {
              allowed: false,
              rule: 'ga',
              operation,
              principalId: p.id,
              reason: 'missingRole',
              missing: [],
              message: 'GA only',
            };
      },
    };
    const [finding] = leastPrivilegeReport([globalAdmin], gaOnly, { types: [isolateDevice] });
    expect(finding).toMatchObject({ workloads: ['endpoint'], narrowerRoles: [] });
    expect(asked).toEqual(['ga:1:approve', 'ga:0:approve', 'ga:1:reject', 'ga:0:reject']);
  });

  it('uses the built-in catalogue by default, which has a type for each workload', () => {
    for (const p of REMEDIATION_PERMISSIONS)
      expect(
        builtInCatalog.types.some((t) => t.permission === p),
        p,
      ).toBe(true);
  });

  it('does not mutate the principals it is given', () => {
    const p = who(
      'ga2',
      { role: 'globalAdministrator', assignedIn: 'entraId' },
      { role: 'securityReader', assignedIn: 'entraId' },
    );
    const before = structuredClone(p);
    leastPrivilegeReport([p]);
    expect(p).toEqual(before);
  });
});

// ---- DESIGN.md: readers, undo ------------------------------------------------------------------------

describe('readers', () => {
  it('DESIGN.md: "Security Reader / Global Reader can view but not act." — view and export allowed', () => {
    for (const p of [securityReader, globalReader]) {
      for (const op of ['view', 'export'] as const) {
        expect(decide(p, op, { kind: 'none' })).toMatchObject({ allowed: true, rule: 'seed002.actionCenterAccess' });
        expect(decide(p, op, actionOf(isolateDevice)).allowed).toBe(true);
      }
    }
  });

  it('DESIGN.md: "Security Reader / Global Reader can view but not act." — everything else is readOnly', () => {
    for (const p of [
      securityReader,
      globalReader,
      who('both', { role: 'securityReader', assignedIn: 'entraId' }, { role: 'globalReader', assignedIn: 'entraId' }),
    ]) {
      for (const op of ACTING) {
        for (const subject of [
          { kind: 'none' } as const,
          actionOf(isolateDevice),
          actionOf(softDeleteEmail),
          requestOf(disableUser),
        ]) {
          const d = denial(decide(p, op, subject));
          expect(d, `${p.id} ${op} ${subject.kind}`).toMatchObject({
            reason: 'readOnly',
            rule: 'design.readersViewOnly',
          });
          expect(d.missing.length).toBeGreaterThan(0);
        }
      }
    }
  });

  it('a reader with an acting role is not read-only: the acting role decides', () => {
    const readerAndAra = who(
      'ra',
      { role: 'securityReader', assignedIn: 'entraId' },
      { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint' },
    );
    expect(decide(readerAndAra, 'approve', actionOf(isolateDevice)).allowed).toBe(true);
    expect(denial(decide(readerAndAra, 'approve', actionOf(softDeleteEmail))).reason).toBe('missingRole');
  });

  it('readers assigned where directory roles do not count have no access (deny by default)', () => {
    const misplaced = who('r', { role: 'securityReader', assignedIn: 'emailAndCollaboration' });
    expect(denial(decide(misplaced, 'view', { kind: 'none' }))).toMatchObject({
      reason: 'missingRole',
      rule: 'default.deny',
    });
  });
});

describe('undo', () => {
  const succeeded = (t: ActionTypeDefinition, group?: string) =>
    actionOf(t, { status: 'succeeded', ...(group === undefined ? {} : { group }) });

  it('DESIGN.md / seed 001 (m365d-autoir-actions.md): "Undo needs Security Administrator or higher"', () => {
    for (const p of [secAdminEntra, secAdminM365]) {
      expect(decide(p, 'undo', succeeded(quarantineFile))).toMatchObject({ allowed: true, rule: 'design.undo' });
      expect(decide(p, 'undo', succeeded(isolateDevice)).allowed).toBe(true);
    }
    expect(decide(globalAdmin, 'undo', succeeded(quarantineFile)).allowed).toBe(true);
    for (const p of [activeRemediation, operator, searchAndPurgeOnly]) {
      const d = denial(decide(p, 'undo', succeeded(quarantineFile)));
      expect(d.missing).toEqual([
        { kind: 'role', anyOf: [{ role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
      ]);
    }
  });

  it('DESIGN.md: "undoing contain user needs Global Administrator"', () => {
    const d = denial(decide(secAdminEntra, 'undo', succeeded(containUser)));
    expect(d).toMatchObject({ reason: 'missingRole', rule: 'design.undoNeedsGlobalAdministrator' });
    expect(d.missing).toEqual([
      { kind: 'role', anyOf: [{ role: 'globalAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
    ]);
    expect(decide(globalAdmin, 'undo', succeeded(containUser))).toMatchObject({
      allowed: true,
      rule: 'design.undoNeedsGlobalAdministrator',
    });
    // Contain user itself is identity remediation: Security Administrator decides on it.
    expect(decide(secAdminEntra, 'approve', actionOf(containUser)).allowed).toBe(true);
  });

  it('device-group scope applies to undo on device targets', () => {
    const saServers = who('sa-servers', {
      role: 'securityAdministrator',
      assignedIn: 'entraId',
      deviceGroups: [asId<DeviceGroupId>('Servers')],
    });
    expect(decide(saServers, 'undo', succeeded(quarantineFile, 'Servers')).allowed).toBe(true);
    const d = denial(decide(saServers, 'undo', succeeded(quarantineFile, 'Workstations')));
    expect(d).toMatchObject({
      reason: 'outOfDeviceGroupScope',
      missing: [{ kind: 'deviceGroup', deviceGroup: 'Workstations' }],
    });
  });
});

describe('identity remediation (not in seed 002: Security Administrator, by analogy)', () => {
  it('Security Administrator decides on identity actions; device and email roles do not', () => {
    for (const op of REMEDIATING)
      expect(decide(secAdminEntra, op, actionOf(disableUser))).toMatchObject({
        allowed: true,
        rule: 'default.identityRemediation',
      });
    expect(denial(decide(activeRemediation, 'approve', actionOf(disableUser))).missing).toEqual([
      { kind: 'role', anyOf: [{ role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] }] },
    ]);
  });
});

describe('device-group scope', () => {
  it('an assignment limited to device groups reaches targets in those groups only', () => {
    expect(decide(serversOnly, 'approve', actionOf(isolateDevice, { group: 'Servers' })).allowed).toBe(true);
    expect(decide(serversOnly, 'submit', requestOf(isolateDevice, 'Servers')).allowed).toBe(true);
    for (const subject of [
      actionOf(isolateDevice, { group: 'Workstations' }),
      requestOf(quarantineFile, 'Workstations'),
    ]) {
      const d = denial(decide(serversOnly, 'approve', subject));
      expect(d).toMatchObject({
        reason: 'outOfDeviceGroupScope',
        rule: 'seed002.deviceRemediation',
        missing: [{ kind: 'deviceGroup', deviceGroup: 'Workstations' }],
      });
      expect(d.message).toContain('Workstations');
    }
  });

  it("an action's group is its target's device group (deviceOf), not anything else", () => {
    const subject = actionOf(quarantineFile, { group: 'Servers' });
    expect(
      subject.kind === 'action' && subject.action.target.kind === 'file' && subject.action.target.deviceGroup,
    ).toBe('Servers');
    expect(decide(serversOnly, 'reject', subject).allowed).toBe(true);
  });

  it('a device action on no device group (a tenant-wide indicator) needs an assignment not limited to device groups', () => {
    const d = denial(decide(serversOnly, 'submit', requestOf(addIndicator, null)));
    expect(d.reason).toBe('outOfDeviceGroupScope');
    expect(d.missing).toEqual([
      {
        kind: 'role',
        anyOf: [
          { role: 'securityAdministrator', assignedIn: ['entraId', 'm365AdminCenter'] },
          { role: 'activeRemediationActions', assignedIn: ['defenderForEndpoint'] },
        ],
      },
    ]);
    expect(decide(activeRemediation, 'submit', requestOf(addIndicator, null)).allowed).toBe(true);
    expect(decide(serversOnly, 'approve', actionOf(addIndicator)).allowed).toBe(false);
  });

  it('several assignments: any one that reaches the group is enough', () => {
    const p = who(
      'two',
      {
        role: 'activeRemediationActions',
        assignedIn: 'defenderForEndpoint',
        deviceGroups: [asId<DeviceGroupId>('Servers')],
      },
      { role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: [asId<DeviceGroupId>('Workstations')] },
    );
    expect(decide(p, 'approve', actionOf(isolateDevice, { group: 'Servers' })).allowed).toBe(true);
    expect(decide(p, 'approve', actionOf(isolateDevice, { group: 'Workstations' })).allowed).toBe(true);
    expect(denial(decide(p, 'approve', actionOf(isolateDevice, { group: 'Labs' }))).reason).toBe(
      'outOfDeviceGroupScope',
    );
  });

  it('an empty device-group list reaches no device', () => {
    const p = who('empty', { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: [] });
    expect(denial(decide(p, 'approve', actionOf(isolateDevice))).reason).toBe('outOfDeviceGroupScope');
    expect(decide(p, 'view', { kind: 'none' }).allowed).toBe(true);
  });

  it('device-group scope has no bearing on email and identity targets', () => {
    const p = who(
      'scopedEmail',
      { role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: [asId<DeviceGroupId>('Servers')] },
      { role: 'searchAndPurge', assignedIn: 'emailAndCollaboration' },
    );
    expect(decide(p, 'approve', actionOf(softDeleteEmail)).allowed).toBe(true);
    expect(decide(p, 'approve', actionOf(disableUser)).allowed).toBe(true);
  });
});

describe('propose (Explorer two-step remediation)', () => {
  it('any role that may act can propose, Security Operator included', () => {
    for (const p of [operator, secAdminEntra, activeRemediation, globalAdmin]) {
      for (const t of [isolateDevice, softDeleteEmail, disableUser])
        expect(decide(p, 'propose', requestOf(t)).allowed, `${p.id} ${t.id}`).toBe(true);
    }
    expect(decide(operator, 'propose', requestOf(softDeleteEmail)).rule).toBe('default.propose');
  });

  it('a Security Operator proposes but may not take the action itself', () => {
    expect(decide(operator, 'submit', requestOf(isolateDevice)).allowed).toBe(false);
  });

  it('readers and principals without access cannot propose; device-group scope applies', () => {
    expect(denial(decide(securityReader, 'propose', requestOf(softDeleteEmail))).reason).toBe('readOnly');
    expect(denial(decide(nobody, 'propose', requestOf(softDeleteEmail))).reason).toBe('missingRole');
    expect(decide(serversOnly, 'propose', requestOf(isolateDevice, 'Servers')).allowed).toBe(true);
    expect(denial(decide(serversOnly, 'propose', requestOf(isolateDevice, 'Workstations'))).reason).toBe(
      'outOfDeviceGroupScope',
    );
  });
});

describe('four eyes', () => {
  const mine = (t: ActionTypeDefinition, p: Principal) => actionOf(t, { requestedBy: { type: 'principal', id: p.id } });
  const fourEyes = createDefaultAccessPolicy({ fourEyes: true });

  it('issue 12, item 7b: on by default (a proposal needs another principal); fourEyes: false lets the requester decide', () => {
    expect(denial(decide(secAdminEntra, 'approve', mine(isolateDevice, secAdminEntra))).reason).toBe('ownAction');
    expect(
      denial(createDefaultAccessPolicy().authorize(secAdminEntra, 'reject', mine(isolateDevice, secAdminEntra))).rule,
    ).toBe('default.fourEyes');
    const selfApproval = createDefaultAccessPolicy({ fourEyes: false });
    expect(selfApproval.authorize(secAdminEntra, 'approve', mine(isolateDevice, secAdminEntra)).allowed).toBe(true);
    expect(selfApproval.authorize(secAdminEntra, 'reject', mine(isolateDevice, secAdminEntra)).allowed).toBe(true);
  });

  it('on: the requester may not approve or reject it (ownAction), whoever they are', () => {
    for (const p of [secAdminEntra, globalAdmin]) {
      for (const op of DECIDING) {
        const d = denial(decide(p, op, mine(isolateDevice, p), fourEyes));
        expect(d).toMatchObject({
          rule: 'default.fourEyes',
          reason: 'ownAction',
          missing: [{ kind: 'differentPrincipal', requestedBy: p.id }],
        });
        expect(d.message.length).toBeGreaterThan(0);
      }
    }
  });

  it('on: another principal may decide, and actions from automation are unaffected', () => {
    expect(decide(activeRemediation, 'approve', mine(isolateDevice, secAdminEntra), fourEyes).allowed).toBe(true);
    expect(decide(secAdminEntra, 'approve', actionOf(isolateDevice), fourEyes).allowed).toBe(true);
  });

  it('on: the requester may still view and cancel it; four eyes never turns a role denial into something else', () => {
    expect(decide(secAdminEntra, 'cancel', mine(isolateDevice, secAdminEntra), fourEyes).allowed).toBe(true);
    expect(decide(secAdminEntra, 'view', mine(isolateDevice, secAdminEntra), fourEyes).allowed).toBe(true);
    expect(denial(decide(securityReader, 'approve', mine(isolateDevice, securityReader), fourEyes)).reason).toBe(
      'readOnly',
    );
  });

  it('the policies name themselves', () => {
    // Issue 12, item 7b: four eyes is the default; `fourEyes: false` opts out.
    expect(defaultAccessPolicy.name).toBe('default+fourEyes');
    expect(fourEyes.name).toBe('default+fourEyes');
    expect(createDefaultAccessPolicy({ fourEyes: false }).name).toBe('default');
  });
});

describe('deny by default', () => {
  it('no assignments: every operation is denied, with what would help', () => {
    for (const op of OPERATIONS) {
      for (const subject of [{ kind: 'none' } as const, actionOf(isolateDevice), requestOf(softDeleteEmail)]) {
        const d = denial(decide(nobody, op, subject));
        expect(d).toMatchObject({ rule: 'default.deny', reason: 'missingRole' });
        expect(d.missing.length).toBeGreaterThan(0);
      }
    }
  });

  it('every role assigned where it does not count opens nothing', () => {
    for (const [role, counted] of Object.entries(ROLE_SCOPES_THAT_COUNT)) {
      for (const assignedIn of ROLE_SCOPES.filter((s) => !counted.includes(s))) {
        const p = who('x', { role: role as Principal['assignments'][number]['role'], assignedIn });
        for (const op of OPERATIONS)
          expect(decide(p, op, actionOf(isolateDevice)).allowed, `${role} in ${assignedIn} ${op}`).toBe(false);
      }
    }
  });

  it('an acting operation without a subject is denied (default.subjectRequired), even for Global Administrator', () => {
    for (const op of ACTING) {
      const d = denial(decide(globalAdmin, op, { kind: 'none' }));
      expect(d).toMatchObject({ rule: 'default.subjectRequired', reason: 'missingRole', missing: [] });
    }
  });
});

describe('explanations', () => {
  it('every rule the default policy names is listed in DEFAULT_POLICY_RULES, every reason in DENIAL_REASONS', () => {
    const people = [
      secAdminEntra,
      activeRemediation,
      emailAdmin,
      searchAndPurgeOnly,
      emailCollabOnlyAdmin,
      globalAdmin,
      securityReader,
      operator,
      serversOnly,
      nobody,
    ];
    const subjects = [
      { kind: 'none' } as const,
      actionOf(isolateDevice),
      actionOf(softDeleteEmail),
      actionOf(containUser, { status: 'succeeded' }),
      requestOf(addIndicator, null),
    ];
    const rules = new Set<string>();
    for (const p of people)
      for (const op of OPERATIONS)
        for (const s of subjects) {
          const d = decide(p, op, s);
          rules.add(d.rule);
          expect(DEFAULT_POLICY_RULES as readonly string[]).toContain(d.rule);
          if (!d.allowed) {
            expect(DENIAL_REASONS).toContain(d.reason);
            expect(d.message.trim().length).toBeGreaterThan(0);
          }
        }
    expect(rules.size).toBeGreaterThan(10);
  });

  it('describeMissingRequirement gives a sentence for each kind', () => {
    expect(
      describeMissingRequirement({
        kind: 'role',
        anyOf: [{ role: 'searchAndPurge', assignedIn: ['emailAndCollaboration'] }],
      }),
    ).toBe('Search and Purge (assigned in Email & collaboration roles)');
    expect(describeMissingRequirement({ kind: 'deviceGroup', deviceGroup: 'Servers' })).toContain('"Servers"');
    expect(describeMissingRequirement({ kind: 'differentPrincipal', requestedBy: 'alice' })).toContain('alice');
  });
});

// ---- authorize: the public entry ---------------------------------------------------------------------

describe('authorize', () => {
  it('validates the principal and the operation, and returns a typed error instead of throwing', () => {
    const badPrincipal = authorize({ id: '', assignments: [{ role: 'king', assignedIn: 'entraId' }] }, 'view', {
      kind: 'none',
    });
    expect(badPrincipal.ok).toBe(false);
    if (!badPrincipal.ok) {
      expect(badPrincipal.error.code).toBe('invalidInput');
      expect(badPrincipal.error.issues.map((i) => i.path.join('.'))).toEqual(
        expect.arrayContaining(['id', 'assignments.0.role']),
      );
    }
    const badOperation = authorize(secAdminEntra, 'delete', { kind: 'none' });
    expect(!badOperation.ok && badOperation.error.message).toMatch(/operation/);
    expect(
      authorize(JSON.parse('{"id":"x","assignments":[],"__proto__":{"admin":true}}'), 'view', { kind: 'none' }).ok,
    ).toBe(false);
  });

  it('applies defaults while parsing (deviceGroups: null reaches every group)', () => {
    const r = authorize(
      { id: 'ara', assignments: [{ role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint' }] },
      'approve',
      actionOf(isolateDevice, { group: 'Anything' }),
    );
    expect(r).toEqual({
      ok: true,
      value: { allowed: true, rule: 'seed002.deviceRemediation', operation: 'approve', principalId: 'ara' },
    });
  });

  it("a user's own AccessPolicy plugs in and is the one asked", () => {
    const calls: [string, Operation, AccessSubject['kind']][] = [];
    const onlyMondays: AccessPolicy = {
      name: 'mine',
      authorize(principal, operation, subject) {
        calls.push([principal.id, operation, subject.kind]);
        return { allowed: true, rule: 'mine.everything', operation, principalId: principal.id };
      },
    };
    const r = authorize({ id: 'nobody', assignments: [] }, 'approve', actionOf(isolateDevice), onlyMondays);
    expect(r).toEqual({
      ok: true,
      value: { allowed: true, rule: 'mine.everything', operation: 'approve', principalId: 'nobody' },
    });
    expect(calls).toEqual([['nobody', 'approve', 'action']]);
  });

  it('a policy that throws denies with rule policyError instead of crashing the caller', () => {
    const broken: AccessPolicy = {
      name: 'broken',
      authorize: () => {
        throw new Error('directory unreachable');
      },
    };
    const r = authorize(globalAdmin, 'approve', actionOf(isolateDevice), broken);
    expect(r.ok).toBe(true);
    if (r.ok) {
      const d = denial(r.value);
      expect(d).toMatchObject({
        rule: 'default.policyError',
        reason: 'policyFailed',
        missing: [],
        principalId: 'ga',
        operation: 'approve',
      });
      expect(d.message).toContain('directory unreachable');
    }
    const throwsString: AccessPolicy = {
      name: 's',
      authorize: () => {
        throw 'nope';
      },
    };
    const s = authorize(globalAdmin, 'view', { kind: 'none' }, throwsString);
    expect(s.ok && !s.value.allowed && s.value.message).toContain('nope');
  });

  it('types: defaultAccessPolicy is an AccessPolicy, authorize returns a Result of a decision or invalid input', () => {
    expectTypeOf(defaultAccessPolicy).toEqualTypeOf<AccessPolicy>();
    expectTypeOf(createDefaultAccessPolicy).returns.toEqualTypeOf<AccessPolicy>();
    expectTypeOf(authorize).returns.toEqualTypeOf<Result<AccessDecision, InvalidInputError>>();
  });
});

// ---- exhaustiveness ----------------------------------------------------------------------------------

describe('exhaustiveness', () => {
  it('a switch over Operation must handle every operation, or it does not compile', () => {
    const kindOf = (op: Operation): 'read' | 'act' => {
      switch (op) {
        case 'view':
        case 'export':
          return 'read';
        case 'submit':
        case 'propose':
        case 'approve':
        case 'reject':
        case 'cancel':
        case 'undo':
        case 'addNote':
          return 'act';
        default:
          return assertNever(op);
      }
    };
    expect(OPERATIONS.map(kindOf)).toEqual(['read', 'act', 'act', 'act', 'act', 'act', 'act', 'read', 'act']);

    const forgetful = (op: Operation): string => {
      switch (op) {
        case 'view':
        case 'export':
        case 'submit':
        case 'propose':
        case 'approve':
        case 'reject':
        case 'cancel':
          return op;
        default:
          // @ts-expect-error 'undo' is not handled, so op is not never
          return assertNever(op);
      }
    };
    expect(() => forgetful('undo')).toThrow(/Unhandled/);
  });

  it('a switch over RemediationPermission must handle every class, or it does not compile', () => {
    const workloadOf = (p: RemediationPermission): string => {
      switch (p) {
        case 'deviceRemediation':
          return 'endpoint';
        case 'emailRemediation':
          return 'email';
        case 'identityRemediation':
          return 'identity';
        default:
          return assertNever(p);
      }
    };
    expect(REMEDIATION_PERMISSIONS.map(workloadOf)).toEqual(['endpoint', 'email', 'identity']);
    const forgetful = (p: RemediationPermission): string => {
      switch (p) {
        case 'deviceRemediation':
        case 'emailRemediation':
          return p;
        default:
          // @ts-expect-error 'identityRemediation' is not handled
          return assertNever(p);
      }
    };
    expect(() => forgetful('identityRemediation')).toThrow(/Unhandled/);
  });

  it('the default policy decides every operation on every permission class without throwing', () => {
    const byPermission = {
      deviceRemediation: isolateDevice,
      emailRemediation: softDeleteEmail,
      identityRemediation: disableUser,
    } as const;
    for (const permission of REMEDIATION_PERMISSIONS) {
      for (const op of OPERATIONS) {
        for (const p of [globalAdmin, secAdminEntra, nobody])
          expect(() => decide(p, op, actionOf(byPermission[permission]))).not.toThrow();
      }
    }
  });
});
