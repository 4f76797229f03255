import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import type { Preferences, Role } from '../contract/index.ts';

interface AccountRow {
  id: number;
  name: string;
  display_name: string;
  password_hash: string;
  roles_json: string;
  preferences_json: string;
  disabled_us: number | null;
  created_us: number;
  created_by: string;
  password_set_us: number;
  last_signin_us: number | null;
}

import type { AccountRecord, NewAccount } from '../kernel/queries/accounts.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export { publicAccount, type AccountRecord, type NewAccount } from '../kernel/queries/accounts.ts';

const toRecord = (r: AccountRow): AccountRecord => ({
  id: r.id,
  name: r.name,
  displayName: r.display_name,
  roles: JSON.parse(r.roles_json) as Role[],
  disabled: r.disabled_us !== null,
  createdUs: r.created_us,
  createdBy: r.created_by,
  lastSignInUs: r.last_signin_us,
  passwordHash: r.password_hash,
  preferences: JSON.parse(r.preferences_json) as Partial<Preferences>,
});

export function accountQueries(db: Db, attested: Attestations) {
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts');
  const byName = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name = ?');
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const all = db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY name');
  const insert = db.prepare(`INSERT INTO accounts (name, display_name, password_hash, roles_json, created_us, created_by, password_set_us)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const setRoles = db.prepare('UPDATE accounts SET roles_json = ? WHERE id = ?');
  const setPassword = db.prepare('UPDATE accounts SET password_hash = ?, password_set_us = ? WHERE id = ?');
  const setDisabled = db.prepare('UPDATE accounts SET disabled_us = ? WHERE id = ?');
  const setPreferences = db.prepare('UPDATE accounts SET preferences_json = ? WHERE id = ?');
  const touchSignIn = db.prepare('UPDATE accounts SET last_signin_us = ? WHERE id = ?');
  const activeAdmins = db.prepare<[], { n: number }>(
    `SELECT count(*) AS n FROM accounts WHERE disabled_us IS NULL AND EXISTS (SELECT 1 FROM json_each(roles_json) WHERE value = 'admin')`,
  );

  return {
    count: (): number => count.get()!.n,
    activeAdminCount: (): number => activeAdmins.get()!.n,
    byName(name: string): AccountRecord | undefined {
      const r = byName.get(name);
      return r ? toRecord(r) : undefined;
    },
    byId(id: number): AccountRecord | undefined {
      const r = byId.get(id);
      return r ? toRecord(r) : undefined;
    },
    list: (): AccountRecord[] => all.all().map(toRecord),
    /** Call inside a transaction; the name is unique regardless of case. */
    insert(a: NewAccount): AccountRecord {
      const id = Number(insert.run(a.name, a.displayName, a.passwordHash, JSON.stringify(a.roles), a.createdUs, a.createdBy, a.createdUs).lastInsertRowid);
      attested.mark('accounts', id);
      return toRecord(byId.get(id)!);
    },
    setRoles: (id: number, roles: Role[]): void => {
      setRoles.run(JSON.stringify(roles), id);
      attested.mark('accounts', id);
    },
    setPassword: (id: number, hash: string, atUs: number): void => {
      setPassword.run(hash, atUs, id);
      attested.mark('accounts', id);
    },
    setDisabled: (id: number, disabledUs: number | null): void => {
      setDisabled.run(disabledUs, id);
      attested.mark('accounts', id);
    },
    setPreferences: (id: number, prefs: Partial<Preferences>): void => void setPreferences.run(JSON.stringify(prefs), id),
    touchSignIn: (id: number, atUs: number): void => void touchSignIn.run(atUs, id),
  };
}

interface ThrottleRow {
  failures: number;
  blocked_until_us: number;
}

/** Failed sign-ins per name tried; rows older than a day are dropped as new ones come. */
export function signinThrottleQueries(db: Db) {
  const get = db.prepare<[string], ThrottleRow>('SELECT failures, blocked_until_us FROM signin_throttle WHERE name_key = ?');
  const put = db.prepare(`INSERT INTO signin_throttle (name_key, failures, last_failure_us, blocked_until_us) VALUES (?, ?, ?, ?)
    ON CONFLICT (name_key) DO UPDATE SET failures = excluded.failures, last_failure_us = excluded.last_failure_us, blocked_until_us = excluded.blocked_until_us`);
  const clear = db.prepare('DELETE FROM signin_throttle WHERE name_key = ?');
  const prune = db.prepare('DELETE FROM signin_throttle WHERE last_failure_us < ?');
  return {
    get(nameKey: string): { failures: number; blockedUntilUs: number } {
      const r = get.get(nameKey);
      return { failures: r?.failures ?? 0, blockedUntilUs: r?.blocked_until_us ?? 0 };
    },
    put(nameKey: string, failures: number, atUs: number, blockedUntilUs: number): void {
      put.run(nameKey, failures, atUs, blockedUntilUs);
    },
    clear: (nameKey: string): void => void clear.run(nameKey),
    prune: (beforeUs: number): void => void prune.run(beforeUs),
  };
}
