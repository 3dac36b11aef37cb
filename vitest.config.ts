import { defineConfig } from 'vitest/config';

import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Subpaths import the core as 'actioncenter'; tests run them against the sources.
  resolve: {
    alias: [
      { find: /^actioncenter$/, replacement: here('./src/index.ts') },
      { find: /^actioncenter\/adapter-kit$/, replacement: here('./src/adapter-kit.ts') },
      { find: /^actioncenter\/testing$/, replacement: here('./src/testing/index.ts') },
      { find: /^actioncenter\/postgres$/, replacement: here('./src/adapters/postgres/index.ts') },
      { find: /^actioncenter\/pg-boss$/, replacement: here('./src/adapters/pg-boss/index.ts') },
      { find: /^actioncenter\/json-schema$/, replacement: here('./src/json-schema/index.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Vitest's default is one worker per core but one, which on a 2-core machine runs one file at a
    // time. Many files spend much of their time waiting (on PostgreSQL, pg-boss worker processes,
    // Chromium), so two workers there cut the run by a quarter; the files hold on a loaded machine.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // Types are checked by `tsc --noEmit` (the first step of `npm test`), tests and examples included.
    typecheck: { enabled: false },
    // A safety net for a slow, loaded machine (vitest's defaults are 5 s and 10 s): slow work has its
    // own explicit limit where it is set up (PGlite starts in a hook, property suites have fixed run
    // counts), and these only keep a test that hangs from stalling the run forever.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
