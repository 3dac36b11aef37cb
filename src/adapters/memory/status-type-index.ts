/**
 * The index of the memory repository: one bucket per (status, action type), each bucket a sorted
 * list of records ordered by `(createdAt, id)`. The views filter on status and action type and sort
 * by creation time far more than on anything else, so those queries become a few binary searches
 * (the total) and a merge of a few bucket ends (the page).
 *
 * @module
 */
import type { ActionRecord, ActionStatus } from '../../catalog/records.js';
import { assetKey, decidedByKey, KeyIndex, requestedByKey } from './key-index.js';
import { SortedBlocks } from './sorted-blocks.js';

/**
 * The order of records inside a bucket: creation time, then id (UTF-16 code units, like
 * `compareActions`). Ids are unique, so no two records compare equal.
 *
 * @example
 * ```ts
 * import { bucketOrder } from './status-type-index.js';
 * // records.sort(bucketOrder)
 * ```
 */
export function bucketOrder(a: ActionRecord, b: ActionRecord): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A bucket of the index: the records of one status and one action type.
 *
 * @example
 * ```ts
 * import type { Bucket } from './status-type-index.js';
 * const count = (b: Bucket) => b.size;
 * ```
 */
export type Bucket = SortedBlocks<ActionRecord>;

/**
 * Buckets of records by (status, action type), kept in step with the stored records, and the ids
 * of the records by decider, requester and asset (the secondary indexes of filters the buckets do
 * not serve).
 *
 * @example
 * ```ts
 * import { StatusTypeIndex } from './status-type-index.js';
 * const index = new StatusTypeIndex();
 * // index.add(record); index.buckets(['pending'], null);
 * ```
 */
export class StatusTypeIndex {
  readonly #byStatus = new Map<ActionStatus, Map<string, Bucket>>();
  readonly #blockSize: number | undefined;
  /** Ids by {@link decidedByKey}. */
  readonly decidedBy = new KeyIndex(decidedByKey);
  /** Ids by {@link requestedByKey}. */
  readonly requestedBy = new KeyIndex(requestedByKey);
  /** Ids by {@link assetKey}. */
  readonly assets = new KeyIndex(assetKey);

  constructor(options: { readonly blockSize?: number } = {}) {
    this.#blockSize = options.blockSize;
  }

  /** Adds a record that is not in the index yet. */
  add(record: ActionRecord): void {
    this.#bucket(record.status, record.actionType).insert(record);
    this.#addKeys(record);
  }

  /** Swaps the stored version `previous` for `next` (same id), moving it between buckets when its status or type changed. */
  move(previous: ActionRecord, next: ActionRecord): void {
    // Usually the same decider and target objects (a transition copies them by reference): no key is computed.
    if (previous.decidedBy !== next.decidedBy) this.decidedBy.move(previous, next);
    if (previous.requestedBy !== next.requestedBy) this.requestedBy.move(previous, next);
    if (previous.target !== next.target) this.assets.move(previous, next);
    if (
      previous.status === next.status &&
      previous.actionType === next.actionType &&
      bucketOrder(previous, next) === 0
    ) {
      this.#bucket(next.status, next.actionType).replace(next);
      return;
    }
    this.#bucket(previous.status, previous.actionType).delete(previous);
    this.#bucket(next.status, next.actionType).insert(next);
  }

  /**
   * Adds many records that are not in the index yet: grouped per bucket, sorted once and merged
   * with the bucket's current contents, in O(n log n) overall instead of n separate inserts.
   */
  addAll(records: readonly ActionRecord[]): void {
    const groups = new Map<Bucket, ActionRecord[]>();
    for (const record of records) {
      const bucket = this.#bucket(record.status, record.actionType);
      let group = groups.get(bucket);
      if (group === undefined) groups.set(bucket, (group = []));
      group.push(record);
      this.#addKeys(record);
    }
    for (const [bucket, group] of groups) bucket.insertMany(group);
  }

  /**
   * The non-empty buckets of the given statuses and types (`null`: any), each once.
   *
   * @example
   * ```ts
   * import { StatusTypeIndex } from './status-type-index.js';
   * new StatusTypeIndex().buckets(['pending'], ['quarantineFile']); // []
   * ```
   */
  buckets(statuses: readonly ActionStatus[] | null, actionTypes: readonly string[] | null): Bucket[] {
    const out: Bucket[] = [];
    const statusList = statuses === null ? [...this.#byStatus.keys()] : [...new Set(statuses)];
    const typeList = actionTypes === null ? null : [...new Set(actionTypes)];
    for (const status of statusList) {
      const byType = this.#byStatus.get(status);
      if (byType === undefined) continue;
      if (typeList === null) {
        for (const bucket of byType.values()) if (bucket.size > 0) out.push(bucket);
      } else {
        for (const type of typeList) {
          const bucket = byType.get(type);
          if (bucket !== undefined && bucket.size > 0) out.push(bucket);
        }
      }
    }
    return out;
  }

  #addKeys(record: ActionRecord): void {
    this.decidedBy.add(record);
    this.requestedBy.add(record);
    this.assets.add(record);
  }

  #options(): { blockSize?: number } {
    return this.#blockSize === undefined ? {} : { blockSize: this.#blockSize };
  }

  #bucket(status: ActionStatus, actionType: string): Bucket {
    let byType = this.#byStatus.get(status);
    if (byType === undefined) this.#byStatus.set(status, (byType = new Map()));
    let bucket = byType.get(actionType);
    if (bucket === undefined) byType.set(actionType, (bucket = new SortedBlocks(bucketOrder, this.#options())));
    return bucket;
  }
}
