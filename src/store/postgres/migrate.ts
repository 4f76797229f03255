import type { Migration } from '../migrations/types.ts';
import type { Pool } from './pool.ts';

/** The advisory lock every Earwitness process takes to migrate (an arbitrary constant: "earwit" in ASCII). */
const MIGRATION_LOCK = 0x656172776974;

/**
 * Applies every migration not yet recorded in schema_migrations, in version order, each in its
 * own transaction (PostgreSQL's DDL is transactional: a failed step leaves nothing behind).
 * Several servers starting at once take turns on an advisory lock, so each step runs once.
 * Refuses a database a newer Earwitness has migrated, as the SQLite runner refuses a newer file.
 */
export async function migratePostgres(pool: Pool, migrations: readonly Migration[]): Promise<number> {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version) throw new Error(`two migrations share version ${sorted[i]!.version}`);
  }
  const missing = sorted.filter((m) => m.postgres === undefined);
  if (missing.length > 0) {
    throw new Error(`migration ${missing.map((m) => `${m.version} (${m.name})`).join(', ')} has no PostgreSQL DDL: this build cannot run on PostgreSQL`);
  }
  const known = new Set(sorted.map((m) => m.version));
  const newest = sorted.at(-1)?.version ?? 0;
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)');
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
      const unknown = [...applied].filter((v) => !known.has(v));
      if (unknown.length > 0) {
        throw new Error(`this database was written by a newer Earwitness (schema ${Math.max(...unknown)}, this build knows ${newest})`);
      }
      for (const m of sorted) {
        if (applied.has(m.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.postgres!);
          if (m.postgresUp)
            await m.postgresUp({ query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }) });
          await client.query('INSERT INTO schema_migrations (version, name, applied_us) VALUES ($1, $2, $3)', [m.version, m.name, Date.now() * 1000]);
          await client.query('COMMIT');
        } catch (e) {
          await client.query('ROLLBACK');
          throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
        }
      }
      return Math.max(0, ...applied, ...sorted.map((m) => m.version));
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
