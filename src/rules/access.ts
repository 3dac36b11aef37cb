/**
 * The default access policy (seed 002, "Required permissions for Action center tasks", its IMPORTANT
 * note and its TIP; DESIGN.md, Permissions and Undo eligibility), the public `authorize` entry point
 * that validates its input before asking a policy, and the least-privilege report of seed 002's tip.
 *
 * How the default policy decides, in order (deny by default: nothing is allowed that no rule grants):
 * 1. Action center access. Only an assignment made where it counts opens the Action center (see
 *    {@link ROLE_SCOPES_THAT_COUNT}): a Security Administrator assigned only in Email & collaboration
 *    has no access at all (seed 002, IMPORTANT), nor has Search and Purge alone.
 * 2. `view` and `export`: anyone with access, readers included.
 * 3. Readers (Security Reader, Global Reader) may do nothing else.
 * 4. Global Administrator may do everything, on every workload and device group (the TIP says so for
 *    approve and reject; as the higher role it may also submit, propose, cancel and undo).
 * 5. Otherwise the operation's requirement decides: device, email or identity remediation for
 *    submit / approve / reject / cancel; any acting role for propose; Security Administrator (or
 *    Global Administrator for contain user) for undo. Device-group scope limits assignments on
 *    targets that live on devices.
 * 6. Four eyes (on unless `fourEyes: false`): whoever requested an action may not approve or reject
 *    it. Only a proposal is both requested by a principal and pending, so a proposal needs another
 *    principal's approval; its proposer may cancel it.
 *
 * What a principal may read (`view`, `export`) is further limited by its read scope
 * ({@link defaultReadScope}, or a policy's own `readScope`), asked through {@link askReadScope}.
 *
 * @module
 */
import { z } from 'zod';
import type { ActionTypeDefinition, RemediationPermission } from '../catalog/action-type.js';
import { builtInCatalog } from '../catalog/builtins.js';
import { assertNever, deviceOf, WORKLOADS, type Workload } from '../catalog/targets.js';
import { describeIssues, type InputIssue, type InvalidInputError } from '../errors.js';
import { describeThrown, ok, safeParseInput, type Result } from '../result.js';
import {
  AccessDecisionSchema,
  OperationSchema,
  PrincipalSchema,
  ReadScopeSchema,
  READ_OPERATIONS,
  type AccessDecision,
  type AccessPolicy,
  type AccessSubject,
  type DenialReason,
  type MissingRequirement,
  type Operation,
  type Principal,
  type ReadOperation,
  type ReadScope,
  type Role,
  type RoleAssignment,
  type RoleScope,
} from './principals.js';

/** Policies built here answer well-formed decisions: their answers skip validation (a hot path). */
const TRUSTED_POLICIES = new WeakSet<object>();

// ---- where roles count ---------------------------------------------------------------------------

/**
 * Where an assignment of each role must have been made for the default policy to count it. Directory
 * roles count in Microsoft Entra ID (Azure AD) or the Microsoft 365 admin center — seed 002: "You must
 * have the Security Administrator role assigned in Azure AD or the Microsoft 365 admin center" —
 * Search and Purge in Email & collaboration, Active remediation actions in Defender for Endpoint.
 * Any other combination counts for nothing (deny by default).
 *
 * @example
 * ```ts
 * import { ROLE_SCOPES_THAT_COUNT } from 'actioncenter';
 * ROLE_SCOPES_THAT_COUNT.securityAdministrator; // ['entraId', 'm365AdminCenter']
 * ROLE_SCOPES_THAT_COUNT.searchAndPurge; // ['emailAndCollaboration']
 * ```
 */
export const ROLE_SCOPES_THAT_COUNT: { readonly [R in Role]: readonly RoleScope[] } = Object.freeze({
  globalAdministrator: Object.freeze(['entraId', 'm365AdminCenter'] as const),
  securityAdministrator: Object.freeze(['entraId', 'm365AdminCenter'] as const),
  securityOperator: Object.freeze(['entraId', 'm365AdminCenter'] as const),
  securityReader: Object.freeze(['entraId', 'm365AdminCenter'] as const),
  globalReader: Object.freeze(['entraId', 'm365AdminCenter'] as const),
  searchAndPurge: Object.freeze(['emailAndCollaboration'] as const),
  activeRemediationActions: Object.freeze(['defenderForEndpoint'] as const),
});

/**
 * The stable ids of the rules the default policy decides by, found in every decision's `rule`.
 * `seed002.*` rules encode seed 002, `design.*` rules DESIGN.md, `default.*` choices the seeds leave
 * open; `policyError` is what {@link authorize} answers when a policy throws.
 *
 * @example
 * ```ts
 * import { DEFAULT_POLICY_RULES } from 'actioncenter';
 * DEFAULT_POLICY_RULES.includes('seed002.globalAdministratorTip'); // true
 * ```
 */
export const DEFAULT_POLICY_RULES = [
  /** View and export: anyone with Action center access. */
  'seed002.actionCenterAccess',
  /** Security Administrator held only in Email & collaboration: no access (seed 002, IMPORTANT). */
  'seed002.emailAndCollabOnly',
  /** No role that counts: nothing is allowed. */
  'defaultDeny',
  /** Security Reader and Global Reader view and export only (DESIGN.md). */
  'design.readersViewOnly',
  /** Device remediation: Security Administrator or Active remediation actions (seed 002 table). */
  'seed002.deviceRemediation',
  /** Email remediation: Security Administrator and Search and Purge (seed 002 table). */
  'seed002.emailRemediation',
  /** Identity remediation: Security Administrator, by analogy (seed 002 does not list identities). */
  'default.identityRemediation',
  /** Global Administrator approves or rejects any pending action (seed 002, TIP). */
  'seed002.globalAdministratorTip',
  /** Global Administrator, above Security Administrator, may also submit and cancel anything. */
  'default.globalAdministratorAbove',
  /** Propose (Explorer's two-step remediation): any role that may act, not readers. */
  'default.propose',
  /** "Undo needs Security Administrator or higher" (DESIGN.md). */
  'design.undo',
  /** "Undoing contain user needs Global Administrator" (DESIGN.md): types whose undo requires it. */
  'design.undoNeedsGlobalAdministrator',
  /** An acting operation asked without an action or request to act on. */
  'default.subjectRequired',
  /** Four eyes: the requester may not approve or reject their own action. */
  'fourEyes',
  /** The policy threw or answered garbage: {@link askPolicy} denies instead of crashing or trusting it. */
  'policyError',
] as const;

/**
 * One of {@link DEFAULT_POLICY_RULES}.
 *
 * @example
 * ```ts
 * import type { DefaultPolicyRule } from 'actioncenter';
 * const r: DefaultPolicyRule = 'seed002.deviceRemediation';
 * ```
 */
export type DefaultPolicyRule = (typeof DEFAULT_POLICY_RULES)[number];

// ---- names people read ---------------------------------------------------------------------------

/**
 * The names the product shows for each role.
 *
 * @example
 * ```ts
 * import { ROLE_DISPLAY_NAMES } from 'actioncenter';
 * ROLE_DISPLAY_NAMES.searchAndPurge; // 'Search and Purge'
 * ```
 */
export const ROLE_DISPLAY_NAMES: { readonly [R in Role]: string } = Object.freeze({
  globalAdministrator: 'Global Administrator',
  securityAdministrator: 'Security Administrator',
  securityOperator: 'Security Operator',
  securityReader: 'Security Reader',
  globalReader: 'Global Reader',
  searchAndPurge: 'Search and Purge',
  activeRemediationActions: 'Active remediation actions',
});

/**
 * The names the product shows for each place a role can be assigned.
 *
 * @example
 * ```ts
 * import { ROLE_SCOPE_DISPLAY_NAMES } from 'actioncenter';
 * ROLE_SCOPE_DISPLAY_NAMES.entraId; // 'Microsoft Entra ID (Azure AD)'
 * ```
 */
export const ROLE_SCOPE_DISPLAY_NAMES: { readonly [S in RoleScope]: string } = Object.freeze({
  entraId: 'Microsoft Entra ID (Azure AD)',
  m365AdminCenter: 'the Microsoft 365 admin center',
  emailAndCollaboration: 'Email & collaboration roles',
  defenderForEndpoint: 'Microsoft Defender for Endpoint',
});

/**
 * A sentence for one missing requirement, for a UI to list under a denial.
 *
 * @example
 * ```ts
 * import { describeMissingRequirement } from 'actioncenter';
 * describeMissingRequirement({ kind: 'deviceGroup', deviceGroup: 'Servers' });
 * // 'a role assignment that reaches device group "Servers"'
 * ```
 */
export function describeMissingRequirement(requirement: MissingRequirement): string {
  switch (requirement.kind) {
    case 'role':
      return describeGrants(requirement.anyOf);
    case 'deviceGroup':
      return `a role assignment that reaches device group "${requirement.deviceGroup}"`;
    case 'differentPrincipal':
      return `a principal other than ${requirement.requestedBy}, who requested the action`;
    default:
      return assertNever(requirement);
  }
}

// ---- requirements ----------------------------------------------------------------------------------

/** One way to satisfy a clause: a role assigned in one of these places. */
interface Grant {
  readonly role: Role;
  readonly assignedIn: readonly RoleScope[];
}
/** A requirement: every clause (AND) needs one of its grants (OR). */
interface Requirement {
  readonly rule: DefaultPolicyRule;
  readonly allOf: readonly (readonly Grant[])[];
  /** The rule under which Global Administrator is allowed. */
  readonly globalAdministratorRule: DefaultPolicyRule;
}

const grant = (role: Role): Grant => Object.freeze({ role, assignedIn: ROLE_SCOPES_THAT_COUNT[role] });
const SECURITY_ADMINISTRATOR = grant('securityAdministrator');
const ACTIVE_REMEDIATION_ACTIONS = grant('activeRemediationActions');
const SEARCH_AND_PURGE = grant('searchAndPurge');
const GLOBAL_ADMINISTRATOR = grant('globalAdministrator');
const SECURITY_OPERATOR = grant('securityOperator');

const ACCESS_ROLES: readonly Role[] = [
  'globalAdministrator',
  'securityAdministrator',
  'securityOperator',
  'securityReader',
  'globalReader',
  'activeRemediationActions',
];
const ACCESS_GRANTS: readonly Grant[] = Object.freeze(ACCESS_ROLES.map(grant));
const READER_ROLES: ReadonlySet<Role> = new Set<Role>(['securityReader', 'globalReader']);

// Built once: decisions reuse them (a bulk approval asks 10,000 times).
const REQUIREMENTS = Object.freeze({
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
function requirementFor(operation: Operation, actionType: ActionTypeDefinition): Requirement | null {
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
    case 'undo':
      return actionType.undo?.requiredRole === 'globalAdministrator' ? REQUIREMENTS.undoGlobal : REQUIREMENTS.undo;
    default:
      return assertNever(operation);
  }
}

// ---- what the principal holds ------------------------------------------------------------------------

const counts = (a: RoleAssignment): boolean => ROLE_SCOPES_THAT_COUNT[a.role].includes(a.assignedIn);

/** One pass over the assignments: what the early rules need. */
interface Standing {
  readonly access: boolean;
  readonly readOnly: boolean;
  readonly globalAdministrator: boolean;
  readonly securityAdministratorInEmailAndCollaboration: boolean;
}

function standingOf(principal: Principal): Standing {
  let access = false;
  let actingOrOther = false;
  let globalAdministrator = false;
  let securityAdministratorInEmailAndCollaboration = false;
  for (const a of principal.assignments) {
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

function placementOf(subject: Exclude<AccessSubject, { kind: 'none' }>): Placement {
  const deviceGroup =
    subject.kind === 'request' ? subject.deviceGroup : (deviceOf(subject.action.target)?.deviceGroup ?? null);
  return { applies: deviceGroup !== null || subject.actionType.permission === 'deviceRemediation', deviceGroup };
}

function reaches(a: RoleAssignment, placement: Placement): boolean {
  if (!placement.applies || a.deviceGroups === null) return true;
  return placement.deviceGroup !== null && (a.deviceGroups as readonly string[]).includes(placement.deviceGroup);
}

const grants = (g: Grant, a: RoleAssignment): boolean => g.role === a.role && g.assignedIn.includes(a.assignedIn);

// ---- decisions ---------------------------------------------------------------------------------------

const VERBS: { readonly [O in Operation]: string } = {
  view: 'view the Action center',
  export: 'export from the Action center',
  submit: 'take',
  propose: 'propose',
  approve: 'approve',
  reject: 'reject',
  cancel: 'cancel',
  undo: 'undo',
};

function describeGrants(anyOf: readonly Grant[]): string {
  return anyOf
    .map(
      (g) =>
        `${ROLE_DISPLAY_NAMES[g.role]} (assigned in ${g.assignedIn.map((s) => ROLE_SCOPE_DISPLAY_NAMES[s]).join(' or ')})`,
    )
    .join(' or ');
}

function describeAct(operation: Operation, subject: AccessSubject): string {
  if (subject.kind === 'none') return `${VERBS[operation]}`;
  const where = placementOf(subject);
  const on =
    where.deviceGroup !== null
      ? ` on device group "${where.deviceGroup}"`
      : where.applies
        ? ' (it is not on one device group)'
        : '';
  return `${VERBS[operation]} "${subject.actionType.displayName}"${on}`;
}

function allow(principal: Principal, operation: Operation, rule: DefaultPolicyRule): AccessDecision {
  return { allowed: true, rule, operation, principalId: principal.id };
}

function deny(
  principal: Principal,
  operation: Operation,
  rule: DefaultPolicyRule,
  reason: DenialReason,
  missing: readonly MissingRequirement[],
  message: string,
): AccessDecision {
  return { allowed: false, rule, operation, principalId: principal.id, reason, missing, message };
}

const roleMissing = (anyOf: readonly Grant[]): MissingRequirement => ({ kind: 'role', anyOf });

/** Evaluates a requirement's clauses; Global Administrator was handled before. */
function evaluate(
  principal: Principal,
  operation: Operation,
  subject: Exclude<AccessSubject, { kind: 'none' }>,
  requirement: Requirement,
): AccessDecision {
  const placement = placementOf(subject);
  const missing: MissingRequirement[] = [];
  let lacksRole = false;
  let lacksReach = false;
  for (const clause of requirement.allOf) {
    let held = false;
    let reached = false;
    for (const a of principal.assignments) {
      if (!clause.some((g) => grants(g, a))) continue;
      held = true;
      if (a.role === 'globalAdministrator' || reaches(a, placement)) {
        reached = true;
        break;
      }
    }
    if (!held) {
      lacksRole = true;
      missing.push(roleMissing(clause));
    } else if (!reached) {
      lacksReach = true;
    }
  }
  if (!lacksRole && !lacksReach) return allow(principal, operation, requirement.rule);
  if (lacksReach) {
    // A device group to add to the assignment; a target on no device group needs an unscoped one.
    missing.push(
      placement.deviceGroup !== null
        ? { kind: 'deviceGroup', deviceGroup: placement.deviceGroup }
        : roleMissing(requirement.allOf.flat()),
    );
  }
  const act = describeAct(operation, subject);
  const needs = requirement.allOf.map(describeGrants).join(', and ');
  if (!lacksRole) {
    const scope =
      placement.deviceGroup !== null
        ? `none of the roles that would allow it reaches device group "${placement.deviceGroup}"`
        : 'it reaches every device, and the roles that would allow it are limited to device groups';
    return deny(
      principal,
      operation,
      requirement.rule,
      'outOfDeviceGroupScope',
      missing,
      `You cannot ${act}: ${scope}.`,
    );
  }
  return deny(principal, operation, requirement.rule, 'missingRole', missing, `To ${act} you need ${needs}.`);
}

/**
 * Options of {@link createDefaultAccessPolicy}.
 *
 * @example
 * ```ts
 * import type { DefaultAccessPolicyOptions } from 'actioncenter';
 * const options: DefaultAccessPolicyOptions = { fourEyes: true };
 * ```
 */
export interface DefaultAccessPolicyOptions {
  /**
   * The requester of an action may not approve or reject it (they may still cancel it). On by
   * default, so that a proposal needs another principal's approval; `false` turns it off.
   */
  readonly fourEyes?: boolean;
}

/**
 * Builds the default access policy: seed 002's permissions table, its IMPORTANT note and its TIP,
 * DESIGN.md's undo rules, deny by default. Every decision names the rule that decided; every denial
 * has a reason code, what is missing and a message a UI can show. Decisions are pure and allocate
 * little: one pass over the principal's assignments.
 *
 * Choices where the seeds are silent: identity remediation needs Security Administrator (by analogy
 * with devices); Global Administrator may also submit, propose, cancel and undo, on every workload and
 * device group (a device-group list on a Global Administrator assignment is ignored, as the TIP says
 * "any pending action"); propose needs any acting role (Security Operator, Security Administrator,
 * Active remediation actions, Global Administrator); undo is role-based only (no Search and Purge).
 *
 * @example
 * ```ts
 * import { createDefaultAccessPolicy, unwrap, PrincipalSchema } from 'actioncenter';
 * const policy = createDefaultAccessPolicy({ fourEyes: false }); // self-approval allowed;
 * const reader = PrincipalSchema.parse({ id: 'r', assignments: [{ role: 'securityReader', assignedIn: 'entraId' }] });
 * policy.authorize(reader, 'view', { kind: 'none' }).allowed; // true
 * ```
 */
export function createDefaultAccessPolicy(options: DefaultAccessPolicyOptions = {}): AccessPolicy {
  let fourEyes: boolean;
  try {
    // Only an explicit `false` turns it off: a proposal asks someone else (issue 12, item 7b).
    const v: unknown = options?.fourEyes;
    fourEyes = v !== false;
  } catch {
    // Options that cannot be read: the stricter policy, as deny by default would have it.
    fourEyes = true;
  }
  const policy: AccessPolicy = Object.freeze({
    name: fourEyes ? 'default+fourEyes' : 'default',
    authorize(principal: Principal, operation: Operation, subject: AccessSubject): AccessDecision {
      const decision = decideByRole(principal, operation, subject);
      if (
        !fourEyes ||
        !decision.allowed ||
        (operation !== 'approve' && operation !== 'reject') ||
        subject.kind !== 'action'
      )
        return decision;
      const by = subject.action.requestedBy;
      if (by.type !== 'principal' || by.id !== principal.id) return decision;
      return deny(
        principal,
        operation,
        'fourEyes',
        'ownAction',
        [{ kind: 'differentPrincipal', requestedBy: by.id }],
        `You requested this action, so another principal must ${operation} it (four eyes).`,
      );
    },
    readScope: (principal: Principal) => defaultReadScope(principal),
  });
  TRUSTED_POLICIES.add(policy);
  return policy;
}

function decideByRole(principal: Principal, operation: Operation, subject: AccessSubject): AccessDecision {
  const standing = standingOf(principal);
  const requirement = subject.kind === 'none' ? null : requirementFor(operation, subject.actionType);
  if (!standing.access) {
    if (standing.securityAdministratorInEmailAndCollaboration) {
      return deny(
        principal,
        operation,
        'seed002.emailAndCollabOnly',
        'noActionCenterAccess',
        [roleMissing([SECURITY_ADMINISTRATOR])],
        'Security Administrator assigned only in Email & collaboration roles gives no access to the Action center: it must be assigned in Microsoft Entra ID (Azure AD) or the Microsoft 365 admin center.',
      );
    }
    if (requirement === null || subject.kind === 'none') {
      return deny(
        principal,
        operation,
        'defaultDeny',
        'missingRole',
        [roleMissing(ACCESS_GRANTS)],
        `You have no access to the Action center: it needs ${describeGrants(ACCESS_GRANTS)}.`,
      );
    }
    // Without access nothing is allowed; the requirement only says what is missing.
    const denied = evaluate(principal, operation, subject, requirement);
    const missing = denied.allowed ? requirement.allOf.map(roleMissing) : denied.missing;
    return deny(
      principal,
      operation,
      'defaultDeny',
      'missingRole',
      missing,
      `You have no access to the Action center. To ${describeAct(operation, subject)} you need ${requirement.allOf.map(describeGrants).join(', and ')}.`,
    );
  }
  switch (operation) {
    case 'view':
    case 'export':
      return allow(principal, operation, 'seed002.actionCenterAccess');
    case 'submit':
    case 'propose':
    case 'approve':
    case 'reject':
    case 'cancel':
    case 'undo':
      break;
    default:
      return assertNever(operation);
  }
  if (standing.readOnly) {
    const missing =
      requirement === null ? [roleMissing(REQUIREMENTS.propose.allOf.flat())] : requirement.allOf.map(roleMissing);
    return deny(
      principal,
      operation,
      'design.readersViewOnly',
      'readOnly',
      missing,
      `Security Reader and Global Reader may view and export only: you cannot ${describeAct(operation, subject)}.`,
    );
  }
  if (subject.kind === 'none' || requirement === null) {
    return deny(
      principal,
      operation,
      'default.subjectRequired',
      'missingRole',
      [],
      `To ${VERBS[operation]} the policy needs the action or request it applies to.`,
    );
  }
  if (standing.globalAdministrator) return allow(principal, operation, requirement.globalAdministratorRule);
  return evaluate(principal, operation, subject, requirement);
}

/**
 * The default access policy, four eyes on: `createDefaultAccessPolicy()`.
 *
 * @example
 * ```ts
 * import { defaultAccessPolicy, PrincipalSchema } from 'actioncenter';
 * const ga = PrincipalSchema.parse({ id: 'ga', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] });
 * defaultAccessPolicy.authorize(ga, 'export', { kind: 'none' }); // { allowed: true, rule: 'seed002.actionCenterAccess', ... }
 * ```
 */
export const defaultAccessPolicy: AccessPolicy = createDefaultAccessPolicy();

// ---- the public entry ------------------------------------------------------------------------------

/**
 * Asks an access policy, trusting nothing it does: a policy that throws, or answers anything but a
 * well-formed {@link AccessDecision} (`allowed: 'false'`, `allowed: 1`, `undefined`, a decision for
 * another principal or operation), denies with rule `policyError`, reason `policyFailed`, and what
 * was wrong in `message` and `issues`. Allowed means `allowed === true` on a decision that fits
 * {@link AccessDecisionSchema}; the decision returned is a validated copy. Never throws.
 *
 * @example
 * ```ts
 * import { askPolicy, PrincipalSchema, type AccessPolicy } from 'actioncenter';
 * const sloppy = { name: 'sloppy', authorize: () => ({ allowed: 'false' }) } as unknown as AccessPolicy;
 * const alice = PrincipalSchema.parse({ id: 'alice', assignments: [] });
 * askPolicy(sloppy, alice, 'approve', { kind: 'none' }).allowed; // false
 * ```
 */
export function askPolicy(
  policy: AccessPolicy,
  principal: Principal,
  operation: Operation,
  subject: AccessSubject,
): AccessDecision {
  try {
    return askChecked(policy, principal, operation, subject);
  } catch (cause) {
    // Only arguments that are not what their types say get here (a principal whose id cannot be read).
    return policyFailed(principal, operation, `The access policy could not be asked: ${describeThrown(cause)}`, []);
  }
}

function askChecked(
  policy: AccessPolicy,
  principal: Principal,
  operation: Operation,
  subject: AccessSubject,
): AccessDecision {
  let answer: unknown;
  try {
    answer = policy.authorize(principal, operation, subject);
    if (TRUSTED_POLICIES.has(policy)) return answer as AccessDecision;
  } catch (cause) {
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} threw: ${describeThrown(cause)}`,
      [],
    );
  }
  const parsed = safeParseInput(AccessDecisionSchema, answer, 'access decision');
  if (!parsed.ok) {
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} did not answer a decision: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  const decision = parsed.value;
  if (decision.operation !== operation || decision.principalId !== principal.id) {
    const issues: InputIssue[] = [];
    if (decision.operation !== operation)
      issues.push({ path: ['operation'], code: 'custom', message: `must be "${operation}"` });
    if (decision.principalId !== principal.id)
      issues.push({ path: ['principalId'], code: 'custom', message: 'must be the principal asked about' });
    return policyFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} answered about something else: ${describeIssues(issues)}`,
      issues,
    );
  }
  return decision;
}

function policyFailed(
  principal: Principal,
  operation: Operation,
  message: string,
  issues: readonly InputIssue[],
): AccessDecision {
  return {
    allowed: false,
    rule: 'policyError',
    operation,
    principalId: principalIdOf(principal),
    reason: 'policyFailed',
    missing: [],
    message,
    issues,
  };
}

function principalIdOf(principal: Principal): string {
  try {
    const id: unknown = principal.id;
    return typeof id === 'string' ? id : '';
  } catch {
    return '';
  }
}

function policyName(policy: AccessPolicy): string {
  try {
    const name: unknown = policy.name;
    return typeof name === 'string' ? `"${name.slice(0, 100)}"` : '(unnamed)';
  } catch {
    return '(unnamed)';
  }
}

/**
 * May this principal perform this operation on this subject? Validates the principal and the
 * operation (an `invalidInput` error, never a throw), then asks the policy (the default one unless
 * you pass your own). A policy that throws is answered with a denial whose rule is `policyError`.
 *
 * @example
 * ```ts
 * import { authorize } from 'actioncenter';
 * const r = authorize({ id: 'alice', assignments: [{ role: 'securityAdministrator', assignedIn: 'emailAndCollaboration' }] }, 'view', { kind: 'none' });
 * if (r.ok && !r.value.allowed) console.log(r.value.reason); // 'noActionCenterAccess'
 * ```
 */
export function authorize(
  principal: unknown,
  operation: unknown,
  subject: AccessSubject,
  policy: AccessPolicy = defaultAccessPolicy,
): Result<AccessDecision, InvalidInputError> {
  const p = safeParseInput(PrincipalSchema, principal, 'principal');
  if (!p.ok) return p;
  const o = safeParseInput(OperationSchema, operation, 'operation');
  if (!o.ok) return o;
  return ok(askPolicy(policy, p.value, o.value, subject));
}

// ---- read scope ------------------------------------------------------------------------------------

/**
 * The read scope the default policy gives a principal (issue 12, item 1): what its Action center
 * access assignments (those that count, see {@link ROLE_SCOPES_THAT_COUNT}) reach. An assignment
 * without a device-group list, or any Global Administrator assignment (whose list is ignored, as
 * for acting), reaches every action (`all`). Otherwise the principal reads the actions on the union
 * of its assignments' device groups, and the actions on no device group (email, identities,
 * tenant-wide indicators: device-group scope does not limit acting on email and identities either).
 * A principal without access reads nothing (and `authorize` denies it anyway).
 *
 * @example
 * ```ts
 * import { defaultReadScope, PrincipalSchema } from 'actioncenter';
 * const reader = PrincipalSchema.parse({ id: 'r', assignments: [{ role: 'securityReader', assignedIn: 'entraId', deviceGroups: ['G1'] }] });
 * defaultReadScope(reader); // { kind: 'deviceGroups', deviceGroups: ['G1'], includeUngrouped: true }
 * ```
 */
export function defaultReadScope(principal: Principal): ReadScope {
  const groups = new Set<string>();
  let access = false;
  for (const a of principal.assignments) {
    if (!counts(a) || !ACCESS_ROLES.includes(a.role)) continue;
    if (a.role === 'globalAdministrator' || a.deviceGroups === null) return ALL;
    access = true;
    for (const g of a.deviceGroups) groups.add(g);
  }
  return { kind: 'deviceGroups', deviceGroups: [...groups], includeUngrouped: access };
}

const ALL: ReadScope = Object.freeze({ kind: 'all' });

/**
 * The read scope of a policy without `readScope`, from `authorize` (which allowed the read) and the
 * assignments: {@link defaultReadScope} when an assignment grants Action center access under the
 * default rules; otherwise the assignments' device groups when every one of them carries a list,
 * and everything when the principal has none or an unscoped one (a policy of its own may grant
 * reads the default would not, and nothing in the assignments narrows them).
 */
function assignedReadScope(principal: Principal): ReadScope {
  const scope = defaultReadScope(principal);
  if (scope.kind === 'all' || scope.includeUngrouped) return scope;
  const groups = new Set<string>();
  for (const a of principal.assignments) {
    if (a.deviceGroups === null) return ALL;
    for (const g of a.deviceGroups) groups.add(g);
  }
  return principal.assignments.length === 0
    ? ALL
    : { kind: 'deviceGroups', deviceGroups: [...groups], includeUngrouped: true };
}

/**
 * The answer of {@link askReadScope}: allowed with the scope to read in, or the denial.
 *
 * @example
 * ```ts
 * import type { ReadScopeAnswer } from 'actioncenter';
 * const show = (a: ReadScopeAnswer) => (a.allowed ? a.scope.kind : a.decision.message);
 * ```
 */
export type ReadScopeAnswer =
  | {
      readonly allowed: true;
      /** The actions the principal may read. */
      readonly scope: ReadScope;
      /** The policy's decision that allowed the read. */
      readonly decision: AccessDecision;
    }
  | {
      readonly allowed: false;
      /** Why the read is denied (by `authorize`, or `policyFailed` when `readScope` threw or answered garbage). */
      readonly decision: AccessDecision & { readonly allowed: false };
    };

/**
 * May `principal` read (`view` or `export`), and what? Asks the policy's `authorize` (through
 * {@link askPolicy}), then its `readScope` when it has one. Without one: {@link defaultReadScope}
 * when an assignment grants access under the default rules, else the assignments' device groups if
 * each carries a list, else everything (the policy allowed the read and nothing narrows it). A
 * `readScope` that throws or answers something that does not fit {@link ReadScopeSchema} denies
 * with rule `policyError`, reason `policyFailed` (fail closed). Never throws.
 *
 * @example
 * ```ts
 * import { askReadScope, defaultAccessPolicy, PrincipalSchema } from 'actioncenter';
 * const op = PrincipalSchema.parse({ id: 'op', assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId', deviceGroups: ['G1'] }] });
 * const answer = askReadScope(defaultAccessPolicy, op, 'view');
 * if (answer.allowed) answer.scope; // { kind: 'deviceGroups', deviceGroups: ['G1'], includeUngrouped: true }
 * ```
 */
export function askReadScope(policy: AccessPolicy, principal: Principal, operation: ReadOperation): ReadScopeAnswer {
  const decision = askPolicy(policy, principal, operation, { kind: 'none' });
  if (!decision.allowed) return { allowed: false, decision };
  let answer: unknown;
  try {
    const hook: unknown = policy.readScope;
    if (hook === undefined || hook === null) return { allowed: true, scope: assignedReadScope(principal), decision };
    if (typeof hook !== 'function') {
      return readScopeFailed(
        principal,
        operation,
        `The access policy ${policyName(policy)} has a readScope that is not a function`,
        [],
      );
    }
    answer = (hook as NonNullable<AccessPolicy['readScope']>).call(policy, principal, operation);
    if (TRUSTED_POLICIES.has(policy)) return { allowed: true, scope: answer as ReadScope, decision };
  } catch (cause) {
    return readScopeFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} threw in readScope: ${describeThrown(cause)}`,
      [],
    );
  }
  const parsed = safeParseInput(ReadScopeSchema, answer, 'read scope');
  if (!parsed.ok) {
    return readScopeFailed(
      principal,
      operation,
      `The access policy ${policyName(policy)} did not answer a read scope: ${describeIssues(parsed.error.issues)}`,
      parsed.error.issues,
    );
  }
  return { allowed: true, scope: parsed.value, decision };
}

function readScopeFailed(
  principal: Principal,
  operation: ReadOperation,
  message: string,
  issues: readonly InputIssue[],
): ReadScopeAnswer {
  return {
    allowed: false,
    decision: {
      allowed: false,
      rule: 'policyError',
      operation,
      principalId: principal.id,
      reason: 'policyFailed',
      missing: [],
      message,
      issues,
    },
  };
}

const ReadOperationSchema = z.enum(READ_OPERATIONS);

/**
 * What may this principal read? Validates the principal and the operation (`view` or `export`; an
 * `invalidInput` error, never a throw), then answers as {@link askReadScope} does with `policy`
 * (the default one unless you pass your own).
 *
 * @example
 * ```ts
 * import { readScope } from 'actioncenter';
 * const r = readScope({ id: 'r', assignments: [{ role: 'globalReader', assignedIn: 'entraId', deviceGroups: ['G1', 'G2'] }] }, 'export');
 * if (r.ok && r.value.allowed) r.value.scope; // { kind: 'deviceGroups', deviceGroups: ['G1', 'G2'], includeUngrouped: true }
 * ```
 */
export function readScope(
  principal: unknown,
  operation: unknown,
  policy: AccessPolicy = defaultAccessPolicy,
): Result<ReadScopeAnswer, InvalidInputError> {
  const p = safeParseInput(PrincipalSchema, principal, 'principal');
  if (!p.ok) return p;
  const o = safeParseInput(ReadOperationSchema, operation, 'operation');
  if (!o.ok) return o;
  return ok(askReadScope(policy, p.value, o.value));
}

// ---- least privilege (seed 002, TIP) ---------------------------------------------------------------

/**
 * One workload on which a principal approves or rejects only through Global Administrator.
 *
 * @example
 * ```ts
 * import type { LeastPrivilegeWorkload } from 'actioncenter';
 * const line = (w: LeastPrivilegeWorkload) => `${w.workload}: ${w.operations.join('/')}`;
 * ```
 */
export interface LeastPrivilegeWorkload {
  /** The workload on which the principal relies on Global Administrator. */
  readonly workload: Workload;
  /** The representative type the policy was asked about. */
  readonly actionTypeId: string;
  /** The decisions that need Global Administrator (approve, reject). */
  readonly operations: readonly ('approve' | 'reject')[];
  /** What the policy says is missing without Global Administrator: grant this instead. */
  readonly missing: readonly MissingRequirement[];
}

/**
 * A principal who relies on Global Administrator where narrower roles would do.
 *
 * @example
 * ```ts
 * import type { LeastPrivilegeFinding } from 'actioncenter';
 * const show = (f: LeastPrivilegeFinding) => `${f.principalId}: ${f.message}`;
 * ```
 */
export interface LeastPrivilegeFinding {
  /** The principal the finding is about. */
  readonly principalId: string;
  /** Its display name, when the principal has one, else `null`. */
  readonly displayName: string | null;
  /** The workloads on which approve or reject would be denied without Global Administrator. */
  readonly workloads: readonly Workload[];
  /** Per workload: the representative type asked about, the decisions affected and what would serve instead. */
  readonly details: readonly LeastPrivilegeWorkload[];
  /** The narrower roles that would serve, from the details' missing roles, each role once. */
  readonly narrowerRoles: readonly { readonly role: Role; readonly assignedIn: readonly RoleScope[] }[];
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
}

const WORKLOAD_PERMISSION: { readonly [W in Workload]: RemediationPermission } = {
  endpoint: 'deviceRemediation',
  email: 'emailRemediation',
  identity: 'identityRemediation',
};
const WORKLOAD_NAMES: { readonly [W in Workload]: string } = {
  endpoint: 'devices',
  email: 'email & collaboration',
  identity: 'identities',
};

/**
 * Seed 002's TIP as a report: "as a best practice, your organization should limit the number of
 * people who have the Global Administrator role assigned. We recommend using the Security
 * Administrator, Active remediation actions, and Search and Purge roles". Lists each principal who
 * can approve or reject on some workload only through Global Administrator — the policy's decision
 * turns into a denial when their Global Administrator assignments are removed — with the workloads
 * and the narrower roles that would serve. Principals without Global Administrator are not listed.
 *
 * Each workload is represented by the first type of `catalog` with that workload's permission class,
 * asked about as a request on no particular device group (so device roles must reach every device
 * group to replace Global Administrator). Workloads without such a type are skipped.
 *
 * @example
 * ```ts
 * import { leastPrivilegeReport, PrincipalSchema } from 'actioncenter';
 * const ga = PrincipalSchema.parse({ id: 'ga', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] });
 * leastPrivilegeReport([ga])[0]?.workloads; // ['endpoint', 'email', 'identity']
 * ```
 */
export function leastPrivilegeReport(
  principals: readonly Principal[],
  policy: AccessPolicy = defaultAccessPolicy,
  catalog: { readonly types: readonly ActionTypeDefinition[] } = builtInCatalog,
): LeastPrivilegeFinding[] {
  const representatives = WORKLOADS.flatMap((workload) => {
    const type = catalog.types.find((t) => t.permission === WORKLOAD_PERMISSION[workload]);
    return type === undefined
      ? []
      : [{ workload, subject: { kind: 'request', actionType: type, deviceGroup: null } as const }];
  });
  const findings: LeastPrivilegeFinding[] = [];
  for (const principal of principals) {
    if (!principal.assignments.some((a) => a.role === 'globalAdministrator')) continue;
    const withoutGlobalAdministrator: Principal = {
      ...principal,
      assignments: principal.assignments.filter((a) => a.role !== 'globalAdministrator'),
    };
    const details: LeastPrivilegeWorkload[] = [];
    for (const { workload, subject } of representatives) {
      const operations: ('approve' | 'reject')[] = [];
      let missing: readonly MissingRequirement[] = [];
      for (const operation of ['approve', 'reject'] as const) {
        if (!askPolicy(policy, principal, operation, subject).allowed) continue;
        const without = askPolicy(policy, withoutGlobalAdministrator, operation, subject);
        if (without.allowed) continue;
        operations.push(operation);
        if (missing.length === 0) missing = without.missing;
      }
      if (operations.length > 0) details.push({ workload, actionTypeId: subject.actionType.id, operations, missing });
    }
    if (details.length === 0) continue;
    const narrowerRoles = narrowerRolesOf(details);
    const named = principal.displayName ?? principal.id;
    const workloads = details.map((d) => d.workload);
    findings.push({
      principalId: principal.id,
      displayName: principal.displayName,
      workloads,
      details,
      narrowerRoles,
      message:
        `${named} approves or rejects actions on ${workloads.map((w) => WORKLOAD_NAMES[w]).join(', ')} only through Global Administrator.` +
        (narrowerRoles.length > 0
          ? ` Assign ${narrowerRoles.map((g) => ROLE_DISPLAY_NAMES[g.role]).join(', ')} instead (seed 002 tip).`
          : ''),
    });
  }
  return findings;
}

function narrowerRolesOf(details: readonly LeastPrivilegeWorkload[]): LeastPrivilegeFinding['narrowerRoles'] {
  const seen = new Map<Role, { role: Role; assignedIn: readonly RoleScope[] }>();
  for (const d of details) {
    for (const m of d.missing) {
      if (m.kind !== 'role') continue;
      for (const g of m.anyOf)
        if (g.role !== 'globalAdministrator' && !seen.has(g.role))
          seen.set(g.role, { role: g.role, assignedIn: g.assignedIn });
    }
  }
  return [...seen.values()];
}
