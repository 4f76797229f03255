import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';

export type SourceStatus = 'live' | 'exercise' | 'test';

/** The statuses administrators gave sources (the list of sources is the port's). */
export function sourceQueries(db: Db, attested: Attestations) {
  const one = db.prepare<[string], { status: SourceStatus; note: string | null; set_us: number; set_by: string }>(
    'SELECT status, note, set_us, set_by FROM source_statuses WHERE source = ?',
  );
  const put = db.prepare(`INSERT INTO source_statuses (source, status, note, set_us, set_by) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (source) DO UPDATE SET status = excluded.status, note = excluded.note, set_us = excluded.set_us, set_by = excluded.set_by`);
  return {
    /** The status an administrator set, or null for a source nobody marked. */
    statusOf(source: string): SourceStatus | null {
      return one.get(source)?.status ?? null;
    },
    get(source: string): { status: SourceStatus; note: string | null; setUs: number; setBy: string } | undefined {
      const r = one.get(source);
      return r ? { status: r.status, note: r.note, setUs: r.set_us, setBy: r.set_by } : undefined;
    },
    /** Sets a source's status; call inside a transaction. */
    set(source: string, status: SourceStatus, note: string | null, atUs: number, by: string): void {
      put.run(source, status, note, atUs, by);
      attested.mark('source_statuses', source);
    },
  };
}
