/**
 * The built-in catalogue: every action type the seeds and DESIGN.md name, plus the counterparts
 * that undo them.
 *
 * Parameter schemas are strict objects (an unknown key is refused, so a misspelt optional parameter
 * is an error rather than silently dropped) and JSON-faithful: an absent optional parameter is `null`
 * after parsing, never `undefined`, and the only transform (hash lower-casing) is idempotent, so a
 * parsed value parses again to itself after a trip through storage.
 *
 * Every built-in type retries transient failures (an executor answer with `retryable: true`) by
 * `DEFAULT_RETRY_POLICY`: three starts at most, 30 s then 60 s apart.
 *
 * Deadlines, retries and cancellability are the library's defaults, not vendor facts: a user who needs other
 * values defines their own types (or copies these with changes) and builds their own catalogue with
 * `createCatalog`.
 *
 * @module
 */
import * as z from 'zod';
import { DEFAULT_RETRY_POLICY } from './retry-policy.js';
import {
  defineActionType as defineWithoutRetry,
  type ActionTypeInput,
  type TargetCheck,
  type UndoSpec,
} from './action-type.js';
import { createCatalog, type Catalog } from './catalog.js';
import { HttpUrlSchema, Sha1Schema, type TargetKind } from './targets.js';
import { unwrap } from '../result.js';

// The built-in types' definitions: the default retry policy unless one says otherwise.
function defineActionType<const Id extends string, P extends z.ZodType, K extends TargetKind>(
  input: ActionTypeInput<Id, P, K>,
) {
  return defineWithoutRetry<Id, P, K>({ retry: DEFAULT_RETRY_POLICY, ...input });
}

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

// Default deadlines (see the module header: a user overrides them by defining their own catalogue).
/** Remediations on one device (quarantine, isolate, stop, release...): minutes in practice. */
const DEVICE_ACTION_DEADLINE = HOUR;
/** A full scan of a large disk takes hours; the deadline cannot depend on `scanType`, so it fits the slow case. */
const ANTIVIRUS_SCAN_DEADLINE = 6 * HOUR;
/** Collecting and uploading packages, samples and forensic data. */
const COLLECTION_DEADLINE = 3 * HOUR;
/** A hunt walks the whole device. */
const HUNT_DEADLINE = 6 * HOUR;
/** Email actions on one message, mailbox or URL. */
const EMAIL_ACTION_DEADLINE = 30 * MINUTE;
/** A cluster soft delete touches every matching message in every mailbox. */
const EMAIL_CLUSTER_DEADLINE = 2 * HOUR;
/** Tenant-wide settings (indicators) and directory changes (users). */
const DIRECTORY_DEADLINE = 30 * MINUTE;

/** Undo by a counterpart, needing Security Administrator (m365d-autoir-actions.md). */
const undoneBy = (counterpart: string): UndoSpec => ({ counterpart, requiredRole: 'securityAdministrator' });

// Parameter schemas. A fresh schema per type, so that a user who wraps or extends one changes no other.
const noParameters = () => z.strictObject({});
const optionalText = (max: number) => z.string().trim().min(1).max(max).nullable().default(null);
/** An email message acted on: its network message id (the same one the target carries). */
const emailMessageParameters = () => z.strictObject({ networkMessageId: z.string().trim().min(1).max(1024) });

// Checks of parameters against the target (issue: a soft delete naming one message on a target that
// is another, or a stop-and-quarantine hash that is not the file's, must not reach an executor).
/** The message the parameters name is the target message. */
const sameMessage: TargetCheck<{ networkMessageId: string }, 'emailMessage'> = (parameters, target) =>
  parameters.networkMessageId === target.networkMessageId.trim()
    ? []
    : [
        {
          path: ['networkMessageId'],
          message: `must be the target message's network message id ("${target.networkMessageId}")`,
        },
      ];
/** The hash the parameters name is the target file's SHA-1, when the target carries one. */
const sameSha1: TargetCheck<{ sha1: string }, 'file'> = (parameters, target) =>
  target.sha1 === null || target.sha1.toLowerCase() === parameters.sha1.toLowerCase()
    ? []
    : [{ path: ['sha1'], message: `must be the target file's SHA-1 (${target.sha1})` }];
/** The URL the parameters name is the target URL (compared as URLs: case of the host, default port). */
const sameUrl: TargetCheck<{ url: string }, 'url'> = (parameters, target) =>
  normalUrl(parameters.url) === normalUrl(target.url)
    ? []
    : [{ path: ['url'], message: `must be the target URL (${target.url})` }];
const normalUrl = (url: string): string => {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
};

// ---------------------------------------------------------------------------------------------
// Automated investigation (devices): seed 000, "Automated investigations".

const quarantineFile = defineActionType({
  id: 'quarantineFile',
  displayName: 'Quarantine file',
  description: 'Stops a file from running and sends it to quarantine on the device.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  undo: undoneBy('releaseFromQuarantine'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const removeRegistryKey = defineActionType({
  id: 'removeRegistryKey',
  displayName: 'Remove registry key',
  description: 'Removes a registry key (or value) that a threat created or changed.',
  workload: 'endpoint',
  targetKind: 'registryKey',
  parameters: noParameters(),
  undo: undoneBy('restoreRegistryKey'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const killProcess = defineActionType({
  id: 'killProcess',
  displayName: 'Kill process',
  description: 'Stops a process from running on the device.',
  workload: 'endpoint',
  targetKind: 'process',
  parameters: noParameters(),
  // A killed process cannot be brought back: seed 001 does not list it among the undoable actions.
  undo: null,
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const stopService = defineActionType({
  id: 'stopService',
  displayName: 'Stop service',
  description: 'Stops a service and keeps it from starting again.',
  workload: 'endpoint',
  targetKind: 'service',
  parameters: noParameters(),
  undo: undoneBy('restoreService'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const disableDriver = defineActionType({
  id: 'disableDriver',
  displayName: 'Disable driver',
  description: 'Disables a driver so that it is no longer loaded.',
  workload: 'endpoint',
  targetKind: 'driver',
  parameters: noParameters(),
  undo: undoneBy('enableDriver'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const removeScheduledTask = defineActionType({
  id: 'removeScheduledTask',
  displayName: 'Remove scheduled task',
  description: 'Completely removes a scheduled task from the device.',
  workload: 'endpoint',
  targetKind: 'scheduledTask',
  parameters: noParameters(),
  undo: undoneBy('restoreScheduledTask'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

// ---------------------------------------------------------------------------------------------
// Manual response actions: seed 000, "Manual response actions".

const runAntivirusScan = defineActionType({
  id: 'runAntivirusScan',
  displayName: 'Run antivirus scan',
  description: 'Runs a quick or full Microsoft Defender Antivirus scan on the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({ scanType: z.enum(['quick', 'full']) }),
  cancellableWhileRunning: true,
  deadlineMs: ANTIVIRUS_SCAN_DEADLINE,
});

const isolateDevice = defineActionType({
  id: 'isolateDevice',
  displayName: 'Isolate device',
  description:
    'Isolates the device from the network, fully or selectively, while keeping its connection to the security service.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({ isolationType: z.enum(['full', 'selective']) }),
  undo: undoneBy('releaseFromIsolation'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
  // Never open beside its release on one device (issue 16: isolate/release completing out of order).
  conflictGroup: 'isolation',
});

const addIndicator = defineActionType({
  id: 'addIndicator',
  displayName: 'Add indicator',
  description: 'Adds an indicator to block or allow a file (or another entity) across the organisation.',
  workload: 'endpoint',
  targetKind: 'indicator',
  parameters: z.strictObject({
    indicatorAction: z.enum(['block', 'allow']),
    title: optionalText(200),
    description: optionalText(2000),
  }),
  deadlineMs: DIRECTORY_DEADLINE,
});

const restrictCodeExecution = defineActionType({
  id: 'restrictCodeExecution',
  displayName: 'Restrict code execution',
  description: 'Restricts the device to running only code signed by Microsoft.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  undo: undoneBy('releaseCodeExecution'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
  conflictGroup: 'codeExecution',
});

// ---------------------------------------------------------------------------------------------
// Live response: seed 000, "Live response". Collection, analysis, scripts and hunts may be
// cancelled while running; remediations may not (a half-done remediation is worse than either end).

const collectForensicData = defineActionType({
  id: 'collectForensicData',
  displayName: 'Collect forensic data',
  description: 'Collects forensic data from the device in a live response session.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: COLLECTION_DEADLINE,
});

const analyzeFile = defineActionType({
  id: 'analyzeFile',
  displayName: 'Analyze file',
  description: 'Analyzes a file on the device in a live response session.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: COLLECTION_DEADLINE,
});

const runScript = defineActionType({
  id: 'runScript',
  displayName: 'Run script',
  description: 'Runs a script from the live response library on the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: z.strictObject({
    // A name in the script library, not a path: no separators, no control characters.
    scriptName: z
      .string()
      .min(1)
      .max(255)
      .regex(
        /^[^\\/\p{Cc}\p{Cf}]+$/u,
        'must be a script name from the library, without path separators or control characters',
      ),
    args: z.string().max(4096).nullable().default(null),
  }),
  cancellableWhileRunning: true,
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const sendForAnalysis = defineActionType({
  id: 'sendForAnalysis',
  displayName: 'Send entity for analysis',
  description: 'Sends a suspicious entity to Microsoft for analysis.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: COLLECTION_DEADLINE,
});

const remediateFile = defineActionType({
  id: 'remediateFile',
  displayName: 'Remediate file',
  description: 'Remediates a malicious file on the device in a live response session.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const huntForThreats = defineActionType({
  id: 'huntForThreats',
  displayName: 'Hunt for threats',
  description: 'Proactively hunts for threats on the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: HUNT_DEADLINE,
});

// ---------------------------------------------------------------------------------------------
// Tracked in the Action center: seed 002, "Actions tracked in the Action center" (and seed 003).

const collectInvestigationPackage = defineActionType({
  id: 'collectInvestigationPackage',
  displayName: 'Collect investigation package',
  description: 'Collects an investigation package of forensic information from the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: COLLECTION_DEADLINE,
});

const offboardMachine = defineActionType({
  id: 'offboardMachine',
  displayName: 'Offboard machine',
  description: 'Offboards the device from the security service.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const releaseCodeExecution = defineActionType({
  id: 'releaseCodeExecution',
  displayName: 'Release code execution',
  description: 'Lifts a code execution restriction from the device.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  undoes: ['restrictCodeExecution'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
  conflictGroup: 'codeExecution',
});

const releaseFromQuarantine = defineActionType({
  id: 'releaseFromQuarantine',
  displayName: 'Release from quarantine',
  description: 'Restores a quarantined file to where it was.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  undoes: ['quarantineFile'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const releaseFromIsolation = defineActionType({
  id: 'releaseFromIsolation',
  displayName: 'Release from isolation',
  description: 'Reconnects an isolated device to the network.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  undoes: ['isolateDevice'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
  conflictGroup: 'isolation',
});

const requestSample = defineActionType({
  id: 'requestSample',
  displayName: 'Request sample',
  description: 'Collects a sample of a file from the device for deep analysis.',
  workload: 'endpoint',
  targetKind: 'file',
  parameters: noParameters(),
  cancellableWhileRunning: true,
  deadlineMs: COLLECTION_DEADLINE,
});

const stopAndQuarantineFile = defineActionType({
  id: 'stopAndQuarantineFile',
  displayName: 'Stop and quarantine',
  description: 'Stops every running process of a file, identified by its SHA-1, and quarantines it.',
  workload: 'endpoint',
  targetKind: 'file',
  // The product finds the file by hash, so the hash is required even though a file target's is optional.
  parameters: z.strictObject({ sha1: Sha1Schema }),
  checkTarget: sameSha1,
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const containDevice = defineActionType({
  id: 'containDevice',
  displayName: 'Contain device',
  description: 'Contains a device from the network, so that other devices stop communicating with it.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  undo: undoneBy('releaseFromContainment'),
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

// ---------------------------------------------------------------------------------------------
// Email (AIR): seed 004's table, plus the message moves Explorer and hunting offer. None is undoable.

const blockUrl = defineActionType({
  id: 'blockUrl',
  displayName: 'Block URL (time-of-click)',
  description:
    'Protects against email messages and documents that contain malicious URLs, by blocking the link when a user clicks it.',
  workload: 'email',
  targetKind: 'url',
  parameters: z.strictObject({ url: HttpUrlSchema }),
  checkTarget: sameUrl,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const softDeleteEmail = defineActionType({
  id: 'softDeleteEmail',
  displayName: 'Soft delete email',
  description:
    "Soft deletes specific email messages from a user's mailbox, moving them to the Recoverable Items folder.",
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: emailMessageParameters(),
  checkTarget: sameMessage,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const softDeleteEmailClusters = defineActionType({
  id: 'softDeleteEmailClusters',
  displayName: 'Soft delete email clusters',
  description: "Soft deletes malicious email messages matching a query from all users' mailboxes.",
  workload: 'email',
  targetKind: 'emailCluster',
  parameters: z.strictObject({ query: z.string().trim().min(1).max(4096) }),
  deadlineMs: EMAIL_CLUSTER_DEADLINE,
});

const turnOffExternalMailForwarding = defineActionType({
  id: 'turnOffExternalMailForwarding',
  displayName: 'Turn off external mail forwarding',
  description: "Removes a forwarding rule from a specific end user's mailbox.",
  workload: 'email',
  targetKind: 'mailbox',
  // Null: every external forwarding rule of the mailbox.
  parameters: z.strictObject({ forwardingRuleName: optionalText(256) }),
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const moveToJunk = defineActionType({
  id: 'moveToJunk',
  displayName: 'Move to junk',
  description: "Moves an email message to the Junk Email folder of the user's mailbox.",
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: emailMessageParameters(),
  checkTarget: sameMessage,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const moveToInbox = defineActionType({
  id: 'moveToInbox',
  displayName: 'Move to inbox',
  description: "Moves an email message back to the Inbox of the user's mailbox.",
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: emailMessageParameters(),
  checkTarget: sameMessage,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const moveToDeletedItems = defineActionType({
  id: 'moveToDeletedItems',
  displayName: 'Move to deleted items',
  description: "Moves an email message to the Deleted Items folder of the user's mailbox.",
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: emailMessageParameters(),
  checkTarget: sameMessage,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

const hardDeleteEmail = defineActionType({
  id: 'hardDeleteEmail',
  displayName: 'Hard delete email',
  description: "Permanently deletes an email message from the user's mailbox.",
  workload: 'email',
  targetKind: 'emailMessage',
  parameters: emailMessageParameters(),
  checkTarget: sameMessage,
  deadlineMs: EMAIL_ACTION_DEADLINE,
});

// ---------------------------------------------------------------------------------------------
// Identity.

const disableUser = defineActionType({
  id: 'disableUser',
  displayName: 'Disable user',
  description: 'Disables a user account so that it can no longer sign in.',
  workload: 'identity',
  targetKind: 'user',
  parameters: noParameters(),
  deadlineMs: DIRECTORY_DEADLINE,
});

const containUser = defineActionType({
  id: 'containUser',
  displayName: 'Contain user',
  description: 'Contains a compromised user account, blocking its access to the devices it could reach.',
  workload: 'identity',
  targetKind: 'user',
  parameters: noParameters(),
  // DESIGN.md, Undo eligibility: undoing contain user needs Global Administrator.
  undo: { counterpart: 'releaseContainedUser', requiredRole: 'globalAdministrator' },
  deadlineMs: DIRECTORY_DEADLINE,
});

// ---------------------------------------------------------------------------------------------
// Undo counterparts not named in the seeds' tables. Counterparts are never undoable themselves.

const restoreRegistryKey = defineActionType({
  id: 'restoreRegistryKey',
  displayName: 'Restore registry key',
  description: 'Restores a removed registry key (or value).',
  workload: 'endpoint',
  targetKind: 'registryKey',
  parameters: noParameters(),
  undoes: ['removeRegistryKey'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const restoreService = defineActionType({
  id: 'restoreService',
  displayName: 'Restore service',
  description: 'Restores a stopped service to its previous start configuration.',
  workload: 'endpoint',
  targetKind: 'service',
  parameters: noParameters(),
  undoes: ['stopService'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const enableDriver = defineActionType({
  id: 'enableDriver',
  displayName: 'Enable driver',
  description: 'Enables a disabled driver again.',
  workload: 'endpoint',
  targetKind: 'driver',
  parameters: noParameters(),
  undoes: ['disableDriver'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const restoreScheduledTask = defineActionType({
  id: 'restoreScheduledTask',
  displayName: 'Restore scheduled task',
  description: 'Restores a removed scheduled task.',
  workload: 'endpoint',
  targetKind: 'scheduledTask',
  parameters: noParameters(),
  undoes: ['removeScheduledTask'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const releaseFromContainment = defineActionType({
  id: 'releaseFromContainment',
  displayName: 'Release from containment',
  description: 'Releases a contained device so that other devices may communicate with it again.',
  workload: 'endpoint',
  targetKind: 'device',
  parameters: noParameters(),
  undoes: ['containDevice'],
  deadlineMs: DEVICE_ACTION_DEADLINE,
});

const releaseContainedUser = defineActionType({
  id: 'releaseContainedUser',
  displayName: 'Release contained user',
  description: 'Releases a contained user account.',
  workload: 'identity',
  targetKind: 'user',
  parameters: noParameters(),
  undoes: ['containUser'],
  deadlineMs: DIRECTORY_DEADLINE,
});

/**
 * Every built-in action type, keyed by id, in the order of DESIGN.md's table (undo counterparts the
 * table does not name come last).
 *
 * @example
 * ```ts
 * import { builtInActionTypeMap } from 'actioncenter';
 * builtInActionTypeMap.quarantineFile.displayName; // 'Quarantine file'
 * builtInActionTypeMap.quarantineFile.undo?.counterpart; // 'releaseFromQuarantine'
 * ```
 */
export const builtInActionTypeMap = Object.freeze({
  quarantineFile,
  removeRegistryKey,
  killProcess,
  stopService,
  disableDriver,
  removeScheduledTask,
  runAntivirusScan,
  isolateDevice,
  addIndicator,
  restrictCodeExecution,
  collectForensicData,
  analyzeFile,
  runScript,
  sendForAnalysis,
  remediateFile,
  huntForThreats,
  collectInvestigationPackage,
  offboardMachine,
  releaseCodeExecution,
  releaseFromQuarantine,
  releaseFromIsolation,
  requestSample,
  stopAndQuarantineFile,
  containDevice,
  blockUrl,
  softDeleteEmail,
  softDeleteEmailClusters,
  turnOffExternalMailForwarding,
  moveToJunk,
  moveToInbox,
  moveToDeletedItems,
  hardDeleteEmail,
  disableUser,
  containUser,
  restoreRegistryKey,
  restoreService,
  enableDriver,
  restoreScheduledTask,
  releaseFromContainment,
  releaseContainedUser,
} as const);

/**
 * Every built-in action type, as a list in the order of {@link builtInActionTypeMap}. Its element
 * type is the union of the built-in definitions, so a catalogue built from it keeps each type precise.
 *
 * @example
 * ```ts
 * import { builtInActionTypes } from 'actioncenter';
 * builtInActionTypes.map((t) => t.displayName); // ['Quarantine file', 'Remove registry key', ...]
 * ```
 */
export const builtInActionTypes = Object.freeze(Object.values(builtInActionTypeMap));

/**
 * The id of a built-in action type.
 *
 * @example
 * ```ts
 * import type { BuiltInActionTypeId } from 'actioncenter';
 * const id: BuiltInActionTypeId = 'isolateDevice';
 * ```
 */
export type BuiltInActionTypeId = keyof typeof builtInActionTypeMap;

/**
 * One group of {@link BUILT_IN_GROUPS}: a heading and the built-in type ids under it.
 *
 * @example
 * ```ts
 * import type { BuiltInGroup } from 'actioncenter/adapter-kit';
 * const g: BuiltInGroup = { label: 'Identity', actionTypeIds: ['disableUser', 'containUser'] };
 * ```
 */
export interface BuiltInGroup {
  /** A heading for docs and UIs, after DESIGN.md's "group (seed)" column. */
  readonly label: string;
  /** The built-in action types of the group, in display order. */
  readonly actionTypeIds: readonly BuiltInActionTypeId[];
}

/**
 * The built-in types grouped as DESIGN.md's catalogue table groups them (automated investigation,
 * manual response, live response, tracked in the Action center, email, identity), plus the undo
 * counterparts the table does not name. Every built-in id is in exactly one group, and the groups
 * in order list the ids in the order of {@link builtInActionTypes}. Useful for docs, menus and demos.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * import { BUILT_IN_GROUPS } from 'actioncenter/adapter-kit';
 * for (const group of Object.values(BUILT_IN_GROUPS)) {
 *   console.log(group.label);
 *   for (const id of group.actionTypeIds) console.log(' -', builtInCatalog.require(id).displayName);
 * }
 * ```
 */
export const BUILT_IN_GROUPS = Object.freeze({
  automatedInvestigation: {
    label: 'Automated investigation (devices)',
    actionTypeIds: [
      'quarantineFile',
      'removeRegistryKey',
      'killProcess',
      'stopService',
      'disableDriver',
      'removeScheduledTask',
    ],
  },
  manualResponse: {
    label: 'Manual response',
    actionTypeIds: ['runAntivirusScan', 'isolateDevice', 'addIndicator', 'restrictCodeExecution'],
  },
  liveResponse: {
    label: 'Live response',
    actionTypeIds: [
      'collectForensicData',
      'analyzeFile',
      'runScript',
      'sendForAnalysis',
      'remediateFile',
      'huntForThreats',
    ],
  },
  trackedInActionCenter: {
    label: 'Tracked in Action center',
    actionTypeIds: [
      'collectInvestigationPackage',
      'offboardMachine',
      'releaseCodeExecution',
      'releaseFromQuarantine',
      'releaseFromIsolation',
      'requestSample',
      'stopAndQuarantineFile',
      'containDevice',
    ],
  },
  email: {
    label: 'Email (AIR)',
    actionTypeIds: [
      'blockUrl',
      'softDeleteEmail',
      'softDeleteEmailClusters',
      'turnOffExternalMailForwarding',
      'moveToJunk',
      'moveToInbox',
      'moveToDeletedItems',
      'hardDeleteEmail',
    ],
  },
  identity: {
    label: 'Identity',
    actionTypeIds: ['disableUser', 'containUser'],
  },
  undoCounterparts: {
    label: 'Undo counterparts',
    actionTypeIds: [
      'restoreRegistryKey',
      'restoreService',
      'enableDriver',
      'restoreScheduledTask',
      'releaseFromContainment',
      'releaseContainedUser',
    ],
  },
} as const satisfies Record<string, BuiltInGroup>);

/**
 * The key of a group of {@link BUILT_IN_GROUPS}.
 *
 * @example
 * ```ts
 * import { BUILT_IN_GROUPS, type BuiltInGroupId } from 'actioncenter/adapter-kit';
 * const g: BuiltInGroupId = 'liveResponse';
 * BUILT_IN_GROUPS[g].actionTypeIds.length; // 6
 * ```
 */
export type BuiltInGroupId = keyof typeof BUILT_IN_GROUPS;

/**
 * The catalogue of built-in types. `get` and `require` with a literal id are typed with that id's
 * definition. Build your own with `createCatalog([...builtInActionTypes, ...yours])`.
 *
 * @example
 * ```ts
 * import { builtInCatalog } from 'actioncenter';
 * builtInCatalog.byDisplayName('Isolate device')?.id; // 'isolateDevice'
 * const isolate = builtInCatalog.require('isolateDevice'); // typed as the isolateDevice definition
 * ```
 */
export const builtInCatalog: Catalog<(typeof builtInActionTypes)[number]> = unwrap(createCatalog(builtInActionTypes));
