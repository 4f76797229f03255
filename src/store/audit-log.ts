import type { Statement } from 'better-sqlite3';
import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import { canonicalJson } from '../util/canonical.ts';

import { auditEntryDigest, GENESIS_HASH, type AuditEntryInput, type AuditRow } from '../kernel/queries/audit.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export { auditEntryDigest, GENESIS_HASH, type AuditEntryInput, type AuditRow } from '../kernel/queries/audit.ts';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function auditQueries(db: Db, attested: Attestations) {
  const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const insert = db.prepare('INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const range = db.prepare<[number, number], AuditRow>('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?');
  const forEntity = db.prepare<[string], AuditRow>('SELECT * FROM audit_log WHERE entity = ? ORDER BY seq');
  // Prepared on first use: a Store may be opened over a file from before migration 50 (tests build such files).
  let recordedHead: Statement<[], { seq: number; hash: string }> | undefined;
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM audit_log');
  // An alert's own entries, and those of anything that names it in its payload (incidents, deliveries, QA).
  const aboutAlert = db.prepare<[string, number], AuditRow>(
    `SELECT * FROM audit_log WHERE entity = ? OR (entity NOT LIKE 'alert:%' AND json_valid(payload_json) AND json_extract(payload_json, '$.alertId') = ?) ORDER BY seq`,
  );
  const withPrefix = db.prepare<[string], AuditRow>("SELECT * FROM audit_log WHERE action LIKE ? ESCAPE '\\' ORDER BY seq");

  return {
    /** Appends one entry; call inside the transaction that makes the change it records. */
    append(entry: AuditEntryInput): AuditRow {
      if (!db.inTransaction) throw new Error('audit entries are written inside the transaction of the change they record');
      const prev = last.get();
      const seq = (prev?.seq ?? 0) + 1;
      const prevHash = prev?.hash ?? GENESIS_HASH;
      // The rows this transaction changed in the attested tables ride on the entry that records the change.
      const payload = attested.size > 0 && isPlainObject(entry.payload) ? { ...entry.payload, attested: attested.drain() } : (entry.payload ?? null);
      const payloadJson = canonicalJson(payload);
      const hash = auditEntryDigest(prevHash, { seq, atUs: entry.atUs, actor: entry.actor, action: entry.action, entity: entry.entity, payloadJson });
      insert.run(seq, entry.atUs, entry.actor, entry.action, entry.entity, payloadJson, prevHash, hash);
      return { seq, at_us: entry.atUs, actor: entry.actor, action: entry.action, entity: entry.entity, payload_json: payloadJson, prev_hash: prevHash, hash };
    },
    /** Attests, in an entry of its own, the changed rows no entry of the transaction took. */
    appendLeftoverAttestations(): void {
      const prev = last.get();
      const atUs = prev ? (db.prepare<[number], { at_us: number }>('SELECT at_us FROM audit_log WHERE seq = ?').get(prev.seq)?.at_us ?? 0) : 0;
      this.append({ atUs, actor: 'earwitness', action: 'record.attested', entity: 'records', payload: {} });
    },
    page(fromSeq: number, limit: number): AuditRow[] {
      return range.all(fromSeq, limit);
    },
    forEntity(entity: string): AuditRow[] {
      return forEntity.all(entity);
    },
    *iterate(): IterableIterator<AuditRow> {
      yield* db.prepare<[], AuditRow>('SELECT * FROM audit_log ORDER BY seq').iterate();
    },
    /** The newest entry in the log itself (what a walk of the chain ends on), or null when empty. */
    last(): { seq: number; hash: string } | null {
      return last.get() ?? null;
    },
    /** The head the database recorded on every append (migration 50): it survives a deleted tail. */
    recordedHead(): { seq: number; hash: string } | null {
      recordedHead ??= db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1');
      return recordedHead.get() ?? null;
    },
    count(): number {
      return count.get()!.n;
    },
    aboutAlert(alertId: number): AuditRow[] {
      return aboutAlert.all(`alert:${alertId}`, alertId);
    },
    /** Entries whose action starts with the prefix (e.g. 'publish.'). */
    withActionPrefix(prefix: string): AuditRow[] {
      return withPrefix.all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    },
  };
}
