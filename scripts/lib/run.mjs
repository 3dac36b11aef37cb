// Runs a TypeScript file with node + tsx against the built package (see against-dist.mjs).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './resolution.mjs';

/** The tsconfig tsx reads: no `paths`, so `actioncenter` resolves through the package's exports. */
export const EXAMPLES_TSCONFIG = join(ROOT, 'examples', 'tsconfig.json');

/** Fails early, with the fix, when there is nothing built to run against. */
export function requireBuild() {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/types/index.d.ts', 'dist/types/index.d.cts']) {
    if (!existsSync(join(ROOT, file))) {
      console.error(`${file} is missing: run \`npm run build\` first.`);
      process.exit(1);
    }
  }
}

/**
 * Runs `file` (absolute, or relative to the repository root) with node, tsx and the dist-only check.
 * Resolves with the exit code and, when `capture` is set, the combined output.
 */
export function runAgainstDist(file, { capture = false } = {}) {
  const args = [
    '--import',
    'tsx',
    '--import',
    pathToFileURL(join(ROOT, 'scripts', 'lib', 'against-dist.mjs')).href,
    file,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: EXAMPLES_TSCONFIG },
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.stderr?.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

// A file that produces no result for this long is taken as hung and its batch process is killed. Not
// a timing check: a guard so that an example that never settles cannot hold `npm test` forever.
const HANG_LIMIT_MS = 5 * 60 * 1000;

/**
 * Runs many small example files in a few long-lived processes (scripts/lib/run-batch.mjs), at most
 * `concurrency` at a time, each against dist/ like {@link runAgainstDist}. Resolves with
 * `{ file, ok, output }` per file, in the order given. A process that dies or hangs fails the file it
 * was running; the files after it go on in a new process.
 */
export async function runBatched(files, { concurrency = 2, batchSize = 40 } = {}) {
  const results = new Map();
  const queue = [];
  for (let i = 0; i < files.length; i += batchSize) queue.push(files.slice(i, i + batchSize));
  let batchId = 0;
  const resultsDir = mkdtempSync(join(tmpdir(), 'actioncenter-examples-'));

  async function runOne(batch) {
    const resultsFile = join(resultsDir, `batch-${batchId++}.jsonl`);
    writeFileSync(resultsFile, '');
    const args = [
      '--import',
      'tsx',
      '--import',
      pathToFileURL(join(ROOT, 'scripts', 'lib', 'against-dist.mjs')).href,
      join(ROOT, 'scripts', 'lib', 'run-batch.mjs'),
      resultsFile,
      ...batch,
    ];
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, TSX_TSCONFIG_PATH: EXAMPLES_TSCONFIG },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let processOutput = '';
    child.stdout.on('data', (chunk) => (processOutput += chunk));
    child.stderr.on('data', (chunk) => (processOutput += chunk));
    let lastSize = -1;
    let lastChange = Date.now();
    let hung = false;
    const watchdog = setInterval(() => {
      const size = statSync(resultsFile).size;
      if (size !== lastSize) {
        lastSize = size;
        lastChange = Date.now();
      } else if (Date.now() - lastChange > HANG_LIMIT_MS) {
        hung = true;
        child.kill('SIGKILL');
      }
    }, 5000);
    const code = await new Promise((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (exitCode, signal) => resolve(exitCode ?? signal));
    }).finally(() => clearInterval(watchdog));

    let running = null;
    for (const line of readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean)) {
      const entry = JSON.parse(line);
      if ('start' in entry) running = entry.start;
      else {
        results.set(entry.file, entry);
        running = null;
      }
    }
    const started = running === null ? batch.findIndex((f) => !results.has(f)) : batch.indexOf(running);
    if (started === -1) return;
    // The process ended before the batch did: the file it was on fails, the rest go on elsewhere.
    const culprit = batch[started];
    const why = hung
      ? `no result after ${HANG_LIMIT_MS / 60000} min: killed`
      : `the process exited (${code}) while running it`;
    results.set(culprit, { file: culprit, ok: false, output: `${why}\n${processOutput}` });
    const rest = batch.slice(started + 1).filter((f) => !results.has(f));
    if (rest.length > 0) queue.push(rest);
  }

  async function worker() {
    while (queue.length > 0) await runOne(queue.shift());
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  rmSync(resultsDir, { recursive: true, force: true });
  return files.map((file) => results.get(file) ?? { file, ok: false, output: 'never ran' });
}
