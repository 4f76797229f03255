import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';

export type SourceStatus = 'live' | 'exercise' | 'test';

/** A source of alerts (a sensor network) with the status an administrator gave it, if any. */
export interface SourceRecord {
  source: string;
  status: SourceStatus | null;
  note: string | null;
  setUs: number | null;
  setBy: string | null;
  /** Alerts in the store from this source, and the newest one's detection time. */
  alerts: number;
  newestUs: number | null;
}

interface Row {
  source: string;
  status: SourceStatus | null;
  note: string | null;
  set_us: number | null;
  set_by: string | null;
  alerts: number;
  newest_us: number | null;
}

const toRecord = (r: Row): SourceRecord => ({
  source: r.source,
  status: r.status,
  note: r.note,
  setUs: r.set_us,
  setBy: r.set_by,
  alerts: r.alerts,
  newestUs: r.newest_us,
});

/** Sources seen in alerts or given a status, and the statuses themselves. */
export function sourceQueries(db: Db, attested: Attestations) {
  const list = db.prepare<[], Row>(`
    SELECT n.source, s.status, s.note, s.set_us, s.set_by, coalesce(a.alerts, 0) AS alerts, a.newest_us FROM
      (SELECT source FROM alerts UNION SELECT source FROM source_statuses) n
      LEFT JOIN source_statuses s ON s.source = n.source
      LEFT JOIN (SELECT source, count(*) AS alerts, max(detected_us) AS newest_us FROM alerts GROUP BY source) a ON a.source = n.source
    ORDER BY n.source`);
  const one = db.prepare<[string], { status: SourceStatus; note: string | null; set_us: number; set_by: string }>(
    'SELECT status, note, set_us, set_by FROM source_statuses WHERE source = ?',
  );
  const put = db.prepare(`INSERT INTO source_statuses (source, status, note, set_us, set_by) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (source) DO UPDATE SET status = excluded.status, note = excluded.note, set_us = excluded.set_us, set_by = excluded.set_by`);
  return {
    list(): SourceRecord[] {
      return list.all().map(toRecord);
    },
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
