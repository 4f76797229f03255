import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // Builds dist/cli once per run: the spawn tests run the compiled command, never a stale one.
    globalSetup: ['./tests/vitest-setup.ts'],
    // Generous: CI and development share 2 cores with other work, and the heavy tests (the tamper
    // matrix, type-aware lint, kill -9 cycles) take several times longer on a busy machine. A hung
    // test still fails, two minutes later.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // better-sqlite3 is native: forks isolate it more simply than worker threads.
    pool: 'forks',
  },
});
