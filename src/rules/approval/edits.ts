/**
 * Edits of an approval policy for admin UIs. Each edit answers the new policy together with its
 * patches and inverse patches (immer's `produceWithPatches`), so that a policy change can itself be
 * audited, shown as a diff, replayed ({@link applyPolicyPatches}) and undone (the inverse patches).
 *
 * @module
 */
import { applyPatches, enablePatches, produceWithPatches, type Patch } from 'immer';
import * as z from 'zod';
import { toPlainJson } from '../../catalog/json.js';
import type { InvalidInputError } from '../../errors.js';
import { describeThrown, err, ok, safeParseInput, unreadableInput, type Result } from '../../result.js';
import { AutomationLevelSchema, type AutomationLevel } from './levels.js';
import { createApprovalPolicy, deviceGroupName, type ApprovalPolicy } from './policy.js';
import type { ApprovalRequirementRule } from './requirements.js';

/**
 * One change to a policy, as plain JSON data: immer's patch shape (`op`, `path`, `value`) copied
 * into frozen plain objects, so it can be stored with an audit event, sent to a UI as a diff, and
 * given back to {@link applyPolicyPatches}. `path` names the changed field from the policy's root
 * (`['automationLevels', 'Servers']`); `value` is absent for `remove`.
 *
 * @example
 * ```ts
 * import type { PolicyPatch } from 'actioncenter';
 * const patch: PolicyPatch = { op: 'replace', path: ['automationLevels', 'Servers'], value: 'semiAll' };
 * ```
 */
export interface PolicyPatch {
  /** What the patch does at `path`: replace a value, add one, or remove it. */
  readonly op: 'replace' | 'add' | 'remove';
  /** Where, from the policy's root: field names, device group names and list indexes. */
  readonly path: readonly (string | number)[];
  /** The new value (plain JSON) for `replace` and `add`; absent for `remove`. */
  readonly value?: unknown;
}

/**
 * What a policy edit answers: the new policy, the patches that turn the old policy into it, and the
 * inverse patches that turn it back (undo = `applyPolicyPatches(edit.policy, edit.inversePatches)`).
 *
 * @example
 * ```ts
 * import type { ApprovalPolicy, PolicyEdit } from 'actioncenter';
 * const changed = (edit: PolicyEdit<ApprovalPolicy>) => edit.patches.length > 0;
 * ```
 */
export interface PolicyEdit<P> {
  /** The policy after the edit, checked and frozen. */
  readonly policy: P;
  /** The changes from the policy before to {@link PolicyEdit.policy}, in order; empty when nothing changed. */
  readonly patches: readonly PolicyPatch[];
  /** The changes that undo {@link PolicyEdit.patches}, in order. */
  readonly inversePatches: readonly PolicyPatch[];
}

/** The approval policy as mutable data: what immer drafts and patches. */
interface Config {
  automationLevels: Record<string, AutomationLevel>;
  defaultAutomationLevel: AutomationLevel;
  folders: { coreFolders: string[]; tempFolders: string[] };
  pendingExpiryMs: number;
  requirements: readonly ApprovalRequirementRule[];
  approvedExpiryMs: number | null;
}

const AutomationLevelEditSchema = z.strictObject({ deviceGroup: deviceGroupName, level: AutomationLevelSchema });
const DeviceGroupEditSchema = z.strictObject({ deviceGroup: deviceGroupName });

/**
 * Sets the automation level of one device group (an admin UI's "edit device group" form). Answers
 * the new, validated policy with its patches (see {@link PolicyEdit}); the given policy is
 * untouched. Bad input (a level that is not one, a device group name that is empty, too long,
 * `__proto__` or has control characters, an unreadable policy) is an `invalidInput` error; never throws.
 *
 * @example
 * ```ts
 * import { setAutomationLevel } from 'actioncenter';
 * import { DEFAULT_APPROVAL_POLICY } from 'actioncenter/adapter-kit';
 * const r = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'semiAll');
 * if (r.ok) r.value.policy.automationLevels.Servers; // 'semiAll'
 * if (r.ok) r.value.patches; // [{ op: 'add', path: ['automationLevels', 'Servers'], value: 'semiAll' }]
 * ```
 */
export function setAutomationLevel(
  policy: ApprovalPolicy,
  deviceGroup: unknown,
  level: unknown,
): Result<PolicyEdit<ApprovalPolicy>, InvalidInputError> {
  const input = safeParseInput(AutomationLevelEditSchema, { deviceGroup, level }, 'automation level');
  if (!input.ok) return input;
  const { deviceGroup: group, level: newLevel } = input.value;
  return edit(policy, (draft) => {
    draft.automationLevels[group] = newLevel;
  });
}

/**
 * Removes a device group's own automation level, so that it falls back to the default level.
 * Answers the new policy with its patches (none when the group had no level of its own). A device
 * group name that is not one, or an unreadable policy, is an `invalidInput` error; never throws.
 *
 * @example
 * ```ts
 * import { createApprovalPolicy, clearAutomationLevel } from 'actioncenter';
 * const p = createApprovalPolicy({ automationLevels: { Servers: 'none' } });
 * const r = p.ok ? clearAutomationLevel(p.value, 'Servers') : p;
 * if (r.ok) r.value.policy.automationLevels; // {}
 * if (r.ok) r.value.inversePatches; // [{ op: 'add', path: ['automationLevels', 'Servers'], value: 'none' }]
 * ```
 */
export function clearAutomationLevel(
  policy: ApprovalPolicy,
  deviceGroup: unknown,
): Result<PolicyEdit<ApprovalPolicy>, InvalidInputError> {
  const input = safeParseInput(DeviceGroupEditSchema, { deviceGroup }, 'device group');
  if (!input.ok) return input;
  const group = input.value.deviceGroup;
  return edit(policy, (draft) => {
    // Own keys only: clearing "constructor" must not touch Object.prototype's.
    if (Object.hasOwn(draft.automationLevels, group)) delete draft.automationLevels[group];
  });
}

/** Applies `recipe` to a copy of `policy` with immer, validates the result, and copies the patches out. */
function edit(
  policy: ApprovalPolicy,
  recipe: (draft: Config) => void,
): Result<PolicyEdit<ApprovalPolicy>, InvalidInputError> {
  const config = readConfig(policy);
  if (!config.ok) return config;
  // Lazily: the package has no side effects at load, and enablePatches is idempotent.
  enablePatches();
  const [next, patches, inversePatches] = produceWithPatches(config.value, recipe);
  const checked = createApprovalPolicy(next);
  if (!checked.ok) return checked;
  return ok(
    Object.freeze({
      policy: checked.value,
      patches: plainPatches(patches),
      inversePatches: plainPatches(inversePatches),
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Applying patches
// ---------------------------------------------------------------------------------------------

const MAX_POLICY_PATCHES = 1000;
// Patches that replace a whole field carry its value: 10,000 device groups or 2 x 1,000 folder patterns.
const PATCH_JSON_LIMITS = Object.freeze({ maxDepth: 5, maxSize: 4 * 1024 * 1024 });
const FOLDER_LISTS: readonly string[] = ['coreFolders', 'tempFolders'];
// `requirements` is patched whole (a rule list replaced at once), like a scalar.
const SCALAR_FIELDS: readonly string[] = [
  'defaultAutomationLevel',
  'pendingExpiryMs',
  'requirements',
  'approvedExpiryMs',
];

const PathSchema = z
  .array(z.union([z.string().max(200), z.number().int().nonnegative().max(10_000)]))
  .min(1, 'must name a field: the whole policy is not replaced by a patch')
  .max(3)
  .superRefine((path, ctx) => {
    const problem = pathProblem(path);
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
  });

const PatchesSchema = z
  .array(
    z.discriminatedUnion('op', [
      z.strictObject({ op: z.enum(['replace', 'add']), path: PathSchema, value: z.unknown() }),
      z.strictObject({ op: z.literal('remove'), path: PathSchema }),
    ]),
  )
  .max(MAX_POLICY_PATCHES)
  .superRefine((patches, ctx) => {
    // zod lets an unknown-valued key be absent; an add or replace without a value is a mistake.
    patches.forEach((patch: { readonly op: string }, i) => {
      if (patch.op !== 'remove' && !Object.hasOwn(patch, 'value'))
        ctx.addIssue({ code: 'custom', path: [i, 'value'], message: 'is required for add and replace' });
    });
  });

/**
 * Why a path names no field of an approval policy, or null when it names one. The policy's shape
 * is known, so only its own fields are accepted: `__proto__`, `constructor` and `prototype` can
 * never be walked through. A device group may be named "constructor" (a key of `automationLevels`,
 * data and last on the path); "__proto__" is refused as everywhere else.
 */
function pathProblem(path: readonly (string | number)[]): string | null {
  const [field, key, index] = path;
  if (typeof field === 'string' && SCALAR_FIELDS.includes(field)) {
    return path.length === 1 ? null : `"${field}" has no parts to patch`;
  }
  if (field === 'automationLevels') {
    if (path.length === 1) return null;
    if (path.length > 2) return "a device group's level has no parts to patch";
    return deviceGroupName.safeParse(key).success
      ? null
      : 'must name a device group (1-200 characters, not "__proto__")';
  }
  if (field === 'folders') {
    if (path.length === 1) return null;
    if (typeof key !== 'string' || !FOLDER_LISTS.includes(key)) return 'must name "coreFolders" or "tempFolders"';
    if (path.length === 2) return null;
    return typeof index === 'number' ? null : 'must be the index of a folder pattern';
  }
  return 'must start with a field of the approval policy (automationLevels, defaultAutomationLevel, folders, pendingExpiryMs, requirements, approvedExpiryMs)';
}

/**
 * Applies patches (from a {@link PolicyEdit}, stored or sent over the wire) to an approval policy,
 * and validates the result as {@link createApprovalPolicy} does. Undo an edit by applying its
 * `inversePatches` to its `policy`. The patches are checked first: at most 1,000; plain JSON data;
 * each an `add`, `replace` or `remove` whose path names a field of the policy (never `__proto__`,
 * `constructor` or `prototype`; a device group named "constructor" excepted). Anything else, a
 * patch that does not fit the policy, a result that is not a valid policy, or an unreadable
 * argument (a Proxy, a throwing getter) is an `invalidInput` error; the given policy is untouched.
 * Never throws.
 *
 * @example
 * ```ts
 * import { applyPolicyPatches, setAutomationLevel } from 'actioncenter';
 * import { DEFAULT_APPROVAL_POLICY } from 'actioncenter/adapter-kit';
 * const edit = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'none');
 * if (edit.ok) {
 *   const stored = JSON.parse(JSON.stringify(edit.value.patches)) as unknown; // e.g. kept with an audit event
 *   applyPolicyPatches(DEFAULT_APPROVAL_POLICY, stored); // { ok: true, value: the same policy as edit.value.policy }
 *   applyPolicyPatches(edit.value.policy, edit.value.inversePatches); // undo: the default policy again
 * }
 * ```
 */
export function applyPolicyPatches(
  policy: ApprovalPolicy,
  patches: unknown,
): Result<ApprovalPolicy, InvalidInputError> {
  const plain = toPlainJson(patches, PATCH_JSON_LIMITS);
  if (!plain.ok) {
    const issue = plain.error;
    const where = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return err({
      code: 'invalidInput',
      message: `Invalid policy patches: ${where}: ${issue.message}`,
      issues: [issue],
    });
  }
  const checked = safeParseInput(PatchesSchema, plain.value, 'policy patches');
  if (!checked.ok) return checked;
  const config = readConfig(policy);
  if (!config.ok) return config;
  enablePatches();
  let next: Config;
  try {
    next = applyPatches(config.value, checked.value as Patch[]);
  } catch (cause) {
    // immer refuses a patch whose path does not resolve in this policy.
    const message = `could not be applied to this policy: ${describeThrown(cause)}`;
    return err({
      code: 'invalidInput',
      message: `Invalid policy patches: ${message}`,
      issues: [{ path: [], code: 'custom', message }],
    });
  }
  return createApprovalPolicy(next);
}

/** A policy given back to an editor is read inside a guard: it may not be one this module built. */
function readConfig(policy: ApprovalPolicy): Result<Config, InvalidInputError> {
  try {
    return ok({
      automationLevels: { ...policy.automationLevels },
      defaultAutomationLevel: policy.defaultAutomationLevel,
      folders: { coreFolders: [...policy.folders.coreFolders], tempFolders: [...policy.folders.tempFolders] },
      pendingExpiryMs: policy.pendingExpiryMs,
      // Kept through every edit (an edit of a level must not drop the rules); immer copies on write.
      requirements: policy.requirements ?? [],
      approvedExpiryMs: policy.approvedExpiryMs ?? null,
    });
  } catch (cause) {
    return err(unreadableInput('approval policy', cause));
  }
}

/** immer's patches, copied into frozen plain data (immer's may share objects with the policy). */
function plainPatches(patches: readonly Patch[]): readonly PolicyPatch[] {
  return Object.freeze(
    patches.map((p) =>
      Object.freeze({
        op: p.op,
        path: Object.freeze([...p.path]),
        ...(p.op === 'remove' ? {} : { value: frozenCopy(p.value) }),
      }),
    ),
  );
}

function frozenCopy(value: unknown): unknown {
  if (Array.isArray(value)) return Object.freeze(value.map(frozenCopy));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    // defineProperty: a key is data, whatever its name.
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, k, { value: frozenCopy(v), enumerable: true, writable: true, configurable: true });
    }
    return Object.freeze(out);
  }
  return value;
}
