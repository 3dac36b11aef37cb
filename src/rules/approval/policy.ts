/**
 * The approval policy's data: its configuration schema, the checked policy and its defaults.
 *
 * @module
 */
import * as z from 'zod';
import type { InvalidInputError } from '../../errors.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { DEFAULT_WINDOWS_FOLDERS, type FolderClassification, FolderClassificationSchema } from './folders.js';
import { type AutomationLevel, AutomationLevelSchema } from './levels.js';
import { type ApprovalRequirementRule, ApprovalRequirementRuleSchema } from './requirements.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Seven days: how long an action waits in Pending before it expires, by default (Defender's
 * pending actions expire after a week; the behaviour is the same as a rejection).
 *
 * @example
 * ```ts
 * import { DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter/adapter-kit';
 * DEFAULT_PENDING_EXPIRY_MS / 86_400_000; // 7
 * ```
 */
export const DEFAULT_PENDING_EXPIRY_MS = 7 * DAY_MS;

/** A device group's name, as a key of `automationLevels`. */
export const deviceGroupName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}\p{Cf}]+$/u, 'must not contain control or format characters')
  // As a key of an object, "__proto__" sets the prototype instead of adding an entry: a level set for
  // it would be dropped while the edit reports success (failing open). Refused, with this reason.
  .refine(
    (name) => name !== '__proto__',
    'the device group name "__proto__" is reserved: a level set for it could not be kept',
  );

/**
 * Schema of the approval policy's configuration. Every field has a default:
 * - `automationLevels`: the automation level of each device group, by group name (default `{}`);
 * - `defaultAutomationLevel`: the level of groups not listed and of targets without a device
 *   group (default `'full'`, Defender's default for tenants created since August 2020);
 * - `folders`: the folder classification (default {@link DEFAULT_WINDOWS_FOLDERS});
 * - `pendingExpiryMs`: how long pending actions wait before they expire (default 7 days, at most
 *   366 days);
 * - `requirements`: approval requirement rules (N-of-M approvals, deadlines, escalation, required
 *   justification; see `approvalRequirementsFor`), at most 1,000 (default `[]`: one approval, as before);
 * - `approvedExpiryMs`: how long an approved action never started may wait before it expires
 *   (default `null`: never; an action type's own `approvedExpiryMs` wins, as its `pendingExpiryMs` does).
 *
 * @example
 * ```ts
 * import { ApprovalPolicyConfigSchema } from 'actioncenter/adapter-kit';
 * ApprovalPolicyConfigSchema.parse({}).defaultAutomationLevel; // 'full'
 * ```
 */
export const ApprovalPolicyConfigSchema = z.strictObject({
  automationLevels: z
    .record(deviceGroupName, AutomationLevelSchema)
    .refine((levels) => Object.keys(levels).length <= 10_000, 'must hold at most 10,000 device groups')
    .default({}),
  defaultAutomationLevel: AutomationLevelSchema.default('full'),
  folders: FolderClassificationSchema.default({
    coreFolders: [...DEFAULT_WINDOWS_FOLDERS.coreFolders],
    tempFolders: [...DEFAULT_WINDOWS_FOLDERS.tempFolders],
  }),
  pendingExpiryMs: z
    .number()
    .int()
    .positive()
    .max(366 * DAY_MS)
    .default(DEFAULT_PENDING_EXPIRY_MS),
  requirements: z.array(ApprovalRequirementRuleSchema).max(1_000).default([]),
  // Issue 16: how long an approved action may wait unstarted before it expires; null (default): never.
  approvedExpiryMs: z
    .number()
    .int()
    .positive()
    .max(366 * DAY_MS)
    .nullable()
    .default(null),
});

/**
 * The approval policy configuration as accepted on input (every field optional; read-only, so
 * configurations written `as const` are accepted).
 *
 * @example
 * ```ts
 * import type { ApprovalPolicyConfig } from 'actioncenter';
 * const config: ApprovalPolicyConfig = { automationLevels: { Servers: 'semiAll' } };
 * ```
 */
export type ApprovalPolicyConfig = ReadonlyDeep<z.input<typeof ApprovalPolicyConfigSchema>>;

/**
 * A type with its arrays and objects read-only all the way down: how {@link ApprovalPolicyConfig}
 * takes a schema's input, so that configurations written `as const` are accepted.
 *
 * @example
 * ```ts
 * import type { ReadonlyDeep } from 'actioncenter/adapter-kit';
 * const rules: ReadonlyDeep<{ ids: string[] }> = { ids: ['isolateDevice'] } as const;
 * ```
 */
export type ReadonlyDeep<T> = T extends readonly (infer U)[]
  ? readonly ReadonlyDeep<U>[]
  : T extends object
    ? { readonly [K in keyof T]: ReadonlyDeep<T[K]> }
    : T;

/**
 * A checked approval policy, every field present. Build it with {@link createApprovalPolicy}.
 *
 * @example
 * ```ts
 * import type { ApprovalPolicy } from 'actioncenter';
 * const expiryDays = (p: ApprovalPolicy) => p.pendingExpiryMs / 86_400_000;
 * ```
 */
export interface ApprovalPolicy {
  /** The automation level of each device group, by group id. */
  readonly automationLevels: Readonly<Record<string, AutomationLevel>>;
  /** The level of a device group not listed, and of a target on no device group. */
  readonly defaultAutomationLevel: AutomationLevel;
  /** Which paths are core (OS) folders and which are temp folders, for the semi levels. */
  readonly folders: FolderClassification;
  /** How long a pending action waits before it expires, in milliseconds (default 7 days). */
  readonly pendingExpiryMs: number;
  /** Approval requirement rules, in the order given (frozen); resolve them with `approvalRequirementsFor`. */
  readonly requirements: readonly ApprovalRequirementRule[];
  /**
   * How long an approved action may wait unstarted before it expires (ms), unless its type says;
   * null (the default): never. Absent on policies built by hand before issue 16: never.
   */
  readonly approvedExpiryMs?: number | null;
}

/**
 * Validates an approval policy configuration and fills in the defaults. Never throws: bad input
 * comes back as an `invalidInput` error naming the paths.
 *
 * @example
 * ```ts
 * import { createApprovalPolicy } from 'actioncenter';
 * const r = createApprovalPolicy({ automationLevels: { Servers: 'semiCoreFolders' }, pendingExpiryMs: 3 * 86_400_000 });
 * if (r.ok) r.value.automationLevels.Servers; // 'semiCoreFolders'
 * ```
 */
export function createApprovalPolicy(input: unknown = {}): Result<ApprovalPolicy, InvalidInputError> {
  const parsed = safeParseInput(ApprovalPolicyConfigSchema, input, 'approval policy');
  if (!parsed.ok) return parsed;
  // zod drops an own "__proto__" key of a record (JSON.parse makes one) before any check sees it.
  if (hasReservedDeviceGroup(input)) {
    const message = 'the device group name "__proto__" is reserved: a level set for it could not be kept';
    return err({
      code: 'invalidInput',
      message: `Invalid approval policy: automationLevels.__proto__: ${message}`,
      issues: [{ path: ['automationLevels', '__proto__'], code: 'custom', message }],
    });
  }
  const c = parsed.value;
  return ok(
    Object.freeze({
      automationLevels: Object.freeze({ ...c.automationLevels }),
      defaultAutomationLevel: c.defaultAutomationLevel,
      folders: Object.freeze({
        coreFolders: Object.freeze([...c.folders.coreFolders]),
        tempFolders: Object.freeze([...c.folders.tempFolders]),
      }),
      pendingExpiryMs: c.pendingExpiryMs,
      requirements: Object.freeze(c.requirements.map(freezeRule)),
      approvedExpiryMs: c.approvedExpiryMs,
    }),
  );
}

/**
 * The default approval policy: every device group at `full`, the default Windows folders, pending
 * actions expiring after 7 days.
 *
 * @example
 * ```ts
 * import { DEFAULT_APPROVAL_POLICY } from 'actioncenter/adapter-kit';
 * DEFAULT_APPROVAL_POLICY.defaultAutomationLevel; // 'full'
 * ```
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = (() => {
  const r = createApprovalPolicy();
  if (!r.ok) throw new Error(`The default approval policy is invalid: ${r.error.message}`);
  return r.value;
})();

/** A checked requirement rule, frozen to its leaves (the policy is shared by every call of a center). */
function freezeRule(rule: ApprovalRequirementRule): ApprovalRequirementRule {
  const frozen = (value: unknown): unknown =>
    Array.isArray(value)
      ? Object.freeze([...(value as unknown[])])
      : typeof value === 'object' && value !== null
        ? Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, frozen(v)])))
        : value;
  // A parsed rule is plain data (arrays of strings, numbers): one level of objects, then arrays.
  return frozen(rule) as ApprovalRequirementRule;
}

/** Whether the configuration's `automationLevels` has an own `__proto__` key (read only after a successful parse). */
function hasReservedDeviceGroup(input: unknown): boolean {
  try {
    const levels = (input as { automationLevels?: unknown } | undefined)?.automationLevels;
    return typeof levels === 'object' && levels !== null && Object.hasOwn(levels, '__proto__');
  } catch {
    // Unreadable the second time: what was parsed (without the key) is what is used.
    return false;
  }
}

/**
 * The automation level that applies to a device group (`null`: a target without one).
 *
 * @example
 * ```ts
 * import { automationLevelFor, DEFAULT_APPROVAL_POLICY } from 'actioncenter/adapter-kit';
 * automationLevelFor(DEFAULT_APPROVAL_POLICY, 'Servers'); // 'full'
 * ```
 */
export function automationLevelFor(policy: ApprovalPolicy, deviceGroup: string | null): AutomationLevel {
  // Own keys only: a device group called "constructor" must not read Object.prototype.
  if (deviceGroup !== null && Object.hasOwn(policy.automationLevels, deviceGroup)) {
    return policy.automationLevels[deviceGroup] ?? policy.defaultAutomationLevel;
  }
  return policy.defaultAutomationLevel;
}
