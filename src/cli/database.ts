import { openCore, type Core } from '../core/core.ts';
import { resolveDataDir } from '../kernel/paths.ts';
import { openStorePort } from '../store/open.ts';
import { UsageError } from './command.ts';
import { databaseUrl } from './database-url.ts';

/** The option every command that can run on PostgreSQL takes. */
export const DATABASE_OPTION = { database: { type: 'string' } } as const;

/**
 * The core a command works with: on the PostgreSQL database `database` names (the clips still
 * in the data folder's clip store, a path the centre's servers share), or on the data folder's
 * SQLite file as always.
 */
export async function openCommandCore(o: { data?: string | undefined; database?: string | undefined }): Promise<Core> {
  const dataDir = resolveDataDir(o.data);
  const url = databaseUrl(o.database === undefined ? [] : ['--database', o.database]);
  if (url === undefined) return openCore({ dataDir });
  let storePort;
  try {
    storePort = await openStorePort({ url, sqliteFile: '' });
  } catch (e) {
    throw new UsageError(`cannot open the database ${redacted(url)}: ${(e as Error).message}`);
  }
  return openCore({ dataDir, storePort });
}

/** A URL as it may be printed: without its password. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the given URL';
  }
}
