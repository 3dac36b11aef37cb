/**
 * The default policy's role tables: where an assignment of each role counts, the rule ids of the
 * default policy, and the names people read for roles, places and missing requirements.
 *
 * @module
 */
import { assertNever } from '../../catalog/targets.js';
import type { MissingRequirement, Role, RoleScope } from '../principals.js';

/**
 * Where an assignment of each role must have been made for the default policy to count it. Directory
 * roles count in Microsoft Entra ID (Azure AD) or the Microsoft 365 admin center — seed 002: "You must
 * have the Security Administrator role assigned in Azure AD or the Microsoft 365 admin center" —
 * Search and Purge in Email & collaboration, Active remediation actions in Defender for Endpoint.
 * Any other combination counts for nothing (deny by default).
 *
 * @example
 * ```ts
 * import { ROLE_SCOPES_THAT_COUNT } from 'actioncenter/adapter-kit';
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
 * open; `default.policyError` is what {@link authorize} answers when a policy throws.
 *
 * @example
 * ```ts
 * import { DEFAULT_POLICY_RULES } from 'actioncenter/adapter-kit';
 * DEFAULT_POLICY_RULES.includes('seed002.globalAdministratorTip'); // true
 * ```
 */
export const DEFAULT_POLICY_RULES = [
  /** View and export: anyone with Action center access. */
  'seed002.actionCenterAccess',
  /** Security Administrator held only in Email & collaboration: no access (seed 002, IMPORTANT). */
  'seed002.emailAndCollabOnly',
  /** No role that counts: nothing is allowed. */
  'default.deny',
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
  /**
   * Add a note (issue 16): Security Operator, Security Administrator or Active remediation actions
   * (whoever may take, approve or propose remediation), within their device groups; not readers.
   */
  'default.addNote',
  /** An acting operation asked without an action or request to act on. */
  'default.subjectRequired',
  /** Four eyes: the requester may not approve or reject their own action. */
  'default.fourEyes',
  /** The policy threw or answered garbage: {@link askPolicy} denies instead of crashing or trusting it. */
  'default.policyError',
] as const;

/**
 * One of {@link DEFAULT_POLICY_RULES}.
 *
 * @example
 * ```ts
 * import type { DefaultPolicyRule } from 'actioncenter/adapter-kit';
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
 * import { ROLE_DISPLAY_NAMES } from 'actioncenter/adapter-kit';
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
 * import { ROLE_SCOPE_DISPLAY_NAMES } from 'actioncenter/adapter-kit';
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
 * import { describeMissingRequirement } from 'actioncenter/adapter-kit';
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

/** "Security Administrator (assigned in Microsoft Entra ID or ...) or ...": the grants a clause accepts. */
export function describeGrants(anyOf: readonly Grant[]): string {
  return anyOf
    .map(
      (g) =>
        `${ROLE_DISPLAY_NAMES[g.role]} (assigned in ${g.assignedIn.map((s) => ROLE_SCOPE_DISPLAY_NAMES[s]).join(' or ')})`,
    )
    .join(' or ');
}

/** One way to satisfy a requirement: a role, held in one of these scopes. */
export interface Grant {
  readonly role: Role;
  readonly assignedIn: readonly RoleScope[];
}
