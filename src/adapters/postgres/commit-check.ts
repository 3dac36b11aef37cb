/**
 * The checks of a commit on the facts read from the database: the memory repository's, so that a
 * refused commit names every offending action with the same reasons in the same priority.
 *
 * @module
 */
import { ConflictCollector, heldOpenKey, type CommitBatch } from 'actioncenter/adapter-kit';

/** What the database holds that the checks of one batch need. */
export interface Facts {
  /** id → stored version, for the stored actions among those the batch touches. */
  readonly versions: ReadonlyMap<string, number>;
  /** open key → the id of the open action holding it, for the keys the batch claims. */
  readonly holders: ReadonlyMap<string, string>;
  /** `${actionId}\0${sequence}` of the batch's audit events already written. */
  readonly sequences: ReadonlySet<string>;
  /** The batch's audit event ids already written. */
  readonly eventIds: ReadonlySet<string>;
  readonly keyClaimed: boolean;
}

export const seqKey = (actionId: string, sequence: number) => `${actionId}\u0000${sequence}`;

/**
 * The checks of the memory repository, on the facts read from the database.
 *
 * @example
 * ```ts
 * import { check } from './commit-check.js';
 * // const conflicts = check(batch, facts); if (!conflicts.empty) return err(conflicts.toError());
 * ```
 */
export function check(batch: CommitBatch, facts: Facts): ConflictCollector {
  const conflicts = new ConflictCollector();
  if (batch.idempotencyKey !== null && facts.keyClaimed) {
    const named = batch.writes.length > 0 ? batch.writes.map((w) => w.action.id) : batch.idempotencyKey.actionIds;
    for (const id of named)
      conflicts.add('idempotencyKeyTaken', id, `idempotency key "${batch.idempotencyKey.key}" is already claimed`);
  }
  const written = new Set<string>();
  for (const { action, expectedVersion } of batch.writes) {
    const stored = facts.versions.get(action.id);
    if (written.has(action.id)) {
      conflicts.add(
        expectedVersion === null ? 'alreadyExists' : 'staleVersion',
        action.id,
        `${action.id} is written twice in one commit`,
      );
    } else if (expectedVersion === null) {
      if (stored !== undefined) conflicts.add('alreadyExists', action.id, `${action.id} already exists`);
    } else if (stored === undefined) {
      conflicts.add('staleVersion', action.id, `${action.id} is not stored (expected version ${expectedVersion})`);
    } else if (stored !== expectedVersion) {
      conflicts.add('staleVersion', action.id, `${action.id} is at version ${stored}, not ${expectedVersion}`);
    } else if (action.version !== expectedVersion + 1) {
      conflicts.add(
        'staleVersion',
        action.id,
        `${action.id} must be written as version ${expectedVersion + 1}, not ${action.version}`,
      );
    }
    written.add(action.id);
  }
  // Open keys as they will be after the batch: a stored holder keeps its key unless the batch rewrites it.
  const claimed = new Map<string, string>();
  for (const { action } of batch.writes) {
    const key = heldOpenKey(action);
    if (key === null) continue;
    const inBatch = claimed.get(key);
    const holder = facts.holders.get(key);
    if (inBatch !== undefined && inBatch !== action.id) {
      conflicts.add('openKeyTaken', action.id, `${action.id} and ${inBatch} would both hold open key "${key}"`);
    } else if (holder !== undefined && holder !== action.id && !written.has(holder)) {
      conflicts.add('openKeyTaken', action.id, `open key "${key}" is held by ${holder}`);
    } else {
      claimed.set(key, action.id);
    }
  }
  const seenIds = new Set<string>();
  const seenSequences = new Set<string>();
  for (const event of batch.events) {
    if (!written.has(event.actionId) && !facts.versions.has(event.actionId)) {
      conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.id} is for ${event.actionId}, which is not stored`,
      );
      continue;
    }
    if (seenIds.has(event.id)) conflicts.add('alreadyExists', event.actionId, `audit event ${event.id} appears twice`);
    const key = seqKey(event.actionId, event.sequence);
    if (seenSequences.has(key) || facts.sequences.has(key)) {
      conflicts.add(
        'staleVersion',
        event.actionId,
        `audit event ${event.sequence} of ${event.actionId} is already written`,
      );
    } else if (!seenIds.has(event.id) && facts.eventIds.has(event.id)) {
      // Stricter than the memory repository: audit event ids are unique across the store. (An event
      // written again, sequence and all, is a stale write, as there.)
      conflicts.add('alreadyExists', event.actionId, `audit event id ${event.id} is taken by another event`);
    }
    seenIds.add(event.id);
    seenSequences.add(key);
  }
  return conflicts;
}
