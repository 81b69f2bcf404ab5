import { defineConfig } from 'vitest/config';

// Two cores: run files in a couple of forks, not one per core-thread.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One throwaway PostgreSQL per run (unless DATABASE_URL is set): the portal suite runs on both databases.
    // The built command (dist/cli) rebuilt first: tests that run `joldama` never run an old build.
    globalSetup: ['test/helpers/postgres.ts', 'test/helpers/build-cli.ts'],
  },
});
