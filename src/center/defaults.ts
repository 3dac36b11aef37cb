/**
 * The engine's default ports: the system clock, random ids and an executor that does nothing.
 * These are the only places in the library that read the clock or randomness.
 *
 * @module
 */
import type { ActionExecutor, Clock, IdGenerator, IdKind } from './ports.js';

/**
 * The system clock (`Date.now()`). Impure by nature: inject your own {@link Clock} in tests.
 *
 * @example
 * ```ts
 * import { systemClock } from 'actioncenter';
 * systemClock.now(); // e.g. 1795000000000
 * ```
 */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

const PREFIX: { readonly [K in IdKind]: string } = { action: 'act', auditEvent: 'evt', approval: 'apr' };

/**
 * Ids from `crypto.randomUUID()`, prefixed by kind (`act_…`, `evt_…`, `apr_…`). Impure: inject a
 * sequential generator in tests.
 *
 * @example
 * ```ts
 * import { randomIdGenerator } from 'actioncenter';
 * randomIdGenerator.next('action'); // 'act_1b9d6bcd-…'
 * ```
 */
export const randomIdGenerator: IdGenerator = Object.freeze({
  next: (kind: IdKind) => `${PREFIX[kind]}_${globalThis.crypto.randomUUID()}`,
});

/**
 * A deterministic id generator: `act-1`, `act-2`, `evt-1`, … (one counter per kind).
 *
 * @example
 * ```ts
 * import { sequentialIdGenerator } from 'actioncenter';
 * const ids = sequentialIdGenerator();
 * ids.next('action'); // 'act-1'
 * ```
 */
export function sequentialIdGenerator(): IdGenerator {
  const counters: Record<IdKind, number> = { action: 0, auditEvent: 0, approval: 0 };
  return { next: (kind) => `${PREFIX[kind]}-${++counters[kind]}` };
}

/**
 * A clock you move by hand, for tests and simulations.
 *
 * @example
 * ```ts
 * import { manualClock } from 'actioncenter';
 * const clock = manualClock(Date.UTC(2026, 0, 1));
 * clock.advance(60_000);
 * clock.now(); // Date.UTC(2026, 0, 1, 0, 1)
 * ```
 */
export function manualClock(start: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    set: (ms) => {
      now = ms;
    },
  };
}

/**
 * An executor that supports every type and succeeds at once without doing anything: the default,
 * so that an embedded center runs end to end with no setup.
 *
 * @example
 * ```ts
 * import { noopExecutor } from 'actioncenter';
 * await noopExecutor.execute; // always { status: 'succeeded' }
 * ```
 */
export const noopExecutor: ActionExecutor = Object.freeze({
  supports: () => true,
  execute: async () => ({ status: 'succeeded' as const }),
});
