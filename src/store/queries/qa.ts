import type { Selectable } from 'kysely';
import type { DecisionClass } from '../../contract/index.ts';
import type { QaAdjudication, QaQueries, QaReview, QaSample } from '../../kernel/store-port.ts';
import type { QaAdjudicationsTable, QaReviewsTable, QaSamplesTable } from '../schema.ts';
import { changedOne, type QueryContext } from './context.ts';

const toSample = (r: Selectable<QaSamplesTable>): QaSample => ({
  alertId: r.alert_id,
  draw: r.draw,
  share: r.share,
  keyId: r.key_id,
  selected: r.selected === 1,
  decisionId: r.decision_id,
  sampledUs: r.sampled_us,
  state: r.state,
  closedUs: r.closed_us,
});
const toReview = (r: Selectable<QaReviewsTable>): QaReview => ({
  id: r.id,
  alertId: r.alert_id,
  reviewer: r.reviewer,
  class: r.class as DecisionClass,
  rounds: r.rounds,
  flags: { fullyAutomatic: r.fully_automatic === 1, multipleShooters: r.multiple_shooters === 1 },
  notes: r.notes,
  reviewMs: r.review_ms,
  reviewedUs: r.reviewed_us,
  comparedDecisionId: r.compared_decision_id,
  agrees: r.agrees === 1,
});
const toAdjudication = (r: Selectable<QaAdjudicationsTable>): QaAdjudication => ({
  id: r.id,
  alertId: r.alert_id,
  qaReviewId: r.qa_review_id,
  auditor: r.auditor,
  class: r.class as DecisionClass,
  rounds: r.rounds,
  notes: r.notes,
  verdict: r.verdict,
  adjudicatedUs: r.adjudicated_us,
});

export function qaQueries({ db }: QueryContext): QaQueries {
  return {
    async insertSample(s) {
      await db
        .insertInto('qa_samples')
        .values({
          alert_id: s.alertId,
          draw: s.draw,
          share: s.share,
          key_id: s.keyId,
          selected: s.selected ? 1 : 0,
          decision_id: s.decisionId,
          sampled_us: s.sampledUs,
          state: s.state,
        })
        .execute();
      return { ...s, closedUs: null };
    },
    async sample(alertId) {
      const r = await db.selectFrom('qa_samples').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
      return r ? toSample(r) : undefined;
    },
    samplesInState: async (state) =>
      (await db.selectFrom('qa_samples').selectAll().where('state', '=', state).orderBy('sampled_us').orderBy('alert_id').execute()).map(toSample),
    samples: async () => (await db.selectFrom('qa_samples').selectAll().orderBy('alert_id').execute()).map(toSample),
    async setState(alertId, state, closedUs) {
      await db.updateTable('qa_samples').set({ state, closed_us: closedUs }).where('alert_id', '=', alertId).execute();
    },
    async unsampledDecided() {
      const rows = await db
        .selectFrom('alerts as a')
        .select('a.id as alert_id')
        .where('a.status', '=', 'decided')
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('qa_samples as q').select('q.alert_id').whereRef('q.alert_id', '=', 'a.id'))))
        .orderBy('a.id')
        .execute();
      return rows.map((r) => r.alert_id);
    },
    sealedAlertIds: async () =>
      (await db.selectFrom('qa_samples').select('alert_id').where('state', '=', 'open').orderBy('alert_id').execute()).map((r) => r.alert_id),
    async insertReview(r) {
      const { id } = await db
        .insertInto('qa_reviews')
        .values({
          alert_id: r.alertId,
          reviewer: r.reviewer,
          class: r.class,
          rounds: r.rounds,
          fully_automatic: r.flags.fullyAutomatic ? 1 : 0,
          multiple_shooters: r.flags.multipleShooters ? 1 : 0,
          notes: r.notes,
          review_ms: r.reviewMs,
          reviewed_us: r.reviewedUs,
          compared_decision_id: r.comparedDecisionId,
          agrees: r.agrees ? 1 : 0,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...r, id };
    },
    async review(alertId) {
      const r = await db.selectFrom('qa_reviews').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
      return r ? toReview(r) : undefined;
    },
    reviews: async () => (await db.selectFrom('qa_reviews').selectAll().orderBy('id').execute()).map(toReview),
    async insertAdjudication(a) {
      const { id } = await db
        .insertInto('qa_adjudications')
        .values({
          alert_id: a.alertId,
          qa_review_id: a.qaReviewId,
          auditor: a.auditor,
          class: a.class,
          rounds: a.rounds,
          notes: a.notes,
          verdict: a.verdict,
          adjudicated_us: a.adjudicatedUs,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { ...a, id };
    },
    async adjudication(alertId) {
      const r = await db.selectFrom('qa_adjudications').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
      return r ? toAdjudication(r) : undefined;
    },
    adjudications: async () => (await db.selectFrom('qa_adjudications').selectAll().orderBy('id').execute()).map(toAdjudication),
    async markSealViewed(alertId, actor, atUs) {
      return changedOne(
        await db
          .insertInto('qa_seal_views')
          .values({ alert_id: alertId, actor, first_us: atUs })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
    },
    sealViewers: async (alertId) =>
      (await db.selectFrom('qa_seal_views').select('actor').where('alert_id', '=', alertId).orderBy('actor').execute()).map((r) => r.actor),
    async holder(alertId, nowUs) {
      return (await db.selectFrom('qa_holds').select('reviewer').where('alert_id', '=', alertId).where('until_us', '>', nowUs).executeTakeFirst())?.reviewer;
    },
    async holders(nowUs) {
      const rows = await db.selectFrom('qa_holds').select(['alert_id', 'reviewer']).where('until_us', '>', nowUs).orderBy('alert_id').execute();
      return new Map(rows.map((r) => [r.alert_id, r.reviewer]));
    },
    async hold(alertId, reviewer, untilUs) {
      await db
        .insertInto('qa_holds')
        .values({ alert_id: alertId, reviewer, until_us: untilUs })
        .onConflict((oc) => oc.column('alert_id').doUpdateSet((eb) => ({ reviewer: eb.ref('excluded.reviewer'), until_us: eb.ref('excluded.until_us') })))
        .execute();
    },
    async releaseHold(alertId) {
      await db.deleteFrom('qa_holds').where('alert_id', '=', alertId).execute();
    },
  };
}
