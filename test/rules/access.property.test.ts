import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import {
  createDefaultAccessPolicy,
  defaultAccessPolicy,
  defineActionType,
  type AccessDecision,
  type ActionId,
  type ActionRecord,
  type ActionTypeDefinition,
  type Actor,
  type Operation,
  type Principal,
  type Target,
} from '../../src/index.js';
import {
  DEFAULT_POLICY_RULES,
  DENIAL_REASONS,
  OPERATIONS,
  ROLES,
  ROLE_SCOPES,
  asId,
  authorize,
  type AccessSubject,
  type DeviceGroupId,
  type PrincipalId,
  type RoleAssignment,
} from '../../src/adapter-kit.js';
import { actionRecord, deviceTarget, fileTarget } from '../support/records.js';

// ---- arbitraries ------------------------------------------------------------------------------------

const none = z.object({});
const TYPES: readonly ActionTypeDefinition[] = [
  defineActionType({
    id: 'isolateDevice',
    displayName: 'Isolate device',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: none,
    undo: { counterpart: 'release', requiredRole: 'securityAdministrator' },
  }),
  defineActionType({
    id: 'quarantineFile',
    displayName: 'Quarantine file',
    workload: 'endpoint',
    targetKind: 'file',
    parameters: none,
    undo: { counterpart: 'restore', requiredRole: 'securityAdministrator' },
  }),
  defineActionType({
    id: 'runAntivirusScan',
    displayName: 'Run antivirus scan',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: none,
  }),
  defineActionType({
    id: 'addIndicator',
    displayName: 'Add indicator',
    workload: 'endpoint',
    targetKind: 'indicator',
    parameters: none,
  }),
  defineActionType({
    id: 'softDeleteEmail',
    displayName: 'Soft delete email',
    workload: 'email',
    targetKind: 'emailMessage',
    parameters: none,
  }),
  defineActionType({
    id: 'blockUrl',
    displayName: 'Block URL',
    workload: 'email',
    targetKind: 'url',
    parameters: none,
  }),
  defineActionType({
    id: 'disableUser',
    displayName: 'Disable user',
    workload: 'identity',
    targetKind: 'user',
    parameters: none,
  }),
  defineActionType({
    id: 'containUser',
    displayName: 'Contain user',
    workload: 'identity',
    targetKind: 'user',
    parameters: none,
    undo: { counterpart: 'uncontain', requiredRole: 'globalAdministrator' },
  }),
  // A user's own type: an email-class permission on a device target (device-group scope then applies too).
  defineActionType({
    id: 'purgeDeviceMail',
    displayName: 'Purge device mail',
    workload: 'endpoint',
    targetKind: 'device',
    parameters: none,
    permission: 'emailRemediation',
  }),
];
const GROUPS = ['G1', 'G2', 'G3'] as const;
const PEOPLE = ['alice', 'bob'] as const;

const groupsArb = fc.option(
  fc.subarray([...GROUPS]).map((gs) => gs.map((g) => asId<DeviceGroupId>(g))),
  { nil: null },
);
// Half the assignments are made where seed 002 says the role counts, so that interesting principals
// are common; the other half are any role in any place (most of which count for nothing).
const COUNTING: readonly (readonly [RoleAssignment['role'], RoleAssignment['assignedIn']])[] = [
  ['globalAdministrator', 'entraId'],
  ['securityAdministrator', 'entraId'],
  ['securityAdministrator', 'm365AdminCenter'],
  ['securityOperator', 'entraId'],
  ['securityReader', 'entraId'],
  ['globalReader', 'm365AdminCenter'],
  ['searchAndPurge', 'emailAndCollaboration'],
  ['activeRemediationActions', 'defenderForEndpoint'],
];
const assignmentArb: fc.Arbitrary<RoleAssignment> = fc.oneof(
  fc.record({ role: fc.constantFrom(...ROLES), assignedIn: fc.constantFrom(...ROLE_SCOPES), deviceGroups: groupsArb }),
  fc
    .record({ counted: fc.constantFrom(...COUNTING), deviceGroups: groupsArb })
    .map(({ counted: [role, assignedIn], deviceGroups }) => ({ role, assignedIn, deviceGroups })),
);
const principalArb: fc.Arbitrary<Principal> = fc.record({
  id: fc.constantFrom(...PEOPLE).map((id) => asId<PrincipalId>(id)),
  displayName: fc.constant(null),
  assignments: fc.array(assignmentArb, { maxLength: 5 }),
});
const operationArb = fc.constantFrom(...OPERATIONS);

function targetFor(type: ActionTypeDefinition, group: string): Target {
  const device = { deviceId: 'd', deviceName: 'PC', deviceGroup: group };
  switch (type.targetKind) {
    case 'device':
      return deviceTarget(device);
    case 'file':
      return fileTarget(device);
    case 'indicator':
      return { kind: 'indicator', indicatorType: 'domain', value: 'evil.example' };
    case 'emailMessage':
      return { kind: 'emailMessage', mailbox: 'a@contoso.com', networkMessageId: 'm', subject: null };
    case 'url':
      return { kind: 'url', url: 'https://evil.example/' };
    case 'user':
      return { kind: 'user', userId: 'u', userPrincipalName: 'u@contoso.com' };
    default:
      throw new Error(`no target for ${type.targetKind}`);
  }
}

function record(type: ActionTypeDefinition, target: Target, requestedBy: Actor): ActionRecord {
  return actionRecord({
    id: asId<ActionId>('a'),
    actionType: type.id,
    workload: type.workload,
    source: 'manualDeviceAction',
    target,
    requestedBy,
    createdAt: 0,
    updatedAt: 0,
  });
}

const requesterArb: fc.Arbitrary<Actor> = fc.oneof(
  fc.constantFrom(...PEOPLE).map((id): Actor => ({ type: 'principal', id: asId<PrincipalId>(id) })),
  fc.constant<Actor>({ type: 'system', component: 'automatedInvestigation' }),
);
const subjectArb: fc.Arbitrary<AccessSubject> = fc.oneof(
  fc.constant<AccessSubject>({ kind: 'none' }),
  fc
    .record({ type: fc.constantFrom(...TYPES), group: fc.constantFrom<string | null>(...GROUPS, null) })
    .map(({ type, group }): AccessSubject => ({ kind: 'request', actionType: type, deviceGroup: group })),
  fc
    .record({ type: fc.constantFrom(...TYPES), group: fc.constantFrom(...GROUPS), by: requesterArb })
    .map(({ type, group, by }): AccessSubject => ({
      kind: 'action',
      actionType: type,
      action: record(type, targetFor(type, group), by),
    })),
);
const caseArb = fc.record({ principal: principalArb, operation: operationArb, subject: subjectArb });

// ---- the reference: seed 002 and DESIGN.md as plain predicates, written apart from the policy -----------

const inDirectory = (a: RoleAssignment) => a.assignedIn === 'entraId' || a.assignedIn === 'm365AdminCenter';
const onDefender = (a: RoleAssignment) => a.assignedIn === 'defenderForEndpoint';
const inEmailCollab = (a: RoleAssignment) => a.assignedIn === 'emailAndCollaboration';

/** The device group of the subject's target, and whether device-group scope applies to it at all. */
function whereIs(subject: Exclude<AccessSubject, { kind: 'none' }>): { scoped: boolean; group: string | null } {
  let group: string | null;
  if (subject.kind === 'request') group = subject.deviceGroup;
  else group = 'deviceGroup' in subject.action.target ? subject.action.target.deviceGroup : null;
  return { scoped: group !== null || subject.actionType.permission === 'deviceRemediation', group };
}

function referenceAllows(p: Principal, op: Operation, subject: AccessSubject): boolean {
  const has = (
    role: RoleAssignment['role'],
    place: (a: RoleAssignment) => boolean,
    where?: { scoped: boolean; group: string | null },
  ) =>
    p.assignments.some(
      (a) =>
        a.role === role &&
        place(a) &&
        (where === undefined ||
          !where.scoped ||
          a.deviceGroups === null ||
          (where.group !== null && (a.deviceGroups as readonly string[]).includes(where.group))),
    );
  const globalAdministrator = has('globalAdministrator', inDirectory);
  const access =
    globalAdministrator ||
    has('securityAdministrator', inDirectory) ||
    has('securityOperator', inDirectory) ||
    has('securityReader', inDirectory) ||
    has('globalReader', inDirectory) ||
    has('activeRemediationActions', onDefender);
  if (op === 'view' || op === 'export') return access;
  if (subject.kind === 'none') return false;
  if (globalAdministrator) return true;
  const at = whereIs(subject);
  const securityAdministrator = has('securityAdministrator', inDirectory, at);
  // Issue 16: a note needs what a proposal needs.
  if (op === 'propose' || op === 'addNote')
    return (
      has('securityOperator', inDirectory, at) ||
      securityAdministrator ||
      has('activeRemediationActions', onDefender, at)
    );
  if (op === 'undo') return subject.actionType.undo?.requiredRole !== 'globalAdministrator' && securityAdministrator;
  // submit, approve, reject, cancel: seed 002's table (identities by analogy).
  if (subject.actionType.permission === 'deviceRemediation')
    return securityAdministrator || has('activeRemediationActions', onDefender, at);
  if (subject.actionType.permission === 'emailRemediation')
    return securityAdministrator && has('searchAndPurge', inEmailCollab, at);
  return securityAdministrator;
}

const ownDecision = (p: Principal, op: Operation, subject: AccessSubject) =>
  (op === 'approve' || op === 'reject') &&
  subject.kind === 'action' &&
  subject.action.requestedBy.type === 'principal' &&
  subject.action.requestedBy.id === p.id;

// Four eyes is the default (issue 12, item 7b): `selfApprovalPolicy` is the opt-out.
const fourEyesPolicy = createDefaultAccessPolicy({ fourEyes: true });
const selfApprovalPolicy = createDefaultAccessPolicy({ fourEyes: false });
const POLICIES = [selfApprovalPolicy, fourEyesPolicy] as const;
const policyArb = fc.constantFrom(...POLICIES);

const RUNS = { numRuns: 2000 };

// ---- properties ---------------------------------------------------------------------------------------

describe('default access policy: properties', () => {
  it('(1) a principal without the needed permission is never allowed, whatever else it holds (and one with it is)', () => {
    fc.assert(
      fc.property(caseArb, ({ principal, operation, subject }) => {
        const expected = referenceAllows(principal, operation, subject);
        expect(selfApprovalPolicy.authorize(principal, operation, subject).allowed).toBe(expected);
        expect(fourEyesPolicy.authorize(principal, operation, subject).allowed).toBe(
          expected && !ownDecision(principal, operation, subject),
        );
        expect(defaultAccessPolicy.authorize(principal, operation, subject).allowed).toBe(
          expected && !ownDecision(principal, operation, subject),
        );
      }),
      RUNS,
    );
  });

  it('(1) without Global Administrator, nobody without Security Administrator or Active remediation actions ever acts on a device', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ principal, operation, subject }, policy) => {
        fc.pre(
          subject.kind !== 'none' &&
            subject.actionType.permission === 'deviceRemediation' &&
            operation !== 'view' &&
            operation !== 'export' &&
            operation !== 'propose' &&
            // A note changes nothing on the device: Security Operator may add one (issue 16).
            operation !== 'addNote',
        );
        const stripped = {
          ...principal,
          assignments: principal.assignments.filter(
            (a) => !['globalAdministrator', 'securityAdministrator', 'activeRemediationActions'].includes(a.role),
          ),
        };
        expect(policy.authorize(stripped, operation, subject).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('(2) every denial carries a reason from DENIAL_REASONS, a message and a rule; what is missing is listed', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ principal, operation, subject }, policy) => {
        const d = policy.authorize(principal, operation, subject);
        expect(d.operation).toBe(operation);
        expect(d.principalId).toBe(principal.id);
        expect(d.rule.length).toBeGreaterThan(0);
        expect(DEFAULT_POLICY_RULES as readonly string[]).toContain(d.rule);
        if (d.allowed) return;
        expect(DENIAL_REASONS).toContain(d.reason);
        expect(d.message.trim().length).toBeGreaterThan(0);
        // Only a call without a subject is beyond what a role could fix.
        if (d.rule !== 'default.subjectRequired') expect(d.missing.length).toBeGreaterThan(0);
        if (d.reason === 'ownAction')
          expect(d.missing).toEqual([{ kind: 'differentPrincipal', requestedBy: principal.id }]);
        if (d.reason === 'outOfDeviceGroupScope')
          expect(d.missing.some((m) => m.kind === 'deviceGroup' || m.kind === 'role')).toBe(true);
      }),
      RUNS,
    );
  });

  it('(2) readers: when reader roles are all that count, every acting operation is denied as readOnly', () => {
    const readerArb = fc.record({
      role: fc.constantFrom('securityReader', 'globalReader') as fc.Arbitrary<RoleAssignment['role']>,
      assignedIn: fc.constantFrom('entraId', 'm365AdminCenter') as fc.Arbitrary<RoleAssignment['assignedIn']>,
      deviceGroups: groupsArb,
    });
    // Assignments that count for nothing may sit beside them.
    const uncountedArb = fc.record({
      role: fc.constantFrom('securityAdministrator', 'activeRemediationActions', 'globalAdministrator') as fc.Arbitrary<
        RoleAssignment['role']
      >,
      assignedIn: fc.constantFrom('emailAndCollaboration') as fc.Arbitrary<RoleAssignment['assignedIn']>,
      deviceGroups: groupsArb,
    });
    fc.assert(
      fc.property(
        fc.array(readerArb, { minLength: 1, maxLength: 3 }),
        fc.array(uncountedArb, { maxLength: 2 }),
        operationArb,
        subjectArb,
        policyArb,
        (readers, uncounted, operation, subject, policy) => {
          const d = policy.authorize(
            { id: asId<PrincipalId>('alice'), displayName: null, assignments: [...uncounted, ...readers] },
            operation,
            subject,
          );
          if (operation === 'view' || operation === 'export') expect(d.allowed).toBe(true);
          else expect(d.allowed ? null : d.reason).toBe('readOnly');
        },
      ),
      RUNS,
    );
  });

  it('(3) adding a reader role or a Search and Purge role alone never turns a denial of a device action into an allowance', () => {
    const addedArb = fc.record({
      role: fc.constantFrom('securityReader', 'globalReader', 'searchAndPurge') as fc.Arbitrary<RoleAssignment['role']>,
      assignedIn: fc.constantFrom(...ROLE_SCOPES),
      deviceGroups: groupsArb,
    });
    fc.assert(
      fc.property(caseArb, addedArb, policyArb, ({ principal, operation, subject }, added, policy) => {
        fc.pre(
          subject.kind !== 'none' &&
            subject.actionType.permission === 'deviceRemediation' &&
            operation !== 'view' &&
            operation !== 'export',
        );
        fc.pre(!policy.authorize(principal, operation, subject).allowed);
        const more = { ...principal, assignments: [...principal.assignments, added] };
        expect(policy.authorize(more, operation, subject).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('(4) removing an assignment never turns a denial into an allowance (monotonic)', () => {
    fc.assert(
      fc.property(caseArb, fc.nat(), policyArb, ({ principal, operation, subject }, pick, policy) => {
        fc.pre(principal.assignments.length > 0);
        const index = pick % principal.assignments.length;
        const fewer = { ...principal, assignments: principal.assignments.filter((_, i) => i !== index) };
        if (!policy.authorize(principal, operation, subject).allowed)
          expect(policy.authorize(fewer, operation, subject).allowed).toBe(false);
      }),
      RUNS,
    );
  });

  it('(4) narrowing an assignment to fewer device groups never turns a denial into an allowance', () => {
    fc.assert(
      fc.property(
        caseArb,
        fc.nat(),
        fc.subarray([...GROUPS]),
        policyArb,
        ({ principal, operation, subject }, pick, keep, policy) => {
          fc.pre(principal.assignments.length > 0);
          const index = pick % principal.assignments.length;
          const narrowed = {
            ...principal,
            assignments: principal.assignments.map((a, i) =>
              i !== index
                ? a
                : {
                    ...a,
                    deviceGroups: (a.deviceGroups ?? GROUPS.map((g) => asId<DeviceGroupId>(g))).filter((g) =>
                      (keep as string[]).includes(g),
                    ),
                  },
            ),
          };
          if (!policy.authorize(principal, operation, subject).allowed)
            expect(policy.authorize(narrowed, operation, subject).allowed).toBe(false);
        },
      ),
      RUNS,
    );
  });

  it('(5) authorize never throws, whatever it is given, and refuses what is not a principal or an operation', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), subjectArb, (principal, operation, subject) => {
        const r = authorize(principal, operation, subject);
        if (!r.ok) expect(r.error.code).toBe('invalidInput');
      }),
      RUNS,
    );
    fc.assert(
      fc.property(principalArb, fc.oneof(fc.anything(), operationArb), subjectArb, (principal, operation, subject) => {
        const r = authorize(principal, operation, subject);
        expect(r.ok).toBe((OPERATIONS as readonly unknown[]).includes(operation));
      }),
      RUNS,
    );
  });

  it('authorize answers as the policy does for valid input', () => {
    fc.assert(
      fc.property(caseArb, policyArb, ({ principal, operation, subject }, policy) => {
        expect(authorize(principal, operation, subject, policy)).toEqual({
          ok: true,
          value: policy.authorize(principal, operation, subject),
        });
      }),
      { numRuns: 500 },
    );
  });

  it('decisions are pure: same answer twice, inputs untouched (frozen inputs do not throw)', () => {
    const deepFreeze = <T>(v: T): T => {
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
        Object.freeze(v);
        for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
      }
      return v;
    };
    fc.assert(
      fc.property(caseArb, policyArb, ({ principal, operation, subject }, policy) => {
        const before = structuredClone({
          principal,
          subject: subject.kind === 'action' ? subject.action : subject.kind,
        });
        deepFreeze(principal);
        if (subject.kind === 'action') deepFreeze(subject.action);
        const a: AccessDecision = policy.authorize(principal, operation, subject);
        const b: AccessDecision = policy.authorize(principal, operation, subject);
        expect(a).toEqual(b);
        expect({ principal, subject: subject.kind === 'action' ? subject.action : subject.kind }).toEqual(before);
      }),
      { numRuns: 500 },
    );
  });
});
