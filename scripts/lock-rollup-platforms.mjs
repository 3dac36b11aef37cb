#!/usr/bin/env node
// Usage: node scripts/lock-rollup-platforms.mjs   (after `npm install` changed rollup's version)
//
// Why: the registry this project installs from serves only some of rollup's per-platform binaries
// (@rollup/rollup-<os>-<cpu>[-<libc>]). `npm install` then leaves the others out of
// package-lock.json, and `npm ci` refuses the lock ("Missing: @rollup/rollup-... from lock file").
// This adds an entry for each missing one, with the os/cpu/libc its name states, so npm skips it
// on every other platform and `npm ci` accepts the lock. `npm install` keeps these entries.
// Each entry gets the `resolved` address and `integrity` the registry's metadata gives for it
// (`npm view`), so that every entry of the lock is verified like the others wherever it installs.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = fileURLToPath(new URL('../package-lock.json', import.meta.url));
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, pkg] of Object.entries(lock.packages)) {
  if (!(path === 'node_modules/rollup' || path.endsWith('/node_modules/rollup'))) continue;
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    if (!name.startsWith('@rollup/rollup-')) continue;
    const key = `${path.slice(0, -'rollup'.length)}${name}`;
    if (lock.packages[key]?.version === version && lock.packages[key]?.integrity) continue;
    const [os, cpu, abi] = name.slice('@rollup/rollup-'.length).split('-');
    const dist = JSON.parse(
      execFileSync('npm', ['view', '--json', `${name}@${version}`, 'dist'], { encoding: 'utf8' }),
    );
    lock.packages[key] = {
      version,
      resolved: dist.tarball,
      integrity: dist.integrity,
      cpu: [cpu],
      dev: pkg.dev ?? false,
      ...(os === 'linux' ? { libc: [abi?.startsWith('musl') ? 'musl' : 'glibc'] } : {}),
      license: 'MIT',
      optional: true,
      os: [os],
    };
    added.push(`${name}@${version}`);
  }
}
// npm writes the packages sorted by path, the root ('') first.
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b, 'en'))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(
  added.length === 0 ? 'package-lock.json already lists every rollup platform package' : `added ${added.join(', ')}`,
);
