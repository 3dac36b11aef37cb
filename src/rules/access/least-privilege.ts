/**
 * The least-privilege report of seed 002's tip: where a principal approves or rejects only through
 * Global Administrator although a narrower role would do.
 *
 * @module
 */
import type { ActionTypeDefinition, RemediationPermission } from '../../catalog/action-type.js';
import { builtInCatalog } from '../../catalog/builtins.js';
import { WORKLOADS, type Workload } from '../../catalog/targets.js';
import type { AccessPolicy, MissingRequirement, Principal, Role, RoleScope } from '../principals.js';
import { askPolicy } from './ask.js';
import { defaultAccessPolicy } from './default-policy.js';
import { ROLE_DISPLAY_NAMES } from './roles.js';

/**
 * One workload on which a principal approves or rejects only through Global Administrator.
 *
 * @example
 * ```ts
 * import type { LeastPrivilegeWorkload } from 'actioncenter/adapter-kit';
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
 * import type { LeastPrivilegeFinding } from 'actioncenter/adapter-kit';
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
 * import { leastPrivilegeReport, PrincipalSchema } from 'actioncenter/adapter-kit';
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
