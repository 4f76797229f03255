import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Builds dist/cli once per run: the spawn tests run the compiled command, never a stale one.
    globalSetup: ['./tests/vitest-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // better-sqlite3 is native: forks isolate it more simply than worker threads.
    pool: 'forks',
  },
});
