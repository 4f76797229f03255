/** A sensor network's push key as the store keeps it: its SHA-256, never the key. */
export interface IntakeKeyRow {
  id: number;
  source: string;
  note: string | null;
  issuedUs: number;
  issuedBy: string;
  lastUsedUs: number | null;
  revokedUs: number | null;
  revokedBy: string | null;
}

export interface IntakeKeyQueries {
  /** Stores a new key's hash; returns its id. */
  insert(k: { source: string; keySha256: string; note: string | null; issuedUs: number; issuedBy: string }): Promise<number>;
  list(): Promise<IntakeKeyRow[]>;
  byId(id: number): Promise<IntakeKeyRow | undefined>;
  /** The key with this hash, revoked or not, with the hash as stored (for a constant-time comparison). */
  byHash(keySha256: string): Promise<(IntakeKeyRow & { keySha256: string }) | undefined>;
  /** Revokes a key not revoked yet; false when it was. */
  revoke(id: number, atUs: number, by: string): Promise<boolean>;
  /** When the key last brought an alert in (bookkeeping: not attested). */
  touch(id: number, atUs: number): Promise<void>;
}
