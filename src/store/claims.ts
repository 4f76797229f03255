import type { Db } from './db.ts';
import type { Claim, QueueOrder, SeatSettings } from '../contract/index.ts';

interface ClaimRow {
  alert_id: number;
  account_id: number | null;
  claimed_by: string;
  seat: string;
  claimed_us: number;
  expires_us: number;
}

const toClaim = (r: ClaimRow): Claim => ({ alertId: r.alert_id, by: r.claimed_by, seat: r.seat, claimedUs: r.claimed_us, expiresUs: r.expires_us });

import type { ClaimHolder } from '../kernel/queries/claims.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { ClaimHolder } from '../kernel/queries/claims.ts';

// Which pending alert "next" takes, for each queue order (see compareUrgency in the contract):
// @now, @budget (the time budget in µs), @skip (a JSON array of ids to leave out).
const NEXT_BASE = `SELECT a.id FROM alerts a LEFT JOIN claims c ON c.alert_id = a.id AND c.expires_us > @now
  WHERE a.status = 'pending' AND c.alert_id IS NULL AND a.id NOT IN (SELECT value FROM json_each(@skip))`;
// likely_gunfire_first: detection time less the head start of gunfireHeadStartUs (the contract),
// in the same words: a label with "gun" or "shot" in it gets @headStart (µs), half when it starts
// with probable, possible or likely (@headStart is a whole second, so half of it is whole too).
const GUNFIRE_HEAD_START = `CASE WHEN lower(coalesce(a.machine_label, '')) NOT LIKE '%gun%' AND lower(coalesce(a.machine_label, '')) NOT LIKE '%shot%' THEN 0
  WHEN lower(a.machine_label) LIKE 'probable%' OR lower(a.machine_label) LIKE 'possible%' OR lower(a.machine_label) LIKE 'likely%' THEN @headStart / 2
  ELSE @headStart END`;
const NEXT_ORDER: Record<QueueOrder, string> = {
  likely_gunfire_first: `ORDER BY a.detected_us - ${GUNFIRE_HEAD_START}, a.id`,
  within_budget_oldest_first: 'ORDER BY (a.detected_us + @budget <= @now), a.detected_us, a.id',
  oldest_first: 'ORDER BY a.detected_us, a.id',
  newest_first: 'ORDER BY a.detected_us DESC, a.id DESC',
};
interface NextParams {
  now: number;
  budget: number;
  headStart: number;
  skip: string;
}

/** Claims: leases of pending alerts by seats. Every change is meant to run inside store.tx. */
export function claimQueries(db: Db) {
  const get = db.prepare<[number], ClaimRow>('SELECT * FROM claims WHERE alert_id = ?');
  const bySeat = db.prepare<[string], ClaimRow>('SELECT * FROM claims WHERE seat = ?');
  const active = db.prepare<[number], ClaimRow>('SELECT * FROM claims WHERE expires_us > ?');
  // Takes the row when it is free, expired, or held by the same person (their other window).
  const take =
    db.prepare(`INSERT INTO claims (alert_id, account_id, claimed_by, seat, claimed_us, expires_us) VALUES (@alertId, @accountId, @by, @seat, @now, @expires)
    ON CONFLICT (alert_id) DO UPDATE SET account_id = excluded.account_id, claimed_by = excluded.claimed_by, seat = excluded.seat,
      claimed_us = excluded.claimed_us, expires_us = excluded.expires_us
    WHERE claims.expires_us <= @now OR claims.seat = excluded.seat OR (claims.account_id IS NOT NULL AND claims.account_id = excluded.account_id)`);
  const renew = db.prepare('UPDATE claims SET expires_us = ? WHERE alert_id = ? AND seat = ? AND expires_us > ?');
  const remove = db.prepare('DELETE FROM claims WHERE alert_id = ?');
  const removeSeatOthers = db.prepare<[string, number], { alert_id: number }>('DELETE FROM claims WHERE seat = ? AND alert_id != ? RETURNING alert_id');
  const removeSeat = db.prepare<[string], { alert_id: number }>('DELETE FROM claims WHERE seat = ? RETURNING alert_id');
  const prune = db.prepare('DELETE FROM claims WHERE expires_us < ?');
  const nextStatement = (order: QueueOrder) => db.prepare<[NextParams], { id: number }>(`${NEXT_BASE} ${NEXT_ORDER[order]} LIMIT 1`);
  const next: Record<QueueOrder, ReturnType<typeof nextStatement>> = {
    likely_gunfire_first: nextStatement('likely_gunfire_first'),
    within_budget_oldest_first: nextStatement('within_budget_oldest_first'),
    oldest_first: nextStatement('oldest_first'),
    newest_first: nextStatement('newest_first'),
  };

  return {
    get(alertId: number): Claim | undefined {
      const r = get.get(alertId);
      return r ? toClaim(r) : undefined;
    },
    /** The claim that counts now: unexpired. */
    activeOn(alertId: number, nowUs: number): Claim | undefined {
      const r = get.get(alertId);
      return r && r.expires_us > nowUs ? toClaim(r) : undefined;
    },
    ofSeat: (seat: string): Claim[] => bySeat.all(seat).map(toClaim),
    allActive: (nowUs: number): Claim[] => active.all(nowUs).map(toClaim),
    /** Claims an alert for a seat; false when another person's unexpired claim holds it. */
    take(alertId: number, holder: ClaimHolder, nowUs: number, leaseUs: number): boolean {
      return take.run({ alertId, accountId: holder.accountId, by: holder.by, seat: holder.seat, now: nowUs, expires: nowUs + leaseUs }).changes === 1;
    },
    /** Extends a seat's unexpired claim; false when the seat no longer holds it. */
    renew: (alertId: number, seat: string, nowUs: number, leaseUs: number): boolean => renew.run(nowUs + leaseUs, alertId, seat, nowUs).changes === 1,
    remove: (alertId: number): boolean => remove.run(alertId).changes === 1,
    /** Releases every claim of a seat but `keep`; returns the alerts released. */
    releaseSeat: (seat: string, keep = 0): number[] => (keep ? removeSeatOthers.all(seat, keep) : removeSeat.all(seat)).map((r) => r.alert_id),
    prune: (beforeUs: number): void => void prune.run(beforeUs),
    /** The most urgent pending alert nobody holds, or undefined. */
    next(
      settings: Pick<SeatSettings, 'queueOrder' | 'deadlineSeconds' | 'gunfireHeadStartSeconds'>,
      nowUs: number,
      skip: readonly number[],
    ): number | undefined {
      const params = {
        now: nowUs,
        budget: settings.deadlineSeconds * 1_000_000,
        headStart: settings.gunfireHeadStartSeconds * 1_000_000,
        skip: JSON.stringify(skip),
      };
      return next[settings.queueOrder].get(params)?.id;
    },
  };
}
