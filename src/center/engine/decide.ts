/**
 * Decisions: approve, reject and cancel one action or a selection. Only the seeds' rule (one
 * action type per bulk approve or reject) refuses a selection whole; every other problem is the
 * item's own, reported with its reason while the rest proceed.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionRecord, Actor } from '../../catalog/records.js';
import { CommentSchema } from '../../catalog/text.js';
import { ok, safeParseInput, type Result } from '../../result.js';
import { askPolicy } from '../../rules/access.js';
import { PrincipalSchema, type Operation, type Principal } from '../../rules/principals.js';
import { checkSelectionWhole } from '../../rules/selection.js';
import { readClock } from '../clock-reading.js';
import { safely, typeOf, type EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { expireDueAmong } from './expiry.js';
import { invalidStateItem, planEach, planEventNow } from './plan.js';
import { bulkResult, type BulkResult, type DecisionError, type ItemFailure, type ItemResult } from './results.js';
import { denied } from './submit.js';

function buildDecisionSchemas(ctx: EngineContext) {
  const decision = z.strictObject({
    principal: PrincipalSchema,
    ids: ctx.idsSchema,
    comment: CommentSchema.nullable().default(null),
  });
  return { decision, undo: decision.extend({ applyToOtherInstances: z.boolean().default(false) }) };
}

// Built once per center (the selection bound is the center's), not once per call.
const schemasOf = new WeakMap<EngineContext, ReturnType<typeof buildDecisionSchemas>>();

/** The input schemas of a decision and of an undo, bounded by the center's selection size. */
export function decisionSchemas(ctx: EngineContext): ReturnType<typeof buildDecisionSchemas> {
  let schemas = schemasOf.get(ctx);
  if (schemas === undefined) {
    schemas = buildDecisionSchemas(ctx);
    schemasOf.set(ctx, schemas);
  }
  return schemas;
}

/** Loads the actions of a selection (missing ids are left out). */
export async function loadMany(ctx: EngineContext, ids: readonly string[]) {
  const r = await safely(() => ctx.repository.getMany(ids));
  return r.ok ? ok([...r.value]) : r;
}

/**
 * May `principal` do `operation` on `action`? Null when it may, else the item's failure (an
 * unknown type, or the policy's denial).
 */
export function permission(
  ctx: EngineContext,
  principal: Principal,
  operation: Operation,
  action: ActionRecord,
): ItemFailure | null {
  const type = typeOf(ctx, action);
  if (!type.ok) return invalidStateItem(action.id, type.error);
  const decision = askPolicy(ctx.accessPolicy, principal, operation, {
    kind: 'action',
    actionType: type.value,
    action,
  });
  return decision.allowed ? null : { actionId: action.id, ok: false, outcome: 'denied', error: denied(decision) };
}

/** The `approve`, `reject` and `cancel` operations. */
export async function decide(
  ctx: EngineContext,
  operation: 'approve' | 'reject' | 'cancel',
  input: unknown,
): Promise<Result<BulkResult, DecisionError>> {
  const parsed = safeParseInput(decisionSchemas(ctx).decision, input, `${operation} input`);
  if (!parsed.ok) return parsed;
  const { principal, ids, comment } = parsed.value;
  const loaded = await loadMany(ctx, ids);
  if (!loaded.ok) return loaded;
  if (operation !== 'cancel' && loaded.value.length > 1) {
    const selection = checkSelectionWhole(operation, loaded.value, { maxItems: ctx.maxSelection });
    if (!selection.ok) return selection;
  }
  const reading = readClock(ctx.clock);
  if (!reading.ok) return reading;
  const now = reading.value;
  // Expiry holds whatever the sweep schedule: a pending action past its expiry is expired first
  // (committed with its audit event), and the decision then meets an expired action.
  const actions = await expireDueAmong(ctx, loaded.value, now);
  // Frozen once: every record and audit event of the operation shares it (an unfrozen actor is copied per step).
  const by: Actor = Object.freeze({ type: 'principal', id: principal.id });
  const { planned, failures } = await planEach(ctx, actions, (action) => {
    const refused = permission(ctx, principal, operation, action);
    if (refused !== null) return refused;
    const step = planEventNow(ctx, action, { type: operation, by, at: now, comment });
    return step.ok ? step.value : invalidStateItem(action.id, step.error);
  });
  const results: Map<string, ItemResult> = failures;
  await commitItems(ctx, planned, results);
  return ok(bulkResult(ids, results));
}
