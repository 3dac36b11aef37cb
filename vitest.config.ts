import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Types are checked by `tsc --noEmit` (the first step of `npm test`), tests and examples included.
    typecheck: { enabled: false },
  },
});
