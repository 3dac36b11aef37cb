/**
 * The `run` tick: expire what is due, time out running actions no executor of this process holds
 * past their deadline (a crash), both found through the store's due index (`sweepDue`), then
 * execute approved actions, those the `run` effect queued first (in the order they were approved),
 * `concurrency` at a time; one approved again after a transient failure not before its `retryAt`.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { ok, safeParseInput, type Result } from '../../result.js';
import { readClock } from '../clock-reading.js';
import type { CorruptRecordError } from '../ports.js';
import { collect, readFields, statusQuery, type EngineContext } from './context.js';
import { execute } from './execute.js';
import { expireDueAmong, sweepDue } from './expiry.js';
import { isExpired } from '../../rules/lifecycle.js';
import type { RunError, RunReport } from './results.js';

/** The `run` operation. */
export async function run(ctx: EngineContext, input: unknown): Promise<Result<RunReport, RunError>> {
  let only: readonly string[] | null = null;
  if (input !== undefined && input !== null) {
    const fields = readFields(input, ['ids'], 'run input');
    if (!fields.ok) return fields;
    if (fields.value.ids !== undefined) {
      const ids = safeParseInput(ctx.idsSchema, fields.value.ids, 'run input');
      if (!ids.ok) return ids;
      only = ids.value;
    }
  }
  // One reading for the sweeps: a broken clock stops the tick before anything changes.
  const now = readClock(ctx.clock);
  if (!now.ok) return now;
  // Unreadable actions are skipped by every sweep and reported: one bad row stops nothing else.
  const corrupt: CorruptRecordError[] = [];
  // Expiries and the deadlines of running actions no executor here holds, through the due index.
  const swept = await sweepDue(ctx, now.value, corrupt, true);
  if (!swept.ok) return swept;
  const { expired, timedOut, escalated, reverted } = swept.value;
  const counts = {
    expired,
    started: 0,
    succeeded: 0,
    failed: 0,
    timedOut,
    accepted: 0,
    discarded: 0,
    escalated,
    reverted,
    corrupt,
  };
  const approved = await collect(ctx, statusQuery(['approved'], only === null ? {} : { ids: only }), corrupt);
  if (!approved.ok) return approved;
  // Approved but never started past its unstarted expiry (issue 16): expired, not started (the
  // sweep above expired those it found; this catches one approved since, or its commit lost a race).
  const listed = await expireDueAmong(ctx, approved.value, now.value);
  for (const a of listed) if (a.status === 'expired') counts.expired += 1;
  // An action approved again after a transient failure waits for its backoff (`retryAt`).
  const ready = listed.filter(
    (a) => a.status === 'approved' && (a.retryAt === null || a.retryAt <= now.value) && !isExpired(a, now.value),
  );
  const queue = inRunOrder(ctx, ready, only === null);
  const worker = async () => {
    for (let action = queue.shift(); action !== undefined; action = queue.shift()) {
      ctx.runQueue.delete(action.id);
      const outcome = await execute(ctx, action);
      if (outcome === 'notStarted' || outcome === 'notDue') continue;
      if (outcome === 'unknownType') {
        counts.failed += 1; // failed without starting
        continue;
      }
      counts.started += 1;
      // Retried (a transient failure, approved again until its backoff): started, no status reached.
      if (outcome !== 'retried') counts[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(ctx.concurrency, queue.length) }, worker));
  return ok(counts);
}

/**
 * The approved actions in the order they run: those the `run` effect queued in this process, in
 * the order they were approved, then the others (approved elsewhere or before a restart), oldest
 * first. A full sweep forgets queued ids that are no longer approved.
 */
function inRunOrder(ctx: EngineContext, approved: readonly ActionRecord[], fullSweep: boolean): ActionRecord[] {
  if (ctx.runQueue.size === 0) return [...approved];
  const byId = new Map(approved.map((a) => [a.id as string, a]));
  const first: ActionRecord[] = [];
  for (const id of ctx.runQueue) {
    const action = byId.get(id);
    if (action !== undefined) first.push(action);
    else if (fullSweep) ctx.runQueue.delete(id);
  }
  const queued = new Set(first.map((a) => a.id as string));
  return [...first, ...approved.filter((a) => !queued.has(a.id))];
}
