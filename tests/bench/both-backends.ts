import { join } from 'node:path';
import pg from 'pg';
import { findPgBin, startCluster, stopCluster } from '../../scripts/pg-cluster.mjs';
import { openCore, type Core } from '../../src/core/core.ts';
import type { StoreBackend } from '../../src/kernel/store-port.ts';
import { PostgresStore } from '../../src/store/postgres/store.ts';
import { databaseUrl } from '../support/pg-admin.ts';
import type { BenchContext, Figure } from './types.ts';

/** PostgreSQL as the tests find it (EARWITNESS_TEST_PG_URL, else a throwaway cluster); null, with the reason said, when there is none. */
export async function benchPostgres(ctx: BenchContext): Promise<{ server: string; stop(): void } | null> {
  const given = process.env.EARWITNESS_TEST_PG_URL ?? '';
  if (given) return { server: given, stop: () => {} };
  const found = findPgBin();
  if (!found.bin) {
    process.stderr.write(`  PostgreSQL figures skipped: ${found.reason} (or set EARWITNESS_TEST_PG_URL)\n`);
    return null;
  }
  const cluster = await startCluster();
  ctx.log(`throwaway PostgreSQL cluster at ${cluster.url}`);
  return { server: cluster.url, stop: () => stopCluster(cluster.dir) };
}

/** A core on a fresh database of that PostgreSQL; null when there is none. */
async function postgresCore(ctx: BenchContext, tag: string): Promise<{ core: Core; close(): Promise<void> } | null> {
  const found = await benchPostgres(ctx);
  if (!found) return null;
  const { server, stop } = found;
  const name = `ew_bench_${tag}_${process.pid}`;
  const admin = new pg.Client(server);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const core = openCore({ dataDir: join(ctx.workDir, `pg-data-${tag}`), storePort: await PostgresStore.open(databaseUrl(server, name), { max: 10 }) });
  return {
    core,
    async close() {
      await core.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
      stop();
    },
  };
}

/** Runs `measure` on a core on a fresh SQLite file, then on PostgreSQL when there is one; the figures of both. */
export async function onBothBackends(
  ctx: BenchContext,
  tag: string,
  measure: (backend: StoreBackend, core: Core, ctx: BenchContext) => Promise<Figure[]>,
): Promise<Figure[]> {
  const figures: Figure[] = [];
  const sqlite = openCore({ dataDir: join(ctx.workDir, `sqlite-data-${tag}`) });
  try {
    figures.push(...(await measure('sqlite', sqlite, ctx)));
  } finally {
    await sqlite.close();
  }
  const postgres = await postgresCore(ctx, tag);
  if (postgres) {
    try {
      figures.push(...(await measure('postgres', postgres.core, ctx)));
    } finally {
      await postgres.close();
    }
  }
  return figures;
}
