/**
 * actioncenter/pg-boss: distribution of approved actions over worker processes through pg-boss 10
 * (an optional peer dependency, never imported here: any object of its shape fits), on the same
 * PostgreSQL database as `actioncenter/postgres`.
 *
 * - `pgBossEnqueue` is the repository's `beforeCommit` hook: each action a commit lands in
 *   `approved` gets its job in the same transaction (no approved action without a job, no job
 *   without its approval).
 * - `startWorkers` takes the jobs in any number of processes and carries each action through
 *   `center.resume`: delivery at least once, recording exactly once.
 *
 * @packageDocumentation
 * @module actioncenter/pg-boss
 */
export { readActionJob, type ActionJobData, type PgBossDb, type PgBossJob, type PgBossLike } from './boss.js';
export { approvedBy, pgBossEnqueue, type PgBossEnqueueOptions, type TransactionLike } from './enqueue.js';
export { startWorkers, type WorkerFailure, type WorkerOptions, type Workers } from './workers.js';
