/**
 * The commit-time check of the memory repository that records and events carry usable times.
 *
 * @module
 */
import type { CommitBatch, CorruptRecordError } from '../../center/ports.js';

const isTimestamp = (t: unknown): boolean => typeof t === 'number' && Number.isSafeInteger(t) && t >= 0 && t <= 8.64e15;
const TIME_FIELDS = ['createdAt', 'expiresAt', 'decidedAt', 'completedAt'] as const;

/**
 * The times of a batch that no reader could use (NaN, fractional, negative, beyond year 275760,
 * not a number): what PostgreSQL's adapter refuses through its read schema, checked here field by
 * field, which costs next to nothing on a bulk commit (a full schema check would not). A NaN time
 * also breaks the order of the views' indexes.
 */
export function unreadableTimes(batch: CommitBatch): CorruptRecordError | null {
  const refuse = (actionId: string, path: (string | number)[], value: unknown): CorruptRecordError => ({
    code: 'corruptRecord',
    message: `Commit refused, nothing was written: ${path.join('.')} of action ${JSON.stringify(actionId)} is not a timestamp (${String(value)})`,
    actionId,
    issues: [
      {
        path,
        code: 'invalid_type',
        message: 'must be a whole number of milliseconds since the epoch, from 0 to 8.64e15',
      },
    ],
  });
  const writes = batch.writes;
  for (let i = 0; i < writes.length; i++) {
    const action = (writes[i] as CommitBatch['writes'][number]).action;
    // The common case in one test per field, without a loop over field names (a bulk commit
    // checks tens of thousands of times); the loop below names the offending field.
    if (
      isTimestamp(action.createdAt) &&
      (action.expiresAt === null || isTimestamp(action.expiresAt)) &&
      (action.decidedAt === null || isTimestamp(action.decidedAt)) &&
      (action.completedAt === null || isTimestamp(action.completedAt))
    )
      continue;
    for (const field of TIME_FIELDS) {
      const value: unknown = action[field];
      if (field !== 'createdAt' && value === null) continue;
      if (!isTimestamp(value)) return refuse(String(action.id), [field], value);
    }
  }
  const events = batch.events;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as CommitBatch['events'][number];
    if (!isTimestamp(event.at)) return refuse(String(event.actionId), ['events', event.sequence, 'at'], event.at);
  }
  return null;
}
