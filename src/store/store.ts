import { openDatabase, type Db, type OpenOptions } from './db.ts';
import { agencyQueries } from './agencies.ts';
import { alertQueries } from './alerts.ts';
import { auditQueries } from './audit-log.ts';
import { auditReadQueries } from './audit-reads.ts';
import { claimQueries } from './claims.ts';
import { decisionQueries } from './decisions.ts';
import { deliveryQueries } from './deliveries.ts';
import { incidentQueries } from './incidents.ts';
import { qaQueries } from './qa.ts';
import { sensorQueries } from './sensors.ts';
import { settingsQueries } from './settings.ts';
import type { Store as StorePort } from '../kernel/store-port.ts';
import { sourceQueries } from './sources.ts';
import { Attestations } from './attested.ts';
import { LazyStore } from './port/lazy.ts';
import { LocalLeadership } from '../kernel/leadership.ts';
import { portTransactionOpen } from './sqlite/shared.ts';

/** The database with every statement prepared once. Domains add their query groups here. */
export class Store {
  readonly alerts;
  readonly decisions;
  readonly audit;
  readonly settings;
  readonly agencies;
  readonly incidents;
  readonly deliveries;
  readonly auditReads;
  readonly qa;
  readonly claims;
  readonly sensors;
  readonly sources;
  /** Rows changed in the attested tables, waiting for the audit entry that records them (see attested.ts). */
  readonly attested: Attestations;
  private asyncPort: StorePort | undefined;

  constructor(readonly db: Db) {
    this.attested = new Attestations(db);
    this.alerts = alertQueries(db);
    this.decisions = decisionQueries(db);
    this.audit = auditQueries(db, this.attested);
    this.attested.writeLeftovers = () => this.audit.appendLeftoverAttestations();
    this.settings = settingsQueries(db, this.attested);
    this.agencies = agencyQueries(db);
    this.incidents = incidentQueries(db, this.attested);
    this.deliveries = deliveryQueries(db, this.attested);
    this.auditReads = auditReadQueries(db);
    this.qa = qaQueries(db);
    this.claims = claimQueries(db);
    this.sensors = sensorQueries(db);
    this.sources = sourceQueries(db, this.attested);
  }

  static open(file: string, options?: OpenOptions): Store {
    return new Store(openDatabase(file, options));
  }

  /**
   * Runs fn in one IMMEDIATE transaction: the write lock is taken at the start, so the
   * audit chain's "read last hash, append" cannot interleave with another process.
   */
  tx<T>(fn: () => T): T {
    if (portTransactionOpen.has(this.db)) {
      throw new Error(
        'store.tx began while an asynchronous store transaction is open on the same connection: it would join that transaction and roll back with it',
      );
    }
    // Nested: a savepoint inside the outer transaction, which attests what is left when it commits.
    if (this.db.inTransaction) return this.db.transaction(fn).immediate();
    try {
      return this.db
        .transaction(() => {
          const out = fn();
          this.attested.flush();
          return out;
        })
        .immediate();
    } catch (e) {
      this.attested.discard();
      throw e;
    }
  }

  /**
   * The asynchronous store port (src/kernel/store-port.ts) over this same connection, so services
   * can move to it one domain at a time and both see the same rows. Closing it leaves the
   * connection to this Store. The adapter (and Kysely) load on the port's first transaction.
   */
  port(): StorePort {
    // One process owns the file: it leads every singleton job (src/kernel/leadership.ts).
    return (this.asyncPort ??= new LazyStore('sqlite', async () => (await import('./sqlite/store.ts')).SqliteStore.share(this.db), new LocalLeadership()));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
