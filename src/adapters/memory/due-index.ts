/**
 * The memory repository's due-time index: the actions with a due time (`dueAtOf`: pending ones by
 * their expiry, running ones by their deadline), ordered by (due time, id). A sweep over a million
 * stored actions with nothing due is one binary search here, not a read of every open action.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import type { DueCursor, DuePage } from '../../center/ports.js';
import { compareDue, dueAtOf } from '../../rules/due.js';
import { SortedBlocks } from './sorted-blocks.js';

/** One indexed action: its due time and id (the record is looked up by id when a page is read). */
interface DueEntry {
  readonly dueAt: number;
  readonly id: string;
}

/**
 * Actions by due time, kept by the repository's `commit` and `load`.
 *
 * @example
 * ```ts
 * import { DueIndex } from './due-index.js';
 * const index = new DueIndex();
 * index.size; // 0
 * ```
 */
export class DueIndex {
  readonly #entries: SortedBlocks<DueEntry>;

  /** `blockSize`: entries per block of the sorted list (the repository's option; tests use tiny blocks). */
  constructor(options: { readonly blockSize?: number } = {}) {
    this.#entries = new SortedBlocks<DueEntry>(compareDue, options);
  }

  /** How many actions have a due time. */
  get size(): number {
    return this.#entries.size;
  }

  /** Files a written action: its old due time (of `previous`, the stored version) out, its new one in. */
  move(previous: ActionRecord | undefined, next: ActionRecord): void {
    const before = previous === undefined ? null : dueAtOf(previous);
    const after = dueAtOf(next);
    if (before === after) return;
    if (before !== null) this.#entries.delete({ dueAt: before, id: next.id });
    if (after !== null) this.#entries.insert({ dueAt: after, id: next.id });
  }

  /** Files new actions (a bulk load), merged in at once. */
  addAll(actions: readonly ActionRecord[]): void {
    const entries: DueEntry[] = [];
    for (const action of actions) {
      const dueAt = dueAtOf(action);
      if (dueAt !== null) entries.push({ dueAt, id: action.id });
    }
    this.#entries.insertMany(entries);
  }

  /**
   * A page of due actions: those due at or before `before`, after `after`, at most `limit`, read
   * from `records` by id; `next` is set when another due action follows.
   */
  page(
    query: { readonly before: number; readonly limit: number; readonly after: DueCursor | null },
    records: ReadonlyMap<string, ActionRecord>,
  ): DuePage {
    const { before, limit, after } = query;
    const entries = this.#entries;
    let i = after === null ? 0 : entries.firstIndexWhere((e) => compareDue(e, after) > 0);
    const items: ActionRecord[] = [];
    let last: DueEntry | null = null;
    for (let entry = entries.at(i); entry !== undefined && entry.dueAt <= before; entry = entries.at(++i)) {
      if (items.length === limit) return { items, next: last };
      const record = records.get(entry.id);
      if (record !== undefined) items.push(record);
      last = entry;
    }
    return { items, next: null };
  }
}
