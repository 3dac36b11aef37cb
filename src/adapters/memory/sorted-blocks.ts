/**
 * A sorted list cut into blocks: insert and delete cost a binary search plus a splice inside one
 * block (a few hundred slots), not a memmove of the whole list as with one sorted array. Positional
 * reads (`at`, `firstIndexWhere`) use per-block start offsets, rebuilt lazily after changes, so a
 * burst of writes (a bulk approve) pays for them once, at the next read.
 *
 * @module
 */
import { BlockCodes, scanCoded, type CodedSpan, type CodedTest } from './block-codes.js';

/** Default block size: small enough that a splice inside a block is cheap, large enough that the block list stays short. */
const DEFAULT_BLOCK_SIZE = 512;

/**
 * A sorted list with sub-linear insert and delete, and positional access. Items are ordered by
 * `compare`; items comparing equal are treated as the same item (keys are unique: the memory
 * repository orders by `(createdAt, id)`).
 *
 * @example
 * ```ts
 * import { SortedBlocks } from './sorted-blocks.js';
 * const list = new SortedBlocks<number>((a, b) => a - b, { blockSize: 4 });
 * for (const n of [5, 1, 4, 2, 3]) list.insert(n);
 * list.toArray(); // [1, 2, 3, 4, 5]
 * list.firstIndexWhere((n) => n >= 3); // 2
 * ```
 */
export class SortedBlocks<T> {
  readonly #compare: (a: T, b: T) => number;
  readonly #blockSize: number;
  #blocks: T[][] = [];
  #size = 0;
  /** `#starts[b]` is the index of the first item of block `b`; null when stale. */
  #starts: number[] | null = null;
  /** The blocks' coded columns (null until a coded scan); a block's codes go when it changes. */
  #codes: BlockCodes<T> | null = null;

  constructor(compare: (a: T, b: T) => number, options: { readonly blockSize?: number } = {}) {
    this.#compare = compare;
    this.#blockSize = Math.max(2, Math.floor(options.blockSize ?? DEFAULT_BLOCK_SIZE));
  }

  /**
   * Builds a list from items already sorted by `compare` (not checked), in linear time.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * SortedBlocks.fromSorted([1, 2, 3], (a, b) => a - b).size; // 3
   * ```
   */
  static fromSorted<T>(
    sorted: readonly T[],
    compare: (a: T, b: T) => number,
    options: { readonly blockSize?: number } = {},
  ): SortedBlocks<T> {
    const list = new SortedBlocks(compare, options);
    for (let i = 0; i < sorted.length; i += list.#blockSize) list.#blocks.push(sorted.slice(i, i + list.#blockSize));
    list.#size = sorted.length;
    return list;
  }

  /** How many items the list holds. */
  get size(): number {
    return this.#size;
  }

  /** How many blocks the list is cut into (for tests and diagnostics). */
  get blockCount(): number {
    return this.#blocks.length;
  }

  /**
   * Inserts an item at its sorted place (after any equal item).
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const list = new SortedBlocks<number>((a, b) => a - b);
   * list.insert(2); list.insert(1);
   * list.at(0); // 1
   * ```
   */
  insert(item: T): void {
    this.#starts = null;
    this.#size += 1;
    const blocks = this.#blocks;
    if (blocks.length === 0) {
      blocks.push([item]);
      return;
    }
    // The first block whose last item is after `item`; past the end, the last block takes it.
    let b = this.#firstBlock((last) => this.#compare(last, item) > 0);
    if (b === blocks.length) b -= 1;
    const block = blocks[b] as T[];
    this.#codes?.changed(block);
    block.splice(
      this.#firstInBlock(block, (x) => this.#compare(x, item) > 0),
      0,
      item,
    );
    if (block.length > 2 * this.#blockSize) blocks.splice(b + 1, 0, block.splice(block.length >> 1));
  }

  /**
   * Inserts many items at once: sorted once (skipped when already in order) and merged with the
   * current items in linear time, then cut into fresh blocks. For bulk loads; the items must not be
   * in the list yet.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const list = SortedBlocks.fromSorted([2, 4], (a, b) => a - b);
   * list.insertMany([3, 1]);
   * list.toArray(); // [1, 2, 3, 4]
   * ```
   */
  insertMany(items: readonly T[]): void {
    if (items.length === 0) return;
    const compare = this.#compare;
    let added = items;
    for (let i = 1; i < added.length; i++) {
      if (compare(added[i - 1] as T, added[i] as T) > 0) {
        added = [...items].sort(compare);
        break;
      }
    }
    const current = this.toArray();
    const merged: T[] = new Array<T>(current.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < current.length && j < added.length) {
      merged[k++] = compare(current[i] as T, added[j] as T) <= 0 ? (current[i++] as T) : (added[j++] as T);
    }
    while (i < current.length) merged[k++] = current[i++] as T;
    while (j < added.length) merged[k++] = added[j++] as T;
    this.#blocks = [];
    for (let b = 0; b < merged.length; b += this.#blockSize) this.#blocks.push(merged.slice(b, b + this.#blockSize));
    this.#size = merged.length;
    this.#starts = null;
  }

  /**
   * Removes the item equal to `item`; false when there is none.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const list = SortedBlocks.fromSorted([1, 2, 3], (a, b) => a - b);
   * list.delete(2); // true
   * list.toArray(); // [1, 3]
   * ```
   */
  delete(item: T): boolean {
    const found = this.#locate(item);
    if (found === null) return false;
    const [b, i] = found;
    const blocks = this.#blocks;
    const block = blocks[b] as T[];
    this.#codes?.changed(block);
    block.splice(i, 1);
    this.#starts = null;
    this.#size -= 1;
    if (block.length === 0) {
      blocks.splice(b, 1);
    } else if (block.length < this.#blockSize >> 1 && blocks.length > 1) {
      // Keep blocks from fragmenting: a short block joins a neighbour (split again if that is too long).
      const left =
        b > 0 && (b + 1 >= blocks.length || (blocks[b - 1] as T[]).length <= (blocks[b + 1] as T[]).length) ? b - 1 : b;
      const merged = (blocks[left] as T[]).concat(blocks[left + 1] as T[]);
      if (merged.length > 2 * this.#blockSize) {
        blocks.splice(left, 2, merged.slice(0, merged.length >> 1), merged.slice(merged.length >> 1));
      } else {
        blocks.splice(left, 2, merged);
      }
    }
    return true;
  }

  /**
   * Replaces the item equal to `item` with `item` (same sort key, new value); false when there is none.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const list = SortedBlocks.fromSorted([{ k: 1, v: 'a' }], (a, b) => a.k - b.k);
   * list.replace({ k: 1, v: 'b' }); // true
   * list.at(0); // { k: 1, v: 'b' }
   * ```
   */
  replace(item: T): boolean {
    const found = this.#locate(item);
    if (found === null) return false;
    const block = this.#blocks[found[0]] as T[];
    this.#codes?.changed(block);
    block[found[1]] = item;
    return true;
  }

  /**
   * The item at a position, or undefined out of range.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * SortedBlocks.fromSorted(['a', 'b'], (x, y) => (x < y ? -1 : x > y ? 1 : 0)).at(1); // 'b'
   * ```
   */
  at(index: number): T | undefined {
    if (index < 0 || index >= this.#size) return undefined;
    const starts = this.#startOffsets();
    // The last block starting at or before `index`.
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= index) lo = mid;
      else hi = mid - 1;
    }
    return (this.#blocks[lo] as T[])[index - (starts[lo] as number)];
  }

  /**
   * The position of the first item for which `predicate` holds, or `size` when none does. The
   * predicate must be monotone over the order (false for a prefix, true for the rest).
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const list = SortedBlocks.fromSorted([10, 20, 30], (a, b) => a - b);
   * list.firstIndexWhere((n) => n > 15); // 1
   * list.firstIndexWhere((n) => n > 99); // 3
   * ```
   */
  firstIndexWhere(predicate: (item: T) => boolean): number {
    const b = this.#firstBlock(predicate);
    if (b === this.#blocks.length) return this.#size;
    return (this.#startOffsets()[b] as number) + this.#firstInBlock(this.#blocks[b] as T[], predicate);
  }

  /**
   * Calls `visit` for every item at positions `[start, end)`, in order.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const seen: number[] = [];
   * SortedBlocks.fromSorted([1, 2, 3, 4], (a, b) => a - b).forEachInRange(1, 3, (n) => seen.push(n));
   * seen; // [2, 3]
   * ```
   */
  forEachInRange(start: number, end: number, visit: (item: T) => void): void {
    const from = Math.max(0, start);
    const to = Math.min(this.#size, end);
    if (from >= to) return;
    let offset = 0;
    for (const block of this.#blocks) {
      const blockEnd = offset + block.length;
      if (blockEnd > from) {
        const i0 = Math.max(0, from - offset);
        const i1 = Math.min(block.length, to - offset);
        for (let i = i0; i < i1; i++) visit(block[i] as T);
        if (blockEnd >= to) return;
      }
      offset = blockEnd;
    }
  }

  /**
   * Appends to `out` the items at positions `[start, end)` for which `check` holds (every item when
   * `check` is null), in order. A plain loop over the block arrays: the scans of a million records
   * call nothing per item but `check`.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * const odd: number[] = [];
   * SortedBlocks.fromSorted([1, 2, 3, 4, 5], (a, b) => a - b).collectInRange(0, 4, (n) => n % 2 === 1, odd);
   * odd; // [1, 3]
   * ```
   */
  collectInRange(start: number, end: number, check: ((item: T) => boolean) | null, out: T[]): void {
    const from = Math.max(0, start);
    const to = Math.min(this.#size, end);
    if (from >= to) return;
    let offset = 0;
    for (const block of this.#blocks) {
      const blockEnd = offset + block.length;
      if (blockEnd > from) {
        const i0 = Math.max(0, from - offset);
        const i1 = Math.min(block.length, to - offset);
        if (check === null) {
          for (let i = i0; i < i1; i++) out.push(block[i] as T);
        } else {
          for (let i = i0; i < i1; i++) {
            const item = block[i] as T;
            if (check(item)) out.push(item);
          }
        }
        if (blockEnd >= to) return;
      }
      offset = blockEnd;
    }
  }

  /**
   * Appends to `out` the items at positions `[start, end)` whose value in every test's column is
   * one of the test's values, in order. Reads the blocks' codes (building the missing ones), not
   * the items: a scan of a million items compares a million integers.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * import { BlockColumn } from './block-codes.js';
   * const digits = new BlockColumn<number>((n) => String(n % 10));
   * const out: number[] = [];
   * SortedBlocks.fromSorted([3, 13, 14, 23], (a, b) => a - b).collectCoded(1, 4, [{ column: digits, values: ['3'] }], out);
   * out; // [13, 23]
   * ```
   */
  collectCoded(start: number, end: number, tests: readonly CodedTest<T>[], out: T[]): void {
    const from = Math.max(0, start);
    const to = Math.min(this.#size, end);
    if (from >= to) return;
    if (tests.length === 0) return this.collectInRange(from, to, null, out);
    // First the codes of every block in range, so that the dictionaries know every value there.
    const codes = (this.#codes ??= new BlockCodes());
    const spans: CodedSpan<T>[] = [];
    let offset = 0;
    for (const block of this.#blocks) {
      const blockEnd = offset + block.length;
      if (blockEnd > from) {
        spans.push({
          block,
          i0: Math.max(0, from - offset),
          i1: Math.min(block.length, to - offset),
          codes: tests.map((t) => codes.of(t.column, block)),
        });
        if (blockEnd >= to) break;
      }
      offset = blockEnd;
    }
    scanCoded(spans, tests, out);
  }

  /**
   * All items, in order, as a new array.
   *
   * @example
   * ```ts
   * import { SortedBlocks } from './sorted-blocks.js';
   * new SortedBlocks<number>((a, b) => a - b).toArray(); // []
   * ```
   */
  toArray(): T[] {
    const out: T[] = [];
    for (const block of this.#blocks) for (const item of block) out.push(item);
    return out;
  }

  #startOffsets(): number[] {
    if (this.#starts === null) {
      const starts: number[] = new Array<number>(this.#blocks.length);
      let offset = 0;
      for (let b = 0; b < this.#blocks.length; b++) {
        starts[b] = offset;
        offset += (this.#blocks[b] as T[]).length;
      }
      this.#starts = starts;
    }
    return this.#starts;
  }

  /** The first block whose last item satisfies a monotone predicate; `blocks.length` when none. */
  #firstBlock(predicate: (item: T) => boolean): number {
    const blocks = this.#blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = blocks[mid] as T[];
      if (predicate(block[block.length - 1] as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  #firstInBlock(block: readonly T[], predicate: (item: T) => boolean): number {
    let lo = 0;
    let hi = block.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (predicate(block[mid] as T)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Block and offset of the item equal to `item`, or null. */
  #locate(item: T): [number, number] | null {
    const b = this.#firstBlock((last) => this.#compare(last, item) >= 0);
    const block = this.#blocks[b];
    if (block === undefined) return null;
    const i = this.#firstInBlock(block, (x) => this.#compare(x, item) >= 0);
    return i < block.length && this.#compare(block[i] as T, item) === 0 ? [b, i] : null;
  }
}
