import { sql } from 'kysely';
import type { SourceQueries, SourceRecord, SourceStatus } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';

/** Sources' statuses (source_statuses), as the synchronous store's sources group reads and writes them. */
export function sourceQueries(ctx: QueryContext): SourceQueries {
  const { db } = ctx;
  const one = (source: string) => db.selectFrom('source_statuses').selectAll().where('source', '=', source).executeTakeFirst();
  return {
    async list() {
      const rows = await sql<{
        source: string;
        status: SourceStatus | null;
        note: string | null;
        set_us: number | null;
        set_by: string | null;
        alerts: number;
        newest_us: number | null;
      }>`
        SELECT n.source, s.status, s.note, s.set_us, s.set_by, coalesce(a.alerts, 0) AS alerts, a.newest_us FROM
          (SELECT source FROM alerts UNION SELECT source FROM source_statuses) n
          LEFT JOIN source_statuses s ON s.source = n.source
          LEFT JOIN (SELECT source, count(*) AS alerts, max(detected_us) AS newest_us FROM alerts GROUP BY source) a ON a.source = n.source
        ORDER BY n.source`.execute(db);
      return rows.rows.map((r): SourceRecord => ({
        source: r.source,
        status: r.status,
        note: r.note,
        setUs: r.set_us,
        setBy: r.set_by,
        alerts: r.alerts,
        newestUs: r.newest_us,
      }));
    },
    statusOf: async (source) => (await one(source))?.status ?? null,
    async get(source) {
      const r = await one(source);
      return r ? { status: r.status, note: r.note, setUs: r.set_us, setBy: r.set_by } : undefined;
    },
    async set(source, status, note, atUs, by) {
      await db
        .insertInto('source_statuses')
        .values({ source, status, note, set_us: atUs, set_by: by })
        .onConflict((oc) => oc.column('source').doUpdateSet({ status, note, set_us: atUs, set_by: by }))
        .execute();
      ctx.attested.mark('source_statuses', source);
    },
  };
}
