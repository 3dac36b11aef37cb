/**
 * Commit and carry out: plans are committed atomically (writes with their audit events), and only
 * then are their effects carried out, in this one place:
 * - `notify`: subscribers hear the committed change;
 * - `abort`: the execution this process holds for the action is told to stop;
 * - `run`: the action is queued for the next `run`, in the order it was approved.
 *
 * @module
 */
import { assertNever } from '../../catalog/targets.js';
import type { Result } from '../../result.js';
import type { RepositoryError } from '../ports.js';
import { safely, type EngineContext } from './context.js';
import type { Planned } from './plan.js';
import type { CommittedChange, ItemResult } from './results.js';

/** The most ids the run queue keeps: it is an ordering hint, and `run` sweeps the store anyway. */
const RUN_QUEUE_LIMIT = 100_000;

/**
 * Commits plans in one atomic commit (claiming the idempotency key with them, when given), then
 * carries out their effects. Nothing is carried out when the commit fails.
 */
export async function commitPlans(
  ctx: EngineContext,
  plans: readonly Planned[],
  idempotencyKey: string | null = null,
): Promise<Result<void, RepositoryError>> {
  const writes = plans.length === 1 ? (plans[0] as Planned).writes : concatOf(plans, (p) => p.writes);
  const events = plans.length === 1 ? (plans[0] as Planned).events : concatOf(plans, (p) => p.events);
  const result = await safely(() =>
    ctx.repository.commit({
      writes,
      events,
      idempotencyKey:
        idempotencyKey === null ? null : { key: idempotencyKey, actionIds: writes.map((w) => w.action.id) },
    }),
  );
  if (result.ok) carryOut(ctx, plans, { actions: writes.map((w) => w.action), events });
  return result;
}

/** The plans' writes or events in one array, made to size (`flatMap` grows it item by item). */
function concatOf<T>(plans: readonly Planned[], part: (plan: Planned) => readonly T[]): T[] {
  let size = 0;
  for (let i = 0; i < plans.length; i++) size += part(plans[i] as Planned).length;
  const out = new Array<T>(size);
  let k = 0;
  for (let i = 0; i < plans.length; i++) {
    const items = part(plans[i] as Planned);
    for (let j = 0; j < items.length; j++) out[k++] = items[j] as T;
  }
  return out;
}

/**
 * Commits each item's plan, all in one commit; items named by a conflict are dropped and the rest
 * retried, so one stale action does not hold back the others. Each item's result is set in
 * `results` (given: the operation's own map, which already holds the items it refused).
 */
export async function commitItems(
  ctx: EngineContext,
  planned: readonly Planned[],
  results = new Map<string, ItemResult>(),
): Promise<Map<string, ItemResult>> {
  let remaining: readonly Planned[] = planned;
  while (remaining.length > 0) {
    const r = await commitPlans(ctx, remaining);
    if (r.ok) {
      for (const p of remaining)
        results.set(p.actionId, { actionId: p.actionId, ok: true, outcome: 'applied', action: p.result });
      break;
    }
    if (r.error.code !== 'conflict') {
      for (const p of remaining)
        results.set(p.actionId, { actionId: p.actionId, ok: false, outcome: 'storeError', error: r.error });
      break;
    }
    const conflicting = new Set<string>(r.error.actionIds);
    const hit = remaining.filter((p) => p.writes.some((w) => conflicting.has(w.action.id)));
    // A conflict that names none of our actions cannot be retried away: report it on every item.
    const dropped = new Set(hit.length > 0 ? hit : remaining);
    for (const p of dropped)
      results.set(p.actionId, { actionId: p.actionId, ok: false, outcome: 'conflict', error: r.error });
    remaining = remaining.filter((p) => !dropped.has(p));
  }
  return results;
}

/** Carries out the effects of committed plans: the only place the engine acts after a commit. */
function carryOut(ctx: EngineContext, plans: readonly Planned[], change: CommittedChange): void {
  let notify = false;
  for (const plan of plans) {
    for (const effect of plan.effects) {
      switch (effect.type) {
        case 'notify':
          notify = true;
          break;
        case 'abort': {
          const status = plan.writes.find((w) => w.action.id === effect.actionId)?.action.status;
          ctx.running.get(effect.actionId)?.abort(new Error(status === 'timedOut' ? 'deadline passed' : 'cancelled'));
          break;
        }
        case 'run':
          if (ctx.runQueue.size >= RUN_QUEUE_LIMIT) {
            const oldest = ctx.runQueue.values().next();
            if (oldest.done !== true) ctx.runQueue.delete(oldest.value);
          }
          ctx.runQueue.add(effect.actionId);
          break;
        case 'undo':
        case 'settleUndo':
          break; // carried out in the commit itself (./plan.ts)
        default:
          assertNever(effect);
      }
    }
  }
  if (!notify) return;
  for (const listener of ctx.listeners) {
    try {
      listener(change);
    } catch {
      // A subscriber's bug must not undo or block a committed change.
    }
  }
}
