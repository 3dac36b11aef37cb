/**
 * `npm run bench` (full: warm-up, 7 measured runs, 1,000,000 actions; several minutes) and
 * `npm run bench -- --quick` (every case once at small sizes: proves the benchmarks still work).
 *
 * Options: `--quick`, `--only <case>[,<case>]` (lifecycle, bulk, history, csv, memory, zod, due, postgres, workers).
 * Runs the PostgreSQL benchmark (bench/postgres.ts) on DATABASE_URL's server, or on PGlite without it.
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bulkApproveBench } from './cases/bulk-approve.js';
import { csvBench } from './cases/csv.js';
import { dueBench } from './cases/due.js';
import { historyBench } from './cases/history.js';
import { lifecycleBench } from './cases/lifecycle.js';
import { memoryBench } from './cases/memory.js';
import { zodBench } from './cases/zod.js';
import { benchOptions, canCollectGarbage, formatTable, type BenchOptions, type BenchRow } from './harness.js';

const CASES: readonly { readonly id: string; readonly run: (options: BenchOptions) => Promise<BenchRow[]> }[] = [
  { id: 'lifecycle', run: lifecycleBench },
  { id: 'bulk', run: bulkApproveBench },
  { id: 'history', run: historyBench },
  { id: 'csv', run: csvBench },
  { id: 'memory', run: memoryBench },
  { id: 'zod', run: zodBench },
  { id: 'due', run: dueBench },
  { id: 'postgres', run: (options) => postgresRows(options) },
  { id: 'workers', run: (options) => workersRows(options) },
];

/** The installed version of a package (read from node_modules: not every package exports its package.json). */
function versionOf(name: string): string {
  try {
    const file = name === 'actioncenter' ? '../package.json' : `../node_modules/${name}/package.json`;
    const text = readFileSync(new URL(file, import.meta.url), 'utf8');
    return (JSON.parse(text) as { version?: string }).version ?? '?';
  } catch {
    return 'not installed';
  }
}

function parseArgs(argv: readonly string[]): { quick: boolean; only: ReadonlySet<string> | null } {
  const quick = argv.includes('--quick');
  const at = argv.indexOf('--only');
  const onlyArg = at >= 0 ? argv[at + 1] : undefined;
  const only = onlyArg === undefined ? null : new Set(onlyArg.split(','));
  if (only !== null) {
    for (const id of only)
      if (!CASES.some((c) => c.id === id))
        throw new Error(`unknown case "${id}": one of ${CASES.map((c) => c.id).join(', ')}`);
  }
  return { quick, only };
}

/**
 * The PostgreSQL benchmark (bench/postgres.ts): on the server DATABASE_URL names, with 1,000,000
 * actions; without it on PGlite in process, smaller, and labelled as such.
 */
async function postgresRows(options: BenchOptions): Promise<BenchRow[]> {
  if (process.env['DATABASE_URL'] === undefined || process.env['DATABASE_URL'] === '')
    console.log('Postgres benchmark: DATABASE_URL is not set, so it runs on PGlite in process.');
  const file = fileURLToPath(new URL('./postgres.ts', import.meta.url));
  if (!existsSync(file)) {
    console.log('Postgres benchmark skipped: bench/postgres.ts does not exist yet.');
    return [];
  }
  try {
    const mod: unknown = await import(pathToFileURL(file).href);
    const run = (mod as { runPostgresBench?: unknown }).runPostgresBench;
    if (typeof run !== 'function') {
      console.log('Postgres benchmark skipped: bench/postgres.ts does not export runPostgresBench.');
      return [];
    }
    const rows: unknown = await (run as (o: { quick: boolean }) => Promise<unknown>)({ quick: options.quick });
    if (!Array.isArray(rows)) throw new Error('runPostgresBench must resolve to an array of BenchRow');
    return rows as BenchRow[];
  } catch (cause) {
    console.log(`Postgres benchmark failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    process.exitCode = 1;
    return [];
  }
}

/**
 * The workers benchmark (bench/workers.ts: 1, 2 and 4 worker processes on pg-boss, and the queue's
 * cost per action), in a child process, as it starts worker processes of its own. It needs a
 * PostgreSQL server (several processes on one database): skipped, and said so, without DATABASE_URL.
 */
function workersRows(options: BenchOptions): Promise<BenchRow[]> {
  if (process.env['DATABASE_URL'] === undefined || process.env['DATABASE_URL'] === '') {
    console.log('Workers benchmark skipped: it needs a PostgreSQL server (set DATABASE_URL).');
    return Promise.resolve([]);
  }
  const file = fileURLToPath(new URL('./workers.ts', import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', file, '--json', ...(options.quick ? ['--quick'] : [])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 2 ** 20 },
  );
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_ROWS '));
  if (child.status !== 0 || line === undefined) {
    console.log(`Workers benchmark failed (exit ${String(child.status)}): ${(child.stdout ?? '').slice(-2000)}`);
    process.exitCode = 1;
    return Promise.resolve([]);
  }
  return Promise.resolve(JSON.parse(line.slice('BENCH_ROWS '.length)) as BenchRow[]);
}

async function main(): Promise<void> {
  const { quick, only } = parseArgs(process.argv.slice(2));
  const options = benchOptions(quick);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `actioncenter benchmarks (${quick ? 'quick: one run per case, small sizes' : `full: ${options.warmup} warm-up + ${options.runs} measured runs per variant, interleaved`})`,
  );
  console.log(`Node ${process.version}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`);
  console.log(['actioncenter', 'zod', 'xstate', 'csv-stringify', 'tsx'].map((p) => `${p} ${versionOf(p)}`).join(', '));
  if (!canCollectGarbage)
    console.log('note: run with --expose-gc (npm run bench does) for memory figures and GC between runs');
  const rows: BenchRow[] = [];
  const started = performance.now();
  for (const c of CASES) {
    if (only !== null && !only.has(c.id)) continue;
    const t0 = performance.now();
    const caseRows = await c.run(options);
    rows.push(...caseRows);
    console.log(`  ${c.id}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  console.log('');
  console.log(formatTable(rows, !quick));
  console.log('');
  if (quick) {
    console.log(
      'Quick mode: one cold run per variant at small sizes, so targets are not judged; every case ran and its checks passed.',
    );
  } else {
    const missed = rows.flatMap((r) =>
      r.comparisons.filter((c) => c.met === false).map((c) => `${r.group} — ${r.name} vs ${c.baseline} (${c.target})`),
    );
    console.log(
      missed.length === 0 ? 'Every target met.' : `Targets missed:\n${missed.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
  console.log(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
}

await main();
