import type { DecisionClass } from '../../contract/index.ts';

export type QaState = 'not_selected' | 'open' | 'agreed' | 'disputed' | 'adjudicated' | 'cancelled';

export interface QaSample {
  alertId: number;
  draw: number;
  share: number;
  keyId: string;
  selected: boolean;
  decisionId: number;
  sampledUs: number;
  state: QaState;
  closedUs: number | null;
}

export interface QaReview {
  id: number;
  alertId: number;
  reviewer: string;
  class: DecisionClass;
  rounds: number | null;
  flags: { fullyAutomatic: boolean; multipleShooters: boolean };
  notes: string;
  reviewMs: number;
  reviewedUs: number;
  comparedDecisionId: number;
  agrees: boolean;
}

export interface QaAdjudication {
  id: number;
  alertId: number;
  qaReviewId: number;
  auditor: string;
  class: DecisionClass;
  rounds: number | null;
  notes: string;
  verdict: 'first' | 'second' | 'neither';
  adjudicatedUs: number;
}

/** QA sampling, blind second reviews, adjudications, seal views and review holds. */
export interface QaQueries {
  insertSample(s: Omit<QaSample, 'closedUs'>): Promise<QaSample>;
  sample(alertId: number): Promise<QaSample | undefined>;
  samplesInState(state: QaState): Promise<QaSample[]>;
  samples(): Promise<QaSample[]>;
  setState(alertId: number, state: QaState, closedUs: number | null): Promise<void>;
  /** Decided alerts that have not been through sampling yet. */
  unsampledDecided(): Promise<number[]>;
  /** Alerts whose decision is sealed: selected for QA and the blind review not yet in. */
  sealedAlertIds(): Promise<number[]>;
  insertReview(r: Omit<QaReview, 'id'>): Promise<QaReview>;
  review(alertId: number): Promise<QaReview | undefined>;
  reviews(): Promise<QaReview[]>;
  insertAdjudication(a: Omit<QaAdjudication, 'id'>): Promise<QaAdjudication>;
  adjudication(alertId: number): Promise<QaAdjudication | undefined>;
  adjudications(): Promise<QaAdjudication[]>;
  /** Records that an auditor or admin opened a sealed decision; true the first time. */
  markSealViewed(alertId: number, actor: string, atUs: number): Promise<boolean>;
  sealViewers(alertId: number): Promise<string[]>;
  /** Who holds a QA task at this time, if anyone (an expired hold is nobody's). */
  holder(alertId: number, nowUs: number): Promise<string | undefined>;
  /** Every task held at this time, by alert. */
  holders(nowUs: number): Promise<Map<number, string>>;
  hold(alertId: number, reviewer: string, untilUs: number): Promise<void>;
  releaseHold(alertId: number): Promise<void>;
}
