import { defineConfig } from 'vitest/config';

/**
 * The tests that run on PostgreSQL as well as SQLite: the store port's (query groups, adapters),
 * and those of the services on the port that need nothing of the synchronous store (the trainers'
 * data sets without alerts, people and seats: tests/support/backend-core.ts gives them a core on
 * either backend).
 * The integration tier joins them once every service uses the port (then: 'tests/integration/**').
 */
const POSTGRES_TIER = [
  'tests/integration/store/port/**/*.test.ts',
  'tests/integration/store/postgres/**/*.test.ts',
  'tests/integration/accounts/**/*.test.ts',
  'tests/integration/review/alerts-on-port.test.ts',
  'tests/integration/audit/verify-tamper.test.ts',
  'tests/integration/audit/audit-reads-on-port.test.ts',
  'tests/integration/audit/qa-on-port.test.ts',
  'tests/integration/review/decide-on-port.test.ts',
  'tests/integration/review/relocate.test.ts',
  'tests/integration/publish/incident-desk-on-port.test.ts',
  'tests/integration/publish/agency-update-on-port.test.ts',
  'tests/integration/publish/delivery-on-port.test.ts',
  'tests/integration/host/agency-links-on-port.test.ts',
  'tests/integration/outcomes/links-on-port.test.ts',
  'tests/integration/outcomes/outcomes-on-port.test.ts',
  'tests/integration/dataset/agreement.test.ts',
  'tests/integration/dataset/clip-states.test.ts',
  'tests/integration/dataset/export.test.ts',
  'tests/integration/dataset/field-imports.test.ts',
  'tests/integration/dataset/import-audio.test.ts',
  'tests/integration/dataset/projects-labels.test.ts',
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
          include: POSTGRES_TIER,
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
