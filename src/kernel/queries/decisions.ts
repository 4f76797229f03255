import type { Decision } from '../../contract/index.ts';

export interface NewDecision {
  alertId: number;
  class: Decision['class'];
  rounds: number | null;
  flags: Decision['flags'];
  notes: string;
  decidedBy: string;
  decidedUs: number;
  reviewMs: number;
}

export interface DecisionQueries {
  statusOf(alertId: number): Promise<string | undefined>;
  /** Records a decision version (the alert is locked first) and marks the alert decided. */
  insert(d: NewDecision): Promise<Decision>;
  get(id: number): Promise<Decision | undefined>;
  /** Marks a decision undone (the row stays) and returns the alert to the queue; false when it was not standing. */
  undo(decisionId: number, alertId: number, atUs: number): Promise<boolean>;
}
