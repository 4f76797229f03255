/**
 * The store port on both backends, each beside its own raw driver doing the same rows in the
 * same run (`npm run bench -- --only store`):
 *
 * - import: the store part of importing one 6-sensor alert (alert, clips, sensors with peaks,
 *   12 pulses, machine solution, two audit entries), alerts per second;
 * - decide: one decision (lock, status, claim, decision version, audit entry, summary), p50/p99;
 * - claimNext: choosing and claiming the next alert with 50 seats calling at once, p50/p99;
 * - audit verify: `verifyAudit` through the port (the chain re-hashed entry by entry, page by
 *   page in one read snapshot, the recorded head, anchors), entries per second; the raw side
 *   re-hashes the same chain in one snapshot with the driver alone.
 *
 * SQLite's baseline is today's synchronous Store (better-sqlite3 prepared statements, no
 * port); PostgreSQL's is pg's own client with the same statements written by hand (the NOTIFY
 * of the announced event included) and the same pool size. PostgreSQL is found as the tests
 * find it (EARWITNESS_TEST_PG_URL, else a throwaway cluster); without one only SQLite's figures
 * print, and stderr says why.
 */
import { join } from 'node:path';
import pg from 'pg';
import { benchPostgres } from '../both-backends.ts';
import type { Store as StorePort, StoreBackend } from '../../../src/kernel/store-port.ts';
import { PostgresStore } from '../../../src/store/postgres/store.ts';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { databaseUrl } from '../../support/pg-admin.ts';
import { portClaimNext, portDecide, portImport, portVerify } from '../store/port-side.ts';
import { rawPostgres, rawSqlite, type RawSide } from '../store/raw-side.ts';
import { benchAlert, percentile, verifyAudit } from '../store/workload.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const SEATS = 50;
const POOL = 10;

/** One backend's two sides: the port and the raw driver, each on a database of its own. */
interface Sides {
  backend: StoreBackend;
  port: StorePort;
  raw: RawSide;
  close(): Promise<void>;
}

async function sqliteSides(dir: string): Promise<Sides> {
  const port = SqliteStore.open(join(dir, 'port.sqlite'));
  const raw = rawSqlite(join(dir, 'raw.sqlite'));
  return {
    backend: 'sqlite',
    port,
    raw,
    close: async () => {
      await port.close();
      raw.close();
    },
  };
}

/** Both sides on PostgreSQL as the tests find it; null (with the reason logged) when there is none. */
async function postgresSides(ctx: BenchContext): Promise<Sides | null> {
  const found = await benchPostgres(ctx);
  if (!found) return null;
  const { server, stop } = found;
  const names = [`ew_bench_port_${process.pid}`, `ew_bench_raw_${process.pid}`];
  const admin = new pg.Client(server);
  await admin.connect();
  for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
  const port = await PostgresStore.open(databaseUrl(server, names[0]!), { max: POOL });
  await (await PostgresStore.open(databaseUrl(server, names[1]!))).close();
  const raw = rawPostgres(databaseUrl(server, names[1]!), POOL);
  return {
    backend: 'postgres',
    port,
    raw,
    async close() {
      await port.close();
      await raw.close();
      for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
      await admin.end();
      stop();
    },
  };
}

async function measure(s: Sides, ctx: BenchContext): Promise<Figure[]> {
  const b = s.backend;
  const n = ctx.quick ? 30 : 300;
  const label = b === 'sqlite' ? "today's synchronous store (better-sqlite3 statements)" : 'pg client, same statements by hand';

  // Import, alternating which side goes first so neither always runs warmer.
  let portMs = 0;
  let rawMs = 0;
  for (let i = 1; i <= n; i++) {
    const timePort = async () => {
      const t = performance.now();
      await portImport(s.port, i);
      portMs += performance.now() - t;
    };
    const timeRaw = async () => {
      const t = performance.now();
      await s.raw.importAlert(i);
      rawMs += performance.now() - t;
    };
    if (i % 2) {
      await timePort();
      await timeRaw();
    } else {
      await timeRaw();
      await timePort();
    }
  }
  ctx.log(`${b}: imported ${n} alerts each side`);

  // Decide, one after another, on the alerts just imported.
  const portDecideMs: number[] = [];
  const rawDecideMs: number[] = [];
  for (let i = 1; i <= n; i++) {
    let t = performance.now();
    await portDecide(s.port, i, i);
    portDecideMs.push(performance.now() - t);
    t = performance.now();
    await s.raw.decide(i, i);
    rawDecideMs.push(performance.now() - t);
  }
  ctx.log(`${b}: ${n} decisions each side`);

  // claimNext with 50 seats at once, until every seat has claimed `rounds` alerts or the queue is empty.
  const extra = ctx.quick ? 200 : 1000;
  for (let i = n + 1; i <= n + extra; i++) {
    await s.port.write(async (tx) => void (await tx.alerts.insert({ ...benchAlert(i), sensors: [], pulses: [] })));
  }
  for (let i = n + 1; i <= n + extra; i++) await s.raw.importAlert(i);
  const seats = async (claim: (seat: string) => Promise<number | null>) => {
    const times: number[] = [];
    const taken = new Set<number>();
    await Promise.all(
      Array.from({ length: SEATS }, async (_, k) => {
        for (;;) {
          const t = performance.now();
          const id = await claim(`seat-${k}-${times.length}`);
          if (id === null) return;
          times.push(performance.now() - t);
          if (taken.has(id)) throw new Error(`alert ${id} claimed twice`);
          taken.add(id);
        }
      }),
    );
    return times;
  };
  const portClaimMs = await seats((seat) => portClaimNext(s.port, seat));
  const rawClaimMs = await seats((seat) => s.raw.claimNext(seat));
  ctx.log(`${b}: ${portClaimMs.length} / ${rawClaimMs.length} claims by ${SEATS} seats`);

  // Audit verify over a longer log.
  const entries = ctx.quick ? 2000 : 20_000;
  await s.port.write(async (tx) => {
    for (let i = 0; i < entries; i++) await tx.audit.append(verifyAudit(i));
  });
  await s.raw.appendMany(entries);
  let t = performance.now();
  const portEntries = await portVerify(s.port, join(ctx.workDir, `verify-${b}`));
  const portVerifyS = (performance.now() - t) / 1000;
  t = performance.now();
  const rawEntries = await s.raw.verifyChain();
  const rawVerifyS = (performance.now() - t) / 1000;

  const f = (metric: string, value: number, baseline: number, unit: string, higherIsBetter: boolean): Figure => ({
    name: `store.${metric}.${b}`,
    value,
    baseline,
    unit,
    baselineLabel: label,
    higherIsBetter,
  });
  return [
    f('import_alerts_per_s', (n * 1000) / portMs, (n * 1000) / rawMs, 'alerts/s', true),
    f('decide_p50_ms', percentile(portDecideMs, 50), percentile(rawDecideMs, 50), 'ms', false),
    f('decide_p99_ms', percentile(portDecideMs, 99), percentile(rawDecideMs, 99), 'ms', false),
    f('claim_next_p50_ms', percentile(portClaimMs, 50), percentile(rawClaimMs, 50), 'ms', false),
    f('claim_next_p99_ms', percentile(portClaimMs, 99), percentile(rawClaimMs, 99), 'ms', false),
    f('audit_verify_entries_per_s', portEntries / portVerifyS, rawEntries / rawVerifyS, 'entries/s', true),
  ];
}

export const suite: BenchSuite = {
  name: 'store',
  async run(ctx) {
    const figures: Figure[] = [];
    const sqlite = await sqliteSides(ctx.workDir);
    try {
      figures.push(...(await measure(sqlite, ctx)));
    } finally {
      await sqlite.close();
    }
    const postgres = await postgresSides(ctx);
    if (postgres) {
      try {
        figures.push(...(await measure(postgres, ctx)));
      } finally {
        await postgres.close();
      }
    }
    // Each figure's two backends on adjacent rows.
    const metric = (f: Figure) => f.name.slice(0, f.name.lastIndexOf('.'));
    const order = [...new Set(figures.map(metric))];
    return figures.sort((a, b) => order.indexOf(metric(a)) - order.indexOf(metric(b)));
  },
};
