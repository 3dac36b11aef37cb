#!/usr/bin/env node
// `npm test` (after `npm run build`): what embedding actioncenter costs a consumer's bundle.
//
// Three tiny consumers are bundled with esbuild (minified, ESM, for no platform in particular) against
// the built package, resolved the way a consumer resolves it: `import ... from 'actioncenter'` through
// node_modules/actioncenter -> this package (its `exports` map, its ESM build in dist/). The table
// gives the minified and gzip sizes, the target, and the five inputs that weigh most in the output:
// what limits each size. The check fails when a consumer is over its target.
//
// Targets (issue 13), 1 KB = 1,000 bytes (the stricter reading):
// - the selection state machine alone: <= 40 KB minified;
// - parseActionRequest alone: <= 150 KB minified;
// - createActionCenter: a ceiling, not a target; it is the whole engine, so the ceiling is the
//   measurement when this check was written plus 15% (a regression alarm, not a goal): 228 KB
//   measured (the engine split into modules, zod imported as a namespace) -> 262 KB. Issue 16's
//   workflows (N-of-M approvals, escalation, notes, automatic reverts, conflict groups, manual retry,
//   the audit hash chain with its canonical JSON and SHA-256) are engine code every center carries:
//   288 KB measured -> 317 KB (+10%).
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KB = 1000;

/** Each consumer: what it imports from 'actioncenter', and the most its minified bundle may weigh. */
export const CONSUMERS = [
  {
    name: 'parseActionRequest',
    imports: ['parseActionRequest'],
    limit: 150 * KB,
    kind: 'target',
  },
  {
    name: 'selection state machine',
    imports: ['emptySelection', 'canAddToSelection', 'addToSelection', 'removeFromSelection', 'selectionActionType'],
    limit: 40 * KB,
    kind: 'target',
  },
  {
    name: 'createActionCenter',
    imports: ['createActionCenter'],
    limit: 317 * KB,
    kind: 'ceiling',
  },
];

/**
 * The name an input goes by in the table: a dependency's directory (`zod/v4/locales/`, its files
 * summed: forty locales weigh more than any one file), or the package's own module (`dist/rules/undo.js`).
 */
function inputName(root, dir, path) {
  const posix = resolve(dir, path).split(sep).join('/');
  const nodeModules = posix.lastIndexOf('node_modules/');
  if (nodeModules >= 0) return posix.slice(nodeModules + 'node_modules/'.length).replace(/[^/]*$/, '');
  return relative(root, posix).split(sep).join('/');
}

/** Bundles one consumer from `dir`, where node_modules/actioncenter points at the package `root`. */
async function measure(root, dir, consumer) {
  const entry = join(dir, `${consumer.name.replaceAll(' ', '-')}.js`);
  // Re-exported, so the bundle keeps exactly these and whatever they need.
  writeFileSync(entry, `export { ${consumer.imports.join(', ')} } from 'actioncenter';\n`);
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['module'],
    metafile: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: dir,
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${consumer.name}`);
  const bytes = output.contents.length;
  const gzip = gzipSync(output.contents, { level: 9 }).length;
  const [meta] = Object.values(result.metafile.outputs);
  const byName = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(meta?.inputs ?? {})) {
    const name = inputName(root, dir, path);
    byName.set(name, (byName.get(name) ?? 0) + bytesInOutput);
  }
  const largest = [...byName]
    .map(([path, bytes]) => ({ path, bytes }))
    .filter((input) => input.bytes > 0) // the consumer's own entry, and modules of types only
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5);
  // Why zod is there at all: the package's modules in the bundle that import it (a module kept for
  // one small export keeps its top-level schemas, unless they are marked pure), and those that import
  // `{ z }`, which keeps every locale of zod in an esbuild bundle (`import * as z` does not).
  const ownModules = Object.keys(meta?.inputs ?? {})
    .map((path) => resolve(dir, path))
    .filter((path) => !path.split(sep).includes('node_modules') && path.startsWith(root));
  const zodVia = [];
  const zodNamed = [];
  const hasZod = Object.keys(meta?.inputs ?? {}).some((path) => path.includes('node_modules/zod/'));
  for (const path of hasZod ? ownModules : []) {
    const text = readFileSync(path, 'utf8');
    if (/from\s*["']zod["']/.test(text)) zodVia.push(relative(root, path).split(sep).join('/'));
    if (/import\s*\{\s*z\s*\}\s*from\s*["']zod["']/.test(text))
      zodNamed.push(relative(root, path).split(sep).join('/'));
  }
  return { ...consumer, bytes, gzip, largest, zodVia: zodVia.sort(), zodNamed: zodNamed.sort() };
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

/** Measures each consumer against the built package at `root`; the rows of the table. */
export async function measureAll(packageRoot = ROOT, consumers = CONSUMERS) {
  // esbuild names inputs by their real paths (through the node_modules symlink).
  const root = realpathSync(packageRoot);
  const dir = mkdtempSync(join(tmpdir(), 'actioncenter-size-'));
  try {
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'actioncenter'), 'dir');
    const rows = [];
    for (const consumer of consumers) rows.push(await measure(root, dir, consumer));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const rows = await measureAll();
  const over = rows.filter((row) => row.bytes > row.limit);
  console.log('bundle size of a consumer (esbuild --bundle --minify, ESM), what it imports from actioncenter:');
  for (const row of rows) {
    const verdict = row.bytes > row.limit ? 'OVER' : 'ok';
    console.log(
      `\n  ${row.name}: ${kb(row.bytes)} minified, ${kb(row.gzip)} gzip; ${row.kind} <= ${kb(row.limit)}: ${verdict}`,
    );
    console.log('    largest inputs (bytes in the output):');
    for (const input of row.largest) console.log(`      ${kb(input.bytes).padStart(9)}  ${input.path}`);
    if (row.zodVia.length > 0) {
      const some = row.zodVia.slice(0, 6).join(', ');
      console.log(
        `    zod comes in through ${row.zodVia.length} module(s): ${some}${row.zodVia.length > 6 ? ', ...' : ''}`,
      );
    }
    if (row.zodNamed.length > 0) {
      console.log(`    import * as z from 'zod' instead of { z } (keeps zod's locales) in: ${row.zodNamed.join(', ')}`);
    }
  }
  if (over.length > 0) {
    console.error(`\nsize: over the limit: ${over.map((row) => row.name).join(', ')}`);
    process.exit(1);
  }
  console.log('\nsize: every consumer within its limit');
}
