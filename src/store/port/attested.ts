import { sql } from 'kysely';
import { ATTESTED_TABLES, compareAttestations, rowDigest, type AttestedTable, type RowAttestation } from '../attested.ts';
import type { QueryContext } from '../queries/context.ts';

type Row = Record<string, unknown> & { k: string | number };

/** A table's rows as attested.ts digests them: the key as `k` and the protected columns. */
export const attestedSelect = (table: AttestedTable) => {
  const spec = ATTESTED_TABLES[table];
  return sql`SELECT ${sql.raw(spec.key)} AS k, ${sql.raw(spec.columns.join(', '))} FROM ${sql.table(table)}`;
};

/**
 * The port's side of attested.ts, one per write transaction: the query groups mark the rows they
 * change in the attested tables, `audit.append` drains the marks into the entry it writes, and the
 * transaction appends a `record.attested` entry for what is left before it commits. Digests are
 * read inside the transaction, as the row will stand at COMMIT, with the same SQL on both
 * backends, so `audit verify` accepts a change made through the port exactly as one made through
 * the synchronous store.
 */
export class PortAttestations {
  private readonly pending = new Map<string, { table: AttestedTable; key: string }>();

  mark(table: AttestedTable, ...keys: (string | number)[]): void {
    for (const k of keys) this.pending.set(`${table}\u0000${k}`, { table, key: String(k) });
  }

  get size(): number {
    return this.pending.size;
  }

  /** Digests of every marked row as it stands now (inside the transaction), and the marks cleared. */
  async drain(ctx: QueryContext): Promise<RowAttestation[]> {
    const marks = [...this.pending.values()];
    this.pending.clear();
    const out: RowAttestation[] = [];
    for (const { table, key } of marks) {
      const spec = ATTESTED_TABLES[table];
      const value = spec.key === 'id' ? Number(key) : key;
      const { rows } = await sql<Row>`${attestedSelect(table)} WHERE ${sql.raw(spec.key)} = ${value}`.execute(ctx.db);
      out.push({ table, key, digest: rows[0] ? rowDigest(table, rows[0]) : null });
    }
    return out.sort(compareAttestations);
  }
}

/** Every row of one attested table with its digest, for `audit verify`. */
export async function attestedRows(ctx: QueryContext, table: AttestedTable): Promise<{ key: string; digest: string }[]> {
  const { rows } = await attestedSelect(table).execute(ctx.db);
  return (rows as Row[]).map((r) => ({ key: String(r.k), digest: rowDigest(table, r) }));
}
