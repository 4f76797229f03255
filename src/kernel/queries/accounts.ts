import type { Account, Preferences, Role } from '../../contract/index.ts';

/** An account as the core uses it: the public record, its password hash and preferences. */
export interface AccountRecord extends Account {
  passwordHash: string;
  preferences: Partial<Preferences>;
}

/** The public part: never the hash. */
export const publicAccount = ({ passwordHash: _h, preferences: _p, ...a }: AccountRecord): Account => a;

export interface NewAccount {
  name: string;
  displayName: string;
  passwordHash: string;
  roles: Role[];
  createdUs: number;
  createdBy: string;
}

/** People who sign in. Names are unique and looked up regardless of ASCII case (SQLite's NOCASE on both backends). */
export interface AccountQueries {
  count(): Promise<number>;
  activeAdminCount(): Promise<number>;
  byName(name: string): Promise<AccountRecord | undefined>;
  byId(id: number): Promise<AccountRecord | undefined>;
  list(): Promise<AccountRecord[]>;
  insert(a: NewAccount): Promise<AccountRecord>;
  setRoles(id: number, roles: Role[]): Promise<void>;
  setPassword(id: number, hash: string, atUs: number): Promise<void>;
  setDisabled(id: number, disabledUs: number | null): Promise<void>;
  setPreferences(id: number, prefs: Partial<Preferences>): Promise<void>;
  touchSignIn(id: number, atUs: number): Promise<void>;
}

/** Failed sign-ins per name tried; rows older than a day are dropped as new ones come. */
export interface SigninThrottleQueries {
  get(nameKey: string): Promise<{ failures: number; blockedUntilUs: number }>;
  put(nameKey: string, failures: number, atUs: number, blockedUntilUs: number): Promise<void>;
  clear(nameKey: string): Promise<void>;
  prune(beforeUs: number): Promise<void>;
}
