import type { Decision } from '../../contract/index.ts';

export interface DecisionRow {
  id: number;
  alert_id: number;
  version: number;
  class: string;
  rounds: number | null;
  fully_automatic: number;
  multiple_shooters: number;
  notes: string;
  decided_by: string;
  decided_us: number;
  review_ms: number;
  undone_us: number | null;
}

export function toDecision(r: DecisionRow): Decision {
  return {
    id: r.id,
    alertId: r.alert_id,
    version: r.version,
    class: r.class as Decision['class'],
    rounds: r.rounds,
    flags: { fullyAutomatic: r.fully_automatic === 1, multipleShooters: r.multiple_shooters === 1 },
    notes: r.notes,
    decidedBy: r.decided_by,
    decidedUs: r.decided_us,
    reviewMs: r.review_ms,
    undoneUs: r.undone_us,
  };
}
