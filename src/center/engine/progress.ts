/**
 * Progress and cancellation of long bulk operations (issue 17): approve, reject, cancel, undo and
 * retry report `reading` → `checking` → `committing` → `done` to an `onProgress` callback and stop,
 * changing nothing, when their `signal` aborts before the commit. Without either field an operation
 * takes its usual path (one read, one planning pass): the hot path pays nothing for this.
 *
 * @module
 */
import * as z from 'zod';
import type { ActionRecord } from '../../catalog/records.js';
import { err, ok, type Result } from '../../result.js';
import type { AbortedError } from '../errors.js';
import type { RepositoryError } from '../ports.js';
import { PAGE, safely, type EngineContext } from './context.js';

/**
 * The bulk operations that report progress and can be aborted: those an {@link AbortedError} names,
 * but the CSV export (which takes a signal, not a progress listener).
 *
 * @example
 * ```ts
 * import type { ProgressOperation } from 'actioncenter/adapter-kit';
 * const op: ProgressOperation = 'approve';
 * ```
 */
export type ProgressOperation = Exclude<AbortedError['operation'], 'exportCsv'>;

/**
 * Where a bulk operation is: `reading` the actions, `checking` them (permission, state, planning
 * each change), `committing` (one atomic commit, not interrupted), `done`. The phases before
 * `done` are those an {@link AbortedError} can name.
 *
 * @example
 * ```ts
 * import type { ProgressPhase } from 'actioncenter/adapter-kit';
 * const label: Record<ProgressPhase, string> = { reading: 'Reading', checking: 'Checking', committing: 'Saving', done: 'Done' };
 * ```
 */
export type ProgressPhase = AbortedError['phase'] | 'done';

/**
 * One progress report of a bulk operation (`onProgress` of approve, reject, cancel, undo, retry).
 * Phases come in order; `done` never decreases and is `total` at `committing` and `done`. In
 * `checking`, `done` counts the items checked so far (reported about every 1% of the items, at
 * most 250 apart). `total` is the number of ids given (for an undo with `applyToOtherInstances`,
 * plus the other instances, from `checking` on).
 *
 * @example
 * ```ts
 * import type { BulkProgress } from 'actioncenter/adapter-kit';
 * const percent = (p: BulkProgress) => (p.total === 0 ? 100 : Math.round((100 * p.done) / p.total));
 * ```
 */
export interface BulkProgress {
  /** The operation reporting. */
  readonly operation: ProgressOperation;
  /** Where it is. */
  readonly phase: ProgressPhase;
  /** Items checked so far (`total` from `committing` on). */
  readonly done: number;
  /** Items in the operation. */
  readonly total: number;
}

/**
 * Is `value` an AbortSignal (duck-typed: a boolean `aborted` and an `addEventListener` function,
 * as any realm's or polyfill's signal has)? Never throws: a Proxy or a throwing getter is no signal.
 */
export function isAbortSignalLike(value: unknown): value is AbortSignal {
  try {
    if (typeof value !== 'object' || value === null) return false;
    const signal = value as { aborted?: unknown; addEventListener?: unknown };
    return typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function';
  } catch {
    return false;
  }
}

/**
 * Has the signal aborted? A signal that cannot be read any more (a getter that throws now) counts
 * as aborted: when in doubt, the operation changes nothing.
 */
export function signalAborted(signal: AbortSignal): boolean {
  try {
    return signal.aborted === true;
  } catch {
    return true;
  }
}

/** The `onProgress` field of an input: a function (called guarded, see {@link BulkRun.emit}). */
export const OnProgressSchema = z.custom<(progress: BulkProgress) => void>(
  (value) => typeof value === 'function',
  'expected a function (progress) => void',
);

/** The `signal` field of an input: an AbortSignal, duck-typed without throwing. */
export const AbortSignalSchema = z.custom<AbortSignal>(isAbortSignalLike, 'expected an AbortSignal');

/** How many ids a tracked operation reads per `getMany`: between two reads the signal is checked. */
const READ_CHUNK = PAGE;

/** The next turn of the event loop: lets an abort (a closed request, a timer) and progress I/O happen. */
function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}

/** The tracking of one bulk operation: its progress reports and abort checks. */
export class BulkRun {
  private done = 0;
  private total: number;

  constructor(
    readonly operation: ProgressOperation,
    total: number,
    private readonly onProgress: ((progress: BulkProgress) => void) | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.total = total;
  }

  /** The items in the operation (an undo adds the other instances of a file once it has read them). */
  setTotal(total: number): void {
    this.total = total;
  }

  /**
   * Reports progress. The listener is isolated: what it throws (or the promise it returns rejects
   * with) is caught and the operation goes on.
   */
  emit(phase: ProgressPhase, done: number): void {
    this.done = Math.max(this.done, Math.min(done, this.total));
    const listener = this.onProgress;
    if (listener === undefined) return;
    const progress: BulkProgress = Object.freeze({
      operation: this.operation,
      phase,
      done: this.done,
      total: this.total,
    });
    try {
      const returned: unknown = listener(progress);
      if (typeof returned === 'object' && returned !== null && typeof (returned as Promise<void>).then === 'function')
        (returned as Promise<void>).then(undefined, () => undefined);
    } catch {
      // A listener's bug must not stop (or half-do) the operation.
    }
  }

  /** The `aborted` error when the signal has aborted, else null. */
  aborted(phase: AbortedError['phase']): AbortedError | null {
    if (this.signal === undefined || !signalAborted(this.signal)) return null;
    return {
      code: 'aborted',
      message: `The ${this.operation} was aborted while ${phase} (${this.done} of ${this.total} items checked): nothing was changed`,
      operation: this.operation,
      phase,
    };
  }

  /** A checkpoint between chunks: the event loop turns (an abort can arrive), then the signal is read. */
  async checkpoint(phase: AbortedError['phase']): Promise<AbortedError | null> {
    await nextTurn();
    return this.aborted(phase);
  }

  /** Reads the actions of `ids` a chunk at a time (missing ids left out), checking the signal between chunks. */
  async read(
    ctx: EngineContext,
    ids: readonly string[],
  ): Promise<Result<ActionRecord[], RepositoryError | AbortedError>> {
    this.emit('reading', 0);
    const all: ActionRecord[] = [];
    for (let start = 0; start < ids.length; start += READ_CHUNK) {
      const stop = this.aborted('reading');
      if (stop !== null) return err(stop);
      const chunk = ids.slice(start, start + READ_CHUNK);
      const r = await safely(() => ctx.repository.getMany(chunk));
      if (!r.ok) return r;
      for (const action of r.value) all.push(action);
    }
    const stop = await this.checkpoint('reading');
    return stop === null ? ok(all) : err(stop);
  }

  /**
   * Checks (plans) the items a chunk at a time, about every 1% of them (at most 250 apart):
   * progress after each chunk, then a checkpoint. The chunks' outcomes, merged, or `aborted`.
   */
  async check<P, F extends { readonly actionId: string }>(
    items: readonly ActionRecord[],
    planChunk: (
      chunk: readonly ActionRecord[],
    ) => Promise<{ readonly planned: P[]; readonly failures: Map<string, F> }>,
  ): Promise<Result<{ planned: P[]; failures: Map<string, F> }, AbortedError>> {
    this.emit('checking', 0);
    const first = this.aborted('checking');
    if (first !== null) return err(first);
    const step = Math.min(250, Math.max(1, Math.ceil(items.length / 100)));
    const planned: P[] = [];
    const failures = new Map<string, F>();
    for (let start = 0; start < items.length; start += step) {
      const outcome = await planChunk(items.slice(start, start + step));
      for (const p of outcome.planned) planned.push(p);
      for (const [id, f] of outcome.failures) failures.set(id, f);
      this.emit('checking', Math.min(start + step, items.length));
      const stop = await this.checkpoint('checking');
      if (stop !== null) return err(stop);
    }
    return ok({ planned, failures });
  }

  /** Right before the commit: reports `committing`, then reads the signal one last time. */
  beforeCommit(): AbortedError | null {
    this.emit('committing', this.total);
    return this.aborted('committing');
  }

  /** After the commit: reports `done`. */
  finish(): void {
    this.emit('done', this.total);
  }
}

/**
 * The tracking of a bulk operation whose input named `onProgress` or `signal` (validated), or null
 * when it named neither: the operation then takes its untracked path, unchanged.
 */
export function bulkRun(
  operation: ProgressOperation,
  total: number,
  onProgress: ((progress: BulkProgress) => void) | undefined,
  signal: AbortSignal | undefined,
): BulkRun | null {
  return onProgress === undefined && signal === undefined ? null : new BulkRun(operation, total, onProgress, signal);
}

/**
 * Plans a bulk operation's items: in one pass when it is untracked (`run` null), else a chunk at a
 * time with progress and abort checks, then the `committing` report and the last look at the
 * signal. Whatever it answers, nothing is committed yet; after an `ok` the caller commits.
 */
export async function planTracked<P, F extends { readonly actionId: string }>(
  run: BulkRun | null,
  items: readonly ActionRecord[],
  planChunk: (chunk: readonly ActionRecord[]) => Promise<{ readonly planned: P[]; readonly failures: Map<string, F> }>,
): Promise<Result<{ readonly planned: P[]; readonly failures: Map<string, F> }, AbortedError>> {
  if (run === null) return ok(await planChunk(items));
  const checked = await run.check(items, planChunk);
  if (!checked.ok) return checked;
  const stop = run.beforeCommit();
  return stop === null ? checked : err(stop);
}
