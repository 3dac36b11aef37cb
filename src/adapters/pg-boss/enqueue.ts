/**
 * Enqueueing in the approval's transaction: the `beforeCommit` hook of the PostgreSQL repository
 * that sends one pg-boss job per action the commit lands in `approved`, on the commit's own
 * connection. The job and the approval commit together or not at all: no approved action without
 * its job, no job without its approval.
 *
 * @module
 */
import * as z from 'zod';
import { ActionCenterException } from 'actioncenter';
import { safeParseInput, type CommitBatch } from 'actioncenter/adapter-kit';
import type { PgBossLike } from './boss.js';

/**
 * A connection inside a transaction, by shape: what `createPostgresRepository`'s `beforeCommit`
 * hands over (`pg` clients and PGlite transactions fit).
 *
 * @example
 * ```ts
 * import type { TransactionLike } from 'actioncenter/pg-boss';
 * const tx: TransactionLike = { query: async () => ({ rows: [] }) };
 * ```
 */
export interface TransactionLike {
  /** Runs one statement with `$1`-style parameters, in the transaction. */
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * Options of {@link pgBossEnqueue}.
 *
 * @example
 * ```ts no-run
 * import PgBoss from 'pg-boss';
 * import type { PgBossEnqueueOptions } from 'actioncenter/pg-boss';
 * const options: PgBossEnqueueOptions = { boss: new PgBoss(process.env['DATABASE_URL'] ?? ''), queue: 'actions' };
 * ```
 */
export interface PgBossEnqueueOptions {
  /** A pg-boss 10 instance on the same database as the repository (started, its queue created). */
  readonly boss: PgBossLike;
  /** The queue the jobs go to: create it first (`boss.createQueue`), with an `expireInSeconds` above the longest action deadline. */
  readonly queue: string;
}

/**
 * The ids of the actions a batch lands in `approved`: those with an audit event into `approved`
 * from another status (an approval, or a submission approved at once), each once, in event order.
 *
 * @example
 * ```ts
 * import { approvedBy } from 'actioncenter/pg-boss';
 * approvedBy({ writes: [], events: [], idempotencyKey: null }); // []
 * ```
 */
export function approvedBy(batch: CommitBatch): string[] {
  const ids = new Set<string>();
  for (const event of batch.events) if (event.to === 'approved' && event.from !== 'approved') ids.add(event.actionId);
  return [...ids];
}

/** The `retryAt` the batch writes for an action (null when none: a first approval). */
function retryAtIn(batch: CommitBatch, actionId: string): number | null {
  let retryAt: number | null = null;
  for (const write of batch.writes) if (write.action.id === actionId) retryAt = write.action.retryAt ?? null;
  return retryAt;
}

const OptionsSchema = z.object({
  boss: z.custom<PgBossLike>(
    (b) => typeof b === 'object' && b !== null && typeof (b as { send?: unknown }).send === 'function',
    {
      message: 'must be a pg-boss instance (anything with send(name, data, options))',
    },
  ),
  queue: z.string().min(1),
});

/**
 * The `beforeCommit` hook that enqueues approved actions: for each action the commit lands in
 * `approved`, a job `{ actionId }` sent through pg-boss on the commit's connection (`db` option),
 * so it is part of the same transaction. An action approved again after a transient failure (a
 * `retry`) gets its job with `startAfter` its `retryAt`: the worker takes it after the backoff. A send that fails, or creates no job (no such queue),
 * throws: the commit is rolled back (`repositoryUnavailable`, nothing written, no job).
 *
 * Throws {@link ActionCenterException} only for invalid options (a programming error).
 *
 * @example
 * ```ts no-run
 * import pg from 'pg';
 * import PgBoss from 'pg-boss';
 * import { createPostgresRepository } from 'actioncenter/postgres';
 * import { pgBossEnqueue } from 'actioncenter/pg-boss';
 * const boss = new PgBoss(process.env['DATABASE_URL'] ?? '');
 * const client = new pg.Pool({ connectionString: process.env['DATABASE_URL'] });
 * const repository = createPostgresRepository({ client, beforeCommit: pgBossEnqueue({ boss, queue: 'actions' }) });
 * ```
 */
export function pgBossEnqueue(
  options: PgBossEnqueueOptions,
): (tx: TransactionLike, batch: CommitBatch) => Promise<void> {
  // Read once, checked (a getter must not answer differently at commit time): a bad option is a programming error.
  const parsed = safeParseInput(OptionsSchema, options, 'pgBossEnqueue options');
  if (!parsed.ok) throw new ActionCenterException(parsed.error);
  const { boss, queue } = parsed.value;
  return async (tx, batch) => {
    const ids = approvedBy(batch);
    if (ids.length === 0) return;
    const db = { executeSql: (text: string, values: unknown[]) => tx.query(text, values) };
    for (const actionId of ids) {
      // Approved again after a transient failure: the job starts no earlier than the backoff.
      const retryAt = retryAtIn(batch, actionId);
      const id = await boss.send(
        queue,
        { actionId },
        retryAt === null ? { db } : { db, startAfter: new Date(retryAt) },
      );
      if (typeof id !== 'string')
        throw new Error(`pg-boss created no job for ${actionId} in queue "${queue}" (is the queue created?)`);
    }
  };
}
