/**
 * Principals, roles and where they were assigned; the operations of the Action center; and the
 * shape of an access decision. The default policy that decides lives in `access.ts`.
 *
 * @module
 */
import * as z from 'zod';
import { DeviceGroupIdSchema, PrincipalIdSchema } from '../catalog/ids.js';
import type { ActionTypeDefinition, RemediationPermission } from '../catalog/action-type.js';
import type { ActionRecord } from '../catalog/records.js';
import type { InputIssue } from '../errors.js';

/**
 * The roles and permissions the default policy knows (seed 002 and its tip).
 *
 * @example
 * ```ts
 * import { ROLES } from 'actioncenter/adapter-kit';
 * ROLES.includes('searchAndPurge'); // true
 * ```
 */
export const ROLES = [
  'globalAdministrator',
  'securityAdministrator',
  'securityOperator',
  'securityReader',
  'globalReader',
  /** Email & collaboration role. */
  'searchAndPurge',
  /** Defender for Endpoint RBAC permission. */
  'activeRemediationActions',
] as const;
/**
 * Schema of a {@link Role}.
 *
 * @example
 * ```ts
 * import { RoleSchema } from 'actioncenter/adapter-kit';
 * RoleSchema.parse('securityAdministrator');
 * ```
 */
export const RoleSchema = z.enum(ROLES);
/**
 * One of {@link ROLES}.
 *
 * @example
 * ```ts
 * import type { Role } from 'actioncenter';
 * const r: Role = 'activeRemediationActions';
 * ```
 */
export type Role = z.infer<typeof RoleSchema>;

/**
 * Where a role was assigned. It matters: Security Administrator assigned only in Email &
 * collaboration grants no Action center access at all (seed 002).
 *
 * @example
 * ```ts
 * import { ROLE_SCOPES } from 'actioncenter/adapter-kit';
 * ROLE_SCOPES; // ['entraId', 'm365AdminCenter', 'emailAndCollaboration', 'defenderForEndpoint']
 * ```
 */
export const ROLE_SCOPES = ['entraId', 'm365AdminCenter', 'emailAndCollaboration', 'defenderForEndpoint'] as const;
/**
 * Schema of a {@link RoleScope}.
 *
 * @example
 * ```ts
 * import { RoleScopeSchema } from 'actioncenter/adapter-kit';
 * RoleScopeSchema.parse('entraId');
 * ```
 */
export const RoleScopeSchema = z.enum(ROLE_SCOPES);
/**
 * One of {@link ROLE_SCOPES}.
 *
 * @example
 * ```ts
 * import type { RoleScope } from 'actioncenter';
 * const s: RoleScope = 'defenderForEndpoint';
 * ```
 */
export type RoleScope = z.infer<typeof RoleScopeSchema>;

/**
 * Schema of a {@link RoleAssignment}.
 *
 * @example
 * ```ts
 * import { RoleAssignmentSchema } from 'actioncenter/adapter-kit';
 * RoleAssignmentSchema.parse({ role: 'securityAdministrator', assignedIn: 'entraId' });
 * ```
 */
export const RoleAssignmentSchema = z.strictObject({
  role: RoleSchema,
  assignedIn: RoleScopeSchema,
  /** The device groups this assignment may act on; `null` (the default) means all of them. */
  deviceGroups: z.array(DeviceGroupIdSchema).max(1000).nullable().default(null),
});
/**
 * One role held by a principal: which role, where it was assigned, and its device-group scope.
 *
 * @example
 * ```ts
 * import type { RoleAssignment } from 'actioncenter/adapter-kit';
 * const a: RoleAssignment = { role: 'securityReader', assignedIn: 'entraId', deviceGroups: null };
 * ```
 */
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

/**
 * Schema of a {@link Principal}.
 *
 * @example
 * ```ts
 * import { PrincipalSchema } from 'actioncenter/adapter-kit';
 * const alice = PrincipalSchema.parse({
 *   id: 'alice@contoso.com',
 *   assignments: [{ role: 'securityAdministrator', assignedIn: 'entraId' }],
 * });
 * ```
 */
export const PrincipalSchema = z.strictObject({
  id: PrincipalIdSchema,
  displayName: z.string().max(200).nullable().default(null),
  assignments: z.array(RoleAssignmentSchema).max(200),
});
/**
 * A user or service principal with its role assignments.
 *
 * @example
 * ```ts
 * import type { Principal } from 'actioncenter';
 * const show = (p: Principal) => p.displayName ?? p.id;
 * ```
 */
export type Principal = z.infer<typeof PrincipalSchema>;
/**
 * A principal as accepted on input (defaults may be left out).
 *
 * @example
 * ```ts
 * import type { PrincipalInput } from 'actioncenter';
 * const p: PrincipalInput = { id: 'bob', assignments: [] };
 * ```
 */
export type PrincipalInput = z.input<typeof PrincipalSchema>;

/**
 * The operations of the Action center that access control decides on.
 *
 * @example
 * ```ts
 * import { OPERATIONS } from 'actioncenter/adapter-kit';
 * OPERATIONS.includes('undo'); // true
 * ```
 */
export const OPERATIONS = [
  'view',
  'submit',
  'propose',
  'approve',
  'reject',
  'cancel',
  'undo',
  'export',
  // Issue 16: a note on an action, its status unchanged (its own permission).
  'addNote',
] as const;
/**
 * Schema of an {@link Operation}.
 *
 * @example
 * ```ts
 * import { OperationSchema } from 'actioncenter/adapter-kit';
 * OperationSchema.parse('approve');
 * ```
 */
export const OperationSchema = z.enum(OPERATIONS);
/**
 * One of {@link OPERATIONS}.
 *
 * @example
 * ```ts
 * import type { Operation } from 'actioncenter';
 * const op: Operation = 'reject';
 * ```
 */
export type Operation = z.infer<typeof OperationSchema>;

/**
 * What an operation acts on: nothing (view, export the list), a type about to be submitted, or an
 * existing action. The type is always given when there is an action, so that the policy can read its
 * permission class and undo role.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { type AccessSubject } from 'actioncenter/adapter-kit';
 * const s: AccessSubject = { kind: 'none' };
 * ```
 */
export type AccessSubject =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'request';
      readonly actionType: ActionTypeDefinition;
      /** The device group of the target, or null for email/identity targets. */
      readonly deviceGroup: string | null;
    }
  | { readonly kind: 'action'; readonly actionType: ActionTypeDefinition; readonly action: ActionRecord };

/**
 * A requirement the principal does not meet, for a UI to say why.
 *
 * @example
 * ```ts
 * import type { MissingRequirement } from 'actioncenter/adapter-kit';
 * const m: MissingRequirement = { kind: 'role', anyOf: [{ role: 'searchAndPurge', assignedIn: ['emailAndCollaboration'] }] };
 * ```
 */
export type MissingRequirement =
  | {
      readonly kind: 'role';
      /** Any one of these would satisfy the requirement. */
      readonly anyOf: readonly { readonly role: Role; readonly assignedIn: readonly RoleScope[] }[];
    }
  | { readonly kind: 'deviceGroup'; readonly deviceGroup: string }
  | { readonly kind: 'differentPrincipal'; readonly requestedBy: string };

/**
 * Why access was denied: a closed set of codes.
 *
 * @example
 * ```ts
 * import { DENIAL_REASONS } from 'actioncenter/adapter-kit';
 * DENIAL_REASONS.includes('outOfDeviceGroupScope'); // true
 * ```
 */
export const DENIAL_REASONS = [
  /** No role that grants this operation on this subject. */
  'missingRole',
  /** Roles that would grant it, but none reaching the target's device group. */
  'outOfDeviceGroupScope',
  /** Security Administrator held only in Email & collaboration: no Action center access at all. */
  'noActionCenterAccess',
  /** Readers may view only. */
  'readOnly',
  /** Four-eyes policy: the requester may not decide on their own action. */
  'ownAction',
  /** The access policy threw or answered something that is not a well-formed decision: deny by default. */
  'policyFailed',
] as const;
/**
 * One of {@link DENIAL_REASONS}.
 *
 * @example
 * ```ts
 * import type { DenialReason } from 'actioncenter/adapter-kit';
 * const r: DenialReason = 'missingRole';
 * ```
 */
export type DenialReason = (typeof DENIAL_REASONS)[number];

/**
 * The answer of an access policy: allowed with the rule that granted it, or denied with the rule
 * that decided, a reason code, what is missing and a message a UI can show.
 *
 * @example
 * ```ts
 * import type { AccessDecision } from 'actioncenter';
 * const explain = (d: AccessDecision) => (d.allowed ? `allowed by ${d.rule}` : d.message);
 * ```
 */
export type AccessDecision =
  | { readonly allowed: true; readonly rule: string; readonly operation: Operation; readonly principalId: string }
  | {
      readonly allowed: false;
      readonly rule: string;
      readonly operation: Operation;
      readonly principalId: string;
      readonly reason: DenialReason;
      readonly missing: readonly MissingRequirement[];
      readonly message: string;
      /** When the policy failed (`policyFailed`): what was wrong with its answer, by path. */
      readonly issues?: readonly InputIssue[];
    };

const MissingRequirementSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('role'),
    anyOf: z
      .array(z.object({ role: RoleSchema, assignedIn: z.array(RoleScopeSchema).max(ROLE_SCOPES.length) }))
      .max(100),
  }),
  z.object({ kind: z.literal('deviceGroup'), deviceGroup: z.string().max(200) }),
  z.object({ kind: z.literal('differentPrincipal'), requestedBy: z.string().max(1000) }),
]);

/**
 * Schema of an {@link AccessDecision}, for what a custom {@link AccessPolicy} answers: the center
 * takes a decision as allowed only when it fits this schema with `allowed === true` (not `'false'`,
 * not `1`). Extra fields are dropped.
 *
 * @example
 * ```ts
 * import { AccessDecisionSchema } from 'actioncenter/adapter-kit';
 * AccessDecisionSchema.safeParse({ allowed: 'false', rule: 'mine', operation: 'view', principalId: 'a' }).success; // false
 * ```
 */
export const AccessDecisionSchema = z.discriminatedUnion('allowed', [
  z.object({
    allowed: z.literal(true),
    rule: z.string().min(1).max(200),
    operation: OperationSchema,
    principalId: z.string().min(1).max(1000),
  }),
  z.object({
    allowed: z.literal(false),
    rule: z.string().min(1).max(200),
    operation: OperationSchema,
    principalId: z.string().min(1).max(1000),
    reason: z.enum(DENIAL_REASONS),
    missing: z.array(MissingRequirementSchema).max(100),
    message: z.string().max(4000),
  }),
]);

/**
 * An access policy: one pure function from (principal, operation, subject) to a decision. Supply
 * your own through the same interface.
 *
 * @example
 * ```ts
 * import type { AccessPolicy } from 'actioncenter';
 * const denyAll: AccessPolicy = {
 *   name: 'denyAll',
 *   authorize: (principal, operation) => ({ allowed: false, rule: 'denyAll', operation, principalId: principal.id,
 *     reason: 'missingRole', missing: [], message: 'Nobody may do anything' }),
 * };
 * ```
 */
export interface AccessPolicy {
  /** A name for logs and decisions (`default`, `default+fourEyes`, yours). */
  readonly name: string;
  /** Decides whether `principal` may perform `operation` on `subject`: pure, never throws, always names the deciding rule. */
  authorize(principal: Principal, operation: Operation, subject: AccessSubject): AccessDecision;
  /**
   * Optional: which actions `principal` may see when `authorize` allows it to `view` or `export`
   * (every list, count, detail, audit trail and CSV row is limited to them). Without it the center
   * derives one from the assignments' device groups (see `askReadScope`). What it
   * answers is used as it is, so it can narrow the default or replace it; an answer that does not
   * fit {@link ReadScopeSchema}, or a throw, denies the read (`policyFailed`).
   */
  readScope?(principal: Principal, operation: ReadOperation): ReadScope;
}

/**
 * The operations that read: `view` (lists, counts, details, audit trails) and `export` (CSV).
 *
 * @example
 * ```ts
 * import { READ_OPERATIONS } from 'actioncenter/adapter-kit';
 * READ_OPERATIONS; // ['view', 'export']
 * ```
 */
export const READ_OPERATIONS = ['view', 'export'] as const;
/**
 * One of {@link READ_OPERATIONS}.
 *
 * @example
 * ```ts
 * import type { ReadOperation } from 'actioncenter/adapter-kit';
 * const op: ReadOperation = 'export';
 * ```
 */
export type ReadOperation = (typeof READ_OPERATIONS)[number];

/**
 * Schema of a {@link ReadScope}, for what a custom policy's `readScope` answers. Device group lists
 * hold at most 200,000 ids (200 assignments of 1,000 groups each).
 *
 * @example
 * ```ts
 * import { ReadScopeSchema } from 'actioncenter/adapter-kit';
 * ReadScopeSchema.parse({ kind: 'deviceGroups', deviceGroups: ['Servers'], includeUngrouped: false });
 * ```
 */
export const ReadScopeSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({
    kind: z.literal('deviceGroups'),
    deviceGroups: z.array(DeviceGroupIdSchema).max(200_000),
    includeUngrouped: z.boolean(),
  }),
]);
/**
 * What a principal may read: every action (`all`), or the actions on the listed device groups,
 * plus, when `includeUngrouped`, the actions whose target is on no device (email, identities,
 * tenant-wide indicators). Actions outside it are absent from lists and totals, `get` and
 * `auditTrail` answer `notFound` for them, and exports leave them out.
 *
 * @example
 * ```ts
 * import type { ReadScope } from 'actioncenter';
 * const serversOnly: ReadScope = { kind: 'deviceGroups', deviceGroups: ['Servers'], includeUngrouped: false };
 * ```
 */
export type ReadScope =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'deviceGroups';
      /** The device groups whose actions may be read. */
      readonly deviceGroups: readonly string[];
      /** Whether actions on no device group (email, identity, tenant-wide indicators) may be read. */
      readonly includeUngrouped: boolean;
    };

/**
 * The permission class of the subject, or null when there is none.
 *
 * @example
 * ```ts
 * import { permissionOf } from 'actioncenter/adapter-kit';
 * permissionOf({ kind: 'none' }); // null
 * ```
 */
export function permissionOf(subject: AccessSubject): RemediationPermission | null {
  return subject.kind === 'none' ? null : subject.actionType.permission;
}
