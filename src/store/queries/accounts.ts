import { sql } from 'kysely';
import type { Preferences, Role } from '../../contract/index.ts';
import type { AccountQueries, AccountRecord, NewAccount, SigninThrottleQueries } from '../../kernel/store-port.ts';
import type { AccountsTable } from '../schema.ts';
import { nocase, type QueryContext } from './context.ts';
import type { Selectable } from 'kysely';

const toRecord = (r: Selectable<AccountsTable>): AccountRecord => ({
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

export function accountQueries(ctx: QueryContext): AccountQueries {
  const { db } = ctx;
  const byId = async (id: number) => db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  const set = async (
    id: number,
    values: Partial<
      Pick<Selectable<AccountsTable>, 'roles_json' | 'password_hash' | 'password_set_us' | 'disabled_us' | 'preferences_json' | 'last_signin_us'>
    >,
  ) => {
    await db.updateTable('accounts').set(values).where('id', '=', id).execute();
  };
  // Roles, password and disabling are attested (attested.ts); preferences and sign-in times are not.
  const attest = async (id: number, change: Promise<void>) => {
    await change;
    ctx.attested.mark('accounts', id);
  };
  // roles_json holds a JSON array of role names.
  const isAdmin =
    ctx.backend === 'sqlite'
      ? sql<boolean>`EXISTS (SELECT 1 FROM json_each(roles_json) WHERE value = 'admin')`
      : sql<boolean>`EXISTS (SELECT 1 FROM json_array_elements_text(roles_json::json) AS r (value) WHERE value = 'admin')`;

  return {
    async count() {
      return (
        await db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    },
    async activeAdminCount() {
      return (
        await db
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('disabled_us', 'is', null)
          .where(isAdmin)
          .executeTakeFirstOrThrow()
      ).n;
    },
    async byName(name) {
      const r = await db
        .selectFrom('accounts')
        .selectAll()
        .where(nocase(ctx, sql.ref('name')), '=', nocase(ctx, name))
        .executeTakeFirst();
      return r ? toRecord(r) : undefined;
    },
    async byId(id) {
      const r = await byId(id);
      return r ? toRecord(r) : undefined;
    },
    async list() {
      return (
        await db
          .selectFrom('accounts')
          .selectAll()
          .orderBy(nocase(ctx, sql.ref('name')))
          .execute()
      ).map(toRecord);
    },
    async insert(a: NewAccount) {
      const r = await db
        .insertInto('accounts')
        .values({
          name: a.name,
          display_name: a.displayName,
          password_hash: a.passwordHash,
          roles_json: JSON.stringify(a.roles),
          created_us: a.createdUs,
          created_by: a.createdBy,
          password_set_us: a.createdUs,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      ctx.attested.mark('accounts', r.id);
      return toRecord(r);
    },
    setRoles: (id, roles) => attest(id, set(id, { roles_json: JSON.stringify(roles) })),
    setPassword: (id, hash, atUs) => attest(id, set(id, { password_hash: hash, password_set_us: atUs })),
    setDisabled: (id, disabledUs) => attest(id, set(id, { disabled_us: disabledUs })),
    setPreferences: (id, prefs) => set(id, { preferences_json: JSON.stringify(prefs) }),
    touchSignIn: (id, atUs) => set(id, { last_signin_us: atUs }),
  };
}

export function signinThrottleQueries({ db }: QueryContext): SigninThrottleQueries {
  return {
    async get(nameKey) {
      const r = await db.selectFrom('signin_throttle').select(['failures', 'blocked_until_us']).where('name_key', '=', nameKey).executeTakeFirst();
      return { failures: r?.failures ?? 0, blockedUntilUs: r?.blocked_until_us ?? 0 };
    },
    async put(nameKey, failures, atUs, blockedUntilUs) {
      await db
        .insertInto('signin_throttle')
        .values({ name_key: nameKey, failures, last_failure_us: atUs, blocked_until_us: blockedUntilUs })
        .onConflict((oc) =>
          oc.column('name_key').doUpdateSet((eb) => ({
            failures: eb.ref('excluded.failures'),
            last_failure_us: eb.ref('excluded.last_failure_us'),
            blocked_until_us: eb.ref('excluded.blocked_until_us'),
          })),
        )
        .execute();
    },
    async clear(nameKey) {
      await db.deleteFrom('signin_throttle').where('name_key', '=', nameKey).execute();
    },
    async prune(beforeUs) {
      await db.deleteFrom('signin_throttle').where('last_failure_us', '<', beforeUs).execute();
    },
  };
}
