import { sql } from 'kysely';
import type { DecisionQueries, NewDecision } from '../../kernel/store-port.ts';
import { changedOne, type QueryContext } from './context.ts';
import { toDecision } from './rows.ts';

export function decisionQueries(ctx: QueryContext): DecisionQueries {
  const { db } = ctx;
  const setStatus = (alertId: number, status: 'pending' | 'decided') => db.updateTable('alerts').set({ status }).where('id', '=', alertId).execute();

  return {
    async statusOf(alertId) {
      return (await db.selectFrom('alerts').select('status').where('id', '=', alertId).executeTakeFirst())?.status;
    },
    async insert(d: NewDecision) {
      // Versions are numbered max + 1: the alert's row lock keeps two writers from taking one number.
      if (ctx.backend === 'postgres') await db.selectFrom('alerts').select('id').where('id', '=', d.alertId).forUpdate().execute();
      const row = await db.insertInto('decisions')
        .values((eb) => ({
          alert_id: d.alertId,
          version: eb.selectFrom('decisions').select(sql<number>`coalesce(max(version), 0) + 1`.as('v')).where('alert_id', '=', d.alertId),
          class: d.class, rounds: d.rounds, fully_automatic: d.flags.fullyAutomatic ? 1 : 0, multiple_shooters: d.flags.multipleShooters ? 1 : 0,
          notes: d.notes, decided_by: d.decidedBy, decided_us: d.decidedUs, review_ms: d.reviewMs,
        }))
        .returningAll().executeTakeFirstOrThrow();
      await setStatus(d.alertId, 'decided');
      return toDecision(row);
    },
    async get(id) {
      const r = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toDecision(r) : undefined;
    },
    async undo(decisionId, alertId, atUs) {
      const r = await db.updateTable('decisions').set({ undone_us: atUs }).where('id', '=', decisionId).where('undone_us', 'is', null).executeTakeFirst();
      const changed = changedOne(r);
      if (changed) await setStatus(alertId, 'pending');
      return changed;
    },
  };
}
