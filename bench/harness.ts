/**
 * The benchmark harness: interleaved runs after warm-up, median and min–max, ratios to a baseline
 * measured in the same process, heap measurements after forced GC, and the printed table.
 *
 * Every case returns {@link BenchRow}s. `bench/postgres.ts` (optional, run only when DATABASE_URL is
 * set) exports `runPostgresBench(options: { quick: boolean }): Promise<BenchRow[]>` and may use
 * {@link measureVariants}, {@link timeRow} and {@link compare} from here to build them.
 *
 * Why interleaved: on a noisy two-core machine a baseline measured a minute earlier is not the same
 * machine. Each round runs every variant of a case once (setup untimed, GC before each timed run),
 * so drift hits the subject and its baseline alike and the ratio of medians stays meaningful.
 * Between runs only the young generation is collected (see {@link collectYoungGarbage}).
 *
 * @module
 */

/** Summary of the measured runs of one variant. */
export interface Stats {
  /** What the figures count: milliseconds per run, MiB for memory rows, bytes for allocation rows. */
  readonly unit: 'ms' | 'MiB' | 'B';
  /** How many measured runs (after warm-up). */
  readonly runs: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Operations in one run (transitions, rows, queries...), for ops/s; null when not meaningful. */
  readonly opsPerRun: number | null;
}

/**
 * A ratio to a baseline of the same run: `ratio` = this row's median / the baseline's median (per
 * operation when both count operations). Below 1 is faster (or smaller). `maxRatio` is the target:
 * the largest ratio the issue allows (e.g. 0.04 for "at least 25x faster"), null for "report".
 */
export interface Comparison {
  readonly baseline: string;
  readonly ratio: number;
  readonly maxRatio: number | null;
  /** The target in words, e.g. "≥ 25x faster". */
  readonly target: string | null;
  /** Whether `ratio <= maxRatio`; null without a target. */
  readonly met: boolean | null;
}

/**
 * One line of the results table. `bench/postgres.ts` returns an array of these.
 *
 * @example
 * ```ts
 * const row: BenchRow = {
 *   group: 'History query (Postgres)', name: 'repository.query', size: '1,000,000 actions',
 *   stats: { unit: 'ms', runs: 5, median: 4.2, min: 4.0, max: 5.1, opsPerRun: 1 },
 *   comparisons: [], note: null,
 * };
 * ```
 */
export interface BenchRow {
  /** The case, e.g. "Lifecycle transitions". Rows of a case share it. */
  readonly group: string;
  /** What this row measures, e.g. "actioncenter transition()" or "baseline: XState v5 transition()". */
  readonly name: string;
  /** The data size in words, e.g. "1,000,000 actions". */
  readonly size: string;
  readonly stats: Stats;
  readonly comparisons: readonly Comparison[];
  /** Anything else worth saying (heap growth, plan used...), or null. */
  readonly note: string | null;
}

/** Harness settings: the full run or the quick CI check. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Untimed runs before measuring (0 in quick mode). */
  readonly warmup: number;
  /** Measured runs (1 in quick mode, at least 5 otherwise). */
  readonly runs: number;
}

/** The options for a mode: quick = every case once at small sizes; full = 2 warm-ups, 7 runs. */
export function benchOptions(quick: boolean): BenchOptions {
  return quick ? { quick, warmup: 0, runs: 1 } : { quick, warmup: 2, runs: 7 };
}

// ---- timing ------------------------------------------------------------------------------------

/**
 * One thing to time: an untimed `setup` per run (its result, awaited, is handed to `run`), then the
 * timed `run` (awaited when it returns a promise).
 */
export interface Variant {
  readonly name: string;
  readonly setup?: () => unknown;
  readonly run: (state: never) => unknown;
  /** Operations one run performs (for ops/s and per-operation ratios). */
  readonly ops?: number;
}

/** Results are kept here so that the engine cannot drop a run's work as dead code. */
export const sink: { value: unknown } = { value: undefined };

const gcFunction: (() => void) | undefined = (globalThis as { gc?: () => void }).gc;

/** Whether the process runs with `--expose-gc` (needed for the memory figures). */
export const canCollectGarbage = gcFunction !== undefined;

const gcWithOptions = gcFunction as ((options?: { type?: 'major' | 'minor' }) => void) | undefined;

/** Forces a full garbage collection (twice, so finalisation and weak references settle); no-op without `--expose-gc`. */
export function collectGarbage(): void {
  if (gcWithOptions === undefined) return;
  gcWithOptions();
  gcWithOptions();
}

/**
 * Empties the young generation (a scavenge) before a timed run, so that no run pays for the
 * garbage of the one before. Not a full GC: that takes a second or more with a million records in
 * the heap, and V8 shrinks the young generation after it, so the next run would collect far more
 * often than a long-running process does.
 */
export function collectYoungGarbage(): void {
  gcWithOptions?.({ type: 'minor' });
}

/** Heap in use, in bytes, after a forced garbage collection. */
export function heapAfterGc(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

/** The median of numbers (mean of the two middle ones for an even count). */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Summarises raw samples. */
export function statsOf(samples: readonly number[], unit: Stats['unit'], opsPerRun: number | null): Stats {
  return {
    unit,
    runs: samples.length,
    median: median(samples),
    min: Math.min(...samples),
    max: Math.max(...samples),
    opsPerRun,
  };
}

/**
 * Times variants interleaved: `warmup` rounds untimed, then `runs` rounds timed; in each round every
 * variant runs once, in the order given, each after its untimed setup and a scavenge. Returns the
 * stats per variant name. A case may ask for more warm-up (code that runs thousands of items per
 * call needs a few calls before V8 has optimised all of it) or other run counts (never below 5).
 */
export async function measureVariants(
  variants: readonly Variant[],
  options: BenchOptions,
  override: { readonly warmup?: number; readonly runs?: number } = {},
): Promise<Map<string, Stats>> {
  const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
  // Quick mode stays at one run of each, whatever a case asks for.
  const warmup = options.quick ? options.warmup : (override.warmup ?? options.warmup);
  const runs = options.quick ? options.runs : Math.max(5, override.runs ?? options.runs);
  for (let round = 0; round < warmup + runs; round++) {
    for (const variant of variants) {
      const state: unknown = variant.setup === undefined ? undefined : await variant.setup();
      // Each variant's run takes what its own setup made: the cast only forgets the pairing.
      const run = variant.run as (state: unknown) => unknown;
      collectYoungGarbage();
      const t0 = process.hrtime.bigint();
      const out = run(state);
      sink.value = out instanceof Promise ? await out : out;
      const t1 = process.hrtime.bigint();
      if (round >= warmup) samples.get(variant.name)?.push(Number(t1 - t0) / 1e6);
      sink.value = undefined;
    }
  }
  return new Map(variants.map((v) => [v.name, statsOf(samples.get(v.name) ?? [], 'ms', v.ops ?? null)]));
}

/** Milliseconds per operation at the median (the whole run when it counts no operations). */
function perOp(s: Stats): number {
  return s.opsPerRun === null || s.opsPerRun === 0 ? s.median : s.median / s.opsPerRun;
}

/**
 * Compares `subject` with `baseline`: the ratio of medians (per operation), with an optional
 * target (`maxRatio`, and how to say it).
 */
export function compare(
  subject: Stats,
  baselineName: string,
  baseline: Stats,
  target: { readonly maxRatio: number; readonly words: string } | null = null,
): Comparison {
  const ratio = perOp(subject) / perOp(baseline);
  return {
    baseline: baselineName,
    ratio,
    maxRatio: target?.maxRatio ?? null,
    target: target?.words ?? null,
    met: target === null ? null : ratio <= target.maxRatio,
  };
}

/** A row from stats measured by {@link measureVariants}. */
export function timeRow(
  group: string,
  name: string,
  size: string,
  stats: Stats | undefined,
  comparisons: readonly Comparison[] = [],
  note: string | null = null,
): BenchRow {
  if (stats === undefined) throw new Error(`no measurements for "${name}"`);
  return { group, name, size, stats, comparisons, note };
}

// ---- deterministic data --------------------------------------------------------------------------

/** A tiny seeded PRNG (mulberry32): the same data on every run and every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---- formatting ----------------------------------------------------------------------------------

/** 1234567 → "1,234,567". */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function num(x: number): string {
  if (x >= 1000) return count(x);
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  if (x >= 0.01) return x.toFixed(3);
  return x.toPrecision(2);
}

function opsPerSecond(s: Stats): string {
  if (s.unit !== 'ms' || s.opsPerRun === null) return '';
  const perSecond = (s.opsPerRun / s.median) * 1000;
  if (perSecond >= 1e6) return `${(perSecond / 1e6).toFixed(2)}M/s`;
  if (perSecond >= 1e3) return `${(perSecond / 1e3).toFixed(1)}k/s`;
  return `${perSecond.toFixed(1)}/s`;
}

/** "0.031x XState (32x faster)", "3.4x raw update". */
export function describeComparison(c: Comparison, unit: Stats['unit']): string {
  const r = c.ratio;
  const base = `${r < 0.01 ? r.toPrecision(2) : r.toFixed(r < 1 ? 3 : 2)}x ${c.baseline}`;
  if (unit === 'ms' && r < 1) return `${base} (${num(1 / r)}x faster)`;
  if (unit === 'ms' && r > 1) return `${base} (${num(r)}x slower)`;
  return base;
}

function targetCell(c: Comparison, judge: boolean): string {
  if (c.target === null) return 'report';
  if (!judge) return c.target;
  return `${c.target}: ${c.met === true ? 'met' : 'MISSED'}`;
}

/**
 * The results as an aligned table (also valid Markdown). `judge` false (quick mode: cold single
 * runs at small sizes) prints the targets without saying met or missed.
 */
export function formatTable(rows: readonly BenchRow[], judge = true): string {
  const header = ['case', 'measured', 'size', 'median', 'min–max', 'ops/s', 'vs baseline (same run)', 'target', 'note'];
  const lines: string[][] = [header];
  for (const row of rows) {
    const s = row.stats;
    const unit = ` ${s.unit}`;
    const base = [
      row.group,
      row.name,
      row.size,
      `${num(s.median)}${unit}`,
      s.runs > 1 ? `${num(s.min)}–${num(s.max)}${unit} (n=${s.runs})` : `(n=${s.runs})`,
      opsPerSecond(s),
    ];
    const comparisons = row.comparisons.length > 0 ? row.comparisons : [null];
    comparisons.forEach((c, i) => {
      const cells = i === 0 ? base : base.map(() => '');
      lines.push([
        ...cells,
        c === null ? '' : describeComparison(c, s.unit),
        c === null ? '' : targetCell(c, judge),
        i === 0 ? (row.note ?? '') : '',
      ]);
    });
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length)));
  const render = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const [head, ...body] = lines;
  return [render(head as string[]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(render)].join(
    '\n',
  );
}

/** Bytes → MiB (2^20 bytes), for memory rows. */
export function mib(bytes: number): number {
  return bytes / (1024 * 1024);
}
