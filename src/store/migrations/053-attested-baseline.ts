import { auditEntryDigest, GENESIS_HASH } from '../audit-log.ts';
import { ATTESTED_TABLE_NAMES, ATTESTED_TABLES, rowDigest } from '../attested.ts';
import { canonicalJson } from '../../util/canonical.ts';
import type { Migration } from './types.ts';

/**
 * From this version on, every change to a row that says what police received or who may act
 * (attested.ts) is attested in the audit log. Rows written before it are attested once, as they
 * stand at the upgrade, by one `record.baseline` entry; a new store has none and gets no entry.
 */
export const attestedBaseline: Migration = {
  version: 53,
  name: 'attested-baseline',
  up(db) {
    // Tables of later migrations do not exist yet here; they start empty, attested from their first row.
    const exists = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?");
    const attested = ATTESTED_TABLE_NAMES.filter((table) => exists.get(table)!.n > 0).flatMap((table) => {
      const spec = ATTESTED_TABLES[table];
      const rows = db.prepare(`SELECT ${spec.key} AS k, ${spec.columns.join(', ')} FROM ${table}`).all() as ({ k: string | number } & Record<string, unknown>)[];
      return rows.map((r) => ({ table, key: String(r.k), digest: rowDigest(table, r) }));
    });
    if (attested.length === 0) return;
    const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    const last = db.prepare('SELECT at_us FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { at_us: number } | undefined;
    const seq = (head?.seq ?? 0) + 1;
    const prevHash = head?.hash ?? GENESIS_HASH;
    const entry = { seq, atUs: Math.max(last?.at_us ?? 0, Date.now() * 1000), actor: 'earwitness', action: 'record.baseline', entity: 'records', payloadJson: canonicalJson({ attested }) };
    db.prepare('INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      seq, entry.atUs, entry.actor, entry.action, entry.entity, entry.payloadJson, prevHash, auditEntryDigest(prevHash, entry),
    );
  },
};
