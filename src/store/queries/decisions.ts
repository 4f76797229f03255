import { sql } from 'kysely';
import type { DecisionQueries, NewDecision } from '../../kernel/store-port.ts';
import { changedOne, type QueryContext } from './context.ts';
import { prepared, type Params } from './prepared.ts';
import { toDecision } from './rows.ts';

interface DecisionArgs {
  alertId: number;
  class: string;
  rounds: number | null;
  fullyAutomatic: number;
  multipleShooters: number;
  notes: string;
  decidedBy: string;
  decidedUs: number;
  reviewMs: number;
}
const lockAlert = prepared((ctx, p: Params<{ alertId: number }>) => ctx.db.selectFrom('alerts').select('id').where('id', '=', p('alertId')).forUpdate());
const insertDecision = prepared((ctx, p: Params<DecisionArgs>) =>
  ctx.db
    .insertInto('decisions')
    .values((eb) => ({
      alert_id: p('alertId'),
      version: eb
        .selectFrom('decisions')
        .select(sql<number>`coalesce(max(version), 0) + 1`.as('v'))
        .where('alert_id', '=', p('alertId')),
      class: p('class'),
      rounds: p('rounds'),
      fully_automatic: p('fullyAutomatic'),
      multiple_shooters: p('multipleShooters'),
      notes: p('notes'),
      decided_by: p('decidedBy'),
      decided_us: p('decidedUs'),
      review_ms: p('reviewMs'),
    }))
    .returningAll(),
);
const setStatus = prepared((ctx, p: Params<{ alertId: number; status: 'pending' | 'decided' }>) =>
  ctx.db
    .updateTable('alerts')
    .set({ status: p('status') })
    .where('id', '=', p('alertId')),
);
const statusOf = prepared((ctx, p: Params<{ alertId: number }>) => ctx.db.selectFrom('alerts').select('status').where('id', '=', p('alertId')));
const byId = prepared((ctx, p: Params<{ id: number }>) => ctx.db.selectFrom('decisions').selectAll().where('id', '=', p('id')));

export function decisionQueries(ctx: QueryContext): DecisionQueries {
  const { db } = ctx;

  return {
    async statusOf(alertId) {
      return (await statusOf(ctx, { alertId })).rows[0]?.status;
    },
    async insert(d: NewDecision) {
      // Versions are numbered max + 1: the alert's row lock keeps two writers from taking one number.
      if (ctx.backend === 'postgres') await lockAlert(ctx, { alertId: d.alertId });
      const row = (
        await insertDecision(ctx, {
          alertId: d.alertId,
          class: d.class,
          rounds: d.rounds,
          fullyAutomatic: d.flags.fullyAutomatic ? 1 : 0,
          multipleShooters: d.flags.multipleShooters ? 1 : 0,
          notes: d.notes,
          decidedBy: d.decidedBy,
          decidedUs: d.decidedUs,
          reviewMs: d.reviewMs,
        })
      ).rows[0]!;
      await setStatus(ctx, { alertId: d.alertId, status: 'decided' });
      return toDecision(row);
    },
    async get(id) {
      const r = (await byId(ctx, { id })).rows[0];
      return r ? toDecision(r) : undefined;
    },
    async undo(decisionId, alertId, atUs) {
      const r = await db.updateTable('decisions').set({ undone_us: atUs }).where('id', '=', decisionId).where('undone_us', 'is', null).executeTakeFirst();
      const changed = changedOne(r);
      if (changed) await setStatus(ctx, { alertId, status: 'pending' });
      return changed;
    },
  };
}
