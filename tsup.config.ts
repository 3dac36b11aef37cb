import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { importGraph } from './scripts/check-layers.mjs';

// Two builds, which package.json's `exports` map points `import` and `require` at (`types` first in
// each branch; the declarations, .d.ts and .d.cts with declaration maps, are written by
// scripts/build-types.mjs after this build, with tsc):
//
// - ESM (.js): unbundled, one output file per source module, dist/ mirroring src/. With the package's
//   `sideEffects: false`, a consumer's bundler keeps only the modules it reaches: importing
//   `parseActionRequest` does not bring the engine (scripts/check-size.mjs measures it).
// - CommonJS (.cjs): one bundled file per entry point; `require` loads everything anyway. The core and
//   actioncenter/adapter-kit are both built from src/ modules: their shared modules go to common
//   chunks (splitting), so each module, and each class (ActionCenterException, ConflictCollector),
//   exists once whichever entry a consumer requires.

/** The entry points: the core and the subpaths, as package.json's `exports` map names them. */
const ENTRIES = {
  index: 'src/index.ts',
  'adapter-kit': 'src/adapter-kit.ts',
  'testing/index': 'src/testing/index.ts',
  'adapters/postgres/index': 'src/adapters/postgres/index.ts',
  'adapters/pg-boss/index': 'src/adapters/pg-boss/index.ts',
  'json-schema/index': 'src/json-schema/index.ts',
};

/**
 * Every module the entry points reach (imports, re-exports and type-only imports alike, which cost
 * nothing: a module of types only becomes an empty one). Only these ship: a half-written module
 * that nothing imports yet never breaks the build.
 */
function shippedModules(): string[] {
  const { graph } = importGraph();
  const reached = new Set<string>();
  const pending = Object.values(ENTRIES);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (reached.has(next)) continue;
    reached.add(next);
    pending.push(...(graph.get(next) ?? []));
  }
  return [...reached].sort();
}

// Both builds write to dist/, in parallel: each config's own `clean` could delete the other's output.
rmSync('dist', { recursive: true, force: true });

const shared = {
  // Only what the entry points import: a half-written test or example must not break the build.
  tsconfig: 'tsconfig.build.json',
  // Source maps name the TypeScript sources, which the package ships (src/), instead of embedding
  // them: a stack trace or a debugger lands in the source at a third of the maps' size.
  sourcemap: true,
  esbuildOptions(options: { sourcesContent?: boolean }) {
    options.sourcesContent = false;
  },
  dts: false,
  clean: false,
  target: 'node20',
} as const;

export default defineConfig([
  {
    ...shared,
    entry: shippedModules(),
    format: ['esm'],
    // One file per module, imports kept as written ('./x.js' names the output next to it). The
    // subpaths import the core as 'actioncenter' (the package's self-reference), which resolves to
    // the same dist/index.js: classes keep one identity across entry points.
    bundle: false,
    treeshake: false,
    splitting: false,
  },
  {
    ...shared,
    entry: ENTRIES,
    format: ['cjs'],
    treeshake: true,
    // tsup's CommonJS splitting: chunks shared by the core and the adapter kit (see above).
    splitting: true,
    // Dependencies stay imports; fast-check and vitest are optional peers of actioncenter/testing, pg
    // and PGlite of actioncenter/postgres, pg-boss of actioncenter/pg-boss. Subpaths import the core
    // as 'actioncenter' (the package's self-reference), so the core is bundled once and classes keep
    // one identity across entry points.
    external: [
      'actioncenter',
      'actioncenter/adapter-kit',
      'fast-check',
      'vitest',
      'zod',
      'immer',
      'date-fns',
      'pg',
      '@electric-sql/pglite',
      'pg-boss',
    ],
  },
]);
