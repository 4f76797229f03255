import { sql } from 'kysely';
import type { SupervisionQueries } from '../../kernel/queries/supervision.ts';
import { waitingSince, type QueryContext } from './context.ts';

const HOUR_US = 3_600_000_000;

// Counts come back as bigint strings from PostgreSQL and as numbers from SQLite: Number() for both.
export function supervisionQueries(ctx: QueryContext): SupervisionQueries {
  return {
    async queueNow(nowUs, budgetUs) {
      const { rows } = await sql<{ pending: number | string; past: number | string | null; oldest: number | string | null }>`
        SELECT count(*) AS pending,
               sum(CASE WHEN ${waitingSince(ctx)} + CAST(${budgetUs} AS BIGINT) <= CAST(${nowUs} AS BIGINT) THEN 1 ELSE 0 END) AS past,
               min(${waitingSince(ctx)}) AS oldest
        FROM alerts a WHERE a.status = 'pending'`.execute(ctx.db);
      const r = rows[0]!;
      return { pending: Number(r.pending), pastDeadline: Number(r.past ?? 0), oldestWaitingSinceUs: r.oldest === null ? null : Number(r.oldest) };
    },
    async decisionsPerHour(sinceUs, budgetUs) {
      const { rows } = await sql<{ hour: number | string; decisions: number | string; within: number | string }>`
        SELECT (d.decided_us / ${sql.lit(HOUR_US)}) * ${sql.lit(HOUR_US)} AS hour,
               count(*) AS decisions,
               sum(CASE WHEN d.decided_us - ${waitingSince(ctx)} <= CAST(${budgetUs} AS BIGINT) THEN 1 ELSE 0 END) AS within
        FROM decisions d JOIN alerts a ON a.id = d.alert_id
        WHERE d.version = 1 AND d.decided_us >= CAST(${sinceUs} AS BIGINT)
        GROUP BY 1 ORDER BY 1`.execute(ctx.db);
      return rows.map((r) => ({ hourUs: Number(r.hour), decisions: Number(r.decisions), withinBudget: Number(r.within) }));
    },
  };
}
