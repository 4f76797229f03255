import type { Migration } from './types.ts';

/**
 * Claims: a lease on one pending alert by one seat. The alert id is the key, so two seats can
 * never hold the same alert; a claim is taken in one IMMEDIATE transaction that overwrites
 * only an expired row, or a row of the same person (their other window).
 */
export const claims: Migration = {
  version: 21,
  name: 'claims',
  sql: `
CREATE TABLE claims (
  alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
  account_id INTEGER REFERENCES accounts (id),
  claimed_by TEXT NOT NULL,
  seat TEXT NOT NULL,
  claimed_us INTEGER NOT NULL,
  expires_us INTEGER NOT NULL
) STRICT;
CREATE INDEX claims_seat ON claims (seat);
`,
  postgres: `
CREATE TABLE claims (
  alert_id BIGINT PRIMARY KEY REFERENCES alerts (id),
  account_id BIGINT REFERENCES accounts (id),
  claimed_by TEXT COLLATE "C" NOT NULL,
  seat TEXT COLLATE "C" NOT NULL,
  claimed_us BIGINT NOT NULL,
  expires_us BIGINT NOT NULL
);
CREATE INDEX claims_seat ON claims (seat);
`,
};
