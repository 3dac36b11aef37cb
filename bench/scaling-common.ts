/**
 * What the scaling bench's files share: the result types a child reports, timing, and formatting.
 *
 * @module
 */
import type { ActionCenter, ActionQueryInput, PrincipalInput } from '../src/index.js';
import { collectGarbage, collectYoungGarbage, count, heapAfterGc, sink } from './harness.js';

/** One cell of the table: a measure (the row) and its value at this size. */
export interface ScalingCell {
  readonly measure: string;
  readonly value: string;
}

/** What a child process reports for one size. */
export interface SizeResult {
  readonly size: number;
  readonly cells: readonly ScalingCell[];
  /** Anything the table cannot say (an export cut at the deadline, the plans used). */
  readonly notes: readonly string[];
}

/** Reads every view (the lists and their checks). */
export const READER: PrincipalInput = {
  id: 'reader@contoso.com',
  assignments: [{ role: 'securityReader', assignedIn: 'entraId' }],
};

/** A progress line on stderr, tagged with the size. */
export function progress(size: number, message: string): void {
  process.stderr.write(`  [${count(size)}] ${message}\n`);
}

/**
 * Heap in use after full GCs with turns of the event loop between them: the warm-up's promises and
 * streams are only released once their callbacks have run, which a GC alone does not wait for.
 */
export async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
  }
  return heapAfterGc();
}

/** Milliseconds of one call of `fn` (`reps` calls, averaged), after a scavenge. */
export async function timed(fn: () => unknown, reps = 1): Promise<number> {
  collectYoungGarbage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) {
    const out = fn();
    sink.value = out instanceof Promise ? await out : out;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  sink.value = undefined;
  return ms;
}

// ---- formatting ------------------------------------------------------------------------------------

/** Milliseconds for the table: ms below a second, s above. */
export function ms(x: number): string {
  if (x >= 1000) return `${(x / 1000).toFixed(2)} s`;
  if (x >= 100) return `${x.toFixed(0)} ms`;
  if (x >= 10) return `${x.toFixed(1)} ms`;
  if (x >= 1) return `${x.toFixed(2)} ms`;
  return `${x.toFixed(3)} ms`;
}
/** A rate per second, with k and M. */
export function rate(perSecond: number, unit: string): string {
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M ${unit}/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k ${unit}/s`;
  return `${perSecond.toFixed(0)} ${unit}/s`;
}
/** A ratio of medians, "1.23x". */
export const ratio = (x: number) => `${x < 0.1 ? x.toFixed(3) : x.toFixed(2)}x`;

/** One page through `center.list` as the reader; a refusal is a broken bench. */
export async function list(center: ActionCenter, query: ActionQueryInput) {
  const r = await center.list({ principal: READER, query });
  if (!r.ok) throw new Error(`scaling: list refused: ${r.error.message}`);
  return r.value;
}
