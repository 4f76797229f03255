/**
 * The store port on both backends, each beside its own raw driver doing the same rows in the
 * same run (`npm run bench -- --only store`):
 *
 * - import: the store part of importing one 6-sensor alert (alert, clips, sensors with peaks,
 *   12 pulses, machine solution, two audit entries), alerts per second;
 * - decide: one decision (lock, status, claim, decision version, audit entry, summary), p50/p99;
 * - claimNext: choosing and claiming the next alert with 50 seats calling at once, p50/p99;
 * - audit verify: the chain re-hashed entry by entry in one read snapshot, entries per second.
 *
 * SQLite's baseline is today's synchronous Store (better-sqlite3 prepared statements, no
 * port); PostgreSQL's is pg's own client with the same statements written by hand and the same
 * pool size. PostgreSQL is found as the tests find it (EARWITNESS_TEST_PG_URL, else a
 * throwaway cluster); without one only SQLite's figures print, and stderr says why.
 */
import { join } from 'node:path';
import pg from 'pg';
import { findPgBin, startCluster, stopCluster } from '../../../scripts/pg-cluster.mjs';
import { auditEntryDigest, GENESIS_HASH, type Store as StorePort, type StoreBackend } from '../../../src/kernel/store-port.ts';
import { PostgresStore } from '../../../src/store/postgres/store.ts';
import { SqliteStore } from '../../../src/store/sqlite/store.ts';
import { Mutex } from '../../../src/store/sqlite/mutex.ts';
import { Store as SyncStore } from '../../../src/store/store.ts';
import { databaseUrl } from '../../support/pg-admin.ts';
import { T0 } from '../../support/store-fixtures.ts';
import { RawPostgres } from '../store/raw-postgres.ts';
import { benchAlert, benchDecision, benchSolution, decisionAudit, importAudit, percentile, verifyAudit } from '../store/workload.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const SEATS = 50;
const LEASE = 60_000_000;
const POOL = 10;

/** One backend's two sides: the port and the raw driver, each on a database of its own. */
interface Sides {
  backend: StoreBackend;
  port: StorePort;
  raw: RawSide;
  close(): Promise<void>;
}

/** What the raw baseline does, per workload. */
interface RawSide {
  importAlert(n: number): Promise<void>;
  decide(alertId: number, i: number): Promise<void>;
  claimNext(seat: string): Promise<number | null>;
  appendMany(count: number): Promise<void>;
  verifyChain(): Promise<number>;
}

async function portImport(port: StorePort, n: number): Promise<void> {
  const a = benchAlert(n);
  await port.write(async (tx) => {
    if ((await tx.alerts.findByKey(a.source, a.externalId)) !== undefined) throw new Error('duplicate bench alert');
    const id = await tx.alerts.insert(a);
    await tx.audit.append(importAudit(id, a));
    const sol = await tx.alerts.addSolution(id, 'machine', 'machine', a.importedUs, benchSolution());
    await tx.audit.append({ atUs: a.importedUs, actor: 'machine', action: 'solution.added', entity: `alert:${id}`, payload: { version: sol.version, solution: benchSolution() } });
    tx.emit('alertAdded', { alert: (await tx.alerts.summary(id))! });
  });
}

async function portDecide(port: StorePort, alertId: number, i: number): Promise<void> {
  await port.write(async (tx) => {
    await tx.alerts.lock(alertId);
    if ((await tx.decisions.statusOf(alertId)) !== 'pending') throw new Error('bench alert not pending');
    await tx.claims.activeOn(alertId, T0);
    const d = benchDecision(alertId, i);
    const decision = await tx.decisions.insert(d);
    await tx.audit.append(decisionAudit(d, decision.id));
    tx.emit('alertChanged', { alert: (await tx.alerts.summary(alertId))! });
  });
}

async function portClaimNext(port: StorePort, seat: string): Promise<number | null> {
  return port.write(async (tx) => {
    const id = await tx.claims.next('oldest_first', T0, LEASE, []);
    if (id === undefined) return null;
    return (await tx.claims.take(id, { accountId: null, by: seat, seat }, T0, LEASE)) ? id : null;
  });
}

async function portVerify(port: StorePort): Promise<number> {
  return port.read(async (tx) => {
    let prev = GENESIS_HASH;
    let n = 0;
    for await (const r of tx.audit.iterate()) {
      const hash = auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json });
      if (hash !== r.hash || r.prev_hash !== prev) throw new Error(`chain broken at ${r.seq}`);
      prev = r.hash;
      n++;
    }
    return n;
  });
}

function rawSqlite(file: string): RawSide & { close(): void } {
  const store = SyncStore.open(file);
  // One connection: 50 seats take turns on it, as they do on the port's.
  const turn = new Mutex();
  return {
    async importAlert(n) {
      const a = benchAlert(n);
      store.tx(() => {
        if (store.alerts.findByKey(a.source, a.externalId) !== undefined) throw new Error('duplicate bench alert');
        const id = store.alerts.insert(a);
        store.audit.append(importAudit(id, a));
        const sol = store.alerts.addSolution(id, 'machine', 'machine', a.importedUs, benchSolution());
        store.audit.append({ atUs: a.importedUs, actor: 'machine', action: 'solution.added', entity: `alert:${id}`, payload: { version: sol.version, solution: benchSolution() } });
        store.alerts.summary(id);
      });
    },
    async decide(alertId, i) {
      store.tx(() => {
        if (store.decisions.statusOf(alertId) !== 'pending') throw new Error('bench alert not pending');
        store.claims.activeOn(alertId, T0);
        const d = benchDecision(alertId, i);
        const decision = store.decisions.insert(d);
        store.audit.append(decisionAudit(d, decision.id));
        store.alerts.summary(alertId);
      });
    },
    async claimNext(seat) {
      const release = await turn.lock();
      try {
        return store.tx(() => {
          const id = store.claims.next('oldest_first', T0, LEASE, []);
          if (id === undefined) return null;
          return store.claims.take(id, { accountId: null, by: seat, seat }, T0, LEASE) ? id : null;
        });
      } finally {
        release();
      }
    },
    async appendMany(count) {
      store.tx(() => {
        for (let i = 0; i < count; i++) store.audit.append(verifyAudit(i));
      });
    },
    async verifyChain() {
      let prev = GENESIS_HASH;
      let n = 0;
      for (const r of store.audit.iterate()) {
        const hash = auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json });
        if (hash !== r.hash || r.prev_hash !== prev) throw new Error(`chain broken at ${r.seq}`);
        prev = r.hash;
        n++;
      }
      return n;
    },
    close: () => store.close(),
  };
}

function rawPostgres(url: string): RawSide & { close(): Promise<void> } {
  const raw = new RawPostgres(url, POOL);
  return {
    async importAlert(n) {
      const a = benchAlert(n);
      await raw.tx(async (c) => {
        if ((await raw.findByKey(c, a.source, a.externalId)) !== undefined) throw new Error('duplicate bench alert');
        const id = await raw.insertAlert(c, a);
        await raw.append(c, importAudit(id, a));
        await raw.addSolution(c, id, a.importedUs, benchSolution());
        await raw.append(c, { atUs: a.importedUs, actor: 'machine', action: 'solution.added', entity: `alert:${id}`, payload: { version: 1, solution: benchSolution() } });
        await raw.summary(c, id);
      });
    },
    async decide(alertId, i) {
      await raw.tx(async (c) => {
        if ((await raw.statusOf(c, alertId)) !== 'pending') throw new Error('bench alert not pending');
        const d = benchDecision(alertId, i);
        const id = await raw.decide(c, d);
        await raw.append(c, decisionAudit(d, id));
        await raw.summary(c, alertId);
      });
    },
    claimNext: (seat) => raw.tx((c) => raw.claimNext(c, seat, T0, LEASE)),
    async appendMany(count) {
      await raw.tx(async (c) => {
        for (let i = 0; i < count; i++) await raw.append(c, verifyAudit(i));
      });
    },
    verifyChain: () => raw.verifyChain(),
    close: () => raw.close(),
  };
}

async function sqliteSides(dir: string): Promise<Sides> {
  const port = SqliteStore.open(join(dir, 'port.sqlite'));
  const raw = rawSqlite(join(dir, 'raw.sqlite'));
  return { backend: 'sqlite', port, raw, close: async () => { await port.close(); raw.close(); } };
}

/** PostgreSQL as the tests find it; null (with the reason logged) when there is none. */
async function postgresSides(ctx: BenchContext): Promise<Sides | null> {
  let server = process.env.EARWITNESS_TEST_PG_URL ?? '';
  let stop = () => {};
  if (!server) {
    const found = findPgBin();
    if (!found.bin) {
      process.stderr.write(`  PostgreSQL figures skipped: ${found.reason} (or set EARWITNESS_TEST_PG_URL)\n`);
      return null;
    }
    const cluster = await startCluster();
    server = cluster.url;
    stop = () => stopCluster(cluster.dir);
    ctx.log(`throwaway PostgreSQL cluster at ${server}`);
  }
  const names = [`ew_bench_port_${process.pid}`, `ew_bench_raw_${process.pid}`];
  const admin = new pg.Client(server);
  await admin.connect();
  for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
  const port = await PostgresStore.open(databaseUrl(server, names[0]!), { max: POOL });
  await (await PostgresStore.open(databaseUrl(server, names[1]!))).close();
  const raw = rawPostgres(databaseUrl(server, names[1]!));
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
    const timePort = async () => { const t = performance.now(); await portImport(s.port, i); portMs += performance.now() - t; };
    const timeRaw = async () => { const t = performance.now(); await s.raw.importAlert(i); rawMs += performance.now() - t; };
    if (i % 2) { await timePort(); await timeRaw(); } else { await timeRaw(); await timePort(); }
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
    await Promise.all(Array.from({ length: SEATS }, async (_, k) => {
      for (;;) {
        const t = performance.now();
        const id = await claim(`seat-${k}-${times.length}`);
        if (id === null) return;
        times.push(performance.now() - t);
        if (taken.has(id)) throw new Error(`alert ${id} claimed twice`);
        taken.add(id);
      }
    }));
    return times;
  };
  const portClaimMs = await seats((seat) => portClaimNext(s.port, seat));
  const rawClaimMs = await seats((seat) => s.raw.claimNext(seat));
  ctx.log(`${b}: ${portClaimMs.length} / ${rawClaimMs.length} claims by ${SEATS} seats`);

  // Audit verify over a longer log.
  const entries = ctx.quick ? 2000 : 20_000;
  await s.port.write(async (tx) => { for (let i = 0; i < entries; i++) await tx.audit.append(verifyAudit(i)); });
  await s.raw.appendMany(entries);
  let t = performance.now();
  const portEntries = await portVerify(s.port);
  const portVerifyS = (performance.now() - t) / 1000;
  t = performance.now();
  const rawEntries = await s.raw.verifyChain();
  const rawVerifyS = (performance.now() - t) / 1000;

  const f = (metric: string, value: number, baseline: number, unit: string, higherIsBetter: boolean): Figure =>
    ({ name: `store.${metric}.${b}`, value, baseline, unit, baselineLabel: label, higherIsBetter });
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
