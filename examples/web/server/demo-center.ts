/**
 * The demo's center: an in-memory repository, the demo clock and executor, filled with the demo
 * data (or not). What serve.ts runs, and what the API tests build their app on.
 */
import {
  createActionCenter,
  createMemoryRepository,
  sequentialIdGenerator,
  type ActionCenter,
  type MemoryRepository,
} from 'actioncenter';
import { demoClock, demoExecutor, seedDemoData, type DemoClock, type DemoFailures } from './demo-data.js';

/** A demo center and its parts. */
export interface DemoCenter {
  readonly center: ActionCenter;
  readonly repository: MemoryRepository;
  readonly clock: DemoClock;
}

/** Builds the demo center; `data: 'demo'` seeds it for `seed` as of `now` (default: this minute). */
export async function createDemoCenter(
  options: { readonly data?: 'demo' | 'empty'; readonly seed?: number; readonly now?: number } = {},
): Promise<DemoCenter> {
  const repository = createMemoryRepository();
  const clock = demoClock();
  const failures: DemoFailures = { ids: new Set() };
  const center = createActionCenter({
    repository,
    clock,
    executor: demoExecutor(failures),
    idGenerator: sequentialIdGenerator(),
  });
  if ((options.data ?? 'demo') === 'demo') {
    // Whole minutes: the same seed gives the same data within a minute (tests pass their own now).
    const now = options.now ?? Math.floor(Date.now() / 60_000) * 60_000;
    await seedDemoData(center, clock, failures, { seed: options.seed ?? 17, now });
  }
  return { center, repository, clock };
}
