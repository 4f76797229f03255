/**
 * vitest globalSetup of the PostgreSQL project: finds a server (EARWITNESS_TEST_PG_URL, else a
 * throwaway cluster started here and stopped at the end), migrates one template database per
 * run, and provides both to the tests. With no server and no binaries it provides the reason, and
 * the tests skip with it (or fail, under CI=1).
 */
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { findPgBin, startCluster, stopCluster } from '../../scripts/pg-cluster.mjs';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { migratePostgres } from '../../src/store/postgres/migrate.ts';
import { createPool } from '../../src/store/postgres/pool.ts';
import { databaseUrl } from './pg-admin.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplate: string;
    pgMissing: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let url = process.env.EARWITNESS_TEST_PG_URL ?? '';
  let stop = async () => {};
  if (!url) {
    const found = findPgBin();
    if (!found.bin) {
      project.provide('pgServerUrl', '');
      project.provide('pgTemplate', '');
      project.provide('pgMissing', `no PostgreSQL for the store tests: ${found.reason}; or set EARWITNESS_TEST_PG_URL`);
      return stop;
    }
    const cluster = await startCluster();
    url = cluster.url;
    stop = async () => stopCluster(cluster.dir);
  }
  const template = `ew_template_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client(url);
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    const pool = createPool(databaseUrl(url, template), { max: 1 });
    try {
      await migratePostgres(pool, MIGRATIONS);
    } finally {
      await pool.end();
    }
  } catch (e) {
    await admin.end().catch(() => undefined);
    await stop();
    throw e;
  }
  project.provide('pgServerUrl', url);
  project.provide('pgTemplate', template);
  project.provide('pgMissing', '');
  return async () => {
    // The test databases of this run (named after its template), a prefetched one included, then the template.
    // A worker may have been making its next database as it ended: look again after a moment.
    for (const pause of [0, 1500]) {
      await new Promise((r) => setTimeout(r, pause));
      const { rows } = await admin
        .query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${template}_t_`])
        .catch(() => ({ rows: [] }));
      for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
    }
    await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await stop();
  };
}
