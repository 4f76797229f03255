import { chmodSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface SqliteBackup {
  /** Bytes of the copy. */
  bytes: number;
  /** The copy's schema version (PRAGMA user_version). */
  schema: number;
}

/**
 * Copies the SQLite file at `from` to `to` with SQLite's online backup API: one consistent
 * snapshot even while a server writes to the file (WAL included), never a half-written page as a
 * file copy can give. The source is opened read-only and nothing in its folder is changed; `to`
 * must not exist.
 */
export async function backupSqliteFile(from: string, to: string): Promise<SqliteBackup> {
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    source.pragma('busy_timeout = 5000');
    // SQLite restarts a backup whenever another connection writes: after the first step the rest
    // goes in one step, one read snapshot, so a server writing all the while cannot starve it.
    const done = await source.backup(to, { progress: ({ totalPages }) => totalPages });
    // It holds password hashes and agencies' secrets: the owner's alone, as the data folder is.
    chmodSync(to, 0o600);
    const copy = new Database(to, { readonly: true, fileMustExist: true });
    try {
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`the copy fails SQLite's quick_check: ${String(check)}`);
      return {
        bytes: done.totalPages * (copy.pragma('page_size', { simple: true }) as number),
        schema: copy.pragma('user_version', { simple: true }) as number,
      };
    } finally {
      copy.close();
    }
  } finally {
    source.close();
  }
}
