import { defineConfig } from 'vitest/config';

/**
 * The integration tests run twice, once per backend: the `postgres` project runs all of them but
 * these, and a test opens its core through tests/support/test-core.ts (or backend-core.ts) to get
 * its project's database. Left out: what is SQLite's alone, and what touches no database at all
 * (running it again would prove nothing and cost CI minutes).
 */
const SQLITE_ONLY = [
  // The synchronous store's own connection shared with the port, and the SQLite file's schema:
  // upgrading an old file in place, triggers in SQLite's dialect (store/postgres/** has PostgreSQL's).
  'tests/integration/store/sqlite/**',
  'tests/integration/store/migrations.test.ts',
  'tests/integration/store/audit-chain.test.ts',
  // An attacker with sqlite3 on the data folder's file (audit/verify-tamper tampers on both backends).
  'tests/integration/audit/export-cli.test.ts',
  // One new SQLite file opened by several processes at once.
  'tests/integration/store/concurrent-open.test.ts',
  // The compiled command and host as processes on the data folder's file (store/postgres/serve-database
  // spawns serve on PostgreSQL).
  'tests/integration/cli/smoke.test.ts',
  // The backup of a workstation's SQLite file (a centre's PostgreSQL is backed up with PostgreSQL's tools).
  'tests/integration/cli/backup.test.ts',
  // The local file methods kept off the data folder's files, the SQLite file among them (checkpointed for the test).
  'tests/integration/files/local-methods.test.ts',
];
const NO_DATABASE = [
  'tests/integration/audio/**',
  // Commands that open no database (demo, locate), and the refusal of --database by such commands.
  'tests/integration/cli/demo-command.test.ts',
  'tests/integration/cli/locate-command.test.ts',
  'tests/integration/cli/database-option.test.ts',
  'tests/integration/audit/clips-check.test.ts',
  'tests/integration/cli/help.test.ts',
  'tests/integration/cli/receive.test.ts',
  'tests/integration/ingest/import-memory.test.ts',
  'tests/integration/ingest/worker-build.test.ts',
  'tests/integration/ingest/worker-pool.test.ts',
  'tests/integration/locate/real-data.test.ts',
  'tests/integration/publish/endpoint-tls.test.ts',
  'tests/integration/store/clip-store-crash.test.ts',
  'tests/integration/support/**',
];

export default defineConfig({
  test: {
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
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          // PostgreSQL-only tests (NOTIFY across stores, SKIP LOCKED races) run in the project below.
          exclude: ['tests/integration/store/postgres/**'],
          env: { EARWITNESS_TEST_BACKEND: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/integration/**/*.test.ts'],
          exclude: [...SQLITE_ONLY, ...NO_DATABASE],
          env: { EARWITNESS_TEST_BACKEND: 'postgres' },
          // After the other projects, so the PostgreSQL server's processes do not compete with them for the CPU.
          sequence: { groupOrder: 1 },
          // Starts a throwaway cluster when EARWITNESS_TEST_PG_URL names none, and migrates the run's template database.
          globalSetup: ['tests/support/pg-global-setup.ts'],
        },
      },
    ],
  },
});
