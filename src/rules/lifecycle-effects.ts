/**
 * Effects as data: what the engine must do after a lifecycle step. The lifecycle only describes
 * them; the engine carries them out through its ports (the executor, subscribers), after the new
 * record is committed.
 *
 * @module
 */
import type { ActionId } from '../catalog/ids.js';
import type { ActionStatus, ActionFailure } from '../catalog/records.js';

/**
 * Every kind of {@link LifecycleEffect}.
 *
 * @example
 * ```ts
 * import { LIFECYCLE_EFFECT_TYPES } from 'actioncenter/adapter-kit';
 * LIFECYCLE_EFFECT_TYPES; // ['run', 'abort', 'undo', 'settleUndo', 'notify']
 * ```
 */
export const LIFECYCLE_EFFECT_TYPES = Object.freeze(['run', 'abort', 'undo', 'settleUndo', 'notify'] as const);

/**
 * Something the engine must do after a step, discriminated on `type`:
 * - `run`: hand the action to the executor (after `approve`, or on creation as `approved`);
 * - `abort`: stop the executor's work on it (after `cancel` while running, and after `timeOut`);
 * - `undo`: create the linked counterpart `undoActionId` that undoes `actionId` (after `requestUndo`),
 *   in the same commit;
 * - `settleUndo`: an undo counterpart `actionId` ended, so the undo of its original `originalId`
 *   ends too: `undoSucceeded`, or `undoFailed` with `failure` (in the same commit);
 * - `notify`: tell subscribers the status changed (after every step; `from` is null on creation).
 *
 * @example
 * ```ts
 * import { type LifecycleEffect } from 'actioncenter';
 * import { assertNever } from 'actioncenter/adapter-kit';
 * function describe(e: LifecycleEffect): string {
 *   switch (e.type) {
 *     case 'run': return `run ${e.actionId}`;
 *     case 'abort': return `abort ${e.actionId}`;
 *     case 'undo': return `undo ${e.actionId} through ${e.undoActionId}`;
 *     case 'settleUndo': return `${e.originalId}: ${e.result}`;
 *     case 'notify': return `${e.actionId}: ${e.from ?? '-'} -> ${e.to}`;
 *     default: return assertNever(e);
 *   }
 * }
 * ```
 */
export type LifecycleEffect =
  | { readonly type: 'run'; readonly actionId: ActionId }
  | { readonly type: 'abort'; readonly actionId: ActionId }
  | { readonly type: 'undo'; readonly actionId: ActionId; readonly undoActionId: ActionId }
  | {
      readonly type: 'settleUndo';
      readonly actionId: ActionId;
      readonly originalId: ActionId;
      readonly result: 'undoSucceeded' | 'undoFailed';
      readonly failure: ActionFailure | null;
    }
  | {
      readonly type: 'notify';
      readonly actionId: ActionId;
      readonly from: ActionStatus | null;
      readonly to: ActionStatus;
    };

/**
 * One of {@link LIFECYCLE_EFFECT_TYPES}.
 *
 * @example
 * ```ts
 * import type { LifecycleEffectType } from 'actioncenter/adapter-kit';
 * const t: LifecycleEffectType = 'notify';
 * ```
 */
export type LifecycleEffectType = LifecycleEffect['type'];
