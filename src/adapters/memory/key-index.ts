/**
 * Secondary indexes of the memory repository: the ids of the stored actions by one key (who decided
 * them, who asked for them, which asset they target). A filter on such a key reads only the actions holding it instead
 * of scanning every (status, action type) bucket of the view.
 *
 * Ids, not records, are kept: a new version of an action keeps its key (a transition copies the
 * decider and the target by reference), so most writes leave these indexes alone.
 *
 * @module
 */
import type { ActionRecord } from '../../catalog/records.js';
import { assetOf } from '../../catalog/targets.js';
import { actorKey } from '../../rules/query.js';

/**
 * The key an action is found by in the "decided by" index: the decider's {@link actorKey}, or null
 * while undecided (a `decidedBy` filter never matches an undecided action).
 *
 * @example
 * ```ts
 * import { decidedByKey } from './key-index.js';
 * // decidedByKey(approved) === 'alice@contoso.com'
 * ```
 */
export function decidedByKey(record: ActionRecord): string | null {
  return record.decidedBy === null ? null : actorKey(record.decidedBy);
}

/**
 * The key an action is found by in the "requested by" index: the requester's {@link actorKey}.
 *
 * @example
 * ```ts
 * import { requestedByKey } from './key-index.js';
 * // requestedByKey(automated) === 'system:automatedInvestigation'
 * ```
 */
export function requestedByKey(record: ActionRecord): string {
  return actorKey(record.requestedBy);
}

/**
 * The key an action is found by in the asset index: {@link assetOf} its target.
 *
 * @example
 * ```ts
 * import { assetKey } from './key-index.js';
 * // assetKey(isolateDevice) === 'PC-1'
 * ```
 */
export function assetKey(record: ActionRecord): string {
  return assetOf(record.target);
}

/** The ids filed under one key, in the order they arrived. */
interface KeyList {
  ids: string[];
  /** How many times an action left this key since the list was last exact (0: exact, each id once). */
  stale: number;
}

/**
 * The ids of the stored actions, by one key. Filing is an append (a set per key cost ten times as
 * much to build at a million actions); an action leaving a key is only counted, and the next read
 * of that key drops the ids that left and the repeats, leaving the list exact again.
 *
 * @example
 * ```ts
 * import { assetKey, KeyIndex } from './key-index.js';
 * const byAsset = new KeyIndex(assetKey);
 * // byAsset.add(record); byAsset.collect(['PC-1'], records, null, found);
 * ```
 */
export class KeyIndex {
  readonly #lists = new Map<string, KeyList>();
  readonly #keyOf: (record: ActionRecord) => string | null;

  constructor(keyOf: (record: ActionRecord) => string | null) {
    this.#keyOf = keyOf;
  }

  /** Files a record that is not in the index yet under its key. */
  add(record: ActionRecord): void {
    this.#file(this.#keyOf(record), record.id);
  }

  /** Files a new version under its key when that changed. */
  move(previous: ActionRecord, next: ActionRecord): void {
    const from = this.#keyOf(previous);
    const to = this.#keyOf(next);
    if (from === to) return;
    if (from !== null) {
      const list = this.#lists.get(from);
      if (list !== undefined) list.stale += 1;
    }
    this.#file(to, next.id);
  }

  /**
   * How many ids are filed under the given keys: at least the number of actions holding them (ids
   * that left a key are counted until its next read). The cost of {@link KeyIndex.collect}.
   */
  count(keys: readonly string[]): number {
    let n = 0;
    for (const key of new Set(keys)) n += this.#lists.get(key)?.ids.length ?? 0;
    return n;
  }

  /**
   * Appends to `out` every stored record holding one of `keys` for which `check` holds (each record
   * once, in no particular order). `records` is the store the ids were filed from.
   */
  collect(
    keys: readonly string[],
    records: ReadonlyMap<string, ActionRecord>,
    check: ((record: ActionRecord) => boolean) | null,
    out: ActionRecord[],
  ): void {
    for (const key of new Set(keys)) {
      const list = this.#lists.get(key);
      if (list === undefined) continue;
      if (list.stale === 0) {
        for (const id of list.ids) {
          const record = records.get(id);
          if (record !== undefined && (check === null || check(record))) out.push(record);
        }
        continue;
      }
      // Rebuilt in the same pass: the ids still holding the key, each once.
      const exact: string[] = [];
      const seen = new Set<string>();
      for (const id of list.ids) {
        const record = records.get(id);
        if (record === undefined || seen.has(id) || this.#keyOf(record) !== key) continue;
        seen.add(id);
        exact.push(id);
        if (check === null || check(record)) out.push(record);
      }
      if (exact.length === 0) this.#lists.delete(key);
      else {
        list.ids = exact;
        list.stale = 0;
      }
    }
  }

  #file(key: string | null, id: string): void {
    if (key === null) return;
    const list = this.#lists.get(key);
    if (list === undefined) this.#lists.set(key, { ids: [id], stale: 0 });
    else list.ids.push(id);
  }
}
