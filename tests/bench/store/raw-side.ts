/**
 * The store-bench workloads on each backend's own driver: SQLite through today's synchronous
 * Store (better-sqlite3 prepared statements, no port), PostgreSQL through pg with the port's
 * statements written by hand (RawPostgres).
 */
import { auditEntryDigest, GENESIS_HASH } from '../../../src/kernel/store-port.ts';
import { Mutex } from '../../../src/store/sqlite/mutex.ts';
import { Store as SyncStore } from '../../../src/store/store.ts';
import { T0 } from '../../support/store-fixtures.ts';
import { RawPostgres } from './raw-postgres.ts';
import { benchAlert, benchDecision, benchSolution, decisionAudit, importAudit, LEASE, OLDEST_FIRST, verifyAudit } from './workload.ts';

/** What the raw baseline does, per workload. */
export interface RawSide {
  importAlert(n: number): Promise<void>;
  decide(alertId: number, i: number): Promise<void>;
  claimNext(seat: string): Promise<number | null>;
  appendMany(count: number): Promise<void>;
  verifyChain(): Promise<number>;
}

export function rawSqlite(file: string): RawSide & { close(): void } {
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
        store.audit.append({
          atUs: a.importedUs,
          actor: 'machine',
          action: 'solution.added',
          entity: `alert:${id}`,
          payload: { version: sol.version, solution: benchSolution() },
        });
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
          const id = store.claims.next(OLDEST_FIRST, T0, []);
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

export function rawPostgres(url: string, pool: number): RawSide & { close(): Promise<void> } {
  const raw = new RawPostgres(url, pool);
  return {
    async importAlert(n) {
      const a = benchAlert(n);
      await raw.tx(async (c) => {
        if ((await raw.findByKey(c, a.source, a.externalId)) !== undefined) throw new Error('duplicate bench alert');
        const id = await raw.insertAlert(c, a);
        await raw.append(c, importAudit(id, a));
        await raw.addSolution(c, id, a.importedUs, benchSolution());
        await raw.append(c, {
          atUs: a.importedUs,
          actor: 'machine',
          action: 'solution.added',
          entity: `alert:${id}`,
          payload: { version: 1, solution: benchSolution() },
        });
        await raw.notify(c, 'alertAdded', { alert: await raw.summary(c, id) });
      });
    },
    async decide(alertId, i) {
      await raw.tx(async (c) => {
        if ((await raw.statusOf(c, alertId)) !== 'pending') throw new Error('bench alert not pending');
        const d = benchDecision(alertId, i);
        const id = await raw.decide(c, d);
        await raw.append(c, decisionAudit(d, id));
        await raw.notify(c, 'alertChanged', { alert: await raw.summary(c, alertId) });
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
