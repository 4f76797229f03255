import type { Migration } from './types.ts';

/**
 * The centre's signed-in seats, so a seat outlives the server it was opened on: when that server
 * dies, the browser's next request reaches another server of the database (behind the centre's
 * load balancer), which takes the seat over with its person, lock and claims (accounts/resume.ts).
 * Only hashes of the two secrets a request carries are kept (the seat's session id and the
 * browser's key), so a copy of the database opens no seat. A row lives while someone is signed in
 * on a network seat; sign-out, an ended seat and a closed tab remove it. Not attested: the audit
 * log records each sign-in, lock, take-over and sign-out itself.
 */
export const seatSessions: Migration = {
  version: 22,
  name: 'seat-sessions',
  sql: `
CREATE TABLE seat_sessions (
  id_sha256 TEXT PRIMARY KEY,
  browser_sha256 TEXT NOT NULL,
  tag TEXT NOT NULL UNIQUE,
  account_id INTEGER NOT NULL REFERENCES accounts (id),
  address TEXT,
  opened_us INTEGER NOT NULL,
  last_activity_us INTEGER NOT NULL,
  locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  lock_reason TEXT CHECK (lock_reason IN ('requested', 'idle')),
  server TEXT NOT NULL,
  updated_us INTEGER NOT NULL
) STRICT;
CREATE INDEX seat_sessions_account ON seat_sessions (account_id);
`,
  postgres: `
CREATE TABLE seat_sessions (
  id_sha256 TEXT COLLATE "C" PRIMARY KEY,
  browser_sha256 TEXT COLLATE "C" NOT NULL,
  tag TEXT COLLATE "C" NOT NULL UNIQUE,
  account_id BIGINT NOT NULL REFERENCES accounts (id),
  address TEXT COLLATE "C",
  opened_us BIGINT NOT NULL,
  last_activity_us BIGINT NOT NULL,
  locked BIGINT NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
  lock_reason TEXT COLLATE "C" CHECK (lock_reason IN ('requested', 'idle')),
  server TEXT COLLATE "C" NOT NULL,
  updated_us BIGINT NOT NULL
);
CREATE INDEX seat_sessions_account ON seat_sessions (account_id);
`,
};
