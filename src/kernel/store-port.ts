/**
 * The store port: the one way the core reaches its database. Typed, domain-named query groups in
 * read or write transactions; no SQL, no driver, no backend types. Two adapters implement it in
 * src/store (SQLite embedded, PostgreSQL for a centre) with one behaviour.
 */
import type { EventName, EventPayload } from '../contract/index.ts';
import type { Leadership } from './leadership.ts';
import type { AccountQueries, SigninThrottleQueries } from './queries/accounts.ts';
import type { AgencyQueries } from './queries/agencies.ts';
import type { AlertQueries } from './queries/alerts.ts';
import type { AuditQueries } from './queries/audit.ts';
import type { AuditReadQueries } from './queries/audit-reads.ts';
import type { ClaimQueries } from './queries/claims.ts';
import type { SeatSessionQueries } from './queries/seat-sessions.ts';
import type { DatasetLabelQueries, DatasetProjectQueries } from './queries/dataset.ts';
import type { DecisionQueries } from './queries/decisions.ts';
import type { DeliveryQueries } from './queries/deliveries.ts';
import type { IncidentQueries } from './queries/incidents.ts';
import type { IntakeKeyQueries } from './queries/intake-keys.ts';
import type { OutcomeQueries } from './queries/outcomes.ts';
import type { SourceQueries } from './queries/sources.ts';
import type { QaQueries } from './queries/qa.ts';
import type { RelocationQueries } from './queries/relocations.ts';
import type { SensorQueries } from './queries/sensors.ts';
import type { SupervisionQueries } from './queries/supervision.ts';
import type { SettingsQueries } from './queries/settings.ts';

export type StoreBackend = 'sqlite' | 'postgres';

/** One event a committed write announced. */
export type CommittedEvent = {
  [E in EventName]: {
    event: E;
    payload: EventPayload<E>;
    /** False when another store (another process on the same PostgreSQL database) committed it. */
    local: boolean;
  };
}[EventName];

export interface WriteOptions {
  /**
   * 'relaxed' for bookkeeping whose loss in a power cut the protocol absorbs (the delivery
   * worker's leases and settlements): SQLite synchronous=NORMAL, PostgreSQL
   * synchronous_commit=off, for this transaction only. A crash of the process loses nothing
   * either way. Default 'full'.
   */
  durability?: 'full' | 'relaxed';
}

/** Every query group, async, as today's synchronous Store names them. */
export interface StoreTx {
  readonly alerts: AlertQueries;
  readonly decisions: DecisionQueries;
  readonly audit: AuditQueries;
  readonly settings: SettingsQueries;
  readonly agencies: AgencyQueries;
  readonly incidents: IncidentQueries;
  readonly deliveries: DeliveryQueries;
  readonly auditReads: AuditReadQueries;
  readonly qa: QaQueries;
  readonly datasetProjects: DatasetProjectQueries;
  readonly datasetLabels: DatasetLabelQueries;
  readonly accounts: AccountQueries;
  readonly signinThrottle: SigninThrottleQueries;
  readonly claims: ClaimQueries;
  readonly relocations: RelocationQueries;
  readonly sensors: SensorQueries;
  readonly sources: SourceQueries;
  readonly supervision: SupervisionQueries;
  readonly intakeKeys: IntakeKeyQueries;
  /** A centre's signed-in seats, so another server can take one over (migration 22). */
  readonly seatSessions: SeatSessionQueries;
  readonly outcomes: OutcomeQueries;
}

export interface WriteTx extends StoreTx {
  /** Announces an event: delivered to `onCommitted` listeners after COMMIT, exactly once; never if the write fails. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /**
   * Serialises the writes that name the same thing, until this one ends, across processes: for a
   * read-then-write on no single row (the first administrator, a setting's read-modify-write).
   * SQLite's write lock already serialises every write; PostgreSQL takes a transaction-scoped
   * advisory lock. A row's own lock (alerts.lock) is the finer tool where there is a row.
   */
  lock(name: string): Promise<void>;
}

export interface Store {
  readonly backend: StoreBackend;
  /**
   * A read-only transaction: one consistent snapshot (PostgreSQL REPEATABLE READ READ ONLY;
   * SQLite a deferred transaction with query_only). A write inside it fails with StoreReadOnlyError.
   */
  read<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * A write transaction (SQLite BEGIN IMMEDIATE; PostgreSQL READ COMMITTED with row locks where a
   * change depends on what it read). On PostgreSQL it is retried, whole, on a serialization
   * failure or a deadlock, with the events of a failed attempt dropped: `fn` must therefore have
   * no effect outside the transaction (no files, no HTTP, no events but tx.emit), and must not
   * call read or write itself (that throws: it would deadlock). A statement that fails dooms the
   * transaction on both backends: catching its error inside `fn` does not save the write.
   */
  write<T>(fn: (tx: WriteTx) => Promise<T>, options?: WriteOptions): Promise<T>;
  /** Subscribes to committed events: this store's, and with PostgreSQL those of other processes on the database. */
  onCommitted(listener: (events: readonly CommittedEvent[]) => void): () => void;
  /** Who runs each singleton job among the processes on this database (see leadership.ts). */
  readonly leadership: Leadership;
  /** Waits for running transactions, then closes (a shared SQLite connection stays open for its owner). */
  close(): Promise<void>;
}

export type { JobLeadership, Leadership, SingletonJob } from './leadership.ts';
export * from './queries/accounts.ts';
export * from './queries/agencies.ts';
export * from './queries/alerts.ts';
export * from './queries/audit.ts';
export * from './queries/audit-reads.ts';
export * from './queries/claims.ts';
export * from './queries/dataset.ts';
export * from './queries/decisions.ts';
export * from './queries/supervision.ts';
export * from './queries/intake-keys.ts';
export * from './queries/seat-sessions.ts';
export * from './queries/outcomes.ts';
export * from './queries/deliveries.ts';
export * from './queries/incidents.ts';
export * from './queries/sources.ts';
export * from './queries/qa.ts';
export * from './queries/relocations.ts';
export * from './queries/sensors.ts';
export * from './queries/settings.ts';
export { StoreConstraintError, StoreReadOnlyError, StoreUsageError } from './store-errors.ts';
