import pg from 'pg';
import { log } from '../../util/log.ts';

/** PostgreSQL's int8 (ids, *_us, counts): a number while it fits one exactly; beyond, refused rather than rounded. */
export function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`the integer ${text} is beyond what the store can read exactly (2^53 - 1)`);
  return n;
}

const INT8_OID = 20;

/**
 * Type parsing for this pool's connections only (pg's global registry is shared by every pool
 * in the process, including other libraries'): int8 as numbers, the rest as pg reads them
 * (float8 as numbers, bytea as Buffers, text as strings).
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID && format !== 'binary') return parseInt8;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export interface PoolOptions {
  /** Connections in the pool (default 10). */
  max?: number;
  applicationName?: string;
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types, max: options.max ?? 10, application_name: options.applicationName ?? 'earwitness' });
  // An idle client that loses its server (restart, network) must not crash the process: the next checkout reconnects.
  pool.on('error', (e) => log.warn(`PostgreSQL connection lost (idle in the pool): ${e.message}`));
  return pool;
}

/** A lone connection with the same parsing (the LISTEN connection, the migration lock). */
export function createClient(url: string, applicationName = 'earwitness', extra: Pick<pg.ClientConfig, 'keepAlive' | 'query_timeout'> = {}): pg.Client {
  return new pg.Client({ connectionString: url, types, application_name: applicationName, ...extra });
}

export type { Pool, PoolClient, Client } from 'pg';
