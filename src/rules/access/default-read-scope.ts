/**
 * The read scope the default policy gives a principal, from its assignments (issue 12, item 1).
 *
 * @module
 */
import type { Principal, ReadScope } from '../principals.js';
import { ACCESS_ROLES, counts } from './requirements.js';

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
 * import { defaultReadScope, PrincipalSchema } from 'actioncenter/adapter-kit';
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

/** Every action: the scope of an unscoped or Global Administrator assignment. */
export const ALL: ReadScope = Object.freeze({ kind: 'all' });
