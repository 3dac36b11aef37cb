/**
 * The approval policy: what an incoming request does first — run at once, wait in the Pending tab
 * for someone to approve it, or be refused — as a pure function of the request, its action type and
 * policy data (automation level per device group, folder classification, pending expiry).
 *
 * Sources of the rules: seed 004 ("In Office 365 ATP, no remediation actions are taken
 * automatically"), DESIGN.md "Approval policy" and Defender's automation levels
 * (automation-levels.md). Authorization of a principal is not decided here: the engine asks the
 * access policy separately.
 *
 * @module
 */
import { produce } from 'immer';
import { z } from 'zod';
import type { ActionTypeDefinition } from '../catalog/action-type.js';
import type { ActionRequest } from '../catalog/records.js';
import { assertNever, deviceOf, type Target } from '../catalog/targets.js';
import type { InvalidInputError } from '../errors.js';
import { err, ok, safeParseInput, unreadableInput, type Result } from '../result.js';

// ---------------------------------------------------------------------------------------------
// Automation levels
// ---------------------------------------------------------------------------------------------

/**
 * Defender's automation levels, from most to least automatic. They govern what automated
 * investigations of devices may remediate without approval.
 *
 * @example
 * ```ts
 * import { AUTOMATION_LEVELS } from 'actioncenter';
 * AUTOMATION_LEVELS; // ['full', 'semiCoreFolders', 'semiNonTempFolders', 'semiAll', 'none']
 * ```
 */
export const AUTOMATION_LEVELS = ['full', 'semiCoreFolders', 'semiNonTempFolders', 'semiAll', 'none'] as const;

/**
 * Schema of an {@link AutomationLevel}.
 *
 * @example
 * ```ts
 * import { AutomationLevelSchema } from 'actioncenter';
 * AutomationLevelSchema.parse('semiAll');
 * ```
 */
export const AutomationLevelSchema = z.enum(AUTOMATION_LEVELS);

/**
 * One of {@link AUTOMATION_LEVELS}.
 *
 * @example
 * ```ts
 * import type { AutomationLevel } from 'actioncenter';
 * const level: AutomationLevel = 'semiCoreFolders';
 * ```
 */
export type AutomationLevel = z.infer<typeof AutomationLevelSchema>;

/**
 * The label Defender shows for each automation level, word for word.
 *
 * @example
 * ```ts
 * import { AUTOMATION_LEVEL_LABELS } from 'actioncenter';
 * AUTOMATION_LEVEL_LABELS.none; // 'No automated response'
 * ```
 */
export const AUTOMATION_LEVEL_LABELS: { readonly [L in AutomationLevel]: string } = Object.freeze({
  full: 'Full - remediate threats automatically',
  semiCoreFolders: 'Semi - require approval for core folders remediation',
  semiNonTempFolders: 'Semi - require approval for non-temp folders remediation',
  semiAll: 'Semi - require approval for any remediation',
  none: 'No automated response',
});

// ---------------------------------------------------------------------------------------------
// Folder classification
// ---------------------------------------------------------------------------------------------

/**
 * What a file path is, for the semi-automatic levels: in a core (operating-system) folder, in a
 * temporary folder, anywhere else, or `unknown`: a spelling whose folder cannot be told for sure (a
 * relative path, an 8.3 short folder name such as `WINDOW~1`, an environment variable other than
 * `%SystemRoot%`/`%windir%`, a network share). Unknown falls on the safe side: it waits for approval
 * at both semi-automatic folder levels.
 *
 * @example
 * ```ts
 * import { FOLDER_CLASSES } from 'actioncenter';
 * FOLDER_CLASSES; // ['core', 'temp', 'other', 'unknown']
 * ```
 */
export const FOLDER_CLASSES = ['core', 'temp', 'other', 'unknown'] as const;

/**
 * One of {@link FOLDER_CLASSES}.
 *
 * @example
 * ```ts
 * import type { FolderClass } from 'actioncenter';
 * const c: FolderClass = 'temp';
 * ```
 */
export type FolderClass = (typeof FOLDER_CLASSES)[number];

/**
 * Which folders are core and which are temporary, as case-insensitive path patterns. Patterns
 * are matched against the normalised path (see {@link normaliseWindowsPath}), segment by segment:
 * `*` matches any characters within one folder or file name, and a pattern whose LAST segment is
 * `*` matches everything below that folder, at any depth (`\windows\*` covers
 * `\windows\system32\drivers\x.sys`). No other wildcard exists. Drive letters are ignored.
 *
 * @example
 * ```ts
 * import type { FolderClassification } from 'actioncenter';
 * const folders: FolderClassification = { coreFolders: ['\\windows\\*'], tempFolders: ['\\windows\\temp\\*'] };
 * ```
 */
export interface FolderClassification {
  /** Path prefixes of operating-system folders (`\\windows\\`), matched case-insensitively. */
  readonly coreFolders: readonly string[];
  /** Path prefixes of temporary folders, matched case-insensitively. */
  readonly tempFolders: readonly string[];
}

const folderPattern = z
  .string()
  .min(1)
  .max(1024)
  .regex(/^[^\p{Cc}]+$/u, 'must not contain control characters');

/**
 * Schema of a {@link FolderClassification}: at most 1,000 patterns per list, each 1–1,024
 * characters without control characters.
 *
 * @example
 * ```ts
 * import { FolderClassificationSchema } from 'actioncenter';
 * FolderClassificationSchema.safeParse({ coreFolders: [''], tempFolders: [] }).success; // false
 * ```
 */
export const FolderClassificationSchema = z.strictObject({
  coreFolders: z.array(folderPattern).max(1000),
  tempFolders: z.array(folderPattern).max(1000),
});

/**
 * The default Windows classification. Core: the operating-system folder (`\windows\*`), as
 * DESIGN.md and Defender's "core folders" describe it; Program Files is deliberately NOT core
 * (add it if your organisation wants approval there too). Temp: the per-user temp folder, the
 * Windows temp folder and the conventional root temp folders. Temp wins over core, so
 * `C:\Windows\Temp\x.exe` is temp.
 *
 * @example
 * ```ts
 * import { DEFAULT_WINDOWS_FOLDERS, classifyPath } from 'actioncenter';
 * classifyPath('C:\\Windows\\System32\\evil.dll', DEFAULT_WINDOWS_FOLDERS); // 'core'
 * ```
 */
export const DEFAULT_WINDOWS_FOLDERS: FolderClassification = Object.freeze({
  coreFolders: Object.freeze(['\\windows\\*']),
  tempFolders: Object.freeze(['\\users\\*\\appdata\\local\\temp\\*', '\\windows\\temp\\*', '\\temp\\*', '\\tmp\\*']),
});

/** A Windows path as classification sees it: its normal form, and whether its folder can be told. */
interface AnalysedPath {
  readonly normalised: string;
  readonly classable: boolean;
}

// Prefixes that name the root of a local volume: `\\?\`, `\\.\`, `\??\` (NT object names), a
// volume by GUID, and the NT device of a disk volume (`\Device\HarddiskVolume3\`, also behind
// `\\?\GLOBALROOT`). What follows them is a path from a volume's root.
const VOLUME_PREFIX =
  /^(?:\\\\[?.]\\|\\\?\?\\)(?:globalroot\\)?(?:device\\harddiskvolume\d+\\|volume\{[0-9a-f-]+\}\\)?|^\\device\\harddiskvolume\d+(?=\\|$)/;
// An administrative share (`\\host\C$\...`, also `\\?\UNC\host\C$\...`): that host's drive root.
const ADMIN_SHARE = /^\\\\(?:[?.]\\unc\\)?[^\\]+\\[a-z]\$(?=\\|$)/;
// The Windows folder under its other names: the NT symbolic link and the environment variables.
const WINDOWS_FOLDER_ALIAS = /^\\?(?:systemroot|%systemroot%|%windir%)(?=\\|$)/;

function analyseWindowsPath(path: string): AnalysedPath {
  let p = path.toLowerCase().replace(/\//g, '\\');
  let unc = false;
  let rooted = true;
  if (ADMIN_SHARE.test(p)) {
    p = p.replace(ADMIN_SHARE, '');
  } else if (p.startsWith('\\\\?\\unc\\') || p.startsWith('\\\\.\\unc\\')) {
    p = `\\\\${p.slice(8)}`;
    unc = true;
  } else if (VOLUME_PREFIX.test(p)) {
    // What follows is a drive path (`\\?\C:\...`) or a path from the volume's root.
    p = p.replace(VOLUME_PREFIX, '');
    if (!/^[a-z]:/.test(p) && !p.startsWith('\\')) p = `\\${p}`;
  } else if (p.startsWith('\\\\')) {
    unc = true;
  }
  if (!unc) {
    p = p.replace(WINDOWS_FOLDER_ALIAS, '\\windows');
    if (/^[a-z]:/.test(p)) {
      // `C:name` (no separator) is relative to that drive's current folder.
      rooted = p[2] === '\\';
      p = p.slice(2);
    } else {
      rooted = p.startsWith('\\');
    }
  }
  const segments: string[] = [];
  for (const raw of (unc ? p.slice(2) : p).split('\\')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      segments.pop();
      continue;
    }
    // A name made only of dots and spaces resolves to its folder, like '.'.
    const name = raw.replace(/[. ]+$/, '');
    if (name !== '') segments.push(name);
  }
  const folders = segments.slice(0, -1);
  const classable =
    !unc &&
    rooted &&
    !segments.some((name) => name.includes('%')) &&
    // An 8.3 short name (`window~1`) may stand for any long name; a stream suffix
    // (`windows::$index_allocation`) opens the folder itself.
    !folders.some((name) => /~\d/.test(name) || name.includes(':'));
  return { normalised: (unc ? '\\\\' : '\\') + segments.join('\\'), classable };
}

/**
 * Normalises a Windows path for classification: lower case, `/` read as `\`; the `\\?\`, `\\.\`
 * and `\??\` prefixes, volume GUIDs, NT disk devices (`\Device\HarddiskVolume3`), administrative
 * shares (`\\host\C$`) and the drive letter dropped; `\SystemRoot`, `%SystemRoot%` and `%windir%`
 * read as `\windows`; repeated separators collapsed, `.` and `..` segments resolved (never above
 * the root) and trailing dots and spaces of each name removed, as Win32 does. Without this,
 * `C:\Windows\Temp\..\System32\x.dll` would pass for a temp file. Other UNC paths keep their
 * leading `\\`. 8.3 short names and other environment variables cannot be expanded here:
 * {@link classifyPath} classes such paths `unknown`.
 *
 * @example
 * ```ts
 * import { normaliseWindowsPath } from 'actioncenter';
 * normaliseWindowsPath('C:/Windows/Temp/../System32/Evil.DLL'); // '\\windows\\system32\\evil.dll'
 * normaliseWindowsPath('\\Device\\HarddiskVolume3\\Windows\\x.dll'); // '\\windows\\x.dll'
 * ```
 */
export function normaliseWindowsPath(path: string): string {
  return analyseWindowsPath(path).normalised;
}

// Classic wildcard matching within one name; linear backtracking to the last `*`, so a hostile
// pattern cannot make it exponential (no regular expressions built from user data).
function nameMatches(glob: string, name: string): boolean {
  let g = 0;
  let n = 0;
  let starG = -1;
  let starN = 0;
  while (n < name.length) {
    if (g < glob.length && glob[g] === '*') {
      starG = g++;
      starN = n;
    } else if (g < glob.length && glob[g] === name[n]) {
      g++;
      n++;
    } else if (starG >= 0) {
      g = starG + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

function segmentsOf(normalised: string): string[] | null {
  // UNC and device paths are not local folders: no pattern applies.
  if (normalised.startsWith('\\\\')) return null;
  return normalised === '\\' ? [] : normalised.slice(1).split('\\');
}

/**
 * Does a path match one folder pattern? Both are normalised first; see
 * {@link FolderClassification} for the pattern language.
 *
 * @example
 * ```ts
 * import { pathMatchesFolderPattern } from 'actioncenter';
 * pathMatchesFolderPattern('D:\\Users\\bob\\AppData\\Local\\Temp\\a.exe', '\\users\\*\\appdata\\local\\temp\\*'); // true
 * ```
 */
export function pathMatchesFolderPattern(path: string, pattern: string): boolean {
  const pathSegments = segmentsOf(normaliseWindowsPath(path));
  const patternSegments = segmentsOf(normaliseWindowsPath(pattern));
  if (pathSegments === null || patternSegments === null) return false;
  const last = patternSegments.at(-1);
  if (last === '*') {
    const folder = patternSegments.slice(0, -1);
    return pathSegments.length > folder.length && folder.every((glob, i) => nameMatches(glob, pathSegments[i] ?? ''));
  }
  return (
    pathSegments.length === patternSegments.length &&
    patternSegments.every((glob, i) => nameMatches(glob, pathSegments[i] ?? ''))
  );
}

/**
 * Classifies a file path as `core`, `temp` or `other` under a classification, or `unknown` when
 * its folder cannot be told (see {@link FOLDER_CLASSES}). Temp wins over core (`\windows\temp\*`
 * is inside `\windows\*`).
 *
 * @example
 * ```ts
 * import { classifyPath, DEFAULT_WINDOWS_FOLDERS } from 'actioncenter';
 * classifyPath('c:\\windows\\temp\\dropper.exe', DEFAULT_WINDOWS_FOLDERS); // 'temp'
 * classifyPath('C:\\Users\\bob\\Downloads\\x.exe', DEFAULT_WINDOWS_FOLDERS); // 'other'
 * ```
 */
export function classifyPath(path: string, classification: FolderClassification): FolderClass {
  if (!analyseWindowsPath(path).classable) return 'unknown';
  if (classification.tempFolders.some((pattern) => pathMatchesFolderPattern(path, pattern))) return 'temp';
  if (classification.coreFolders.some((pattern) => pathMatchesFolderPattern(path, pattern))) return 'core';
  return 'other';
}

/**
 * The file-system path a target designates, if any: a file's path, or a driver's path when
 * known. Every other target (devices, processes, registry keys, services, scheduled tasks, email,
 * identities) has none.
 *
 * @example
 * ```ts
 * import { pathOfTarget } from 'actioncenter';
 * pathOfTarget({ kind: 'url', url: 'https://evil.example/' }); // null
 * ```
 */
export function pathOfTarget(target: Target): string | null {
  switch (target.kind) {
    case 'file':
      return target.path;
    case 'driver':
      return target.path;
    case 'device':
    case 'process':
    case 'registryKey':
    case 'service':
    case 'scheduledTask':
    case 'emailMessage':
    case 'emailCluster':
    case 'url':
    case 'mailbox':
    case 'user':
    case 'indicator':
      return null;
    default:
      return assertNever(target);
  }
}

// ---------------------------------------------------------------------------------------------
// Policy data
// ---------------------------------------------------------------------------------------------

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Seven days: how long an action waits in Pending before it expires, by default (Defender's
 * pending actions expire after a week; the behaviour is the same as a rejection).
 *
 * @example
 * ```ts
 * import { DEFAULT_PENDING_EXPIRY_MS } from 'actioncenter';
 * DEFAULT_PENDING_EXPIRY_MS / 86_400_000; // 7
 * ```
 */
export const DEFAULT_PENDING_EXPIRY_MS = 7 * DAY_MS;

const deviceGroupName = z
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
 *   366 days).
 *
 * @example
 * ```ts
 * import { ApprovalPolicyConfigSchema } from 'actioncenter';
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
});

/**
 * The approval policy configuration as accepted on input (every field optional).
 *
 * @example
 * ```ts
 * import type { ApprovalPolicyConfig } from 'actioncenter';
 * const config: ApprovalPolicyConfig = { automationLevels: { Servers: 'semiAll' } };
 * ```
 */
export type ApprovalPolicyConfig = z.input<typeof ApprovalPolicyConfigSchema>;

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
    }),
  );
}

/**
 * The default approval policy: every device group at `full`, the default Windows folders, pending
 * actions expiring after 7 days.
 *
 * @example
 * ```ts
 * import { DEFAULT_APPROVAL_POLICY } from 'actioncenter';
 * DEFAULT_APPROVAL_POLICY.defaultAutomationLevel; // 'full'
 * ```
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = (() => {
  const r = createApprovalPolicy();
  if (!r.ok) throw new Error(`The default approval policy is invalid: ${r.error.message}`);
  return r.value;
})();

/**
 * Sets the automation level of one device group (an admin UI's "edit device group" form). Returns a
 * new, validated policy; the given one is untouched. Bad input is an `invalidInput` error.
 *
 * @example
 * ```ts
 * import { DEFAULT_APPROVAL_POLICY, setAutomationLevel } from 'actioncenter';
 * const r = setAutomationLevel(DEFAULT_APPROVAL_POLICY, 'Servers', 'semiAll');
 * if (r.ok) r.value.automationLevels.Servers; // 'semiAll'
 * ```
 */
export function setAutomationLevel(
  policy: ApprovalPolicy,
  deviceGroup: unknown,
  level: unknown,
): Result<ApprovalPolicy, InvalidInputError> {
  const input = safeParseInput(AutomationLevelEditSchema, { deviceGroup, level }, 'automation level');
  if (!input.ok) return input;
  const config = readConfig(policy);
  if (!config.ok) return config;
  // immer keeps the update readable on a frozen, nested policy; the result is validated like any config.
  return createApprovalPolicy(
    produce(config.value, (draft) => {
      draft.automationLevels[input.value.deviceGroup] = input.value.level;
    }),
  );
}

/**
 * Removes a device group's own automation level, so it falls back to the default level.
 *
 * @example
 * ```ts
 * import { createApprovalPolicy, clearAutomationLevel } from 'actioncenter';
 * const p = createApprovalPolicy({ automationLevels: { Servers: 'none' } });
 * if (p.ok) clearAutomationLevel(p.value, 'Servers').automationLevels; // {}
 * ```
 */
export function clearAutomationLevel(policy: ApprovalPolicy, deviceGroup: string): ApprovalPolicy {
  const config = readConfig(policy);
  if (typeof deviceGroup !== 'string' || !config.ok || !Object.hasOwn(config.value.automationLevels, deviceGroup))
    return policy;
  const next = createApprovalPolicy(
    produce(config.value, (draft) => {
      delete draft.automationLevels[deviceGroup];
    }),
  );
  // Removing a key from a valid policy leaves a valid policy.
  return next.ok ? next.value : policy;
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

const AutomationLevelEditSchema = z.strictObject({ deviceGroup: deviceGroupName, level: AutomationLevelSchema });

/** A policy given back to an editor is read inside a guard: it may not be one this module built. */
function readConfig(policy: ApprovalPolicy): Result<ReturnType<typeof toConfig>, InvalidInputError> {
  try {
    return ok(toConfig(policy));
  } catch (cause) {
    return err(unreadableInput('approval policy', cause));
  }
}

function toConfig(policy: ApprovalPolicy): {
  automationLevels: Record<string, AutomationLevel>;
  defaultAutomationLevel: AutomationLevel;
  folders: { coreFolders: string[]; tempFolders: string[] };
  pendingExpiryMs: number;
} {
  return {
    automationLevels: { ...policy.automationLevels },
    defaultAutomationLevel: policy.defaultAutomationLevel,
    folders: { coreFolders: [...policy.folders.coreFolders], tempFolders: [...policy.folders.tempFolders] },
    pendingExpiryMs: policy.pendingExpiryMs,
  };
}

/**
 * The automation level that applies to a device group (`null`: a target without one).
 *
 * @example
 * ```ts
 * import { automationLevelFor, DEFAULT_APPROVAL_POLICY } from 'actioncenter';
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

// ---------------------------------------------------------------------------------------------
// Decisions
// ---------------------------------------------------------------------------------------------

/**
 * The rules that can decide a request, each named once so a UI or audit can say which one did.
 *
 * @example
 * ```ts
 * import { APPROVAL_RULES } from 'actioncenter';
 * APPROVAL_RULES.includes('emailNeverAutomatic'); // true
 * ```
 */
export const APPROVAL_RULES = [
  /** Seed 004: automated email remediation always waits for approval. */
  'emailNeverAutomatic',
  /** Automated identity remediation always waits for approval. */
  'identityNeedsApproval',
  /** Antivirus protection remediates a detection at once where the device group's automation level lets it. */
  'antivirusRemediates',
  'automationLevelFull',
  'automationLevelSemiCoreFolders',
  'automationLevelSemiNonTempFolders',
  'automationLevelSemiAll',
  'automationLevelNone',
  /** A manual action: taken directly (authorization is checked separately). */
  'manualAction',
  /** The requester proposed the action: someone else approves it. */
  'proposal',
  /** The request and the action type given do not belong together. */
  'inconsistentInput',
] as const;

/**
 * One of {@link APPROVAL_RULES}.
 *
 * @example
 * ```ts
 * import type { ApprovalRule } from 'actioncenter';
 * const r: ApprovalRule = 'automationLevelSemiAll';
 * ```
 */
export type ApprovalRule = (typeof APPROVAL_RULES)[number];

/**
 * Why a request starts pending: a closed set of codes.
 *
 * @example
 * ```ts
 * import { PENDING_REASONS } from 'actioncenter';
 * PENDING_REASONS.includes('coreFolder'); // true
 * ```
 */
export const PENDING_REASONS = [
  /** Email remediation is taken only upon approval (seed 004). */
  'emailRequiresApproval',
  /** Automated identity remediation is taken only upon approval. */
  'identityRequiresApproval',
  /** The investigation's verdict is suspicious or missing: only malicious entities are remediated at once. */
  'verdictNotMalicious',
  /** `semiCoreFolders`: the file is in a core folder. */
  'coreFolder',
  /** `semiNonTempFolders`: the file is not in a temp folder (or has no path). */
  'notTempFolder',
  /** A semi-automatic folder level: the file's folder cannot be told (`unknown`), so it waits. */
  'unclassifiedFolder',
  /** `semiAll`: every remediation needs approval. */
  'approvalRequiredForAll',
  /** The requester proposed the action instead of taking it. */
  'proposed',
] as const;

/**
 * One of {@link PENDING_REASONS}.
 *
 * @example
 * ```ts
 * import type { PendingReason } from 'actioncenter';
 * const r: PendingReason = 'verdictNotMalicious';
 * ```
 */
export type PendingReason = (typeof PENDING_REASONS)[number];

/**
 * Why a request is refused outright: a closed set of codes.
 *
 * @example
 * ```ts
 * import { APPROVAL_REFUSAL_REASONS } from 'actioncenter';
 * APPROVAL_REFUSAL_REASONS.includes('noAutomatedResponse'); // true
 * ```
 */
export const APPROVAL_REFUSAL_REASONS = [
  /** Automation level `none`: no automated action is accepted. */
  'noAutomatedResponse',
  /** `request.actionType` is not the id of the action type given. */
  'actionTypeMismatch',
] as const;

/**
 * One of {@link APPROVAL_REFUSAL_REASONS}.
 *
 * @example
 * ```ts
 * import type { ApprovalRefusalReason } from 'actioncenter';
 * const r: ApprovalRefusalReason = 'noAutomatedResponse';
 * ```
 */
export type ApprovalRefusalReason = (typeof APPROVAL_REFUSAL_REASONS)[number];

/**
 * What the approval policy decided about a request: take it now, let it wait in Pending, or
 * refuse it. Every outcome names the deciding `rule`, carries a message a person can read, and
 * the facts it used (`automationLevel`, `folder`; `null` when they did not apply).
 *
 * @example
 * ```ts
 * import type { ApprovalDecision } from 'actioncenter';
 * const initialStatus = (d: ApprovalDecision) => (d.outcome === 'takeNow' ? 'approved' : d.outcome === 'pending' ? 'pending' : null);
 * ```
 */
export type ApprovalDecision =
  | (ApprovalFacts & { readonly outcome: 'takeNow' })
  | (ApprovalFacts & { readonly outcome: 'pending'; readonly reason: PendingReason })
  | (ApprovalFacts & { readonly outcome: 'refused'; readonly reason: ApprovalRefusalReason });

/**
 * What every {@link ApprovalDecision} carries.
 *
 * @example
 * ```ts
 * import type { ApprovalFacts } from 'actioncenter';
 * const explain = (f: ApprovalFacts) => `${f.rule}: ${f.message}`;
 * ```
 */
export interface ApprovalFacts {
  /** The rule that decided (`email.neverAutomatic`, `automationLevel.full`, ...). */
  readonly rule: ApprovalRule;
  /** What happened, in a sentence a person can read; for logs and UIs, not for matching. */
  readonly message: string;
  /** The automation level consulted, or null when none was (manual, email, identity). */
  readonly automationLevel: AutomationLevel | null;
  /** The folder class consulted, or null when the rule did not look at folders. */
  readonly folder: FolderClass | null;
}

interface Facts {
  automationLevel?: AutomationLevel;
  folder?: FolderClass;
}

const takeNow = (rule: ApprovalRule, message: string, facts: Facts = {}): ApprovalDecision => ({
  outcome: 'takeNow',
  rule,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});
const pending = (rule: ApprovalRule, reason: PendingReason, message: string, facts: Facts = {}): ApprovalDecision => ({
  outcome: 'pending',
  rule,
  reason,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});
const refused = (
  rule: ApprovalRule,
  reason: ApprovalRefusalReason,
  message: string,
  facts: Facts = {},
): ApprovalDecision => ({
  outcome: 'refused',
  rule,
  reason,
  message,
  automationLevel: facts.automationLevel ?? null,
  folder: facts.folder ?? null,
});

/**
 * Decides whether a request is taken now, starts pending, or is refused. The rules, in order:
 *
 * 1. A request whose `actionType` is not the given type's id is refused (`actionTypeMismatch`).
 * 2. Automated sources (automated device/email actions, antivirus):
 *    - email workload → pending (seed 004: "no remediation actions are taken automatically");
 *    - identity workload → pending (automated identity remediation always waits for a person);
 *    - endpoint, automated investigation or antivirus → by the automation level of the target's device group
 *      (targets without a device use `defaultAutomationLevel`):
 *      `none` → refused; `semiAll` → pending; `semiCoreFolders` → pending for a file in a core
 *      folder; `semiNonTempFolders` → pending unless the file is in a temp folder; and at every
 *      level a verdict other than `malicious` (suspicious or none) → pending, since no level is
 *      more automatic than `full`. Targets without a path count as `other`: they pass
 *      `semiCoreFolders` and wait under `semiNonTempFolders`; a path whose folder cannot be told
 *      (`unknown`) waits under both. Antivirus detections are convictions: without a verdict they
 *      count as malicious (a `suspicious` one still waits), so at the default level (`full`) antivirus
 *      remediation is taken at once, as seed 002's History shows, while a level that asks for approval
 *      makes it pending, as seed 000 says pending actions "can arise from antivirus/antimalware
 *      protection".
 * 3. Manual sources → taken now (the engine checks the principal's authorization separately).
 * 4. Finally, `request.propose === true` never runs at once: what would be taken now starts
 *    pending instead (`proposed`), for someone else to approve (Explorer's two-step remediation).
 *    A refusal stays a refusal.
 *
 * @example
 * ```ts
 * import { decideApproval, parseActionRequest, unwrap, builtInCatalog, DEFAULT_APPROVAL_POLICY } from 'actioncenter';
 * const request = unwrap(parseActionRequest({
 *   actionType: 'quarantineFile', source: 'automatedDeviceAction', verdict: 'suspicious',
 *   target: { kind: 'file', deviceId: 'd1', deviceName: 'PC-1', deviceGroup: 'G', path: 'C:\\Users\\bob\\x.exe' },
 *   requestedBy: { type: 'system', component: 'automatedInvestigation' },
 * }));
 * decideApproval(request, builtInCatalog.require('quarantineFile'), DEFAULT_APPROVAL_POLICY).outcome; // 'pending'
 * ```
 */
export function decideApproval(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
): ApprovalDecision {
  if (request.actionType !== actionType.id) {
    return refused(
      'inconsistentInput',
      'actionTypeMismatch',
      `The request is for "${request.actionType.slice(0, 100)}" but the action type given is "${actionType.id}"`,
    );
  }
  const decision = decideBySource(request, actionType, policy);
  if (request.propose && decision.outcome === 'takeNow') {
    return pending('proposal', 'proposed', `"${actionType.displayName}" was proposed: another person must approve it`, {
      ...(decision.automationLevel === null ? {} : { automationLevel: decision.automationLevel }),
      ...(decision.folder === null ? {} : { folder: decision.folder }),
    });
  }
  return decision;
}

function decideBySource(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
): ApprovalDecision {
  switch (request.source) {
    case 'manualDeviceAction':
    case 'manualEmailAction':
    case 'advancedHuntingAction':
    case 'explorerAction':
    case 'manualLiveResponseAction':
    case 'liveResponseAction':
      return takeNow(
        'manualAction',
        `A manual "${actionType.displayName}" is taken directly by the person who requested it`,
      );
    case 'antivirus':
      return decideAutomated(request, actionType, policy, 'antivirus');
    case 'automatedDeviceAction':
    case 'automatedEmailAction':
      return decideAutomated(request, actionType, policy, 'investigation');
    default:
      return assertNever(request.source);
  }
}

function decideAutomated(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
  origin: 'antivirus' | 'investigation',
): ApprovalDecision {
  switch (actionType.workload) {
    case 'email':
      return pending(
        'emailNeverAutomatic',
        'emailRequiresApproval',
        `No email remediation is taken automatically: "${actionType.displayName}" waits for approval by the security team`,
      );
    case 'identity':
      return pending(
        'identityNeedsApproval',
        'identityRequiresApproval',
        `Automated identity remediation waits for approval: "${actionType.displayName}"`,
      );
    case 'endpoint':
      return decideByAutomationLevel(request, actionType, policy, origin);
    default:
      return assertNever(actionType.workload);
  }
}

function decideByAutomationLevel(
  request: ActionRequest,
  actionType: ActionTypeDefinition,
  policy: ApprovalPolicy,
  origin: 'antivirus' | 'investigation',
): ApprovalDecision {
  const deviceGroup = deviceOf(request.target)?.deviceGroup ?? null;
  const level = automationLevelFor(policy, deviceGroup);
  const where = deviceGroup === null ? 'the default automation level' : `device group "${deviceGroup}"`;
  const path = pathOfTarget(request.target);
  const folder: FolderClass = path === null ? 'other' : classifyPath(path, policy.folders);
  const name = actionType.displayName;
  // An antivirus detection is a conviction: without a verdict it counts as malicious.
  const convicted = request.verdict === 'malicious' || (origin === 'antivirus' && request.verdict === null);
  const verdictGate = (rule: ApprovalRule, facts: Facts): ApprovalDecision =>
    convicted
      ? origin === 'antivirus'
        ? takeNow(
            'antivirusRemediates',
            `Antivirus protection took "${name}" (${AUTOMATION_LEVEL_LABELS[level]})`,
            facts,
          )
        : takeNow(
            rule,
            `"${name}" on a malicious entity is taken automatically (${AUTOMATION_LEVEL_LABELS[level]})`,
            facts,
          )
      : pending(
          rule,
          'verdictNotMalicious',
          `"${name}" waits for approval: the verdict is ${request.verdict ?? 'not given'}, and only malicious entities are remediated automatically`,
          facts,
        );
  const unclassified = (): ApprovalDecision =>
    pending(
      level === 'semiCoreFolders' ? 'automationLevelSemiCoreFolders' : 'automationLevelSemiNonTempFolders',
      'unclassifiedFolder',
      `"${name}" waits for approval: the folder of "${path ?? ''}" cannot be told for sure (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
      { automationLevel: level, folder },
    );
  switch (level) {
    case 'full':
      return verdictGate('automationLevelFull', { automationLevel: level });
    case 'semiCoreFolders':
      if (folder === 'unknown') return unclassified();
      return folder === 'core'
        ? pending(
            'automationLevelSemiCoreFolders',
            'coreFolder',
            `"${name}" waits for approval: the file is in a core folder (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
            { automationLevel: level, folder },
          )
        : verdictGate('automationLevelSemiCoreFolders', { automationLevel: level, folder });
    case 'semiNonTempFolders':
      if (folder === 'unknown') return unclassified();
      return folder === 'temp'
        ? verdictGate('automationLevelSemiNonTempFolders', { automationLevel: level, folder })
        : pending(
            'automationLevelSemiNonTempFolders',
            'notTempFolder',
            `"${name}" waits for approval: ${path === null ? 'the target has no file path' : 'the file is not in a temp folder'} (${where}: ${AUTOMATION_LEVEL_LABELS[level]})`,
            { automationLevel: level, folder },
          );
    case 'semiAll':
      return pending(
        'automationLevelSemiAll',
        'approvalRequiredForAll',
        `"${name}" waits for approval: ${where} requires approval for any remediation`,
        { automationLevel: level },
      );
    case 'none':
      return refused(
        'automationLevelNone',
        'noAutomatedResponse',
        `"${name}" is refused: ${where} has no automated response, so no automated action is accepted`,
        { automationLevel: level },
      );
    default:
      return assertNever(level);
  }
}
