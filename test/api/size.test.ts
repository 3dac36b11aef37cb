/**
 * scripts/check-size.mjs (run in `npm test` after the build) measures what a consumer's bundle
 * keeps of actioncenter. Here it measures a tiny stand-in package, so that the measurement itself is
 * tested: unused modules are dropped, inputs are summed per dependency directory, and a module that
 * imports `{ z }` from zod (which keeps zod's locales in an esbuild bundle) is named.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSUMERS, measureAll } from '../../scripts/check-size.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('the size check', () => {
  const root = mkdtempSync(join(tmpdir(), 'size-package-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write(
    'package.json',
    JSON.stringify({
      name: 'actioncenter',
      type: 'module',
      sideEffects: false,
      exports: { '.': { import: './dist/index.js' } },
    }),
  );
  write(
    'dist/index.js',
    "export { small } from './small.js';\nexport { big } from './big.js';\nexport { schema } from './schema.js';\n",
  );
  write('dist/small.js', 'export function small(x) { return x + 1; }\n');
  write('dist/big.js', `export function big() { return ${JSON.stringify('x'.repeat(20_000))}; }\n`);
  write('dist/schema.js', "import { z } from 'zod';\nexport const schema = () => z.string();\n");
  mkdirSync(join(root, 'node_modules'));
  symlinkSync(join(ROOT, 'node_modules', 'zod'), join(root, 'node_modules', 'zod'), 'dir');

  it('keeps only the modules a consumer reaches, and weighs them', { timeout: 60_000 }, async () => {
    const [small, big] = await measureAll(root, [
      { name: 'small', imports: ['small'], limit: 1000, kind: 'target' },
      { name: 'big', imports: ['big'], limit: 1000, kind: 'target' },
    ]);
    expect(small?.bytes).toBeLessThan(200);
    expect(small?.largest.map((input) => input.path)).toContain('dist/small.js');
    expect(small?.largest.map((input) => input.path)).not.toContain('dist/big.js');
    expect(big?.bytes).toBeGreaterThan(20_000);
    expect(big?.largest[0]).toEqual({ path: 'dist/big.js', bytes: expect.any(Number) });
    expect(big?.gzip).toBeLessThan(big?.bytes ?? 0);
    expect(small?.zodVia).toEqual([]);
  });

  it(
    'sums a dependency per directory and names the modules that bring zod and its locales',
    { timeout: 60_000 },
    async () => {
      const [row] = await measureAll(root, [{ name: 'schema', imports: ['schema'], limit: 1000, kind: 'target' }]);
      expect(row?.zodVia).toEqual(['dist/schema.js']);
      expect(row?.zodNamed).toEqual(['dist/schema.js']);
      const paths = row?.largest.map((input) => input.path) ?? [];
      expect(paths).toContain('zod/v4/locales/');
      expect(paths.every((path) => path.endsWith('/') || path.startsWith('dist/'))).toBe(true);
      // The locales alone weigh more than the targets of issue 13 allow a whole consumer.
      expect(row?.bytes).toBeGreaterThan(150_000);
    },
  );

  it('holds the targets of issue 13 (and the engine ceiling raised for issue 16)', () => {
    expect(CONSUMERS.map(({ name, limit, kind }) => ({ name, limit, kind }))).toEqual([
      { name: 'parseActionRequest', limit: 150_000, kind: 'target' },
      { name: 'selection state machine', limit: 40_000, kind: 'target' },
      { name: 'createActionCenter', limit: 317_000, kind: 'ceiling' },
    ]);
  });
});

describe('zod imports in src/', () => {
  // A value import of `{ z }` makes esbuild keep zod's `z` namespace whole, every locale included
  // (264 KB of a consumer's bundle); `import * as z` lets it keep only what is used. Type-only
  // imports cost nothing.
  it('import zod as a namespace, never as { z }', () => {
    const offenders = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .filter((path) =>
        /^import\s*\{[^}]*\bz\b[^}]*\}\s*from\s*'zod'/m.test(readFileSync(join(ROOT, 'src', path), 'utf8')),
      );
    expect(offenders).toEqual([]);
  });
});
