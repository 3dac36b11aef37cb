#!/usr/bin/env node
// `npm run test:examples`: the package as its users get it, and every piece of code its docs show.
// After `npm run build`:
//  1. extracts, one module file each, under .cache/snippets/:
//     - the ```ts blocks of README.md and docs/*.md (scripts/lib/markdown.mjs);
//     - the ```ts blocks of the `@example` of every export of the three entry points, read from the
//       sources with the compiler API (scripts/lib/tsdoc.mjs);
//  2. type-checks examples/ and all those blocks against the BUILT package: examples/tsconfig.json has
//     no `paths`, so `actioncenter` resolves through package.json's `exports` (a self-reference) to
//     dist/;
//  3. runs every examples/*.ts and *.cts file, and every block not fenced `no-run`, with node + tsx,
//     with a resolve hook that fails the run if anything loads from src/ (scripts/lib/against-dist.mjs).
//     Blocks run in a few long-lived processes, many per process (scripts/lib/run-batch.mjs).
// Examples assert what they print (node:assert), so a passing run proves what they show.
//
// A markdown block fenced ```ts no-run (or an @example fenced so) is type-checked but not run; a
// markdown block fenced ```ts fragment is neither (a piece of a program, shown for teaching).
// `node scripts/check-examples.mjs --only <substring>` checks and runs only the blocks whose source
// (e.g. `src/center/csv.ts` or `docs/testing.md`) contains the substring, and no examples/ file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { markdownSnippets } from './lib/markdown.mjs';
import { ROOT } from './lib/resolution.mjs';
import { EXAMPLES_TSCONFIG, requireBuild, runAgainstDist, runBatched } from './lib/run.mjs';
import { tsdocExamples } from './lib/tsdoc.mjs';

requireBuild();
const onlyIndex = process.argv.indexOf('--only');
const only = onlyIndex === -1 ? undefined : process.argv[onlyIndex + 1];

// 1. Every block, one module file each, named after where it comes from.
const cacheDir = join(ROOT, '.cache');
const snippetsDir = join(cacheDir, 'snippets');
rmSync(snippetsDir, { recursive: true, force: true });
rmSync(join(cacheDir, 'readme'), { recursive: true, force: true }); // where README blocks used to go
const markdownFiles = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'), { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => `docs/${entry.name}`)
    .sort(),
];
const sources = [
  ...markdownFiles.flatMap((source) =>
    markdownSnippets(join(ROOT, source), source).map((s) => ({ ...s, source, kind: 'markdown' })),
  ),
  ...tsdocExamples().map((e) => ({
    line: e.line,
    run: e.run,
    code: e.code,
    source: e.file,
    kind: `@example of ${e.name}`,
  })),
].filter((s) => only === undefined || s.source.includes(only));

const snippets = sources.map((snippet) => {
  const name = `${snippet.source.replace(/\.(md|ts)$/, '').replace(/[/.]/g, '-')}-line-${String(snippet.line).padStart(4, '0')}.ts`;
  const file = join(snippetsDir, name);
  // Line 1 says where the block comes from; the code starts on line 2. `export {}` makes a block
  // without imports a module (each block has its own scope, as it has on the page).
  const header = `// ${snippet.source}:${snippet.line} (${snippet.kind})`;
  mkdirSync(snippetsDir, { recursive: true });
  writeFileSync(file, `${header}\n${snippet.code}export {};\n`);
  return { ...snippet, file };
});

// 2. One type-check of examples and every block, with the examples' settings.
const tsconfig = join(cacheDir, 'tsconfig.examples.json');
writeFileSync(
  tsconfig,
  JSON.stringify(
    {
      extends: relative(cacheDir, EXAMPLES_TSCONFIG),
      include: [...(only === undefined ? [`${relative(cacheDir, join(ROOT, 'examples'))}/**/*`] : []), 'snippets/*.ts'],
    },
    null,
    2,
  ),
);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
console.log(
  `type-checking ${only === undefined ? 'examples/ and ' : ''}${snippets.length} documentation block(s) against dist/ ...`,
);
const typecheck = spawnSync(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', tsconfig], {
  cwd: ROOT,
  encoding: 'utf8',
});
if (typecheck.status !== 0) {
  // Point each error in a block at the line of the doc it comes from.
  const byFile = new Map(snippets.map((s) => [relative(ROOT, s.file), s]));
  const located = `${typecheck.stdout}${typecheck.stderr}`.replace(/^(\S+?)\((\d+),(\d+)\)/gm, (match, path, line) => {
    const snippet = byFile.get(path);
    return snippet === undefined ? match : `${match} [${snippet.source}:${snippet.line + Number(line) - 2}]`;
  });
  process.stdout.write(located);
  // Run them all the same: one report with every type error and every run-time failure.
  console.log('type errors above; running everything anyway, to report run-time failures too');
}

// 3. Run them: each examples/ program in its own process (in parallel, outputs printed in order once
// all are done), then the blocks in batches.
const examplesDir = join(ROOT, 'examples');
const examples =
  only !== undefined
    ? []
    : readdirSync(examplesDir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && /\.c?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        .map((entry) => join(examplesDir, entry.name))
        .sort();
const exampleResults = await Promise.all(examples.map((file) => runAgainstDist(file, { capture: true })));
let failed = 0;
for (const [index, file] of examples.entries()) {
  const { code, output } = exampleResults[index];
  console.log(`\n── ${relative(ROOT, file)} ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`);
  process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
  if (code !== 0) failed += 1;
}

// A block that registers node:test tests runs in a process of its own: node:test runs them after the
// module has loaded and reports through the exit code.
const usesNodeTest = (s) => /from\s+['"]node:test['"]/.test(s.code);
const runnable = [
  ...snippets.filter((s) => s.run && !usesNodeTest(s)),
  ...snippets.filter((s) => s.run && usesNodeTest(s)),
];
const concurrency = Math.max(1, Math.min(availableParallelism(), 4));
console.log(
  `\nrunning ${runnable.length} documentation block(s) (${snippets.length - runnable.length} marked no-run) in up to ${concurrency} processes ...`,
);
const blockResults = [
  ...(await runBatched(
    runnable.filter((s) => !usesNodeTest(s)).map((s) => s.file),
    { concurrency },
  )),
  ...(await Promise.all(
    runnable.filter(usesNodeTest).map(async (s) => {
      const { code, output } = await runAgainstDist(s.file, { capture: true });
      return { file: s.file, ok: code === 0, output };
    }),
  )),
];
for (const [index, result] of blockResults.entries()) {
  if (result.ok) continue;
  const snippet = runnable[index];
  console.log(`\n── ${snippet.source}:${snippet.line} (${snippet.kind}, ${relative(ROOT, snippet.file)}) FAILED`);
  process.stdout.write(result.output.endsWith('\n') ? result.output : `${result.output}\n`);
  failed += 1;
}
const total = examples.length + runnable.length;
console.log(`\n${total - failed}/${total} example(s) and documentation block(s) ran against dist/.`);
if (typecheck.status !== 0) console.log('FAILED: type errors (see the start of this output).');
console.log(`${total - failed} passed, ${failed} failed`);
process.exit(failed === 0 && typecheck.status === 0 ? 0 : 1);
