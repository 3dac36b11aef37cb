/**
 * The default access policy: seed 002's permissions, its IMPORTANT note and its TIP, DESIGN.md's
 * undo rules and four eyes, deny by default.
 *
 * @module
 */
import { assertNever } from '../../catalog/targets.js';
import type {
  AccessDecision,
  AccessPolicy,
  AccessSubject,
  DenialReason,
  MissingRequirement,
  Operation,
  Principal,
  RoleAssignment,
} from '../principals.js';
import { defaultReadScope } from './default-read-scope.js';
import {
  ACCESS_GRANTS,
  type Grant,
  REQUIREMENTS,
  type Requirement,
  SECURITY_ADMINISTRATOR,
  grants,
  placementOf,
  reaches,
  requirementFor,
  standingOf,
} from './requirements.js';
import { type DefaultPolicyRule, describeGrants } from './roles.js';

/** Policies built here answer well-formed decisions: their answers skip validation (a hot path). */
export const TRUSTED_POLICIES = new WeakSet<object>();
const VERBS: { readonly [O in Operation]: string } = {
  view: 'view the Action center',
  export: 'export from the Action center',
  submit: 'take',
  propose: 'propose',
  approve: 'approve',
  reject: 'reject',
  cancel: 'cancel',
  undo: 'undo',
  addNote: 'add a note to',
};

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

function grantedBy(clause: readonly Grant[], a: RoleAssignment): boolean {
  for (let g = 0; g < clause.length; g++) if (grants(clause[g] as Grant, a)) return true;
  return false;
}

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
  // Indexed loops, no closure: asked once per action of a bulk decision.
  const assignments = principal.assignments;
  for (let c = 0; c < requirement.allOf.length; c++) {
    const clause = requirement.allOf[c] as readonly Grant[];
    let held = false;
    let reached = false;
    for (let i = 0; i < assignments.length; i++) {
      const a = assignments[i] as RoleAssignment;
      if (!grantedBy(clause, a)) continue;
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
 * import type { DefaultAccessPolicyOptions } from 'actioncenter/adapter-kit';
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
 * Active remediation actions, Global Administrator); undo is role-based only (no Search and Purge);
 * `addNote` (issue 16) needs the same roles as propose, within their device groups (whoever may take,
 * approve or propose remediation of the type may note it), never the readers.
 *
 * @example
 * ```ts
 * import { createDefaultAccessPolicy, unwrap } from 'actioncenter';
 * import { PrincipalSchema } from 'actioncenter/adapter-kit';
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
        'default.fourEyes',
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
        'default.deny',
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
      'default.deny',
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
    case 'addNote':
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
 * import { defaultAccessPolicy } from 'actioncenter';
 * import { PrincipalSchema } from 'actioncenter/adapter-kit';
 * const ga = PrincipalSchema.parse({ id: 'ga', assignments: [{ role: 'globalAdministrator', assignedIn: 'entraId' }] });
 * defaultAccessPolicy.authorize(ga, 'export', { kind: 'none' }); // { allowed: true, rule: 'seed002.actionCenterAccess', ... }
 * ```
 */
export const defaultAccessPolicy: AccessPolicy = createDefaultAccessPolicy();
