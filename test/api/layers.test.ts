/**
 * One-way layers: scripts/check-layers.mjs (run in `npm test`) fails on an import cycle or an arrow
 * against base -> catalog -> rules -> center -> adapters -> testing. The checker is tested on small
 * synthetic graphs first, so that a green run on the real src/ means something.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  checkGraph,
  edgeViolation,
  findCycles,
  importGraph,
  layerOf,
  runCheck,
  specifiersOf,
  subpathDirectories,
} from '../../scripts/check-layers.mjs';

const graphOf = (edges: Record<string, readonly string[]>): Map<string, Set<string>> =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]));

describe('the layer checker on synthetic graphs', () => {
  it('passes a clean graph whose arrows all point down', () => {
    const graph = graphOf({
      'src/index.ts': ['src/center/engine.ts', 'src/adapters/memory/index.ts'],
      'src/result.ts': ['src/errors.ts'],
      'src/errors.ts': [],
      'src/catalog/catalog.ts': ['src/errors.ts', 'src/result.ts'],
      'src/rules/undo.ts': ['src/catalog/catalog.ts'],
      'src/center/engine.ts': ['src/rules/undo.ts', 'src/center/ports.ts'],
      'src/center/ports.ts': ['src/result.ts'],
      'src/adapters/memory/index.ts': ['src/center/ports.ts', 'src/adapters/memory/repo.ts'],
      'src/adapters/memory/repo.ts': ['src/catalog/catalog.ts'],
      'src/adapters/postgres/index.ts': ['src/index.ts'],
      'src/testing/index.ts': ['src/index.ts', 'src/adapters/memory/index.ts'],
    });
    expect(checkGraph(graph)).toEqual({ violations: [], unlayered: [], cycles: [] });
  });

  it('finds a cycle and names the files along it', () => {
    const graph = graphOf({
      'src/catalog/a.ts': ['src/catalog/b.ts'],
      'src/catalog/b.ts': ['src/catalog/c.ts'],
      'src/catalog/c.ts': ['src/catalog/a.ts'],
      'src/catalog/d.ts': ['src/catalog/a.ts'],
    });
    const { cycles, violations } = checkGraph(graph);
    expect(violations).toEqual([]);
    expect(cycles).toEqual([
      {
        members: ['src/catalog/a.ts', 'src/catalog/b.ts', 'src/catalog/c.ts'],
        path: ['src/catalog/a.ts', 'src/catalog/b.ts', 'src/catalog/c.ts', 'src/catalog/a.ts'],
      },
    ]);
  });

  it('finds a file importing itself, and gives the shortest cycle of a tangle', () => {
    expect(findCycles(graphOf({ 'src/rules/x.ts': ['src/rules/x.ts'] }))).toEqual([
      { members: ['src/rules/x.ts'], path: ['src/rules/x.ts', 'src/rules/x.ts'] },
    ]);
    const tangle = findCycles(
      graphOf({ 'src/a.ts': ['src/b.ts', 'src/c.ts'], 'src/b.ts': ['src/c.ts'], 'src/c.ts': ['src/a.ts'] }),
    );
    expect(tangle).toEqual([
      { members: ['src/a.ts', 'src/b.ts', 'src/c.ts'], path: ['src/a.ts', 'src/c.ts', 'src/a.ts'] },
    ]);
  });

  it('refuses an upward arrow, whichever layers it skips', () => {
    const graph = graphOf({
      'src/errors.ts': ['src/center/errors.ts'],
      'src/center/errors.ts': [],
      'src/center/engine.ts': ['src/adapters/memory/index.ts'],
      'src/adapters/memory/index.ts': [],
    });
    expect(checkGraph(graph).violations).toEqual([
      {
        from: 'src/center/engine.ts',
        to: 'src/adapters/memory/index.ts',
        reason: 'center imports adapters, a higher layer',
      },
      { from: 'src/errors.ts', to: 'src/center/errors.ts', reason: 'base imports center, a higher layer' },
    ]);
  });

  it('refuses one adapter importing another, and allows imports within one adapter', () => {
    expect(edgeViolation('src/adapters/postgres/a.ts', 'src/adapters/memory/b.ts')).toBe(
      'adapters/postgres imports adapters/memory: one adapter must not import another',
    );
    expect(edgeViolation('src/adapters/postgres/a.ts', 'src/adapters/postgres/b.ts')).toBeNull();
    expect(edgeViolation('src/adapters/postgres/a.ts', 'src/center/ports.ts')).toBeNull();
  });

  it('puts actioncenter/json-schema on top: it may import the package, nothing below imports it', () => {
    expect(layerOf('src/json-schema/index.ts')).toEqual({ layer: 'json-schema', group: 'json-schema' });
    expect(edgeViolation('src/json-schema/index.ts', 'src/adapter-kit.ts')).toBeNull();
    expect(edgeViolation('src/testing/arbitraries.ts', 'src/json-schema/index.ts')).toBe(
      'testing imports json-schema, a higher layer',
    );
    expect(edgeViolation('src/center/engine.ts', 'src/json-schema/errors.ts')).toBe(
      'center imports json-schema, a higher layer',
    );
  });

  it('refuses the package self-reference (an entry file) below the adapters, and allows it above', () => {
    expect(edgeViolation('src/rules/undo.ts', 'src/index.ts')).toMatch(/^rules imports the entry src\/index\.ts/);
    expect(edgeViolation('src/errors.ts', 'src/index.ts')).toMatch(/^base imports the entry/);
    expect(edgeViolation('src/testing/arbitraries.ts', 'src/index.ts')).toBeNull();
    expect(edgeViolation('src/index.ts', 'src/testing/index.ts')).toBeNull();
  });

  it('refuses a subpath entry importing the core by a relative path (its CommonJS bundle would copy the core)', () => {
    const graph = graphOf({
      'src/testing/a.ts': ['src/testing/b.ts', 'src/index.ts', 'src/catalog/records.ts'],
      'src/testing/b.ts': [],
      'src/adapters/postgres/x.ts': ['src/center/ports.ts', 'src/adapters/postgres/y.ts'],
      'src/adapters/postgres/y.ts': [],
      'src/adapters/memory/m.ts': ['src/center/ports.ts'],
    });
    const reasons = checkGraph(graph, layerOf, ['src/adapters/postgres/', 'src/testing/']).violations;
    expect(reasons).toEqual([
      {
        from: 'src/adapters/postgres/x.ts',
        to: 'src/center/ports.ts',
        reason:
          "src/adapters/postgres/ is a subpath entry: it imports the core as 'actioncenter', not by a relative path",
      },
      {
        from: 'src/testing/a.ts',
        to: 'src/catalog/records.ts',
        reason: "src/testing/ is a subpath entry: it imports the core as 'actioncenter', not by a relative path",
      },
    ]);
    // Without subpaths named, the same arrows point down the layers and pass.
    expect(checkGraph(graph).violations).toEqual([]);
  });

  it('lists a file that belongs to no layer', () => {
    expect(checkGraph(graphOf({ 'src/util/x.ts': [], 'src/adapters/loose.ts': [] })).unlayered).toEqual([
      'src/adapters/loose.ts',
      'src/util/x.ts',
    ]);
  });
});

describe('reading imports', () => {
  it('counts type-only imports, re-exports and import() types alike', () => {
    const text = [
      "import type { A } from './a.js';",
      "import { b } from './b.js';",
      "export * from './c.js';",
      "export type { D } from './d.js';",
      "type E = import('./e.js').E;",
      "const f = () => import('./f.js');",
      "import g = require('./g.js');",
      "import 'zod';",
      "const notAnImport = 'from ./h.js';",
      'export const x = 1;',
    ].join('\n');
    expect(specifiersOf('x.ts', text)).toEqual([
      './a.js',
      './b.js',
      './c.js',
      './d.js',
      './e.js',
      './f.js',
      './g.js',
      'zod',
    ]);
  });

  describe('on a small project on disk', () => {
    const root = mkdtempSync(join(tmpdir(), 'layers-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    it('resolves relative .js specifiers, folder indexes and the self-reference, and reports the unresolved', () => {
      write('tsconfig.json', '{ "compilerOptions": { "paths": { "pkg": ["./src/index.ts"] } } } // comments allowed');
      write('src/index.ts', "export * from './rules/index.js';");
      write('src/rules/index.ts', "export type { X } from './x.js'; import { y } from '../catalog';");
      write('src/rules/x.ts', "import type { Z } from 'pkg'; export type X = Z; import { q } from './missing.js';");
      write('src/catalog/index.ts', "import { z } from 'zod'; export const y = 1;");
      const { graph, unresolved } = importGraph(root);
      expect(Object.fromEntries([...graph].map(([from, to]) => [from, [...to]]))).toEqual({
        'src/catalog/index.ts': [],
        'src/index.ts': ['src/rules/index.ts'],
        'src/rules/index.ts': ['src/rules/x.ts', 'src/catalog/index.ts'],
        'src/rules/x.ts': ['src/index.ts'],
      });
      expect(unresolved).toEqual([{ from: 'src/rules/x.ts', specifier: './missing.js' }]);
      const report = runCheck(root);
      expect(report.ok).toBe(false);
      expect(report.lines).toEqual([
        'layer: src/rules/x.ts -> src/index.ts: rules imports the entry src/index.ts (the package itself): only adapters and testing may',
        'cycle: src/index.ts -> src/rules/index.ts -> src/rules/x.ts -> src/index.ts',
        "unresolved: src/rules/x.ts imports './missing.js'",
      ]);
    });
  });
});

describe('the real src/', () => {
  it("knows the subpath entries from tsconfig.json's paths", { timeout: 60_000 }, () => {
    expect(subpathDirectories()).toEqual([
      'src/adapters/pg-boss/',
      'src/adapters/postgres/',
      'src/json-schema/',
      'src/testing/',
    ]);
  });

  // Reading ~100 files with the TypeScript parser takes well under a second; the limit is for a
  // loaded machine.
  it('has no cycle and no arrow against the layers', { timeout: 60_000 }, () => {
    const { ok, lines } = runCheck();
    expect(lines).toEqual([]);
    expect(ok).toBe(true);
  });
});
