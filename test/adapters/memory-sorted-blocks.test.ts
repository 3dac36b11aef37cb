import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedBlocks } from '../../src/adapters/memory/sorted-blocks.js';

const byNumber = (a: number, b: number) => a - b;

/** Every observable of the list against a plain sorted array. */
function expectSameAs(list: SortedBlocks<number>, model: readonly number[]): void {
  expect(list.size).toBe(model.length);
  expect(list.toArray()).toEqual(model);
  for (let i = -1; i <= model.length; i++) expect(list.at(i)).toBe(model[i]);
  for (const threshold of [-1, 0, ...model, Math.max(0, ...model) + 1]) {
    const expected = model.findIndex((n) => n >= threshold);
    expect(list.firstIndexWhere((n) => n >= threshold)).toBe(expected === -1 ? model.length : expected);
  }
}

describe('SortedBlocks: a sorted list with sub-linear insert and delete', () => {
  it('keeps items sorted whatever the insertion order', () => {
    const list = new SortedBlocks(byNumber, { blockSize: 2 });
    for (const n of [5, 3, 9, 1, 7, 2, 8]) list.insert(n);
    expectSameAs(list, [1, 2, 3, 5, 7, 8, 9]);
  });

  it('splits a block that grows past twice the block size, so no splice moves more than a block', () => {
    const list = new SortedBlocks(byNumber, { blockSize: 4 });
    for (let n = 0; n < 100; n++) list.insert(n);
    expect(list.blockCount).toBeGreaterThanOrEqual(100 / 8);
    expectSameAs(
      list,
      Array.from({ length: 100 }, (_, i) => i),
    );
  });

  it('joins short blocks after deletes, so the block list does not fragment', () => {
    const list = SortedBlocks.fromSorted(
      Array.from({ length: 64 }, (_, i) => i),
      byNumber,
      { blockSize: 4 },
    );
    expect(list.blockCount).toBe(16);
    // Leave one item of every block of four: without joining, 16 blocks of one item would remain.
    for (let n = 0; n < 64; n++) if (n % 4 !== 3) list.delete(n);
    expect(list.blockCount).toBeLessThanOrEqual(8);
    expectSameAs(
      list,
      Array.from({ length: 16 }, (_, i) => 4 * i + 3),
    );
  });

  it('delete and replace report false for an item that is not there', () => {
    const list = SortedBlocks.fromSorted([1, 2, 3], byNumber);
    expect(list.delete(4)).toBe(false);
    expect(list.replace(0)).toBe(false);
    expect(list.delete(2)).toBe(true);
    expect(list.delete(2)).toBe(false);
    expectSameAs(list, [1, 3]);
  });

  it('replace swaps the value of an equal key in place', () => {
    const list = SortedBlocks.fromSorted(
      [
        { k: 1, v: 'a' },
        { k: 2, v: 'b' },
      ],
      (a, b) => a.k - b.k,
    );
    expect(list.replace({ k: 2, v: 'c' })).toBe(true);
    expect(list.toArray()).toEqual([
      { k: 1, v: 'a' },
      { k: 2, v: 'c' },
    ]);
  });

  it('forEachInRange visits exactly positions [start, end)', () => {
    const list = SortedBlocks.fromSorted(
      Array.from({ length: 20 }, (_, i) => i),
      byNumber,
      { blockSize: 3 },
    );
    const seen: number[] = [];
    list.forEachInRange(4, 13, (n) => seen.push(n));
    expect(seen).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('insertMany merges unsorted items into the list', () => {
    const list = SortedBlocks.fromSorted([2, 4, 6], byNumber, { blockSize: 2 });
    list.insertMany([5, 1, 7, 3]);
    expectSameAs(list, [1, 2, 3, 4, 5, 6, 7]);
  });

  it('property: any sequence of inserts, deletes, replaces and bulk inserts matches a sorted array', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), n: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('delete' as const), n: fc.integer({ min: 0, max: 60 }) }),
      fc.record({ kind: fc.constant('replace' as const), n: fc.integer({ min: 0, max: 60 }) }),
      fc.record({
        kind: fc.constant('insertMany' as const),
        ns: fc.uniqueArray(fc.integer({ min: 0, max: 60 }), { maxLength: 10 }),
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.array(op, { maxLength: 80 }), (blockSize, ops) => {
        const list = new SortedBlocks(byNumber, { blockSize });
        let model: number[] = [];
        for (const o of ops) {
          switch (o.kind) {
            case 'insert':
              // Keys are unique in the repository's use: only new keys are inserted.
              if (!model.includes(o.n)) {
                list.insert(o.n);
                model = [...model, o.n].sort(byNumber);
              }
              break;
            case 'delete':
              expect(list.delete(o.n)).toBe(model.includes(o.n));
              model = model.filter((n) => n !== o.n);
              break;
            case 'replace':
              expect(list.replace(o.n)).toBe(model.includes(o.n));
              break;
            case 'insertMany': {
              const fresh = o.ns.filter((n) => !model.includes(n));
              list.insertMany(fresh);
              model = [...model, ...fresh].sort(byNumber);
              break;
            }
          }
          expect(list.size).toBe(model.length);
        }
        expectSameAs(list, model);
        const from = Math.floor(model.length / 3);
        const to = model.length - from + 1;
        const seen: number[] = [];
        list.forEachInRange(from, to, (n) => seen.push(n));
        expect(seen).toEqual(model.slice(from, to));
      }),
      { numRuns: 300 },
    );
  });
});
