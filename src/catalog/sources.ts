/**
 * Action sources: where each action came from (the "Action source" column, seed 002).
 *
 * @module
 */
import { z } from 'zod';
import type { Workload } from './targets.js';

/**
 * The ids of the nine action sources: the eight of seed 002's "Action source" table plus
 * `antivirus` (actions taken by antivirus protection, seed 002's History list).
 *
 * @example
 * ```ts
 * import { ACTION_SOURCE_IDS } from 'actioncenter';
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
 * import { ActionSourceIdSchema } from 'actioncenter';
 * ActionSourceIdSchema.parse('explorerAction');
 * ```
 */
export const ActionSourceIdSchema = z.enum(ACTION_SOURCE_IDS);
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
 * import { ORIGIN_GROUPS } from 'actioncenter';
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
 * import type { OriginGroup } from 'actioncenter';
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
 * import { sourceByLabel } from 'actioncenter';
 * sourceByLabel('Explorer action')?.id; // 'explorerAction'
 * ```
 */
export function sourceByLabel(label: string): ActionSource | undefined {
  return ACTION_SOURCE_IDS.map((id) => ACTION_SOURCES[id]).find((s) => s.label === label);
}
