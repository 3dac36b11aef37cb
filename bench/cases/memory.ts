/**
 * Memory of 1,000,000 actions in the in-memory repository, indexes included (the records, the id
 * map, the (status, type) buckets, the decided-by and asset indexes, the open keys), against the
 * same records as plain objects in one array. Heap in use is read after a full GC before and after
 * building each structure (`--expose-gc`); the records are generated the same way both times, and
 * the shared string pools exist before either measurement.
 *
 * @module
 */
import { createMemoryRepository, type MemoryRepository } from '../../src/index.js';
import { historyActions } from '../data.js';
import {
  canCollectGarbage,
  compare,
  count,
  heapAfterGc,
  mib,
  statsOf,
  timeRow,
  type BenchOptions,
  type BenchRow,
} from '../harness.js';

const GROUP = 'Memory';

/** Runs the memory case. */
export async function memoryBench(options: BenchOptions): Promise<BenchRow[]> {
  const size = options.quick ? 20_000 : 1_000_000;
  if (!canCollectGarbage) {
    console.log('memory: skipped (needs node --expose-gc; `npm run bench` passes it)');
    return [];
  }
  // Three rounds each (memory is steadier than time, but a GC can still land late).
  const rounds = options.quick ? 1 : 3;
  const plain: number[] = [];
  const stored: number[] = [];
  let loadMs = 0;
  for (let round = 0; round < rounds; round++) {
    let h0 = heapAfterGc();
    let array: unknown[] | null = historyActions(size);
    plain.push(mib(heapAfterGc() - h0));
    if (array.length !== size) throw new Error('memory: wrong size');
    array = null;

    h0 = heapAfterGc();
    let repository: MemoryRepository | null = createMemoryRepository();
    const t0 = performance.now();
    const loaded = repository.load({ actions: historyActions(size) });
    loadMs = performance.now() - t0;
    if (!loaded.ok) throw new Error(loaded.error.message);
    stored.push(mib(heapAfterGc() - h0));
    repository = null;
  }
  const plainStats = statsOf(plain, 'MiB', null);
  const storedStats = statsOf(stored, 'MiB', null);
  const sizeLabel = `${count(size)} actions`;
  return [
    timeRow(
      GROUP,
      'baseline: plain objects in one array',
      sizeLabel,
      plainStats,
      [],
      `${((plainStats.median * 2 ** 20) / size).toFixed(0)} bytes per action`,
    ),
    timeRow(
      GROUP,
      'memory repository (records + indexes)',
      sizeLabel,
      storedStats,
      [compare(storedStats, 'plain array', plainStats, { maxRatio: 2, words: '≤ 2x' })],
      `${((storedStats.median * 2 ** 20) / size).toFixed(0)} bytes per action; load() of generated records took ${(loadMs / 1000).toFixed(2)} s`,
    ),
  ];
}
