import { defineConfig } from 'vitest/config';

import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Subpaths import the core as 'actioncenter'; tests run them against the sources.
  resolve: {
    alias: [
      { find: /^actioncenter$/, replacement: here('./src/index.ts') },
      { find: /^actioncenter\/testing$/, replacement: here('./src/testing/index.ts') },
      { find: /^actioncenter\/postgres$/, replacement: here('./src/adapters/postgres/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Types are checked by `tsc --noEmit` (the first step of `npm test`), tests and examples included.
    typecheck: { enabled: false },
  },
});
