/**
 * The static files `npm run build` writes (dist/json-schema/<Name>.schema.json, exported as
 * `actioncenter/json-schema/*.schema.json`) are exactly `jsonSchemas()`: the build script is run
 * here into a temporary folder, on the sources (through tsx), so the test needs no build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { JSON_SCHEMA_NAMES, jsonSchemas } from '../../src/json-schema/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = mkdtempSync(join(tmpdir(), 'actioncenter-json-schema-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('scripts/build-json-schema.mjs', () => {
  it('writes one <Name>.schema.json per name, each equal to jsonSchemas()[name]', { timeout: 120_000 }, () => {
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const run = spawnSync(
      process.execPath,
      ['--import', tsx, 'scripts/build-json-schema.mjs', '--out', out, '--from', 'src/json-schema/index.ts'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^json-schema: 9 schemas in /);
    expect(readdirSync(out).sort()).toEqual(JSON_SCHEMA_NAMES.map((name) => `${name}.schema.json`).sort());
    const expected = jsonSchemas();
    for (const name of JSON_SCHEMA_NAMES) {
      const text = readFileSync(join(out, `${name}.schema.json`), 'utf8');
      expect(JSON.parse(text)).toEqual(expected[name]);
      // Written for people too: indented, one trailing newline.
      expect(text).toBe(`${JSON.stringify(expected[name], null, 2)}\n`);
    }
  });
});
