/**
 * Workers: take the jobs of approved actions from a pg-boss queue and carry each through the
 * center's `resume` (start, execute, record), `concurrency` at a time in this process. A job is
 * completed only once the action's outcome is recorded (or the action needs nothing more), so a
 * worker killed mid-job leaves an active job that pg-boss retries after its expiry (the lease): the
 * next worker finds the action running with no executor and executes it again. Delivery is at
 * least once; recording is exactly once (the center commits each outcome on a version check).
 *
 * Transient executor failures (`retryable`) are the engine's: `resume` records a `retry` (the action
 * approved again, with its `retryAt`), and the retry's commit enqueues the next attempt's job with
 * `startAfter` (see `pgBossEnqueue`); a job that comes before its action's `retryAt` is replaced by
 * one for that time.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionCenter, InvalidInputError, Result, ResumeError, ResumeResult } from 'actioncenter';
import { err, ok } from 'actioncenter';
import { safeParseInput } from 'actioncenter/adapter-kit';
import { readActionJob, type PgBossJob, type PgBossLike } from './boss.js';

/**
 * What a worker could not do with a job, reported to `onError`: a malformed payload or an unknown
 * action (the job is cancelled: never retried), the center's or the queue's failure (the job is
 * failed, or left to expire, and retried).
 *
 * @example
 * ```ts
 * import type { WorkerFailure } from 'actioncenter/pg-boss';
 * const log = (f: WorkerFailure) => console.warn(f.jobId, f.error.code, f.error.message);
 * ```
 */
export interface WorkerFailure {
  /** The job's id. */
  readonly jobId: string;
  /** What went wrong, typed. */
  readonly error:
    | ResumeError
    | { readonly code: 'queueUnavailable'; readonly message: string }
    | { readonly code: 'notFinished'; readonly message: string; readonly outcome: ResumeResult };
  /** What became of the job: cancelled (never retried), failed (retried while it has retries), or left as it was. */
  readonly job: 'cancelled' | 'failed' | 'unchanged';
}

/**
 * Options of {@link startWorkers}.
 *
 * @example
 * ```ts
 * import type { WorkerOptions } from 'actioncenter/pg-boss';
 * const tuning: Omit<WorkerOptions, 'boss' | 'center'> = { queue: 'actions', concurrency: 8, pollIntervalMs: 500 };
 * ```
 */
export interface WorkerOptions {
  /** A started pg-boss 10 instance (its queue created). */
  readonly boss: PgBossLike;
  /** The center that runs and records the actions (its repository on the same database). */
  readonly center: Pick<ActionCenter, 'resume'>;
  /** The queue `pgBossEnqueue` sends to. */
  readonly queue: string;
  /** How many jobs this process works on at once (1 to 1,000; default 4). */
  readonly concurrency?: number;
  /** How long to wait before asking again when the queue was empty, in ms (10 to 60,000; default 500). */
  readonly pollIntervalMs?: number;
  /** Hears every job a worker could not finish (a throw in it is ignored). */
  readonly onError?: (failure: WorkerFailure) => void;
}

/**
 * Running workers: their counts so far, and `stop()`.
 *
 * @example
 * ```ts
 * import type { Workers } from 'actioncenter/pg-boss';
 * const shutdown = async (w: Workers) => { await w.stop(); return w.stats(); };
 * ```
 */
export interface Workers {
  /** Stops taking jobs, waits for those in hand to be recorded (and completed or failed), then resolves. */
  stop(): Promise<void>;
  /** Jobs completed, failed (to be retried) and cancelled (refused) by these workers so far. */
  stats(): { readonly completed: number; readonly failed: number; readonly cancelled: number };
}

const OptionsSchema = z.object({
  boss: z.custom<PgBossLike>(
    (b) =>
      typeof b === 'object' &&
      b !== null &&
      ['fetch', 'complete', 'fail', 'cancel'].every((m) => typeof (b as Record<string, unknown>)[m] === 'function'),
    { message: 'must be a started pg-boss instance (fetch, complete, fail, cancel)' },
  ),
  center: z.custom<Pick<ActionCenter, 'resume'>>(
    (c) => typeof c === 'object' && c !== null && typeof (c as { resume?: unknown }).resume === 'function',
    { message: 'must be an ActionCenter' },
  ),
  queue: z.string().min(1),
  concurrency: z.number().int().min(1).max(1000).default(4),
  pollIntervalMs: z.number().int().min(10).max(60_000).default(500),
  onError: z.custom<(failure: WorkerFailure) => void>((f) => typeof f === 'function').optional(),
});

/** The statuses in which a job's action still needs a worker. */
const UNFINISHED = new Set<string | null>(['approved', 'running', null]);

/**
 * Starts workers in this process: they take jobs from `queue` (up to `concurrency` at once) and
 * carry each action through `center.resume`, completing the job once the outcome is recorded.
 * A job whose action is already final completes without calling the executor; a malformed payload
 * or an unknown action is reported to `onError` and the job cancelled (pg-boss 10 has no "fail
 * without retry": a cancelled job is never retried); a job that could not finish (the store down,
 * an outcome not recorded) is failed, and pg-boss retries it. Invalid options are `invalidInput`.
 *
 * @example
 * ```ts no-run
 * import PgBoss from 'pg-boss';
 * import { createActionCenter } from 'actioncenter';
 * import { startWorkers } from 'actioncenter/pg-boss';
 * const boss = new PgBoss(process.env['DATABASE_URL'] ?? '');
 * await boss.start();
 * const workers = startWorkers({ boss, center: createActionCenter(), queue: 'actions', concurrency: 8 });
 * if (workers.ok) process.once('SIGTERM', () => void workers.value.stop().then(() => boss.stop()));
 * ```
 */
export function startWorkers(options: WorkerOptions): Result<Workers, InvalidInputError> {
  const parsed = safeParseInput(OptionsSchema, options, 'worker options');
  if (!parsed.ok) return err(parsed.error);
  const { boss, center, queue, concurrency, pollIntervalMs, onError } = parsed.value;
  const counts = { completed: 0, failed: 0, cancelled: 0 };
  const inHand = new Set<Promise<void>>();
  let stopping = false;
  let wake: (() => void) | null = null;

  const report = (failure: WorkerFailure) => {
    try {
      onError?.(failure);
    } catch {
      // The listener's own failure must not stop the workers.
    }
  };
  const queueError = (jobId: string, cause: unknown): WorkerFailure => ({
    jobId,
    error: { code: 'queueUnavailable', message: cause instanceof Error ? cause.message : String(cause) },
    job: 'unchanged',
  });

  /** Ends a job; a queue that fails here leaves the job active: it expires and comes back. */
  async function settle(job: PgBossJob, how: 'complete' | 'fail' | 'cancel', failure?: WorkerFailure) {
    try {
      if (how === 'complete') await boss.complete(queue, job.id);
      else if (how === 'cancel') await boss.cancel(queue, job.id);
      else await boss.fail(queue, job.id, { code: failure?.error.code ?? 'unknown' });
      counts[how === 'complete' ? 'completed' : how === 'cancel' ? 'cancelled' : 'failed'] += 1;
    } catch (cause) {
      report(queueError(job.id, cause));
    }
    if (failure !== undefined) report(failure);
  }

  /** Sends the action's job again for `retryAt`; false when it could not (no time, no send, a failure). */
  async function sendAt(actionId: string, retryAt: number | null): Promise<boolean> {
    if (retryAt === null || typeof (boss as { send?: unknown }).send !== 'function') return false;
    try {
      return typeof (await boss.send(queue, { actionId }, { startAfter: new Date(retryAt) })) === 'string';
    } catch {
      return false;
    }
  }

  async function work(job: PgBossJob): Promise<void> {
    const data = readActionJob(job.data);
    if (!data.ok) return settle(job, 'cancel', { jobId: job.id, error: data.error, job: 'cancelled' });
    let resumed: Awaited<ReturnType<typeof center.resume>>;
    try {
      resumed = await center.resume({ id: data.value.actionId });
    } catch (cause) {
      // A center never rejects; anything else given as one is treated as the store being down.
      resumed = err({ code: 'repositoryUnavailable', message: String(cause) });
    }
    if (!resumed.ok) {
      const refused = resumed.error.code === 'notFound' || resumed.error.code === 'invalidInput';
      return settle(job, refused ? 'cancel' : 'fail', {
        jobId: job.id,
        error: resumed.error,
        job: refused ? 'cancelled' : 'failed',
      });
    }
    const r = resumed.value;
    // Not started while still approved (the store or clock failed), or an outcome not recorded on an
    // action still running (the store failed): let pg-boss bring the job back. Not started because
    // another holder started it (a second delivery): that holder records, so the job is done; a
    // holder that dies leaves its own job to come back, or the deadline sweep to time it out.
    const retry =
      (r.outcome === 'notStarted' && r.status !== 'running' && UNFINISHED.has(r.status)) ||
      (r.outcome === 'discarded' && UNFINISHED.has(r.status));
    if (retry) {
      const message = `Action ${r.id} is ${r.status ?? 'unreadable'} after resume (${r.outcome}): the job is retried`;
      return settle(job, 'fail', { jobId: job.id, error: { code: 'notFinished', message, outcome: r }, job: 'failed' });
    }
    // Approved again, waiting for its backoff (a job delivered early, or an older job of the action
    // coming back): a job for `retryAt` replaces this one. Without it, pg-boss brings this one back.
    // (`retried`: the retry's own job was sent with the retry's commit, so this one is done.)
    if (r.outcome === 'notDue') {
      const sent = await sendAt(data.value.actionId, r.retryAt ?? null);
      if (!sent) {
        const message = `Action ${r.id} may not start before ${String(r.retryAt)}: the job is retried`;
        return settle(job, 'fail', {
          jobId: job.id,
          error: { code: 'notFinished', message, outcome: r },
          job: 'failed',
        });
      }
    }
    return settle(job, 'complete');
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      const free = concurrency - inHand.size;
      if (free <= 0) {
        await Promise.race(inHand);
        continue;
      }
      let jobs: PgBossJob[] = [];
      try {
        const fetched: unknown = await boss.fetch(queue, { batchSize: free });
        jobs = Array.isArray(fetched) ? (fetched as PgBossJob[]) : [];
      } catch (cause) {
        report(queueError('', cause));
      }
      if (stopping) {
        // Taken while stopping: handed back at once (failed, so retried elsewhere).
        for (const job of jobs) await settle(job, 'fail');
        break;
      }
      for (const job of jobs) {
        const running: Promise<void> = work(job).finally(() => inHand.delete(running));
        inHand.add(running);
      }
      if (jobs.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollIntervalMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    }
    await Promise.all(inHand);
  }

  const running = loop();
  return ok({
    async stop() {
      stopping = true;
      (wake as (() => void) | null)?.();
      await running;
    },
    stats: () => ({ ...counts }),
  });
}
