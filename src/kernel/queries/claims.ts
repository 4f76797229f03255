import type { Claim, SeatSettings } from '../../contract/index.ts';

/** What the queue's order depends on (compareUrgency in the contract says the same order). */
export type QueueSettings = Pick<SeatSettings, 'queueOrder' | 'deadlineSeconds' | 'gunfireHeadStartSeconds'>;

export interface ClaimHolder {
  accountId: number | null;
  by: string;
  seat: string;
}

/** Claims: leases of pending alerts by seats. */
export interface ClaimQueries {
  get(alertId: number): Promise<Claim | undefined>;
  /** The claim that counts now: unexpired. */
  activeOn(alertId: number, nowUs: number): Promise<Claim | undefined>;
  ofSeat(seat: string): Promise<Claim[]>;
  allActive(nowUs: number): Promise<Claim[]>;
  /** Claims an alert for a seat; false when another person's unexpired claim holds it. */
  take(alertId: number, holder: ClaimHolder, nowUs: number, leaseUs: number): Promise<boolean>;
  /** Extends a seat's unexpired claim; false when the seat no longer holds it. */
  renew(alertId: number, seat: string, nowUs: number, leaseUs: number): Promise<boolean>;
  remove(alertId: number): Promise<boolean>;
  /** Releases every claim of a seat but `keep`; returns the alerts released. */
  releaseSeat(seat: string, keep?: number): Promise<number[]>;
  prune(beforeUs: number): Promise<void>;
  /**
   * The most urgent pending alert nobody holds, or undefined. On PostgreSQL the alert's row is
   * locked (FOR UPDATE SKIP LOCKED) until the transaction ends, so seats choosing at the same time
   * pass over each other's choice; `take` stays the arbiter.
   */
  next(settings: QueueSettings, nowUs: number, skip: readonly number[]): Promise<number | undefined>;
}
