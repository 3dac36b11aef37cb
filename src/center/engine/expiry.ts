/**
 * Expiry: pending actions past their expiry are expired (by the `expiry` component, audited)
 * before anyone decides on them or reads them, and by `run`/`expire` sweeps.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { ActionIdSchema } from '../../catalog/ids.js';
import { ok, safeParseInput, type Result } from '../../result.js';
import { isExpired } from '../../rules/lifecycle.js';
import { PrincipalSchema } from '../../rules/principals.js';
import { readClock } from '../clock-reading.js';
import type { CorruptRecordError } from '../ports.js';
import { EXPIRY, collect, safely, statusQuery, type EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { planEach, planEventNow } from './plan.js';
import type { ExpireError } from './results.js';

/** Plans and commits the expiry of those of `actions` that are due; answers the expired records by id. */
async function expireDue(
  ctx: EngineContext,
  actions: readonly ActionRecord[],
  now: number,
): Promise<Map<string, ActionRecord>> {
  const { planned } = await planEach(ctx, actions, (action) => {
    if (!isExpired(action, now)) return null;
    const step = planEventNow(ctx, action, { type: 'expire', by: EXPIRY, at: now, comment: null });
    return step.ok ? step.value : null;
  });
  const expired = new Map<string, ActionRecord>();
  if (planned.length === 0) return expired;
  const committed = await commitItems(ctx, planned);
  for (const p of planned) if (committed.get(p.actionId)?.ok === true) expired.set(p.actionId, p.result);
  return expired;
}

/**
 * The actions, with those pending past their expiry expired and committed. One whose expiry could
 * not be committed (changed meanwhile) is kept as read: the caller's own commit then meets the
 * same conflict.
 */
export async function expireDueAmong(
  ctx: EngineContext,
  actions: readonly ActionRecord[],
  now: number,
): Promise<ActionRecord[]> {
  const expired = await expireDue(ctx, actions, now);
  return expired.size === 0 ? [...actions] : actions.map((a) => expired.get(a.id) ?? a);
}

/** Expires every pending action due at `now`; unreadable ones are skipped and named in `corrupt`. */
export async function expireAt(
  ctx: EngineContext,
  now: number,
  corrupt: CorruptRecordError[] = [],
): Promise<Result<number, ExpireError>> {
  const pending = await collect(ctx, statusQuery(['pending']), corrupt);
  if (!pending.ok) return pending;
  return ok((await expireDue(ctx, pending.value, now)).size);
}

/** The `expire` operation. */
export async function expire(ctx: EngineContext): Promise<Result<number, ExpireError>> {
  const now = readClock(ctx.clock);
  if (!now.ok) return now;
  return expireAt(ctx, now.value);
}

/**
 * Runs a read after expiring what is due, so that `get`, `list`, the audit trail and the export
 * never show a pending action past its expiry as pending, whatever the host's sweep schedule.
 * Only for a well-formed principal: a malformed request changes nothing. A sweep that fails (a
 * store or clock down) is left to the read, which meets the same failure and reports it its way.
 */
export async function afterExpiry<T, E>(
  ctx: EngineContext,
  principal: unknown,
  read: () => Promise<Result<T, E>>,
  id?: unknown,
): Promise<Result<T, E>> {
  if (safeParseInput(PrincipalSchema, principal, 'principal').ok) {
    const now = readClock(ctx.clock);
    if (now.ok && id === undefined) {
      await expireDueForRead(ctx, now.value);
    } else if (now.ok) {
      // One action read: only it needs expiring, not every pending action.
      const actionId = safeParseInput(ActionIdSchema, id, 'action id');
      const found = actionId.ok ? await safely(() => ctx.repository.get(actionId.value)) : null;
      if (found !== null && found.ok && found.value !== null) await expireDueAmong(ctx, [found.value], now.value);
    }
  }
  return read();
}

/**
 * The read sweep: pending actions created at least this center's `pendingExpiryMs` ago, a range
 * the stores serve from their status and creation-time indexes (usually empty), instead of every
 * pending action. Exact when every process writing to the store uses this expiry or a longer one;
 * an action created with a shorter expiry elsewhere is expired by the next decision on it, `run`
 * or `expire`.
 */
async function expireDueForRead(ctx: EngineContext, now: number): Promise<void> {
  const createdTo = now - ctx.approvalPolicy.pendingExpiryMs + 1; // createdTo is exclusive
  if (createdTo <= 0) return;
  const due = await collect(ctx, statusQuery(['pending'], { createdTo }));
  if (due.ok && due.value.length > 0) await expireDueAmong(ctx, due.value, now);
}
