import type { Migration } from './types.ts';

/**
 * People who sign in to a seat, and the sign-in throttle. Passwords are stored only as scrypt
 * hashes with their own salt and cost (src/accounts/password.ts). Accounts are disabled, never
 * deleted: decisions and audit entries keep naming them.
 */
export const accounts: Migration = {
  version: 20,
  name: 'accounts',
  sql: `
CREATE TABLE accounts (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  roles_json TEXT NOT NULL DEFAULT '[]',
  preferences_json TEXT NOT NULL DEFAULT '{}',
  disabled_us INTEGER,
  created_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  password_set_us INTEGER NOT NULL,
  last_signin_us INTEGER
) STRICT;

-- Failed sign-ins by the name tried (known or not, so the answer never tells which names exist).
CREATE TABLE signin_throttle (
  name_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_us INTEGER NOT NULL,
  blocked_until_us INTEGER NOT NULL
) STRICT;
`,
};
