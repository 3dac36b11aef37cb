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
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { askPolicy } from '../../rules/access.js';
import { PrincipalSchema, type Operation, type Principal } from '../../rules/principals.js';
import { checkSelectionWhole } from '../../rules/selection.js';
import { readClock } from '../clock-reading.js';
import { safely, typeOf, type EngineContext } from './context.js';
import { planApproval } from './approvals.js';
import { commitItems } from './commit.js';
import { expireDueAmong } from './expiry.js';
import { requireJustification } from './justification.js';
import { invalidStateItem, planEach, planEventNow, type Planned } from './plan.js';
import { bulkResult, type BulkResult, type DecisionError, type ItemFailure, type ItemResult } from './results.js';
import { denied } from './submit.js';
import { AbortSignalSchema, bulkRun, OnProgressSchema, planTracked } from './progress.js';

function buildDecisionSchemas(ctx: EngineContext) {
  const decision = z.strictObject({
    principal: PrincipalSchema,
    ids: ctx.idsSchema,
    comment: CommentSchema.nullable().default(null),
    // Issue 17: progress and cancellation (./progress.ts); absent, the operation is untracked.
    onProgress: OnProgressSchema.optional(),
    signal: AbortSignalSchema.optional(),
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

/**
 * The `approve`, `reject` and `cancel` operations. Issue 16: a justification the policy requires
 * for the operation on any of the actions refuses the whole operation first (`justificationRequired`,
 * nothing changed); an approval of an action that needs several is one `addApproval` (the action
 * stays pending) until the last, which is the `approve`; an approval that lost a race with another
 * (a version conflict) is planned again on the fresh record, a few times, so that two approvers at
 * once both count.
 */
export async function decide(
  ctx: EngineContext,
  operation: 'approve' | 'reject' | 'cancel',
  input: unknown,
): Promise<Result<BulkResult, DecisionError>> {
  const parsed = safeParseInput(decisionSchemas(ctx).decision, input, `${operation} input`);
  if (!parsed.ok) return parsed;
  const { principal, ids, comment, onProgress, signal } = parsed.value;
  const tracked = bulkRun(operation, ids.length, onProgress, signal);
  const loaded = tracked === null ? await loadMany(ctx, ids) : await tracked.read(ctx, ids);
  if (!loaded.ok) return loaded;
  if (operation !== 'cancel' && loaded.value.length > 1) {
    const selection = checkSelectionWhole(operation, loaded.value, { maxItems: ctx.maxSelection });
    if (!selection.ok) return selection;
  }
  const unjustified = requireJustification(ctx, operation, loaded.value, comment);
  if (unjustified !== null) return err(unjustified);
  const reading = readClock(ctx.clock);
  if (!reading.ok) return reading;
  const now = reading.value;
  const before = tracked?.aborted('checking') ?? null;
  if (before !== null) return err(before);
  // Expiry holds whatever the sweep schedule: a pending action past its expiry is expired first
  // (committed with its audit event), and the decision then meets an expired action.
  const actions = await expireDueAmong(ctx, loaded.value, now);
  // Frozen once: every record and audit event of the operation shares it (an unfrozen actor is copied per step).
  const by = Object.freeze({ type: 'principal', id: principal.id } as const);
  const stepOf = (action: ActionRecord): Planned | ItemFailure => {
    const refused = permission(ctx, principal, operation, action);
    if (operation === 'approve') return planApproval(ctx, principal, action, by, now, comment, refused);
    if (refused !== null) return refused;
    const step = planEventNow(ctx, action, { type: operation, by, at: now, comment });
    return step.ok ? step.value : invalidStateItem(action.id, step.error);
  };
  const checked = await planTracked(tracked, actions, (chunk) => planEach(ctx, chunk, stepOf));
  if (!checked.ok) return checked;
  // From here on the operation completes: the commit is atomic and not interrupted.
  const results: Map<string, ItemResult> = checked.value.failures;
  await commitItems(ctx, checked.value.planned, results);
  if (operation === 'approve') await replanLostApprovals(ctx, results, stepOf);
  tracked?.finish();
  return ok(bulkResult(ids, results));
}

/** How many times an approval that lost a race is planned again on the fresh record. */
const APPROVAL_RETRIES = 3;

/**
 * N-of-M approvals (issue 16): an approval that met a version conflict (another approver, or any
 * change, committed first) is planned again on the record as it is now, and committed: an approval
 * is added to whatever the others added, so both count. Any other conflict outcome stays as it is.
 */
async function replanLostApprovals(
  ctx: EngineContext,
  results: Map<string, ItemResult>,
  stepOf: (action: ActionRecord) => Planned | ItemFailure,
): Promise<void> {
  for (let round = 0; round < APPROVAL_RETRIES; round++) {
    const lost = [...results.values()].filter((r) => !r.ok && r.outcome === 'conflict').map((r) => r.actionId);
    if (lost.length === 0) return;
    const fresh = await loadMany(ctx, lost);
    if (!fresh.ok) return;
    const { planned, failures } = await planEach(ctx, fresh.value, stepOf);
    for (const [id, failure] of failures) results.set(id, failure);
    await commitItems(ctx, planned, results);
  }
}
