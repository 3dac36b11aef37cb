#!/usr/bin/env node
// `npm run test:examples`: the package as its users get it. After `npm run build`:
//  1. extracts README.md's ```ts blocks into .cache/readme/;
//  2. type-checks examples/ and those blocks against the BUILT package: examples/tsconfig.json has no
//     `paths`, so `actioncenter` resolves through package.json's `exports` (a self-reference) to dist/;
//  3. runs every examples/*.ts and *.cts file and every README block with node + tsx, with a resolve
//     hook that fails the run if anything loads from src/ (scripts/lib/against-dist.mjs).
// Examples assert what they print (node:assert), so a passing run proves what they show.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { readmeSnippets } from './lib/readme.mjs';
import { ROOT } from './lib/resolution.mjs';
import { EXAMPLES_TSCONFIG, requireBuild, runAgainstDist } from './lib/run.mjs';

requireBuild();

// 1. README blocks, one file each, named after the line they start on.
const cacheDir = join(ROOT, '.cache');
const readmeDir = join(cacheDir, 'readme');
rmSync(readmeDir, { recursive: true, force: true });
mkdirSync(readmeDir, { recursive: true });
const snippets = readmeSnippets(join(ROOT, 'README.md')).map((snippet) => {
  const file = join(readmeDir, `readme-line-${String(snippet.line).padStart(4, '0')}.ts`);
  writeFileSync(file, `// README.md, the block on line ${snippet.line}\n${snippet.code}`);
  return { ...snippet, file };
});

// 2. One type-check of examples and README blocks, with the examples' settings.
const tsconfig = join(cacheDir, 'tsconfig.examples.json');
writeFileSync(
  tsconfig,
  JSON.stringify(
    {
      extends: relative(cacheDir, EXAMPLES_TSCONFIG),
      include: [`${relative(cacheDir, join(ROOT, 'examples'))}/**/*`, 'readme/*.ts'],
    },
    null,
    2,
  ),
);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
console.log(`type-checking examples/ and ${snippets.length} README block(s) against dist/ ...`);
const typecheck = spawnSync(process.execPath, [tsc, '--noEmit', '-p', tsconfig], { cwd: ROOT, stdio: 'inherit' });
if (typecheck.status !== 0) process.exit(typecheck.status ?? 1);

// 3. Run them. In parallel; outputs are printed in order once all are done.
const examplesDir = join(ROOT, 'examples');
const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && /\.c?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
  .map((entry) => join(examplesDir, entry.name))
  .sort();
const runs = [...examples, ...snippets.filter((s) => s.run).map((s) => s.file)];
const results = await Promise.all(runs.map((file) => runAgainstDist(file, { capture: true })));

let failed = 0;
for (const [index, file] of runs.entries()) {
  const { code, output } = results[index];
  console.log(`\n── ${relative(ROOT, file)} ${code === 0 ? 'ok' : `FAILED (exit ${code})`}`);
  process.stdout.write(output.endsWith('\n') || output === '' ? output : `${output}\n`);
  if (code !== 0) failed += 1;
}
console.log(`\n${runs.length - failed}/${runs.length} example(s) ran against dist/.`);
process.exit(failed === 0 ? 0 : 1);
