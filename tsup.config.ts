import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'testing/index': 'src/testing/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  treeshake: true,
  target: 'node20',
  splitting: false,
  // fast-check and vitest are optional peers of actioncenter/testing: never bundle them.
  external: ['fast-check', 'vitest', 'zod', 'immer', 'date-fns'],
});
