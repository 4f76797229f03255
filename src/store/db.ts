import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/types.ts';

export type { Db };

export interface OpenOptions {
  /** Migrations to apply; tests pass a prefix to build an older file. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the database file: WAL so readers never block the writer,
 * synchronous=FULL because a decision acknowledged to a reviewer must survive a power cut,
 * foreign keys on, and every pending migration applied.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, { readonly: options.readonly ?? false });
  try {
    // First: the other process opening the same file at once makes this one wait, not fail.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!options.readonly) {
      switchToWal(db);
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!options.readonly) migrate(db, options.migrations ?? MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

const BUSY_TIMEOUT_MS = 5000;

/**
 * SQLite answers the switch to WAL with SQLITE_BUSY at once, without waiting on the busy timeout,
 * while another process opening the same new file holds it (a centre's servers starting together
 * on one data folder). So the switch is retried here, until the same deadline the busy timeout gives.
 */
function switchToWal(db: Db): void {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (e) {
      if ((e as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20); // a synchronous pause: the open is synchronous
    }
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration not yet recorded in schema_migrations, in version order, each in its
 * own transaction. Recording each step (not only the highest version) matters because work in
 * parallel uses separate version ranges: a file that already has step 30 must still get step 20.
 * PRAGMA user_version keeps the highest applied version, so an older build refuses a newer file.
 */
export function migrate(db: Db, migrations: readonly Migration[]): number {
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.version === sorted[i - 1]!.version) throw new Error(`two migrations share version ${sorted[i]!.version}`);
  }
  const known = new Set(sorted.map((m) => m.version));
  const newest = sorted.at(-1)?.version ?? 0;
  const current = schemaVersion(db);
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us INTEGER NOT NULL) STRICT');
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  // Files from before this table existed recorded only user_version: every step up to it was applied.
  if (applied.size === 0 && current > 0) {
    for (const m of sorted) if (m.version <= current) applied.add(m.version);
    const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)');
    db.transaction(() => sorted.filter((m) => m.version <= current).forEach((m) => record.run(m.version, m.name, Date.now() * 1000)))();
  }
  const unknown = [...applied].filter((v) => !known.has(v));
  if (current > newest || unknown.length > 0) {
    throw new Error(`this database was written by a newer Earwitness (schema ${Math.max(current, ...unknown)}, this build knows ${newest})`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_us) VALUES (?, ?, ?)');
  const recorded = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    // Two processes opening one new file at once (a centre's servers on one data folder): each step
    // takes the write lock first (IMMEDIATE) and looks again, so only one of them applies it.
    db.transaction(() => {
      if (recorded.get(m.version) !== undefined) return;
      if (m.sql) db.exec(m.sql);
      m.up?.(db);
      record.run(m.version, m.name, Date.now() * 1000);
      db.pragma(`user_version = ${Math.max(schemaVersion(db), m.version)}`);
    }).immediate();
  }
  return schemaVersion(db);
}
