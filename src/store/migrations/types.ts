import type { Database } from 'better-sqlite3';

/**
 * One schema step. Versions are unique and applied in order, each in its own transaction,
 * and PRAGMA user_version records the last one applied, so an older file upgrades in place.
 */
export interface Migration {
  version: number;
  name: string;
  /** Plain SQL, or a function for steps that must move data. */
  sql?: string;
  up?: (db: Database) => void;
}
