/**
 * The memory repository's change feed: an append-only log of every committed audit event, in
 * commit order. An event's position is its place in the log, from 1.
 *
 * Not bounded, on purpose: the memory store keeps every audit event in its trails for as long as
 * it lives, and the log holds the same (frozen) event objects, so it costs one array slot per event
 * (8 bytes), not a copy. A reader can therefore always resume from any position it was given.
 *
 * @module
 */
import type { AuditEvent } from '../../catalog/records.js';
import type { ChangeEntry, ChangePage } from '../../center/change-feed.js';
import { inFeedOrder } from '../../center/change-feed.js';

/**
 * The log: appended to by `commit` and `load` after they applied their writes (refused commits
 * append nothing), read by `changes`.
 *
 * @example
 * ```ts
 * import { ChangeLog } from './change-log.js';
 * const log = new ChangeLog();
 * log.page(0, 100).entries.length; // 0
 * ```
 */
export class ChangeLog {
  readonly #events: AuditEvent[] = [];

  /** Appends one commit's events (already stored, frozen), in feed order. */
  append(events: readonly AuditEvent[]): void {
    const ordered = inFeedOrder(events);
    for (let i = 0; i < ordered.length; i++) this.#events.push(ordered[i] as AuditEvent);
  }

  /** How many events the log holds: the position of the newest one. */
  get size(): number {
    return this.#events.length;
  }

  /** The entries after position `after` (0: from the first), at most `limit`. */
  page(after: number, limit: number): ChangePage {
    const end = Math.min(this.#events.length, after + limit);
    const entries: ChangeEntry[] = [];
    for (let i = after; i < end; i++) entries.push({ position: i + 1, event: this.#events[i] as AuditEvent });
    const last = entries[entries.length - 1];
    return { entries, next: last === undefined ? (after === 0 ? null : after) : last.position };
  }
}
