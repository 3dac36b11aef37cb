/**
 * Manual retry (issue 16): a failed or timed-out action is retried by a new action, linked both
 * ways (`retryOf` on the new one, `retriedBy` on the original), created in the same commit as the
 * original's audit-only `retried` event. Cortex XSIAM's Action center lets operators retry an
 * action that failed; here the attempt is a new action with its own trail, and the original keeps
 * its outcome.
 *
 * @module
 */
import { DEFAULT_MAX_RETRIES } from '../../catalog/action-type.js';
import type { ActionId } from '../../catalog/ids.js';
import type { ActionRecord, ActionRequest, Actor } from '../../catalog/records.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { createActionRecord } from '../../rules/lifecycle.js';
import { openKeyOf } from '../../rules/open-key.js';
import { targetIdentityOf } from '../../rules/target-identity.js';
import type { Principal } from '../../rules/principals.js';
import { readClock } from '../clock-reading.js';
import { safely, typeOf, type EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { decisionSchemas, loadMany, permission } from './decide.js';
import { requireJustification } from './justification.js';
import { invalidStateItem, planCreation, planEventNow, type Planned } from './plan.js';
import { bulkRun, planTracked } from './progress.js';
import { bulkResult, type BulkResult, type DecisionError, type ItemFailure, type ItemResult } from './results.js';

/**
 * The `retry` operation: for each id, a new attempt of a `failed` or `timedOut` action (same type,
 * target, parameters, source, investigation, incident and alert; `approved`, decided by the
 * retrier, so it runs at once), with `retryOf` = the original and `retryCount` = the original's + 1.
 * Permission: `approve` on the type. Refused per item: `alreadyRetried` (retry the retry instead),
 * `retryLimitReached` (the type's `maxRetries`, counted along the chain), another status
 * (`invalidTransition`), an open action holding the target (`conflictingAction` or
 * `duplicateOpenAction`). A justification the policy requires for `retry` refuses the whole call.
 * Each item's result is the original, now naming its retry (`retriedBy`).
 */
export async function retry(ctx: EngineContext, input: unknown): Promise<Result<BulkResult, DecisionError>> {
  const parsed = safeParseInput(decisionSchemas(ctx).decision, input, 'retry input');
  if (!parsed.ok) return parsed;
  const { principal, ids, comment, onProgress, signal } = parsed.value;
  const tracked = bulkRun('retry', ids.length, onProgress, signal);
  const loaded = tracked === null ? await loadMany(ctx, ids) : await tracked.read(ctx, ids);
  if (!loaded.ok) return loaded;
  const unjustified = requireJustification(ctx, 'retry', loaded.value, comment);
  if (unjustified !== null) return err(unjustified);
  const reading = readClock(ctx.clock);
  if (!reading.ok) return reading;
  const now = reading.value;
  const by: Actor = Object.freeze({ type: 'principal', id: principal.id });
  const planAll = async (originals: readonly ActionRecord[]) => {
    const failures = new Map<string, ItemFailure>();
    const planned: Planned[] = [];
    for (const original of originals) {
      const outcome = await planRetry(ctx, principal, original, by, now, comment);
      if ('writes' in outcome) planned.push(outcome);
      else failures.set(outcome.actionId, outcome);
    }
    return { planned, failures };
  };
  const checked = await planTracked(tracked, loaded.value, planAll);
  if (!checked.ok) return checked;
  // From here on the retry completes: the commit is atomic and not interrupted.
  const results: Map<string, ItemResult> = checked.value.failures;
  await commitItems(ctx, checked.value.planned, results);
  tracked?.finish();
  return ok(bulkResult(ids, results));
}

async function planRetry(
  ctx: EngineContext,
  principal: Principal,
  original: ActionRecord,
  by: Actor,
  now: number,
  comment: string | null,
): Promise<Planned | ItemFailure> {
  // The permission first (who may not retry learns nothing about the action): approve's, on the type.
  const refused = permission(ctx, principal, 'approve', original);
  if (refused !== null) return refused;
  const type = typeOf(ctx, original);
  if (!type.ok) return invalidStateItem(original.id, type.error);
  if (original.status === 'failed' || original.status === 'timedOut') {
    const retriedBy = original.retriedBy ?? null;
    if (retriedBy !== null) {
      return refusedItem(original.id, {
        code: 'alreadyRetried',
        message: `Action "${original.id}" was retried already by "${retriedBy}": retry that one instead`,
        actionId: original.id,
        retriedBy,
      });
    }
    const maxRetries = type.value.maxRetries ?? DEFAULT_MAX_RETRIES;
    const retryCount = original.retryCount ?? 0;
    if (retryCount >= maxRetries) {
      return refusedItem(original.id, {
        code: 'retryLimitReached',
        message: `"${type.value.displayName}" allows ${maxRetries} manual retries, and action "${original.id}" is retry ${retryCount}`,
        actionId: original.id,
        retryCount,
        maxRetries,
      });
    }
  }
  const retryId = ctx.idGenerator.next('action') as ActionId;
  // The original's step first: it refuses other statuses (invalidTransition) before anything else.
  const step = planEventNow(ctx, original, { type: 'retried', by, at: now, comment, retryActionId: retryId });
  if (!step.ok) return invalidStateItem(original.id, step.error);
  const openKey = ctx.duplicates === 'allow' ? null : openKeyOf(type.value, original.target);
  if (openKey !== null) {
    const open = await safely(() => ctx.repository.findOpen(openKey));
    if (!open.ok) {
      const error = open.error;
      // findOpen answers store errors only; anything else is reported as the store's failure too.
      return error.code === 'corruptRecord' || error.code === 'repositoryUnavailable'
        ? { actionId: original.id, ok: false, outcome: 'storeError', error }
        : {
            actionId: original.id,
            ok: false,
            outcome: 'storeError',
            error: { code: 'repositoryUnavailable', message: error.message },
          };
    }
    if (open.value !== null) return heldItem(original.id, open.value, type.value.id);
  }
  const request: ActionRequest = {
    actionType: original.actionType,
    target: original.target,
    parameters: original.parameters,
    source: original.source,
    requestedBy: original.requestedBy,
    investigationId: original.investigationId,
    incidentId: original.incidentId,
    alertId: original.alertId,
    verdict: original.verdict,
    comment: original.requestComment,
    propose: false,
    idempotencyKey: null,
    revertAfterMs: original.revertAfterMs ?? null,
  };
  const created = createActionRecord(request, {
    id: retryId,
    now,
    status: 'approved',
    actionType: type.value,
    approvalId: null,
    pendingExpiryMs: ctx.approvalPolicy.pendingExpiryMs,
    openKey,
    retryOf: original.id,
    retryCount: (original.retryCount ?? 0) + 1,
  });
  // Approved on the retrier's say-so: the decision, and the created event, are theirs.
  const attempt: ActionRecord = { ...created.action, decidedBy: by, decidedAt: now, decisionComment: comment };
  const creation = planCreation(
    ctx,
    { ...created, action: attempt, audit: { ...created.audit, actor: by, comment } },
    { retryOf: original.id, retryCount: attempt.retryCount },
  );
  const first = step.value;
  return {
    actionId: original.id,
    writes: [...first.writes, ...creation.writes],
    events: [...first.events, ...creation.events],
    effects: [...first.effects, ...creation.effects],
    result: first.result,
  };
}

function refusedItem(actionId: string, error: Extract<ItemFailure, { outcome: 'invalidState' }>['error']): ItemFailure {
  return { actionId, ok: false, outcome: 'invalidState', error };
}

/** The item failure of a retry whose target an open action holds: of another type, or the same. */
function heldItem(actionId: string, open: ActionRecord, typeId: string): ItemFailure {
  if (open.actionType !== typeId) {
    const targetIdentity = targetIdentityOf(open.target);
    return refusedItem(actionId, {
      code: 'conflictingAction',
      message: `An open "${open.actionType}" action (${open.id}) holds the same target: its conflict group allows one open action at a time`,
      openActionId: open.id,
      openActionType: open.actionType,
      targetIdentity,
    });
  }
  return refusedItem(actionId, {
    code: 'duplicateOpenAction',
    message: `An open "${open.actionType}" action on the same target exists (${open.id})`,
    existingActionId: open.id,
  });
}
