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
export {
  ROLE_SCOPES_THAT_COUNT,
  DEFAULT_POLICY_RULES,
  type DefaultPolicyRule,
  ROLE_DISPLAY_NAMES,
  ROLE_SCOPE_DISPLAY_NAMES,
  describeMissingRequirement,
} from './access/roles.js';
export {
  type DefaultAccessPolicyOptions,
  createDefaultAccessPolicy,
  defaultAccessPolicy,
} from './access/default-policy.js';
export { askPolicy, authorize } from './access/ask.js';
export { defaultReadScope } from './access/default-read-scope.js';
export { type ReadScopeAnswer, askReadScope, readScope } from './access/read-scope.js';
export {
  type LeastPrivilegeWorkload,
  type LeastPrivilegeFinding,
  leastPrivilegeReport,
} from './access/least-privilege.js';
