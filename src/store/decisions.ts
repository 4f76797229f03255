import type { Db } from './db.ts';
import type { Decision } from '../contract/index.ts';
import { toDecision } from './alerts.ts';

import type { NewDecision } from '../kernel/queries/decisions.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { NewDecision } from '../kernel/queries/decisions.ts';

export function decisionQueries(db: Db) {
  const insert =
    db.prepare(`INSERT INTO decisions (alert_id, version, class, rounds, fully_automatic, multiple_shooters, notes, decided_by, decided_us, review_ms)
    VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM decisions WHERE alert_id = ?), ?, ?, ?, ?, ?, ?, ?, ?)`);
  const byId = db.prepare<[number], Parameters<typeof toDecision>[0]>('SELECT * FROM decisions WHERE id = ?');
  const setStatus = db.prepare('UPDATE alerts SET status = ? WHERE id = ?');
  const statusOf = db.prepare<[number], { status: string }>('SELECT status FROM alerts WHERE id = ?');
  const markUndone = db.prepare('UPDATE decisions SET undone_us = ? WHERE id = ? AND undone_us IS NULL');

  return {
    statusOf(alertId: number): string | undefined {
      return statusOf.get(alertId)?.status;
    },
    /** Records a decision version and marks the alert decided; call inside a transaction. */
    insert(d: NewDecision): Decision {
      const id = Number(
        insert.run(
          d.alertId,
          d.alertId,
          d.class,
          d.rounds,
          d.flags.fullyAutomatic ? 1 : 0,
          d.flags.multipleShooters ? 1 : 0,
          d.notes,
          d.decidedBy,
          d.decidedUs,
          d.reviewMs,
        ).lastInsertRowid,
      );
      setStatus.run('decided', d.alertId);
      return toDecision(byId.get(id)!);
    },
    get(id: number): Decision | undefined {
      const r = byId.get(id);
      return r ? toDecision(r) : undefined;
    },
    /** Marks a decision undone (the row stays) and returns the alert to the queue. */
    undo(decisionId: number, alertId: number, atUs: number): boolean {
      const changed = markUndone.run(atUs, decisionId).changes === 1;
      if (changed) setStatus.run('pending', alertId);
      return changed;
    },
  };
}
