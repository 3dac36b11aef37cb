/**
 * Issue 16: the `addNote` operation's permission in the default access policy: whoever may take,
 * approve or propose remediation (Security Operator, Security Administrator, Active remediation
 * actions within its device groups, Global Administrator), never the readers, and nothing for a
 * Security Administrator assigned only in Email & collaboration.
 */
import { describe, expect, it } from 'vitest';
import { builtInCatalog, defaultAccessPolicy, type ActionRecord } from '../../src/index.js';
import { OPERATIONS, PrincipalSchema, type AccessSubject } from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget } from '../support/records.js';

const principal = (assignments: unknown[]) => PrincipalSchema.parse({ id: 'p@contoso.com', assignments });

function onDevice(actionType: string, group: string): AccessSubject {
  const type = builtInCatalog.require(actionType);
  const action: ActionRecord = actionRecord({
    actionType,
    workload: type.workload,
    target: deviceTarget({ deviceGroup: group }),
  });
  return { kind: 'action', actionType: type, action };
}

const allowed = (assignments: unknown[], subject: AccessSubject) =>
  defaultAccessPolicy.authorize(principal(assignments), 'addNote', subject);

describe('addNote permission (issue 16)', () => {
  it('is an operation of its own', () => {
    expect(OPERATIONS).toContain('addNote');
  });

  it('acting roles may add notes; readers and an Email & collaboration-only Security Administrator may not', () => {
    const isolation = onDevice('isolateDevice', 'Workstations');
    for (const role of [
      'securityOperator',
      'securityAdministrator',
      'activeRemediationActions',
      'globalAdministrator',
    ]) {
      const assignedIn = role === 'activeRemediationActions' ? 'defenderForEndpoint' : 'entraId';
      expect(allowed([{ role, assignedIn }], isolation), role).toMatchObject({ allowed: true });
    }
    for (const role of ['securityReader', 'globalReader']) {
      expect(allowed([{ role, assignedIn: 'entraId' }], isolation), role).toMatchObject({
        allowed: false,
        reason: 'readOnly',
      });
    }
    expect(allowed([{ role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' }], isolation)).toMatchObject({
      allowed: false,
      reason: 'noActionCenterAccess',
    });
    expect(allowed([], isolation)).toMatchObject({ allowed: false });
  });

  it('a device-group scoped role notes only its groups', () => {
    const servers = [
      { role: 'activeRemediationActions', assignedIn: 'defenderForEndpoint', deviceGroups: ['Servers'] },
    ];
    expect(allowed(servers, onDevice('isolateDevice', 'Servers'))).toMatchObject({
      allowed: true,
      rule: 'default.addNote',
    });
    expect(allowed(servers, onDevice('isolateDevice', 'Workstations'))).toMatchObject({
      allowed: false,
      missing: [{ kind: 'deviceGroup', deviceGroup: 'Workstations' }],
    });
  });
});
