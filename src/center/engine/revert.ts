/**
 * Time-limited actions (issue 16): a succeeded action with a `revertAt` is undone by the center
 * itself when that time comes, as the system actor `autoRevert`. The revert is the `requestUndo`
 * step undo takes (its counterpart created in the same commit), committed from the version read:
 * of several processes (or a restart that sweeps again) sweeping at once, one commit wins and the
 * others meet a conflict and skip, so the revert happens exactly once. The due-time index
 * (`dueAtOf(succeeded) = revertAt`) finds it; a request for its undo clears `revertAt`.
 *
 * @module
 */
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, Actor } from '../../catalog/records.js';
import { isUndoEligibleSource, undoEligibility } from '../../rules/undo.js';
import { commitItems } from './commit.js';
import type { EngineContext } from './context.js';
import { planEach, planEventNow } from './plan.js';

/** The system actor of an automatic revert (reserved: no request may claim it). */
export const AUTO_REVERT: Actor = Object.freeze({ type: 'system', component: 'autoRevert' });

/** The most a revert may be delayed: 366 days (the request's and `setRevert`'s bound). */
export const MAX_REVERT_AFTER_MS = 366 * 24 * 3_600_000;

/** The least a revert may be delayed: one minute. */
export const MIN_REVERT_AFTER_MS = 60_000;

/**
 * Why actions of this type from this source cannot be time-limited, or null when they can: the
 * type needs an undo counterpart in the catalogue and the source must be one whose actions are
 * undone from the Action center (the revert is an undo).
 */
export function revertRefusal(ctx: EngineContext, actionType: string, source: ActionRecord['source']): string | null {
  if (ctx.catalog.undoCounterpartOf(actionType) === null)
    return `"${actionType.slice(0, 100)}" actions cannot be undone, so they cannot be reverted after a time`;
  if (!isUndoEligibleSource(source))
    return 'actions from this source are not undone from the Action center, so they cannot be reverted after a time';
  return null;
}

/**
 * Requests the undo of those of `actions` whose revert is due at `now` (succeeded, `revertAt` at
 * or before it), by {@link AUTO_REVERT}; answers how many were committed. One that can no longer
 * be undone (its type or counterpart left the catalogue) has its revert cleared instead (a
 * `setRevert` to null, audited), so that it is not due for ever. Conflicts are skipped: another
 * process, or a person's undo, got there first.
 */
export async function revertDue(ctx: EngineContext, actions: readonly ActionRecord[], now: number): Promise<number> {
  const { planned } = await planEach(ctx, actions, (action) => {
    if (action.status !== 'succeeded' || action.revertAt === null || action.revertAt > now) return null;
    const eligibility = undoEligibility(action, { catalog: ctx.catalog });
    if (!eligibility.eligible) {
      const cleared = planEventNow(ctx, action, {
        type: 'setRevert',
        by: AUTO_REVERT,
        at: now,
        comment: `Not reverted: ${eligibility.message}`.slice(0, 2000),
        revertAt: null,
      });
      return cleared.ok ? cleared.value : null;
    }
    const undoActionId = ctx.idGenerator.next('action') as ActionId;
    const step = planEventNow(ctx, action, {
      type: 'requestUndo',
      by: AUTO_REVERT,
      at: now,
      comment: null,
      undoActionId,
    });
    return step.ok ? step.value : null;
  });
  if (planned.length === 0) return 0;
  const committed = await commitItems(ctx, planned);
  let reverted = 0;
  for (const p of planned) if (committed.get(p.actionId)?.ok === true && p.result.status === 'undoing') reverted += 1;
  return reverted;
}
