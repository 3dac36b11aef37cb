/**
 * Undo: succeeded actions are undone through linked counterpart actions (seed 001), one or a
 * selection of one type, optionally with the other instances of the same file.
 *
 * @module
 */
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, Actor } from '../../catalog/records.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import type { ScopeFilter } from '../../rules/query.js';
import { checkSelectionWhole, otherInstancesOfFile } from '../../rules/selection.js';
import { undoEligibility } from '../../rules/undo.js';
import { readClock } from '../clock-reading.js';
import { collect, statusQuery, type EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { decisionSchemas, loadMany, permission } from './decide.js';
import { requireJustification } from './justification.js';
import { invalidStateItem, planEach, planEventNow, type Planned } from './plan.js';
import { bulkRun, planTracked } from './progress.js';
import { bulkResult, type BulkResult, type DecisionError, type ItemFailure, type ItemResult } from './results.js';
import { readScopeOf } from './views.js';

/** The `undo` operation. */
export async function undo(ctx: EngineContext, input: unknown): Promise<Result<BulkResult, DecisionError>> {
  const parsed = safeParseInput(decisionSchemas(ctx).undo, input, 'undo input');
  if (!parsed.ok) return parsed;
  const { principal, ids, comment, applyToOtherInstances, onProgress, signal } = parsed.value;
  const tracked = bulkRun('undo', ids.length, onProgress, signal);
  const loaded = tracked === null ? await loadMany(ctx, ids) : await tracked.read(ctx, ids);
  if (!loaded.ok) return loaded;
  let actions: ActionRecord[] = loaded.value;
  const order: string[] = [...ids];
  if (applyToOtherInstances) {
    const [first] = actions;
    if (actions.length !== 1 || first === undefined || first.target.kind !== 'file') {
      return err({
        code: 'invalidInput',
        message: 'Invalid undo input: applyToOtherInstances takes exactly one action on a file',
        issues: [{ path: ['applyToOtherInstances'], code: 'custom', message: 'takes exactly one action on a file' }],
      });
    }
    // Only instances the principal may see are offered (issue 12, item 1); a denied read sees none.
    const seen = readScopeOf(ctx, principal, 'view');
    const scope: ScopeFilter | null = seen.ok ? seen.value : { deviceGroups: [], includeUngrouped: false };
    const candidates = await collect(
      ctx,
      statusQuery(['succeeded', 'undoFailed'], { actionTypes: [first.actionType], scope }),
    );
    if (!candidates.ok) return candidates;
    const others = otherInstancesOfFile(first, candidates.value, {
      catalog: ctx.catalog,
      principal,
      accessPolicy: ctx.accessPolicy,
    });
    actions = [first, ...others];
    order.push(...others.map((a) => a.id));
    tracked?.setTotal(order.length);
  }
  if (actions.length > 1) {
    const selection = checkSelectionWhole('undo', actions, { maxItems: ctx.maxSelection });
    if (!selection.ok) return selection;
  }
  // Required justification (issue 16): refuses the whole undo, other instances included.
  const unjustified = requireJustification(ctx, 'undo', actions, comment);
  if (unjustified !== null) return err(unjustified);
  const reading = readClock(ctx.clock);
  if (!reading.ok) return reading;
  const now = reading.value;
  // Frozen once: every record and audit event of the operation shares it (an unfrozen actor is copied per step).
  const by: Actor = Object.freeze({ type: 'principal', id: principal.id });
  const stepOf = (action: ActionRecord): Planned | ItemFailure => {
    // Permission first (a principal who may not undo learns nothing about the action), then seed
    // 001's rules (type, source, state), for one item as for many.
    const refused = permission(ctx, principal, 'undo', action);
    if (refused !== null) return refused;
    const eligibility = undoEligibility(action, { catalog: ctx.catalog });
    if (!eligibility.eligible) {
      return {
        actionId: action.id,
        ok: false,
        outcome: 'invalidState',
        error: {
          code: 'undoIneligible',
          message: eligibility.message,
          actionId: action.id,
          reason: eligibility.reason,
        },
      };
    }
    // The `undo` effect of this step creates the counterpart, with this id, in the same commit.
    const undoActionId = ctx.idGenerator.next('action') as ActionId;
    const step = planEventNow(ctx, action, { type: 'requestUndo', by, at: now, comment, undoActionId });
    return step.ok ? step.value : invalidStateItem(action.id, step.error);
  };
  const checked = await planTracked(tracked, actions, (chunk) => planEach(ctx, chunk, stepOf));
  if (!checked.ok) return checked;
  // From here on the undo completes: the commit is atomic and not interrupted.
  const results: Map<string, ItemResult> = checked.value.failures;
  await commitItems(ctx, checked.value.planned, results);
  tracked?.finish();
  return ok(bulkResult(order, results));
}
