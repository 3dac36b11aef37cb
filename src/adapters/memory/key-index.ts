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
  /** The ids are in ascending order (ids usually arrive ascending: then a walk sorts nothing). */
  sorted: boolean;
}

/**
 * Where a walk in key order starts: after the action with sort label `value` and id `id` (a
 * page's cursor).
 *
 * @example
 * ```ts
 * import type { WalkStart } from './key-index.js';
 * const start: WalkStart = { value: 'PC-1', id: 'a-17' };
 * ```
 */
export interface WalkStart {
  readonly value: string;
  readonly id: string;
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
  /** The keys in order of their sort label (then key), for walks; kept up to date once built. */
  #order: {
    readonly label: (key: string) => string;
    readonly keys: string[];
    readonly labels: string[];
    /** Keys spliced in since the order was built. */
    added: number;
  } | null = null;

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

  /**
   * Visits the stored records holding a key in the order of a sort on the key's column: keys by
   * `label(key)` (UTF-16 code units, as `compareSortValues`), ascending or descending, and the
   * records of one label by id ascending (ties of a view's order). Starts after `start` when given;
   * stops when `visit` answers false. Records holding no key (null) are not visited. The key order
   * is built on the first walk (one sort of the distinct keys) and kept by later filings; a key's
   * ids are sorted when a walk first reads them out of order.
   *
   * @example
   * ```ts
   * import { assetKey, KeyIndex } from './key-index.js';
   * const byAsset = new KeyIndex(assetKey);
   * // byAsset.walk((k) => k, 'asc', null, records, (r) => page.push(r) < 51);
   * ```
   */
  walk(
    label: (key: string) => string,
    direction: 'asc' | 'desc',
    start: WalkStart | null,
    records: ReadonlyMap<string, ActionRecord>,
    visit: (record: ActionRecord) => boolean,
  ): void {
    const { keys, labels } = this.#orderBy(label);
    const n = keys.length;
    // The first key group at or after the start, in the walk's direction.
    let g: number;
    if (start === null) g = direction === 'asc' ? 0 : n - 1;
    else if (direction === 'asc') g = lowerBound(labels, start.value);
    else g = lowerBound(labels, start.value, true) - 1;
    while (g >= 0 && g < n) {
      // One group: the keys sharing a label (actor labels can coincide), so one tie order by id.
      const value = labels[g] as string;
      let lo = g;
      let hi = g + 1;
      if (direction === 'asc') while (hi < n && labels[hi] === value) hi += 1;
      else while (lo > 0 && labels[lo - 1] === value) lo -= 1;
      g = direction === 'asc' ? hi : lo - 1;
      let ids: readonly string[];
      if (hi - lo === 1) ids = this.#exactSorted(keys[lo] as string, records);
      else {
        const merged: string[] = [];
        for (let k = lo; k < hi; k++) for (const id of this.#exactSorted(keys[k] as string, records)) merged.push(id);
        ids = merged.sort();
      }
      let i = 0;
      if (start !== null && value === start.value) i = upperBound(ids, start.id);
      for (; i < ids.length; i++) {
        const record = records.get(ids[i] as string);
        if (record !== undefined && !visit(record)) return;
      }
    }
  }

  /** The keys ordered by `label` (then by key), built once per label function. */
  #orderBy(label: (key: string) => string): { keys: string[]; labels: string[] } {
    if (this.#order !== null && this.#order.label === label) return this.#order;
    const keys = [...this.#lists.keys()].map((key) => ({ key, label: label(key) }));
    keys.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.#order = { label, keys: keys.map((k) => k.key), labels: keys.map((k) => k.label), added: 0 };
    return this.#order;
  }

  /** A key's ids, exact (each id holding the key once) and ascending; empty when none holds it. */
  #exactSorted(key: string, records: ReadonlyMap<string, ActionRecord>): readonly string[] {
    const list = this.#lists.get(key);
    if (list === undefined) return [];
    if (list.stale !== 0) {
      this.collect([key], records, () => false, []);
      if (!this.#lists.has(key)) return [];
    }
    if (!list.sorted) {
      list.ids.sort();
      list.sorted = true;
    }
    return list.ids;
  }

  #file(key: string | null, id: string): void {
    if (key === null) return;
    const list = this.#lists.get(key);
    if (list === undefined) {
      this.#lists.set(key, { ids: [id], stale: 0, sorted: true });
      this.#addToOrder(key);
    } else {
      list.sorted &&= (list.ids[list.ids.length - 1] as string) < id;
      list.ids.push(id);
    }
  }

  /**
   * Keeps the walk order (if built) with a new key: a binary search and a splice. Many new keys (a
   * load) drop it instead: a splice moves every later key, the next walk's sort is cheaper then.
   */
  #addToOrder(key: string): void {
    const order = this.#order;
    if (order === null) return;
    if (++order.added > MAX_SPLICED_KEYS) {
      this.#order = null;
      return;
    }
    const value = order.label(key);
    let lo = lowerBound(order.labels, value);
    while (lo < order.keys.length && order.labels[lo] === value && (order.keys[lo] as string) < key) lo += 1;
    if (order.keys[lo] === key) return; // a key emptied and filed again: still in place
    order.keys.splice(lo, 0, key);
    order.labels.splice(lo, 0, value);
  }
}

/** How many new keys are spliced into a built walk order before it is dropped (rebuilt by the next walk). */
const MAX_SPLICED_KEYS = 256;

/** The first position of `sorted` holding a value >= `value` (> `value` when `strict`). */
function lowerBound(sorted: readonly string[], value: string, strict = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid] as string;
    if (x < value || (strict && x === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position of `sorted` holding a value > `value`. */
function upperBound(sorted: readonly string[], value: string): number {
  return lowerBound(sorted, value, true);
}
