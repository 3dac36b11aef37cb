// Runs a TypeScript file with node + tsx against the built package (see against-dist.mjs).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './resolution.mjs';

/** The tsconfig tsx reads: no `paths`, so `actioncenter` resolves through the package's exports. */
export const EXAMPLES_TSCONFIG = join(ROOT, 'examples', 'tsconfig.json');

/** Fails early, with the fix, when there is nothing built to run against. */
export function requireBuild() {
  for (const file of ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts']) {
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
