/**
 * The scaling bench (issue 14): how the in-memory store behaves from 10,000 to 3,000,000 actions,
 * through the public API (`createActionCenter`, `createMemoryRepository`, `repository.load`). One
 * markdown table: a row per measure (load rate, memory per action, the History list, filters with
 * a naive `Array.filter` beside them, a sort on another column, a bulk approve with the raw update
 * beside it, the export), a column per size.
 *
 *   node --expose-gc --max-old-space-size=12000 --import tsx bench/scaling.ts [--sizes 10000,100000,1000000,3000000]
 *   node --expose-gc --max-old-space-size=12000 --import tsx bench/scaling.ts --quick   (1,000 and 10,000)
 *
 * Each size runs in a child process of its own (this script with `--size N`), so heaps do not
 * accumulate from one size to the next; the child's measures are in bench/scaling-size.ts. The
 * table goes to stdout, progress to stderr.
 *
 * @module
 */
import { fork } from 'node:child_process';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { canCollectGarbage, count } from './harness.js';
import { measureSize, type SizeResult } from './scaling-size.js';

const DEFAULT_SIZES = [10_000, 100_000, 1_000_000, 3_000_000];
const QUICK_SIZES = [1_000, 10_000];

interface Args {
  readonly quick: boolean;
  readonly sizes: readonly number[];
  /** Set in a child: the one size it measures. */
  readonly size: number | null;
}

function parseSize(text: string | undefined): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1_000)
    throw new Error(`scaling: a size is an integer of at least 1000, not "${text}"`);
  return n;
}

function parseArgs(argv: readonly string[]): Args {
  const quick = argv.includes('--quick');
  const value = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const sizesArg = value('--sizes');
  const sizeArg = value('--size');
  return {
    quick,
    sizes: sizesArg !== undefined ? sizesArg.split(',').map(parseSize) : quick ? QUICK_SIZES : DEFAULT_SIZES,
    size: sizeArg === undefined ? null : parseSize(sizeArg),
  };
}

/** "10k", "1M", "3M": the column headers. */
function short(n: number): string {
  if (n >= 1e6 && n % 1e5 === 0) return `${n / 1e6}M`;
  if (n >= 1e3 && n % 100 === 0) return `${n / 1e3}k`;
  return count(n);
}

/** Runs one size in a child process (the same script, `--size N`) and answers what it reports. */
function runChild(size: number, quick: boolean): Promise<SizeResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--size', String(size), ...(quick ? ['--quick'] : [])], {
      // The same flags (--expose-gc, --max-old-space-size, --import tsx) as this process.
      execArgv: process.execArgv,
      // The child's stdout goes to stderr too: only the table is printed on stdout.
      stdio: ['ignore', 2, 2, 'ipc'],
    });
    let result: SizeResult | null = null;
    child.on('message', (m) => (result = m as SizeResult));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== null && code === 0) resolve(result);
      else reject(new Error(`the run at ${count(size)} ended with ${signal ?? `exit code ${code}`} and no result`));
    });
  });
}

function table(sizes: readonly number[], results: ReadonlyMap<number, SizeResult | string>): string {
  const measures: string[] = [];
  for (const r of results.values())
    if (typeof r !== 'string') for (const c of r.cells) if (!measures.includes(c.measure)) measures.push(c.measure);
  const header = ['measure', ...sizes.map(short)];
  const lines: string[][] = [header];
  for (const measure of measures) {
    lines.push([
      measure,
      ...sizes.map((n) => {
        const r = results.get(n);
        if (r === undefined || typeof r === 'string') return 'failed';
        return r.cells.find((c) => c.measure === measure)?.value ?? '—';
      }),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length)));
  const render = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  const [head, ...body] = lines;
  return [render(head as string[]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(render)].join(
    '\n',
  );
}

async function child(size: number, quick: boolean): Promise<void> {
  const result = await measureSize(size, quick);
  if (process.send === undefined) {
    // Run by hand with --size: print what a parent would have received.
    console.log(JSON.stringify(result, null, 2));
    return;
  }
  // The channel keeps the process alive: closed once the result is on its way.
  process.send(result, () => process.disconnect());
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.size !== null) return child(args.size, args.quick);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const machine = `Node ${process.version}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
  if (!canCollectGarbage)
    process.stderr.write('note: run with --expose-gc: the memory figures and the GC between runs need it\n');
  const started = performance.now();
  const results = new Map<number, SizeResult | string>();
  for (const size of args.sizes) {
    process.stderr.write(`scaling: ${count(size)} actions (${(freemem() / 2 ** 30).toFixed(1)} GiB free)\n`);
    const t0 = performance.now();
    try {
      results.set(size, await runChild(size, args.quick));
    } catch (cause) {
      results.set(size, cause instanceof Error ? cause.message : String(cause));
      process.exitCode = 1;
    }
    process.stderr.write(`scaling: ${count(size)} done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  console.log(`actioncenter scaling bench (in-memory repository${args.quick ? ', quick: small sizes' : ''})`);
  console.log(machine);
  console.log('');
  console.log(table(args.sizes, results));
  console.log('');
  for (const size of args.sizes) {
    const r = results.get(size);
    if (r === undefined) continue;
    if (typeof r === 'string') console.log(`- ${short(size)}: FAILED: ${r}`);
    else for (const note of r.notes) console.log(`- ${short(size)}: ${note}`);
  }
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

await main();
