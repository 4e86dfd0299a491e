import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores here: keep the number of workers at what the machine has.
    maxWorkers: 2,
    reporters: ['default', './test/support/count-reporter.ts'],
  },
});
