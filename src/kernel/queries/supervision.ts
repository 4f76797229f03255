/** The shift's figures a supervisor watches: the queue's state now, and decisions per hour against the time budget. */
export interface QueueNow {
  pending: number;
  /** Pending alerts whose time budget (from when they began to wait: waitingSinceUs) has run out. */
  pastDeadline: number;
  /** When the longest-waiting pending alert began to wait, or null when none waits. */
  oldestWaitingSinceUs: number | null;
}

export interface DecisionHour {
  /** Start of the hour (µs since the epoch, UTC). */
  hourUs: number;
  /** First decisions on alerts in that hour (a revision or an undo and redo counts once, at the first). */
  decisions: number;
  /** Of them, made within the time budget of when the alert began to wait. */
  withinBudget: number;
}

export interface SupervisionQueries {
  queueNow(nowUs: number, budgetUs: number): Promise<QueueNow>;
  /** Hours from `sinceUs` on, oldest first; hours without a decision are left out. */
  decisionsPerHour(sinceUs: number, budgetUs: number): Promise<DecisionHour[]>;
}
