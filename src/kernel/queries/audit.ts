import { CanonicalText, canonicalJson, sha256Hex } from '../../util/canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntryInput {
  atUs: number;
  actor: string;
  /** dotted verb: alert.imported, decision.made, decision.undone, solution.added, session.signin ... */
  action: string;
  /** what it is about: alert:12, account:3, settings:map ... */
  entity: string;
  payload: unknown;
}

/** An entry as the log holds it (column names as stored: verification reads them as they are). */
export interface AuditRow {
  seq: number;
  at_us: number;
  actor: string;
  action: string;
  entity: string;
  payload_json: string;
  prev_hash: string;
  hash: string;
}

/** The bytes an entry's hash covers: the previous hash, then the canonical entry. Verification recomputes exactly this. */
export function auditEntryDigest(
  prevHash: string,
  e: { seq: number; atUs: number; actor: string; action: string; entity: string; payloadJson: string },
): string {
  return auditEntryDigestOfCanonical(prevHash, e, canonicalJson(JSON.parse(e.payloadJson)));
}

/** The same digest from the payload's canonical text (verification has it already, from checking the stored bytes). */
export function auditEntryDigestOfCanonical(
  prevHash: string,
  e: { seq: number; atUs: number; actor: string; action: string; entity: string },
  canonicalPayload: string,
): string {
  const body = canonicalJson({ seq: e.seq, atUs: e.atUs, actor: e.actor, action: e.action, entity: e.entity, payload: new CanonicalText(canonicalPayload) });
  return sha256Hex(`${prevHash}\n${body}`);
}

/** The hash-chained, append-only audit log. */
export interface AuditQueries {
  /**
   * Appends one entry, in the transaction that makes the change it records. Appends are
   * serialised across processes (PostgreSQL: the audit_head row is locked until commit), so the
   * chain never forks; take other row locks (alerts.lock) before appending.
   */
  append(entry: AuditEntryInput): Promise<AuditRow>;
  page(fromSeq: number, limit: number): Promise<AuditRow[]>;
  forEntity(entity: string): Promise<AuditRow[]>;
  /** Every entry in order, read page by page inside the transaction's snapshot. */
  iterate(): AsyncIterable<AuditRow>;
  /** The newest entry in the log itself (what a walk of the chain ends on), or null when empty. */
  last(): Promise<{ seq: number; hash: string } | null>;
  /** The head the database recorded on every append (migration 50): it survives a deleted tail. */
  recordedHead(): Promise<{ seq: number; hash: string } | null>;
  count(): Promise<number>;
  /** An alert's own entries, and those of anything that names it in its payload (incidents, deliveries, QA). */
  aboutAlert(alertId: number): Promise<AuditRow[]>;
  /** Entries whose action starts with the prefix (e.g. 'publish.'), ASCII case folded as SQLite's LIKE. */
  withActionPrefix(prefix: string): Promise<AuditRow[]>;
}
