/**
 * Expiry: pending actions past their expiry are expired (by the `expiry` component, audited)
 * before anyone decides on them or reads them, and by `run`/`expire` sweeps.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { ActionIdSchema } from '../../catalog/ids.js';
import { err, ok, safeParseInput, type Result } from '../../result.js';
import { isExpired } from '../../rules/lifecycle.js';
import { PrincipalSchema } from '../../rules/principals.js';
import { readClock } from '../clock-reading.js';
import type { CorruptRecordError, DueCursor, RepositoryError } from '../ports.js';
import { EXPIRY, safely, type EngineContext } from './context.js';
import { commitItems } from './commit.js';
import { finish } from './execute.js';
import { escalateDue, escalatedAmong } from './escalation.js';
import { planEach, planEventNow } from './plan.js';
import { revertDue } from './revert.js';
import type { ExpireError } from './results.js';

/**
 * Plans and commits the expiry of those of `actions` that are due (pending, or approved and never
 * started: issue 16); answers the expired records by id.
 */
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
  const current = expired.size === 0 ? [...actions] : actions.map((a) => expired.get(a.id) ?? a);
  // A deadline passed but not swept yet escalates first, so that its group may decide at once.
  return escalatedAmong(ctx, current, now);
}

/** How many due actions a sweep reads and claims per page of the store's due index. */
export const DUE_PAGE = 500;

/** What a sweep of due actions did. */
export interface SweepCounts {
  /** Pending actions expired by this sweep. */
  expired: number;
  /** Running actions timed out by this sweep. */
  timedOut: number;
  /** Pending actions escalated by this sweep (their approval deadline passed, issue 16). */
  escalated: number;
  /** Succeeded time-limited actions whose undo this sweep requested (`autoRevert`, issue 16; run's tick only). */
  reverted: number;
}

/**
 * Sweeps what is due at `now` through the store's due index (`repository.due`), a page at a time,
 * so that a tick costs what is due, not what is stored: pending actions past their expiry are
 * expired; with `timeOut`, running actions past their deadline that no executor of this process
 * holds (a crash, or another process's) are timed out. Each is committed from the version read: a
 * conflict means another process (or a decision) got there first, and it is skipped, not an error,
 * so any number of processes may sweep at once and each transition is committed once. Unreadable
 * actions are skipped and named in `corrupt`.
 */
export async function sweepDue(
  ctx: EngineContext,
  now: number,
  corrupt: CorruptRecordError[],
  timeOut: boolean,
): Promise<Result<SweepCounts, RepositoryError>> {
  const counts: SweepCounts = { expired: 0, timedOut: 0, escalated: 0, reverted: 0 };
  let after: DueCursor | null = null;
  for (;;) {
    const page = await safely(() => ctx.repository.due({ before: now, limit: DUE_PAGE, after }));
    if (!page.ok) {
      // Our query is well-formed: a store refusing it is broken, and says so as unavailable.
      if (page.error.code !== 'invalidInput') return err(page.error);
      return err({ code: 'repositoryUnavailable', message: `The store refused a due query: ${page.error.message}` });
    }
    for (const s of page.value.skipped ?? []) corrupt.push(s);
    // Pending, and approved never started (issue 16): their expiry, or a pending one's deadline.
    const waiting = page.value.items.filter((a) => a.status === 'pending' || a.status === 'approved');
    if (waiting.length > 0) {
      const expired = await expireDue(ctx, waiting, now);
      counts.expired += expired.size;
      // Expiry wins when both are due in one tick: an expired action is not escalated.
      const open = waiting.filter((a) => a.status === 'pending' && !expired.has(a.id));
      if (open.length > 0) counts.escalated += await escalateDue(ctx, open, now);
    }
    if (timeOut) {
      for (const action of page.value.items) {
        if (action.status !== 'running' || ctx.running.has(action.id)) continue;
        if (action.deadlineAt === null || action.deadlineAt > now) continue;
        const failure = { code: 'deadlineExceeded', message: 'The deadline passed while no executor held the action' };
        const outcome = await finish(ctx, action.id, { kind: 'timedOut', failure, audit: {} });
        if (outcome === 'timedOut') counts.timedOut += 1;
      }
      // Time-limited actions whose revert is due (issue 16): run's tick requests their undo, so that
      // the counterpart it creates (approved) is executed by the same tick.
      const reverting = page.value.items.filter((a) => a.status === 'succeeded');
      if (reverting.length > 0) counts.reverted += await revertDue(ctx, reverting, now);
    }
    const next = page.value.next;
    // A cursor that does not move would page for ever (a broken store): stop.
    if (next === null || (after !== null && next.dueAt === after.dueAt && next.id === after.id)) return ok(counts);
    after = next;
  }
}

/** Expires every pending action due at `now`; unreadable ones are skipped and named in `corrupt`. */
export async function expireAt(
  ctx: EngineContext,
  now: number,
  corrupt: CorruptRecordError[] = [],
): Promise<Result<number, ExpireError>> {
  const swept = await sweepDue(ctx, now, corrupt, false);
  return swept.ok ? ok(swept.value.expired) : swept;
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
 * The read sweep: the pending actions due at `now`, through the store's due index (usually one
 * lookup that finds nothing), whatever expiry each was created with. A failure is left to the read.
 */
async function expireDueForRead(ctx: EngineContext, now: number): Promise<void> {
  await sweepDue(ctx, now, [], false);
}
