import type { Db } from './db.ts';
import type { DecisionClass } from '../contract/taxonomy.ts';

import type { QaAdjudication, QaReview, QaSample, QaState } from '../kernel/queries/qa.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { QaAdjudication, QaReview, QaSample, QaState } from '../kernel/queries/qa.ts';

interface SampleRow {
  alert_id: number;
  draw: number;
  share: number;
  key_id: string;
  selected: number;
  decision_id: number;
  sampled_us: number;
  state: QaState;
  closed_us: number | null;
}
interface ReviewRow {
  id: number;
  alert_id: number;
  reviewer: string;
  class: DecisionClass;
  rounds: number | null;
  fully_automatic: number;
  multiple_shooters: number;
  notes: string;
  review_ms: number;
  reviewed_us: number;
  compared_decision_id: number;
  agrees: number;
}
interface AdjudicationRow {
  id: number;
  alert_id: number;
  qa_review_id: number;
  auditor: string;
  class: DecisionClass;
  rounds: number | null;
  notes: string;
  verdict: QaAdjudication['verdict'];
  adjudicated_us: number;
}

const toSample = (r: SampleRow): QaSample => ({
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
const toReview = (r: ReviewRow): QaReview => ({
  id: r.id,
  alertId: r.alert_id,
  reviewer: r.reviewer,
  class: r.class,
  rounds: r.rounds,
  flags: { fullyAutomatic: r.fully_automatic === 1, multipleShooters: r.multiple_shooters === 1 },
  notes: r.notes,
  reviewMs: r.review_ms,
  reviewedUs: r.reviewed_us,
  comparedDecisionId: r.compared_decision_id,
  agrees: r.agrees === 1,
});
const toAdjudication = (r: AdjudicationRow): QaAdjudication => ({
  id: r.id,
  alertId: r.alert_id,
  qaReviewId: r.qa_review_id,
  auditor: r.auditor,
  class: r.class,
  rounds: r.rounds,
  notes: r.notes,
  verdict: r.verdict,
  adjudicatedUs: r.adjudicated_us,
});

export function qaQueries(db: Db) {
  const insertSample = db.prepare(`INSERT INTO qa_samples (alert_id, draw, share, key_id, selected, decision_id, sampled_us, state)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const sample = db.prepare<[number], SampleRow>('SELECT * FROM qa_samples WHERE alert_id = ?');
  const samplesIn = db.prepare<[string], SampleRow>('SELECT * FROM qa_samples WHERE state = ? ORDER BY sampled_us, alert_id');
  const allSamples = db.prepare<[], SampleRow>('SELECT * FROM qa_samples ORDER BY alert_id');
  const setState = db.prepare('UPDATE qa_samples SET state = ?, closed_us = ? WHERE alert_id = ?');
  const unsampled = db.prepare<[], { alert_id: number }>(
    "SELECT a.id AS alert_id FROM alerts a WHERE a.status = 'decided' AND NOT EXISTS (SELECT 1 FROM qa_samples q WHERE q.alert_id = a.id) ORDER BY a.id",
  );
  const insertReview = db.prepare(`INSERT INTO qa_reviews (alert_id, reviewer, class, rounds, fully_automatic, multiple_shooters, notes, review_ms,
    reviewed_us, compared_decision_id, agrees) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const review = db.prepare<[number], ReviewRow>('SELECT * FROM qa_reviews WHERE alert_id = ?');
  const allReviews = db.prepare<[], ReviewRow>('SELECT * FROM qa_reviews ORDER BY id');
  const insertAdjudication = db.prepare(`INSERT INTO qa_adjudications (alert_id, qa_review_id, auditor, class, rounds, notes, verdict, adjudicated_us)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const adjudication = db.prepare<[number], AdjudicationRow>('SELECT * FROM qa_adjudications WHERE alert_id = ?');
  const allAdjudications = db.prepare<[], AdjudicationRow>('SELECT * FROM qa_adjudications ORDER BY id');
  const openSealed = db.prepare<[], { alert_id: number }>("SELECT alert_id FROM qa_samples WHERE state = 'open'");
  const markViewed = db.prepare('INSERT INTO qa_seal_views (alert_id, actor, first_us) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
  const viewers = db.prepare<[number], { actor: string }>('SELECT actor FROM qa_seal_views WHERE alert_id = ?');
  const holdOf = db.prepare<[number, number], { reviewer: string; until_us: number }>(
    'SELECT reviewer, until_us FROM qa_holds WHERE alert_id = ? AND until_us > ?',
  );
  const activeHolds = db.prepare<[number], { alert_id: number; reviewer: string }>('SELECT alert_id, reviewer FROM qa_holds WHERE until_us > ?');
  const putHold = db.prepare(
    'INSERT INTO qa_holds (alert_id, reviewer, until_us) VALUES (?, ?, ?) ON CONFLICT (alert_id) DO UPDATE SET reviewer = excluded.reviewer, until_us = excluded.until_us',
  );
  const dropHold = db.prepare('DELETE FROM qa_holds WHERE alert_id = ?');

  return {
    insertSample(s: Omit<QaSample, 'closedUs'>): QaSample {
      insertSample.run(s.alertId, s.draw, s.share, s.keyId, s.selected ? 1 : 0, s.decisionId, s.sampledUs, s.state);
      return { ...s, closedUs: null };
    },
    sample(alertId: number): QaSample | undefined {
      const r = sample.get(alertId);
      return r ? toSample(r) : undefined;
    },
    samplesInState(state: QaState): QaSample[] {
      return samplesIn.all(state).map(toSample);
    },
    samples(): QaSample[] {
      return allSamples.all().map(toSample);
    },
    setState(alertId: number, state: QaState, closedUs: number | null): void {
      setState.run(state, closedUs, alertId);
    },
    /** Decided alerts that have not been through sampling yet. */
    unsampledDecided(): number[] {
      return unsampled.all().map((r) => r.alert_id);
    },
    /** Alerts whose decision is sealed: selected for QA and the blind review not yet in. */
    sealedAlertIds(): number[] {
      return openSealed.all().map((r) => r.alert_id);
    },
    insertReview(r: Omit<QaReview, 'id'>): QaReview {
      const id = Number(
        insertReview.run(
          r.alertId,
          r.reviewer,
          r.class,
          r.rounds,
          r.flags.fullyAutomatic ? 1 : 0,
          r.flags.multipleShooters ? 1 : 0,
          r.notes,
          r.reviewMs,
          r.reviewedUs,
          r.comparedDecisionId,
          r.agrees ? 1 : 0,
        ).lastInsertRowid,
      );
      return { ...r, id };
    },
    review(alertId: number): QaReview | undefined {
      const r = review.get(alertId);
      return r ? toReview(r) : undefined;
    },
    reviews(): QaReview[] {
      return allReviews.all().map(toReview);
    },
    insertAdjudication(a: Omit<QaAdjudication, 'id'>): QaAdjudication {
      const id = Number(insertAdjudication.run(a.alertId, a.qaReviewId, a.auditor, a.class, a.rounds, a.notes, a.verdict, a.adjudicatedUs).lastInsertRowid);
      return { ...a, id };
    },
    adjudication(alertId: number): QaAdjudication | undefined {
      const r = adjudication.get(alertId);
      return r ? toAdjudication(r) : undefined;
    },
    adjudications(): QaAdjudication[] {
      return allAdjudications.all().map(toAdjudication);
    },
    /** Records that an auditor or admin opened a sealed decision; true the first time. */
    markSealViewed(alertId: number, actor: string, atUs: number): boolean {
      return markViewed.run(alertId, actor, atUs).changes === 1;
    },
    sealViewers(alertId: number): string[] {
      return viewers.all(alertId).map((r) => r.actor);
    },
    /** Who holds a QA task at this time, if anyone (an expired hold is nobody's). */
    holder(alertId: number, nowUs: number): string | undefined {
      return holdOf.get(alertId, nowUs)?.reviewer;
    },
    /** Every task held at this time, by alert. */
    holders(nowUs: number): Map<number, string> {
      return new Map(activeHolds.all(nowUs).map((r) => [r.alert_id, r.reviewer]));
    },
    hold(alertId: number, reviewer: string, untilUs: number): void {
      putHold.run(alertId, reviewer, untilUs);
    },
    releaseHold(alertId: number): void {
      dropHold.run(alertId);
    },
  };
}
