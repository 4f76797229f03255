/** A centre's signed-in seat as the store keeps it: hashes of its secrets, never the secrets (migration 22). */
export interface SeatSessionRow {
  idSha256: string;
  browserSha256: string;
  tag: string;
  accountId: number;
  address: string | null;
  openedUs: number;
  lastActivityUs: number;
  locked: boolean;
  lockReason: 'requested' | 'idle' | null;
  /** The server that holds the seat now (its run's id). */
  server: string;
  /** When its server last said it still holds the seat (about once a minute), or the seat last changed. */
  updatedUs: number;
}

export interface SeatSessionQueries {
  /** Records the seat as signed in (or opened again after a lock), held by `row.server`. */
  put(row: Omit<SeatSessionRow, 'updatedUs'>, atUs: number): Promise<void>;
  byId(idSha256: string): Promise<SeatSessionRow | undefined>;
  /** Every seat the store keeps (the centre's signed-in seats, on every server), oldest first. */
  list(): Promise<SeatSessionRow[]>;
  byTag(tag: string): Promise<SeatSessionRow | undefined>;
  /** The seats of these ids the store holds (any order; an id it does not hold is left out). */
  byIds(idSha256s: readonly string[]): Promise<SeatSessionRow[]>;
  /** Moves the seat to `server`, from wherever it was; false when it is gone. */
  take(idSha256: string, server: string, address: string | null, atUs: number): Promise<boolean>;
  setLock(idSha256: string, reason: 'requested' | 'idle', atUs: number): Promise<void>;
  /** The person's last activity, saved now and then (bookkeeping). */
  touch(idSha256: string, lastActivityUs: number): Promise<void>;
  /**
   * The server says it still holds its seats (bookkeeping, about once a minute), and forgets seats
   * no server has vouched for since `staleBeforeUs` (their server died and nobody took them over).
   */
  vouch(server: string, atUs: number, staleBeforeUs: number): Promise<void>;
  /** Forgets the seat; with `server`, only while that server holds it. True when a row went. */
  remove(idSha256: string, server?: string): Promise<boolean>;
}
