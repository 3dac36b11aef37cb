/**
 * What the worker module needs of pg-boss, described by shape (no runtime import of `pg-boss`: an
 * optional peer, like `pg`): a started `PgBoss` instance of pg-boss 10 fits, and so does a test double.
 *
 * @module
 */
import * as z from 'zod';
import type { InvalidInputError, Result } from 'actioncenter';
import { safeParseInput } from 'actioncenter/adapter-kit';

/**
 * pg-boss's connection for one call (`db` option): its statements run on that connection, in its
 * transaction (how a job is sent in the approval's transaction).
 *
 * @example
 * ```ts
 * import type { PgBossDb } from 'actioncenter/pg-boss';
 * const db: PgBossDb = { executeSql: async () => ({ rows: [] }) };
 * ```
 */
export interface PgBossDb {
  /** Runs one statement with `$1`-style parameters. */
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * The part of a pg-boss 10 job the workers read.
 *
 * @example
 * ```ts
 * import type { PgBossJob } from 'actioncenter/pg-boss';
 * const job: PgBossJob = { id: '6f1c…', name: 'actions', data: { actionId: 'act-1' } };
 * ```
 */
export interface PgBossJob {
  /** The job's id (a UUID). */
  readonly id: string;
  /** Its queue. */
  readonly name: string;
  /** Its payload: `{ actionId }` for the jobs `pgBossEnqueue` sends (read again, it crosses a boundary). */
  readonly data: unknown;
}

/**
 * The pg-boss 10 calls the module makes: `send` (with `db`, in a transaction), `fetch`, `complete`,
 * `fail` and `cancel`. A started `PgBoss` is one.
 *
 * @example
 * ```ts no-run
 * import PgBoss from 'pg-boss';
 * import type { PgBossLike } from 'actioncenter/pg-boss';
 * const boss: PgBossLike = new PgBoss(process.env['DATABASE_URL'] ?? '');
 * ```
 */
export interface PgBossLike {
  /**
   * Creates a job; answers its id, or null when none was created (e.g. no such queue). `startAfter`:
   * not before then (a retry's backoff).
   */
  send(name: string, data: object, options: { db?: PgBossDb; startAfter?: Date }): Promise<string | null>;
  /** Takes up to `batchSize` jobs of the queue (they become active until completed, failed or expired). */
  fetch(name: string, options: { batchSize?: number }): Promise<PgBossJob[]>;
  /** Marks an active job completed. */
  complete(name: string, id: string): Promise<unknown>;
  /** Marks a job failed: retried while it has retries left (the queue's `retryLimit`). */
  fail(name: string, id: string, data: object): Promise<unknown>;
  /** Cancels a job: never retried. */
  cancel(name: string, id: string): Promise<unknown>;
}

/**
 * The payload of an action's job.
 *
 * @example
 * ```ts
 * import type { ActionJobData } from 'actioncenter/pg-boss';
 * const data: ActionJobData = { actionId: 'act-1' };
 * ```
 */
export interface ActionJobData {
  /** The approved action to execute. */
  readonly actionId: string;
}

const JobDataSchema = z.strictObject({ actionId: z.string().min(1).max(200) });

/**
 * Reads a job's payload (it crossed a queue: anyone may have sent it): `{ actionId }` and nothing
 * else, or `invalidInput` (a Proxy or throwing getter included). Never throws.
 *
 * @example
 * ```ts
 * import { readActionJob } from 'actioncenter/pg-boss';
 * readActionJob({ actionId: 'act-1' }).ok; // true
 * readActionJob({ id: 7 }).ok; // false
 * ```
 */
export function readActionJob(data: unknown): Result<ActionJobData, InvalidInputError> {
  return safeParseInput(JobDataSchema, data, 'job payload');
}
