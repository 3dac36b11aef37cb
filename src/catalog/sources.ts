/**
 * Action sources: where each action came from (the "Action source" column, seed 002).
 *
 * @module
 */
import * as z from 'zod';
import type { Workload } from './targets.js';

/**
 * The ids of the nine action sources: the eight of seed 002's "Action source" table plus
 * `antivirus` (actions taken by antivirus protection, seed 002's History list).
 *
 * @example
 * ```ts
 * import { ACTION_SOURCE_IDS } from 'actioncenter/adapter-kit';
 * ACTION_SOURCE_IDS.length; // 9
 * ```
 */
export const ACTION_SOURCE_IDS = [
  'manualDeviceAction',
  'manualEmailAction',
  'automatedDeviceAction',
  'automatedEmailAction',
  'advancedHuntingAction',
  'explorerAction',
  'manualLiveResponseAction',
  'liveResponseAction',
  'antivirus',
] as const;

/**
 * Schema of an {@link ActionSourceId}.
 *
 * @example
 * ```ts
 * import { ActionSourceIdSchema } from 'actioncenter/adapter-kit';
 * ActionSourceIdSchema.parse('explorerAction');
 * ```
 */
// Pure: a module that reads only the sources' data (undo eligibility) then does not keep zod alive.
export const ActionSourceIdSchema = /* @__PURE__ */ z.enum(ACTION_SOURCE_IDS);
/**
 * One of {@link ACTION_SOURCE_IDS}.
 *
 * @example
 * ```ts
 * import type { ActionSourceId } from 'actioncenter';
 * const s: ActionSourceId = 'automatedDeviceAction';
 * ```
 */
export type ActionSourceId = z.infer<typeof ActionSourceIdSchema>;

/**
 * The groups that undo and approval rules speak of: automated investigation, antivirus, manual
 * response actions, live response, advanced hunting and Explorer.
 *
 * @example
 * ```ts
 * import { ORIGIN_GROUPS } from 'actioncenter/adapter-kit';
 * ORIGIN_GROUPS.includes('automatedInvestigation'); // true
 * ```
 */
export const ORIGIN_GROUPS = [
  'automatedInvestigation',
  'antivirus',
  'manualResponse',
  'liveResponse',
  'hunting',
  'explorer',
] as const;
/**
 * One of {@link ORIGIN_GROUPS}.
 *
 * @example
 * ```ts
 * import type { OriginGroup } from 'actioncenter/adapter-kit';
 * const g: OriginGroup = 'manualResponse';
 * ```
 */
export type OriginGroup = (typeof ORIGIN_GROUPS)[number];

/**
 * An action source as data.
 *
 * @example
 * ```ts
 * import { ACTION_SOURCES } from 'actioncenter';
 * const s = ACTION_SOURCES.explorerAction; // { label: 'Explorer action', automated: false, ... }
 * ```
 */
export interface ActionSource {
  /** The source's id, as stored on records (`manualDeviceAction`, ...). */
  readonly id: ActionSourceId;
  /** The label exactly as the product shows it in the "Action source" column. */
  readonly label: string;
  /** Taken by automation (automated investigation, antivirus) rather than by a person. */
  readonly automated: boolean;
  /** The workloads whose actions can come from this source. */
  readonly workloads: readonly Workload[];
  /** The group the rules speak of (automated investigation, antivirus, manual response, ...). */
  readonly originGroup: OriginGroup;
  /** One sentence on where actions of this source come from. */
  readonly description: string;
}

/**
 * The nine built-in action sources, keyed by id. Labels are seed 002's "Action source value"
 * column word for word; `antivirus` takes the name seed 001's undo table gives it.
 *
 * @example
 * ```ts
 * import { ACTION_SOURCES } from 'actioncenter';
 * ACTION_SOURCES.manualLiveResponseAction.label; // 'Manual live response action'
 * ```
 */
export const ACTION_SOURCES: { readonly [K in ActionSourceId]: ActionSource & { readonly id: K } } = {
  manualDeviceAction: {
    id: 'manualDeviceAction',
    label: 'Manual device action',
    automated: false,
    workloads: ['endpoint'],
    originGroup: 'manualResponse',
    description: 'A manual action taken on a device, such as device isolation or file quarantine.',
  },
  manualEmailAction: {
    id: 'manualEmailAction',
    label: 'Manual email action',
    automated: false,
    workloads: ['email'],
    originGroup: 'manualResponse',
    description: 'A manual action taken on email, such as soft-deleting email messages.',
  },
  automatedDeviceAction: {
    id: 'automatedDeviceAction',
    label: 'Automated device action',
    automated: true,
    workloads: ['endpoint'],
    originGroup: 'automatedInvestigation',
    description: 'An automated action taken on an entity, such as a file or process.',
  },
  automatedEmailAction: {
    id: 'automatedEmailAction',
    label: 'Automated email action',
    automated: true,
    workloads: ['email'],
    originGroup: 'automatedInvestigation',
    description: 'An automated action taken on email content, such as an email message, attachment, or URL.',
  },
  advancedHuntingAction: {
    id: 'advancedHuntingAction',
    label: 'Advanced hunting action',
    automated: false,
    workloads: ['endpoint', 'email', 'identity'],
    originGroup: 'hunting',
    description: 'Actions taken on devices, email or identities with advanced hunting.',
  },
  explorerAction: {
    id: 'explorerAction',
    label: 'Explorer action',
    automated: false,
    workloads: ['email'],
    originGroup: 'explorer',
    description: 'Actions taken on email content with Explorer.',
  },
  manualLiveResponseAction: {
    id: 'manualLiveResponseAction',
    label: 'Manual live response action',
    automated: false,
    workloads: ['endpoint'],
    originGroup: 'liveResponse',
    description: 'Actions taken on a device with live response.',
  },
  liveResponseAction: {
    id: 'liveResponseAction',
    label: 'Live response action',
    automated: false,
    workloads: ['endpoint'],
    originGroup: 'liveResponse',
    description: 'Actions taken on a device through the Defender for Endpoint APIs.',
  },
  antivirus: {
    id: 'antivirus',
    label: 'Microsoft Defender Antivirus',
    automated: true,
    workloads: ['endpoint'],
    originGroup: 'antivirus',
    description: 'Remediation actions taken by antivirus protection.',
  },
};

/**
 * Finds a source by its display label (as read from a CSV export or a UI filter).
 *
 * @example
 * ```ts
 * import { sourceByLabel } from 'actioncenter/adapter-kit';
 * sourceByLabel('Explorer action')?.id; // 'explorerAction'
 * ```
 */
export function sourceByLabel(label: string): ActionSource | undefined {
  return ACTION_SOURCE_IDS.map((id) => ACTION_SOURCES[id]).find((s) => s.label === label);
}

/**
 * Which action types each source takes: source → the ids of the types it may request. A type a
 * source does not list is refused with `sourceNotApplicable` (antivirus does not offboard a machine).
 *
 * @example
 * ```ts
 * import type { SourcePolicy } from 'actioncenter/adapter-kit';
 * const mine: SourcePolicy = { antivirus: ['quarantineFile'] };
 * ```
 */
export type SourcePolicy = { readonly [K in ActionSourceId]?: readonly string[] };

const AUTOMATED_INVESTIGATION_DEVICE = [
  'quarantineFile',
  'removeRegistryKey',
  'killProcess',
  'stopService',
  'disableDriver',
  'removeScheduledTask',
] as const;
const MANUAL_RESPONSE = ['runAntivirusScan', 'isolateDevice', 'addIndicator', 'restrictCodeExecution'] as const;
const LIVE_RESPONSE = [
  'collectForensicData',
  'analyzeFile',
  'runScript',
  'sendForAnalysis',
  'remediateFile',
  'huntForThreats',
] as const;
const TRACKED_DEVICE = [
  'collectInvestigationPackage',
  'offboardMachine',
  'releaseCodeExecution',
  'releaseFromQuarantine',
  'releaseFromIsolation',
  'requestSample',
  'stopAndQuarantineFile',
  'containDevice',
] as const;
const DEVICE_UNDO = [
  'restoreRegistryKey',
  'restoreService',
  'enableDriver',
  'restoreScheduledTask',
  'releaseFromContainment',
] as const;
const EMAIL = [
  'blockUrl',
  'softDeleteEmail',
  'softDeleteEmailClusters',
  'turnOffExternalMailForwarding',
  'moveToJunk',
  'moveToInbox',
  'moveToDeletedItems',
  'hardDeleteEmail',
] as const;
const IDENTITY = ['disableUser', 'containUser', 'releaseContainedUser'] as const;
const MANUAL_DEVICE = [...MANUAL_RESPONSE, ...TRACKED_DEVICE, ...DEVICE_UNDO, 'quarantineFile'] as const;

/**
 * The built-in source policy. Seed 000's table pairs sources with the actions they take: automated
 * investigations quarantine a file, remove a registry key, kill a process, stop a service, disable a
 * driver, remove a scheduled task; manual response runs an antivirus scan, isolates a device, adds an
 * indicator; live response collects forensic data, analyses a file, runs a script, sends for
 * analysis, remediates a file, hunts for threats. Where the seed is silent, DESIGN.md's groups decide:
 * a manual device action also takes restrict code execution, the types tracked in the Action center,
 * quarantine file (seed 002: "such as device isolation or file quarantine") and the undo
 * counterparts; antivirus takes the automated-investigation remediations; automated email actions
 * (email AIR), manual email actions and Explorer take the email types; advanced hunting takes manual
 * device, email and identity types; actions through the API (`liveResponseAction`) take manual
 * response and live response types. A custom type the policy does not name is taken by every source
 * of its workload (see {@link sourceTakes}).
 *
 * @example
 * ```ts
 * import { DEFAULT_SOURCE_POLICY } from 'actioncenter/adapter-kit';
 * DEFAULT_SOURCE_POLICY.antivirus?.includes('offboardMachine'); // false
 * ```
 */
export const DEFAULT_SOURCE_POLICY: { readonly [K in ActionSourceId]: readonly string[] } = Object.freeze({
  automatedDeviceAction: Object.freeze([...AUTOMATED_INVESTIGATION_DEVICE]),
  antivirus: Object.freeze([...AUTOMATED_INVESTIGATION_DEVICE]),
  automatedEmailAction: Object.freeze([...EMAIL]),
  manualDeviceAction: Object.freeze([...MANUAL_DEVICE]),
  manualEmailAction: Object.freeze([...EMAIL]),
  explorerAction: Object.freeze([...EMAIL]),
  advancedHuntingAction: Object.freeze([...MANUAL_DEVICE, ...EMAIL, ...IDENTITY]),
  manualLiveResponseAction: Object.freeze([...LIVE_RESPONSE]),
  liveResponseAction: Object.freeze([...MANUAL_RESPONSE, ...LIVE_RESPONSE, ...TRACKED_DEVICE]),
});

/**
 * Does the source take actions of this type under the policy? A type the policy names under some
 * source is taken only by the sources that list it; a type it never names (a custom type the host
 * did not list) is left to the workload check alone, as the catalogue makes it.
 *
 * @example
 * ```ts
 * import { sourceTakes, DEFAULT_SOURCE_POLICY } from 'actioncenter/adapter-kit';
 * sourceTakes(DEFAULT_SOURCE_POLICY, 'antivirus', 'quarantineFile'); // true
 * sourceTakes(DEFAULT_SOURCE_POLICY, 'antivirus', 'offboardMachine'); // false
 * ```
 */
export function sourceTakes(policy: SourcePolicy, source: ActionSourceId, actionTypeId: string): boolean {
  let named = false;
  for (const id of ACTION_SOURCE_IDS) {
    const listed = Object.prototype.hasOwnProperty.call(policy, id) ? policy[id] : undefined;
    if (listed === undefined || !listed.includes(actionTypeId)) continue;
    if (id === source) return true;
    named = true;
  }
  return !named;
}

/**
 * The manual source a person's undo counterpart is recorded under: a manual action of its workload
 * (seed 002's "Manual device action" and "Manual email action"; identities, which have no manual
 * source of their own, under advanced hunting, where identity actions are taken by hand).
 *
 * @example
 * ```ts
 * import { manualSourceOf } from 'actioncenter/adapter-kit';
 * manualSourceOf('endpoint'); // 'manualDeviceAction'
 * ```
 */
export function manualSourceOf(workload: Workload): ActionSourceId {
  switch (workload) {
    case 'endpoint':
      return 'manualDeviceAction';
    case 'email':
      return 'manualEmailAction';
    case 'identity':
      return 'advancedHuntingAction';
    default:
      return 'manualDeviceAction';
  }
}
