/**
 * What each operation requires under the default policy (seed 002's permissions table), and what a
 * principal's assignments hold towards it.
 *
 * @module
 */
import type { ActionTypeDefinition, RemediationPermission } from '../../catalog/action-type.js';
import { assertNever } from '../../catalog/targets.js';
import type { AccessSubject, Operation, Principal, Role, RoleAssignment, RoleScope } from '../principals.js';
import { type DefaultPolicyRule, type Grant, ROLE_SCOPES_THAT_COUNT } from './roles.js';

export type { Grant };

/** A requirement: every clause (AND) needs one of its grants (OR). */
export interface Requirement {
  readonly rule: DefaultPolicyRule;
  readonly allOf: readonly (readonly Grant[])[];
  /** The rule under which Global Administrator is allowed. */
  readonly globalAdministratorRule: DefaultPolicyRule;
}

const grant = (role: Role): Grant => Object.freeze({ role, assignedIn: ROLE_SCOPES_THAT_COUNT[role] });
export const SECURITY_ADMINISTRATOR = grant('securityAdministrator');
const ACTIVE_REMEDIATION_ACTIONS = grant('activeRemediationActions');
const SEARCH_AND_PURGE = grant('searchAndPurge');
const GLOBAL_ADMINISTRATOR = grant('globalAdministrator');
const SECURITY_OPERATOR = grant('securityOperator');

export const ACCESS_ROLES: readonly Role[] = [
  'globalAdministrator',
  'securityAdministrator',
  'securityOperator',
  'securityReader',
  'globalReader',
  'activeRemediationActions',
];
export const ACCESS_GRANTS: readonly Grant[] = Object.freeze(ACCESS_ROLES.map(grant));
const READER_ROLES: ReadonlySet<Role> = new Set<Role>(['securityReader', 'globalReader']);

// Built once: decisions reuse them (a bulk approval asks 10,000 times).
export const REQUIREMENTS = Object.freeze({
  deviceDecide: req(
    'seed002.deviceRemediation',
    [[SECURITY_ADMINISTRATOR, ACTIVE_REMEDIATION_ACTIONS]],
    'seed002.globalAdministratorTip',
  ),
  deviceAct: req(
    'seed002.deviceRemediation',
    [[SECURITY_ADMINISTRATOR, ACTIVE_REMEDIATION_ACTIONS]],
    'default.globalAdministratorAbove',
  ),
  emailDecide: req(
    'seed002.emailRemediation',
    [[SECURITY_ADMINISTRATOR], [SEARCH_AND_PURGE]],
    'seed002.globalAdministratorTip',
  ),
  emailAct: req(
    'seed002.emailRemediation',
    [[SECURITY_ADMINISTRATOR], [SEARCH_AND_PURGE]],
    'default.globalAdministratorAbove',
  ),
  identityDecide: req('default.identityRemediation', [[SECURITY_ADMINISTRATOR]], 'seed002.globalAdministratorTip'),
  identityAct: req('default.identityRemediation', [[SECURITY_ADMINISTRATOR]], 'default.globalAdministratorAbove'),
  propose: req(
    'default.propose',
    [[SECURITY_OPERATOR, SECURITY_ADMINISTRATOR, ACTIVE_REMEDIATION_ACTIONS]],
    'default.propose',
  ),
  undo: req('design.undo', [[SECURITY_ADMINISTRATOR]], 'design.undo'),
  // Issue 16: whoever may act or propose may add a note (readers may not).
  addNote: req(
    'default.addNote',
    [[SECURITY_OPERATOR, SECURITY_ADMINISTRATOR, ACTIVE_REMEDIATION_ACTIONS]],
    'default.globalAdministratorAbove',
  ),
  undoGlobal: req(
    'design.undoNeedsGlobalAdministrator',
    [[GLOBAL_ADMINISTRATOR]],
    'design.undoNeedsGlobalAdministrator',
  ),
});

function req(
  rule: DefaultPolicyRule,
  allOf: readonly (readonly Grant[])[],
  globalAdministratorRule: DefaultPolicyRule,
): Requirement {
  return Object.freeze({
    rule,
    allOf: Object.freeze(allOf.map((c) => Object.freeze([...c]))),
    globalAdministratorRule,
  });
}

/** The requirement of a remediation operation on a type of this permission class. */
function remediationRequirement(permission: RemediationPermission, decide: boolean): Requirement {
  switch (permission) {
    case 'deviceRemediation':
      return decide ? REQUIREMENTS.deviceDecide : REQUIREMENTS.deviceAct;
    case 'emailRemediation':
      return decide ? REQUIREMENTS.emailDecide : REQUIREMENTS.emailAct;
    case 'identityRemediation':
      return decide ? REQUIREMENTS.identityDecide : REQUIREMENTS.identityAct;
    default:
      return assertNever(permission);
  }
}

/** What an acting operation needs on this type; null for view and export (access is enough). */
export function requirementFor(operation: Operation, actionType: ActionTypeDefinition): Requirement | null {
  switch (operation) {
    case 'view':
    case 'export':
      return null;
    case 'approve':
    case 'reject':
      return remediationRequirement(actionType.permission, true);
    case 'submit':
    case 'cancel':
      return remediationRequirement(actionType.permission, false);
    case 'propose':
      return REQUIREMENTS.propose;
    case 'addNote':
      return REQUIREMENTS.addNote;
    case 'undo':
      return actionType.undo?.requiredRole === 'globalAdministrator' ? REQUIREMENTS.undoGlobal : REQUIREMENTS.undo;
    default:
      return assertNever(operation);
  }
}

// ---- what the principal holds ------------------------------------------------------------------------

export const counts = (a: RoleAssignment): boolean => ROLE_SCOPES_THAT_COUNT[a.role].includes(a.assignedIn);

/** One pass over the assignments: what the early rules need. */
interface Standing {
  readonly access: boolean;
  readonly readOnly: boolean;
  readonly globalAdministrator: boolean;
  readonly securityAdministratorInEmailAndCollaboration: boolean;
}

export function standingOf(principal: Principal): Standing {
  let access = false;
  let actingOrOther = false;
  let globalAdministrator = false;
  let securityAdministratorInEmailAndCollaboration = false;
  const assignments = principal.assignments;
  for (let i = 0; i < assignments.length; i++) {
    const a = assignments[i] as RoleAssignment;
    if (a.role === 'securityAdministrator' && a.assignedIn === 'emailAndCollaboration')
      securityAdministratorInEmailAndCollaboration = true;
    if (!counts(a)) continue;
    if (a.role !== 'searchAndPurge') access = true;
    if (a.role === 'globalAdministrator') globalAdministrator = true;
    if (!READER_ROLES.has(a.role)) actingOrOther = true;
  }
  return {
    access,
    readOnly: access && !actingOrOther,
    globalAdministrator,
    securityAdministratorInEmailAndCollaboration,
  };
}

/**
 * Where the subject lives, for device-group scope: `applies` is true for targets on a device and
 * for every device-remediation type (a device action with no device group, such as a tenant-wide
 * indicator, reaches every device, so only unscoped assignments reach it).
 */
interface Placement {
  readonly applies: boolean;
  readonly deviceGroup: string | null;
}

export function placementOf(subject: Exclude<AccessSubject, { kind: 'none' }>): Placement {
  // The device group read in place (no copy of the device): asked once per action of a bulk decision.
  const target = subject.kind === 'request' ? null : subject.action.target;
  const deviceGroup =
    subject.kind === 'request'
      ? subject.deviceGroup
      : target !== null && 'deviceId' in target
        ? target.deviceGroup
        : null;
  return { applies: deviceGroup !== null || subject.actionType.permission === 'deviceRemediation', deviceGroup };
}

export function reaches(a: RoleAssignment, placement: Placement): boolean {
  if (!placement.applies || a.deviceGroups === null) return true;
  return placement.deviceGroup !== null && (a.deviceGroups as readonly string[]).includes(placement.deviceGroup);
}

export const grants = (g: Grant, a: RoleAssignment): boolean =>
  g.role === a.role && g.assignedIn.includes(a.assignedIn);
