import { auditEntryDigest, GENESIS_HASH } from '../audit-log.ts';
import { ATTESTED_TABLE_NAMES, ATTESTED_TABLES, rowDigest, type RowAttestation } from '../attested.ts';
import { canonicalJson } from '../../util/canonical.ts';
import type { Migration } from './types.ts';

type Row = { k: string | number } & Record<string, unknown>;
const selectAll = (table: (typeof ATTESTED_TABLE_NAMES)[number]) =>
  `SELECT ${ATTESTED_TABLES[table].key} AS k, ${ATTESTED_TABLES[table].columns.join(', ')} FROM ${table}`;
const INSERT_ENTRY = 'INSERT INTO audit_log (seq, at_us, actor, action, entity, payload_json, prev_hash, hash) VALUES';

/** The `record.baseline` entry that attests every row as it stands, after the head (seq, hash) and the last entry's time. */
function baselineEntry(attested: RowAttestation[], head: { seq: number; hash: string } | undefined, lastAtUs: number | undefined) {
  const seq = (head?.seq ?? 0) + 1;
  const prevHash = head?.hash ?? GENESIS_HASH;
  const entry = {
    seq,
    atUs: Math.max(lastAtUs ?? 0, Date.now() * 1000),
    actor: 'earwitness',
    action: 'record.baseline',
    entity: 'records',
    payloadJson: canonicalJson({ attested }),
  };
  return [seq, entry.atUs, entry.actor, entry.action, entry.entity, entry.payloadJson, prevHash, auditEntryDigest(prevHash, entry)];
}

/**
 * From this version on, every change to a row that says what police received or who may act
 * (attested.ts) is attested in the audit log. Rows written before it are attested once, as they
 * stand at the upgrade, by one `record.baseline` entry; a new store has none and gets no entry.
 * PostgreSQL does the same (a database made before this step by an earlier build of the port).
 */
export const attestedBaseline: Migration = {
  version: 53,
  name: 'attested-baseline',
  up(db) {
    // Tables of later migrations do not exist yet here; they start empty, attested from their first row.
    const exists = db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?");
    const attested = ATTESTED_TABLE_NAMES.filter((table) => exists.get(table)!.n > 0).flatMap((table) =>
      (db.prepare(selectAll(table)).all() as Row[]).map((r) => ({ table, key: String(r.k), digest: rowDigest(table, r) })),
    );
    if (attested.length === 0) return;
    const head = db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as { seq: number; hash: string } | undefined;
    const last = db.prepare('SELECT at_us FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { at_us: number } | undefined;
    db.prepare(`${INSERT_ENTRY} (?, ?, ?, ?, ?, ?, ?, ?)`).run(...baselineEntry(attested, head, last?.at_us));
  },
  // The head's row lock first: no other process appends between reading the head and the baseline entry.
  postgres: 'SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE',
  async postgresUp(db) {
    const attested: RowAttestation[] = [];
    for (const table of ATTESTED_TABLE_NAMES) {
      if ((await db.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [table])).rows[0]?.t == null) continue;
      for (const r of (await db.query<Row>(selectAll(table))).rows) attested.push({ table, key: String(r.k), digest: rowDigest(table, r) });
    }
    if (attested.length === 0) return;
    const head = (await db.query<{ seq: number; hash: string }>('SELECT seq, hash FROM audit_head WHERE id = 1')).rows[0];
    const last = (await db.query<{ at_us: number }>('SELECT at_us FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
    await db.query(`${INSERT_ENTRY} ($1, $2, $3, $4, $5, $6, $7, $8)`, baselineEntry(attested, head, last?.at_us));
  },
};
