#!/usr/bin/env node
// `npm run build` (after tsup): the type declarations, one per source module, with declaration maps.
//
// tsup bundles the JavaScript; the declarations come from tsc instead, unbundled, so that each has a
// declaration map and "Go to definition" in an editor lands in the TypeScript source (shipped in the
// package's src/). tsc writes ESM declarations (.d.ts, for `import`); this script then copies each to
// a CommonJS twin (.d.cts, for `require`) whose relative imports name .cjs files, so each condition
// of the `exports` map gets declarations of its own module format (what attw checks).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'dist', 'types');

rmSync(OUT, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const emit = spawnSync(
  process.execPath,
  [
    tsc,
    '-p',
    'tsconfig.build.json',
    '--noEmit',
    'false',
    '--emitDeclarationOnly',
    '--declaration',
    '--declarationMap',
    '--rootDir',
    'src',
    '--outDir',
    relative(ROOT, OUT),
  ],
  { cwd: ROOT, stdio: 'inherit' },
);
if (emit.status !== 0) process.exit(emit.status ?? 1);

/** Every file under `dir`, recursively. */
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

// `from './x.js'`, `import('./x.js')` and `import './x.js'`: relative specifiers only ('actioncenter'
// and dependencies resolve through their own package.json, per condition).
const RELATIVE_JS = /((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]*?)\.js(['"])/g;

let count = 0;
for (const file of [...files(OUT)]) {
  if (!file.endsWith('.d.ts')) continue;
  const base = file.slice(0, -'.d.ts'.length);
  const name = base.slice(base.lastIndexOf('/') + 1);
  const code = readFileSync(file, 'utf8')
    .replace(RELATIVE_JS, '$1$2.cjs$3')
    .replace(`//# sourceMappingURL=${name}.d.ts.map`, `//# sourceMappingURL=${name}.d.cts.map`);
  writeFileSync(`${base}.d.cts`, code);
  const map = JSON.parse(readFileSync(`${base}.d.ts.map`, 'utf8'));
  map.file = `${name}.d.cts`;
  writeFileSync(`${base}.d.cts.map`, JSON.stringify(map));
  count += 1;
}
console.log(`declarations: ${count} modules, .d.ts and .d.cts with declaration maps, in ${relative(ROOT, OUT)}/`);
