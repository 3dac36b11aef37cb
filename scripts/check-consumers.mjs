#!/usr/bin/env node
// `npm run test:consumers` (run by .ci/run; needs the npm registry): the packed package as projects
// with other versions of its neighbours install it. After `npm run build`, for each scenario below,
// a throwaway project installs the tarball beside the versions named, and
//  - the install must exit 0 and print no error or warning that names actioncenter or a peer, and
//    `npm ls --all` must find no invalid or missing package;
//  - the scenario's own check then runs (type-check against that project's packages and node:test,
//    vitest 2, or a zod 3 script).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = join(ROOT, 'scripts', 'consumer');
const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const NODE_TYPES = join(ROOT, 'node_modules', '@types');

const work = mkdtempSync(join(tmpdir(), 'actioncenter-consumers-'));
const ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
};
/** Runs a command to its end; resolves with its exit code and its output (stdout and stderr). */
const run = (cmd, args, cwd, extra = {}) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'], ...extra });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolve({ code: 1, output: `${output}${error.message}` }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });

const pack = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], {
  cwd: ROOT,
  env: ENV,
  encoding: 'utf8',
});
pack.code = pack.status ?? 1;
pack.output = `${pack.stdout}${pack.stderr}`;
if (pack.code !== 0) {
  console.error(pack.output);
  process.exit(1);
}
const tarball = join(
  work,
  readdirSync(work).find((f) => f.endsWith('.tgz')),
);

/** Type-checks `file` with the project's own packages, strict and without skipLibCheck, into out/. */
const compile = (dir, file) =>
  run(
    process.execPath,
    [
      TSC,
      '--strict',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--target',
      'es2022',
      '--typeRoots',
      NODE_TYPES,
      '--types',
      'node',
      '--outDir',
      'out',
      file,
    ],
    dir,
  );

const scenarios = [
  { name: 'fast-check 3.22.0 (the oldest supported)', deps: ['fast-check@3.22.0', 'zod@4'], check: 'smoke' },
  { name: 'fast-check 3 (newest 3.x)', deps: ['fast-check@3', 'zod@4'], check: 'smoke' },
  { name: 'fast-check 4', deps: ['fast-check@4', 'zod@4'], check: 'smoke' },
  { name: 'vitest 2', deps: ['vitest@2', 'fast-check@4'], check: 'vitest2' },
  { name: 'zod 3', deps: ['zod@3'], check: 'zod3' },
];

/** Installs one scenario's project and runs its check; resolves with what to print and whether it passed. */
async function check(scenario) {
  const dir = join(work, scenario.name.replace(/[^a-z0-9]+/gi, '-'));
  mkdirSync(dir);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  const problems = [];
  const install = await run('npm', ['install', '--no-audit', '--no-fund', ...scenario.deps, tarball], dir);
  if (install.code !== 0) problems.push(`npm install exited ${install.code}`);
  const warnings = install.output
    .split('\n')
    .filter((line) => /^npm (warn|error)/i.test(line) && /actioncenter|peer|ERESOLVE/i.test(line));
  if (warnings.length > 0) problems.push(`npm install warned:\n${warnings.join('\n')}`);
  const ls = await run('npm', ['ls', '--all'], dir);
  if (install.code === 0 && ls.code !== 0)
    problems.push(
      `npm ls --all found problems:\n${ls.output
        .split('\n')
        .filter((l) => /invalid|missing|ERR/i.test(l))
        .join('\n')}`,
    );
  let detail = '';
  if (problems.length === 0) {
    if (scenario.check === 'smoke') {
      copyFileSync(join(HERE, 'smoke.ts'), join(dir, 'smoke.ts'));
      const types = await compile(dir, 'smoke.ts');
      if (types.code !== 0) problems.push(`type-check failed:\n${types.output}`);
      else {
        const tests = await run(process.execPath, ['--test', 'out/smoke.js'], dir);
        detail = tests.output
          .split('\n')
          .filter((l) => /^# (pass|fail)/.test(l))
          .join(', ');
        if (tests.code !== 0) problems.push(`tests failed:\n${tests.output.slice(-4000)}`);
      }
    } else if (scenario.check === 'vitest2') {
      copyFileSync(join(HERE, 'vitest2.test.ts'), join(dir, 'contract.test.ts'));
      const tests = await run(process.execPath, [join(dir, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], dir, {
        env: { ...process.env, CI: 'true' },
      });
      detail = tests.output
        .split('\n')
        .filter((l) => /Tests\s/.test(l))
        .join(' ')
        .replace(/\x1b\[[0-9;]*m/g, '')
        .trim();
      if (tests.code !== 0) problems.push(`vitest 2 run failed:\n${tests.output.slice(-4000)}`);
    } else {
      copyFileSync(join(HERE, 'zod3.mjs'), join(dir, 'zod3.mjs'));
      const script = await run(process.execPath, ['zod3.mjs'], dir);
      detail = script.output.trim().split('\n').join('; ');
      if (script.code !== 0) problems.push(`zod 3 check failed:\n${script.output}`);
    }
  }
  const installed = Object.fromEntries(
    ['fast-check', 'vitest', 'zod'].flatMap((name) => {
      try {
        return [
          [
            name,
            JSON.parse(require('node:fs').readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8'))
              .version,
          ],
        ];
      } catch {
        return [];
      }
    }),
  );
  const label = `${scenario.name} [${Object.entries(installed)
    .map(([n, v]) => `${n} ${v}`)
    .join(', ')}]`;
  return problems.length === 0
    ? { ok: true, text: `ok      ${label}${detail ? `: ${detail}` : ''}` }
    : { ok: false, text: `FAILED  ${label}\n${problems.join('\n')}` };
}

// In parallel: the time goes to the registry, not to the cores.
const results = await Promise.all(scenarios.map(check));
for (const result of results) console.log(result.text);
const failed = results.filter((r) => !r.ok).length;
rmSync(work, { recursive: true, force: true });
console.log(`\n${scenarios.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
