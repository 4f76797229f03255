import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';

export function settingsQueries(db: Db, attested: Attestations) {
  const get = db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?');
  const put = db.prepare(
    'INSERT INTO settings (key, value_json, updated_us) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_us = excluded.updated_us',
  );
  return {
    get<T>(key: string): T | undefined {
      const row = get.get(key);
      return row ? (JSON.parse(row.value_json) as T) : undefined;
    },
    put(key: string, value: unknown, atUs: number): void {
      put.run(key, JSON.stringify(value), atUs);
      attested.mark('settings', key);
    },
  };
}
