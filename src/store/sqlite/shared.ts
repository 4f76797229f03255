import type { Database } from 'better-sqlite3';

/**
 * Connections with an asynchronous port transaction open right now. While services move to the
 * port, the synchronous Store and the port's SQLite adapter share one connection: a synchronous
 * store.tx begun while a port transaction is open would silently join it (and roll back with
 * it), so Store.tx refuses instead.
 */
export const portTransactionOpen = new WeakSet<Database>();
