/**
 * The `beforeCommit` hook of the PostgreSQL repository: run in a commit's transaction after its
 * writes, so that what it writes (a queue's jobs, an outbox row) commits with the batch or not at all.
 *
 * @module
 */
import type { CommitBatch, RepositoryUnavailableError } from 'actioncenter/adapter-kit';
import { describeError, type PostgresQueryable } from './client.js';

/**
 * A hook run inside a commit's transaction after its writes, before COMMIT (option `beforeCommit`
 * of `createPostgresRepository`): what it writes on `tx` commits with the batch or not at all.
 *
 * @example
 * ```ts
 * import type { BeforeCommit } from 'actioncenter/postgres';
 * const outbox: BeforeCommit = async (tx, batch) => {
 *   for (const e of batch.events) await tx.query('INSERT INTO outbox (event) VALUES ($1)', [JSON.stringify(e)]);
 * };
 * ```
 */
export type BeforeCommit = (tx: PostgresQueryable, batch: CommitBatch) => Promise<void>;

/** Thrown when the hook failed: the commit is rolled back and not retried (the hook decided, not a race). */
export class HookFailed {
  constructor(readonly cause: unknown) {}

  toError(): RepositoryUnavailableError {
    return {
      code: 'repositoryUnavailable',
      message: `Commit failed, nothing was written: the beforeCommit hook failed (${describeError(this.cause)})`,
    };
  }
}

/** Runs the hook once per batch, in order; a throw or rejection becomes {@link HookFailed}. */
export async function runHook(
  hook: BeforeCommit,
  db: PostgresQueryable,
  batches: readonly CommitBatch[],
): Promise<void> {
  for (const batch of batches) {
    try {
      await hook(db, batch);
    } catch (cause) {
      throw new HookFailed(cause);
    }
  }
}
