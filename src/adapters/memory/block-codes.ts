/**
 * Coded columns for the memory repository's scans: a column's values as integer codes per block of
 * a sorted list, so that a scan compares integers in a typed array instead of reading records
 * scattered over the heap (issue 14: a check per record was slower than a plain `Array.filter`).
 *
 * @module
 */

/**
 * A string-valued column of the items (a value or null per item) that scans test without reading
 * the items: each block's values as integer codes of the column's dictionary (0 for null), built on
 * first use and dropped when the block changes. One dictionary serves every list scanned through
 * the column; {@link BlockColumn.reset} empties it (and so every list's codes) when it grows stale.
 *
 * @example
 * ```ts
 * import { SortedBlocks } from './sorted-blocks.js';
 * import { BlockColumn } from './block-codes.js';
 * const parity = new BlockColumn<number>((n) => (n % 2 === 0 ? 'even' : 'odd'));
 * const out: number[] = [];
 * SortedBlocks.fromSorted([1, 2, 3, 4], (a, b) => a - b).collectCoded(0, 4, [{ column: parity, values: ['odd'] }], out);
 * out; // [1, 3]
 * ```
 */
export class BlockColumn<T> {
  #dict = new Map<string, number>();
  /** Bumped by {@link BlockColumn.reset}: codes of an older generation are rebuilt. */
  generation = 0;

  constructor(readonly key: (item: T) => string | null) {}

  /** How many distinct values the dictionary holds. */
  get size(): number {
    return this.#dict.size;
  }

  /** The code of a value (0 for null), or undefined when no coded block holds it. */
  codeOf(value: string | null): number | undefined {
    return value === null ? 0 : this.#dict.get(value);
  }

  /** The code of an item's value, added to the dictionary when new. */
  encode(item: T): number {
    const value = this.key(item);
    if (value === null) return 0;
    let code = this.#dict.get(value);
    if (code === undefined) this.#dict.set(value, (code = this.#dict.size + 1));
    return code;
  }

  /** Forgets every value (values of removed items stay in the dictionary until then). */
  reset(): void {
    this.#dict = new Map();
    this.generation += 1;
  }
}

/**
 * A test on one column: the item's value is one of `values` (null included only when listed).
 *
 * @example
 * ```ts
 * import { BlockColumn, type CodedTest } from './block-codes.js';
 * const test: CodedTest<string> = { column: new BlockColumn((s: string) => s), values: ['a', 'b'] };
 * ```
 */
export interface CodedTest<T> {
  readonly column: BlockColumn<T>;
  readonly values: readonly (string | null)[];
}

/**
 * Part of one block a scan reads: positions `[i0, i1)`, with the block's codes of each test's column.
 *
 * @example
 * ```ts
 * import type { CodedSpan } from './block-codes.js';
 * const span: CodedSpan<number> = { block: [1, 2], i0: 0, i1: 2, codes: [] };
 * ```
 */
export interface CodedSpan<T> {
  readonly block: readonly T[];
  readonly i0: number;
  readonly i1: number;
  readonly codes: readonly Int32Array[];
}

/**
 * Each column's codes per block of one list. Blocks are keys of weak maps: a block the list drops
 * takes its codes with it; a block changed in place must be reported ({@link BlockCodes.changed}).
 *
 * @example
 * ```ts
 * import { BlockCodes, BlockColumn } from './block-codes.js';
 * const codes = new BlockCodes<string>();
 * const block = ['a', 'b', 'a'];
 * codes.of(new BlockColumn((s: string) => s), block); // Int32Array [1, 2, 1]
 * ```
 */
export class BlockCodes<T> {
  readonly #byColumn = new Map<BlockColumn<T>, WeakMap<readonly T[], { generation: number; codes: Int32Array }>>();

  /** A block changed in place: its codes are stale. */
  changed(block: readonly T[]): void {
    for (const byBlock of this.#byColumn.values()) byBlock.delete(block);
  }

  /** The codes of a block in a column, built when missing or of an older dictionary. */
  of(column: BlockColumn<T>, block: readonly T[]): Int32Array {
    let byBlock = this.#byColumn.get(column);
    if (byBlock === undefined) this.#byColumn.set(column, (byBlock = new WeakMap()));
    const known = byBlock.get(block);
    if (known !== undefined && known.generation === column.generation) return known.codes;
    const codes = new Int32Array(block.length);
    for (let i = 0; i < block.length; i++) codes[i] = column.encode(block[i] as T);
    byBlock.set(block, { generation: column.generation, codes });
    return codes;
  }
}

/**
 * Appends to `out` the items of the spans whose codes pass every test, in order. The spans' codes
 * must be built (so the dictionaries know every value in them) before this resolves the tests.
 *
 * @example
 * ```ts
 * import { BlockCodes, BlockColumn, scanCoded } from './block-codes.js';
 * const column = new BlockColumn((s: string) => s);
 * const block = ['a', 'b', 'a'];
 * const out: string[] = [];
 * scanCoded([{ block, i0: 0, i1: 3, codes: [new BlockCodes<string>().of(column, block)] }], [{ column, values: ['a'] }], out);
 * out; // ['a', 'a']
 * ```
 */
export function scanCoded<T>(spans: readonly CodedSpan<T>[], tests: readonly CodedTest<T>[], out: T[]): void {
  const matchers: ((code: number) => boolean)[] = [];
  for (const test of tests) {
    const matcher = codeMatcher(test);
    if (matcher === null) return; // a value no item holds: nothing matches
    matchers.push(matcher);
  }
  const single = tests.length === 1 ? singleCode(tests[0] as CodedTest<T>) : null;
  for (const { block, i0, i1, codes } of spans) {
    if (single !== null) {
      // The usual case, one value of one column: a plain loop over an Int32Array.
      const column = codes[0] as Int32Array;
      for (let i = i0; i < i1; i++) if (column[i] === single) out.push(block[i] as T);
      continue;
    }
    for (let i = i0; i < i1; i++) {
      let pass = true;
      for (let t = 0; t < matchers.length && pass; t++)
        pass = (matchers[t] as (c: number) => boolean)((codes[t] as Int32Array)[i] as number);
      if (pass) out.push(block[i] as T);
    }
  }
}

/** The one code a single-valued test accepts, or null when it accepts several or none. */
function singleCode<T>(test: CodedTest<T>): number | null {
  if (test.values.length !== 1) return null;
  return test.column.codeOf(test.values[0] as string | null) ?? null;
}

/** Membership of a code in the codes of a test's values; null when no item holds any of them. */
function codeMatcher<T>(test: CodedTest<T>): ((code: number) => boolean) | null {
  const codes: number[] = [];
  for (const value of test.values) {
    const code = test.column.codeOf(value);
    if (code !== undefined) codes.push(code);
  }
  if (codes.length === 0) return null;
  if (codes.length === 1) {
    const only = codes[0] as number;
    return (code) => code === only;
  }
  const allowed = new Uint8Array(test.column.size + 1);
  for (const code of codes) allowed[code] = 1;
  return (code) => allowed[code] === 1;
}
