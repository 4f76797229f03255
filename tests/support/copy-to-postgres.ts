/**
 * Copies a workstation's SQLite database into a migrated PostgreSQL database, row for row and
 * byte for byte (the audit log's text is what its hashes cover), behind the log as a DBA would.
 * Imports and decisions do not run on PostgreSQL yet, so the audit tests get their populated
 * PostgreSQL database this way: the same rows on both backends, verified by the same code.
 */
import Database from 'better-sqlite3';
import type { StoreProbe } from './store-probe.ts';

/** pg allows 65,535 parameters a statement. */
const MAX_PARAMS = 60_000;
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function copySqliteToPostgres(sqliteFile: string, target: StoreProbe): Promise<void> {
  if (target.backend !== 'postgres') throw new Error('copySqliteToPostgres copies into PostgreSQL');
  const source = new Database(sqliteFile, { readonly: true });
  try {
    const pgTables = new Set(
      (await target.query<{ name: string }>('SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()')).map((r) => r.name),
    );
    pgTables.delete('schema_migrations');
    const tables = (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).filter((t) =>
      pgTables.has(t),
    );
    await target.behindTheLog(async () => {
      for (const t of pgTables) await target.run(`DELETE FROM ${quoted(t)}`);
      for (const t of tables) {
        const pgColumns = new Set(
          (
            await target.query<{ name: string }>(
              'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?',
              t,
            )
          ).map((r) => r.name),
        );
        const columns = (source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]).filter((c) => pgColumns.has(c));
        const rows = source
          .prepare(`SELECT ${columns.map(quoted).join(', ')} FROM ${quoted(t)}`)
          .raw()
          .all() as unknown[][];
        const perStatement = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
        for (let i = 0; i < rows.length; i += perStatement) {
          const batch = rows.slice(i, i + perStatement);
          const values = batch.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
          await target.run(`INSERT INTO ${quoted(t)} (${columns.map(quoted).join(', ')}) VALUES ${values}`, ...batch.flat());
        }
      }
    });
    // Identity columns continue after the copied ids, as SQLite's rowids do.
    const identities = await target.query<{ table_name: string; column_name: string }>(
      "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'",
    );
    for (const { table_name: t, column_name: c } of identities) {
      await target.query(`SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(${quoted(c)}) FROM ${quoted(t)}), 0) + 1, false)`, quoted(t), c);
    }
  } finally {
    source.close();
  }
}
