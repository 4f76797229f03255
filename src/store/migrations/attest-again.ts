import type { Database } from 'better-sqlite3';
import { auditEntryDigest, GENESIS_HASH } from '../audit-log.ts';
import { ATTESTED_TABLES, rowDigest, type AttestedTable } from '../attested.ts';
import { canonicalJson } from '../../util/canonical.ts';

/**
 * A migration that changes what an attested row is made of (a new protected column) must attest
 * those rows again, or `audit verify` would name every one as changed behind the log. When
 * migration 53 has already attested the file, one `record.baseline` entry attests the rows of
 * `tables` as they stand after the change; before 53, there is nothing to do (53 attests
 * everything when it runs). Only columns that exist are read, so a later migration that adds
 * another protected column does not break this one: a column not there yet counts as null.
 */
export function attestAgain(db: Database, tables: readonly AttestedTable[], reason: string): void {
  if (!db.prepare('SELECT 1 FROM schema_migrations WHERE version = 53').get()) return;
  const attested = tables.flatMap((table) => {
    const spec = ATTESTED_TABLES[table];
    const present = new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
    const columns = spec.columns.filter((c) => present.has(c));
    const rows = db.prepare(`SELECT ${spec.key} AS k${columns.map((c) => `, ${c}`).join('')} FROM ${table}`).all() as ({ k: string | number } & Record<
      string,
      unknown
    >)[];
    return rows.map((r) => ({ table, key: String(r.k), digest: rowDigest(table, r) }));
  });
  if (attested.length === 0) return;
  const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
  const last = db.prepare('SELECT at_us FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { at_us: number } | undefined;
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const entry = {
    seq,
    atUs: Math.max(last?.at_us ?? 0, Date.now() * 1000),
    actor: 'earwitness',
    action: 'record.baseline',
    entity: 'records',
    payloadJson: canonicalJson({ reason, attested }),
  };
  db.prepare('INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    seq,
    entry.atUs,
    entry.actor,
    entry.action,
    entry.entity,
    entry.payloadJson,
    prevHash,
    auditEntryDigest(prevHash, entry),
  );
}
