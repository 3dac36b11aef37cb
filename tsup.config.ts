import { defineConfig } from 'tsup';

// ESM (.js) and CommonJS (.cjs) builds of each entry point; package.json's `exports` map points
// `import` and `require` at them, `types` first in each branch. The declarations (.d.ts and .d.cts,
// with declaration maps) are written by scripts/build-types.mjs after this build, with tsc.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
    'postgres/index': 'src/adapters/postgres/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: false,
  // Only what the entry points import: a half-written test or example must not break the build.
  tsconfig: 'tsconfig.build.json',
  // Source maps name the TypeScript sources, which the package ships (src/), instead of embedding
  // them: a stack trace or a debugger lands in the source at a third of the maps' size.
  sourcemap: true,
  esbuildOptions(options) {
    options.sourcesContent = false;
  },
  clean: true,
  treeshake: true,
  target: 'node20',
  splitting: false,
  // Dependencies stay imports; fast-check and vitest are optional peers of actioncenter/testing, pg
  // and PGlite of actioncenter/postgres. Subpaths import the core as 'actioncenter' (the package's
  // self-reference), so the core is bundled once and classes keep one identity across entry points.
  external: ['actioncenter', 'fast-check', 'vitest', 'zod', 'immer', 'date-fns', 'pg', '@electric-sql/pglite'],
});
