/**
 * The change feed of the repository port, shared by every adapter: the query validated through
 * {@link readChangeQuery} (all adapters refuse the same input the same way), and the order a
 * commit's events take in the feed ({@link inFeedOrder}).
 *
 * @module
 */
import * as z from 'zod';
import type { AuditEvent } from '../catalog/records.js';
import type { InvalidInputError } from '../errors.js';
import { ok, safeParseInput, type Result } from '../result.js';

/**
 * A place in the change feed: the position of an audit event. Positions are whole numbers from 1,
 * given at commit, in commit order, with no gaps (a commit of n events takes the next n); an event
 * keeps its position for ever. A reader keeps the last position it has seen and passes it as `after`.
 *
 * @example
 * ```ts
 * import type { ChangePosition } from 'actioncenter';
 * let seen: ChangePosition | null = null; // null: from the beginning of the feed
 * ```
 */
export type ChangePosition = number;

/**
 * What {@link ActionRepository.changes} is asked: the committed audit events after `after` (null:
 * from the first), at most `limit` (1 to 10,000).
 *
 * @example
 * ```ts
 * import type { ChangeQuery } from 'actioncenter';
 * const firstPage: ChangeQuery = { after: null, limit: 500 };
 * ```
 */
export interface ChangeQuery {
  /** The last position the reader has seen (the previous page's `next`); null: from the start. */
  readonly after: ChangePosition | null;
  /** The most events one page holds: 1 to 10,000. */
  readonly limit: number;
}

/**
 * One entry of the change feed: a committed audit event and its position.
 *
 * @example
 * ```ts
 * import type { ChangeEntry } from 'actioncenter';
 * const line = (e: ChangeEntry) => `#${e.position} ${e.event.actionId} ${e.event.type}`;
 * ```
 */
export interface ChangeEntry {
  /** The event's place in the feed (see {@link ChangePosition}). */
  readonly position: ChangePosition;
  /** The audit event, as committed. */
  readonly event: AuditEvent;
}

/**
 * One page of the change feed, in position order.
 *
 * @example
 * ```ts
 * import type { ChangePage } from 'actioncenter';
 * const caughtUp = (page: ChangePage, limit: number) => page.entries.length < limit;
 * ```
 */
export interface ChangePage {
  /** The events after the query's `after`, in position order, at most `limit`. */
  readonly entries: readonly ChangeEntry[];
  /**
   * Where to continue: pass it as the next `after`. The last entry's position, or the query's
   * `after` when the page is empty (nothing newer yet; null when `after` was null or 0).
   */
  readonly next: ChangePosition | null;
}

/**
 * The most events one page of `ActionRepository.changes` may ask for.
 *
 * @example
 * ```ts
 * import { CHANGE_LIMIT_MAX } from 'actioncenter/adapter-kit';
 * CHANGE_LIMIT_MAX; // 10000
 * ```
 */
export const CHANGE_LIMIT_MAX = 10_000;

const ChangeQuerySchema = z.strictObject({
  // Positions start at 1; 0 is "before the first", as null is.
  after: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
  limit: z.number().int().min(1).max(CHANGE_LIMIT_MAX),
});

/**
 * A change query as an adapter acts on it: checked and copied (a Proxy or getter is read once,
 * inside a guard). `after` is a whole number from 0 (0 and null both mean "from the first
 * event") and `limit` 1 to {@link CHANGE_LIMIT_MAX}. Bad input is `invalidInput`, never a throw.
 *
 * @example
 * ```ts
 * import { readChangeQuery } from 'actioncenter/adapter-kit';
 * readChangeQuery({ after: null, limit: 0 }).ok; // false: limit is 1 to 10,000
 * ```
 */
export function readChangeQuery(
  query: unknown,
): Result<{ readonly after: ChangePosition; readonly limit: number }, InvalidInputError> {
  const parsed = safeParseInput(ChangeQuerySchema, query, 'change query');
  if (!parsed.ok) return parsed;
  return ok({ after: parsed.value.after ?? 0, limit: parsed.value.limit });
}

/**
 * A commit's audit events in the order they take in the change feed: the batch's order, unless
 * an action's events are not in `sequence` order there; then sorted by sequence (stable, so events
 * of equal sequence keep the batch's order). The array given is returned when already in order.
 *
 * @example
 * ```ts
 * import { inFeedOrder } from 'actioncenter/adapter-kit';
 * // const ordered = inFeedOrder(batch.events);
 * ```
 */
export function inFeedOrder(events: readonly AuditEvent[]): readonly AuditEvent[] {
  // Usual batches (one event per action, or an action's events in a row) pass the first check.
  let ascending = true;
  for (let i = 1; ascending && i < events.length; i++)
    ascending = (events[i - 1] as AuditEvent).sequence <= (events[i] as AuditEvent).sequence;
  if (ascending) return events;
  const last = new Map<string, number>();
  let inOrder = true;
  for (const event of events) {
    const before = last.get(event.actionId);
    if (before !== undefined && before > event.sequence) {
      inOrder = false;
      break;
    }
    last.set(event.actionId, event.sequence);
  }
  return inOrder ? events : [...events].sort((a, b) => a.sequence - b.sequence);
}
