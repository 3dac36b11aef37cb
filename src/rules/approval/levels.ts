/**
 * Defender's automation levels (automation-levels.md) and the labels Defender shows for them.
 *
 * @module
 */
import * as z from 'zod';

/**
 * Defender's automation levels, from most to least automatic. They govern what automated
 * investigations of devices may remediate without approval.
 *
 * @example
 * ```ts
 * import { AUTOMATION_LEVELS } from 'actioncenter/adapter-kit';
 * AUTOMATION_LEVELS; // ['full', 'semiCoreFolders', 'semiNonTempFolders', 'semiAll', 'none']
 * ```
 */
export const AUTOMATION_LEVELS = ['full', 'semiCoreFolders', 'semiNonTempFolders', 'semiAll', 'none'] as const;

/**
 * Schema of an {@link AutomationLevel}.
 *
 * @example
 * ```ts
 * import { AutomationLevelSchema } from 'actioncenter/adapter-kit';
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
 * import { AUTOMATION_LEVEL_LABELS } from 'actioncenter/adapter-kit';
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
