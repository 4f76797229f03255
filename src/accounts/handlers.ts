import { ROLES, type Account, type Role } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../kernel/handlers.ts';
import { publicAccount, type AccountRecord, type StoreTx, type WriteTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { bindSeat, checkPassword, lockSeat, seatState, signOutSeat } from './seat.ts';
import { effectivePreferences, writeSeatSettingsTx } from './seat-settings.ts';
import { forgiveAttempts } from './throttle.ts';

/** Roles in their canonical order, each once. */
const canonicalRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

/**
 * Serialises the changes that could leave no enabled administrator, across servers: each reads
 * the count of administrators after the one before it committed.
 */
const ADMINS_LOCK = 'accounts:admins';

async function accountOrFail(tx: StoreTx, id: number): Promise<AccountRecord> {
  const a = await tx.accounts.byId(id);
  if (!a) throw new UserError('not_found', `no account ${id}`);
  return a;
}

/** Refuses a change that would leave no enabled administrator: nobody could manage people any more. */
async function keepAnAdmin(tx: StoreTx, target: AccountRecord, stillAdmin: boolean): Promise<void> {
  const isActiveAdmin = !target.disabled && target.roles.includes('admin');
  if (isActiveAdmin && !stillAdmin && (await tx.accounts.activeAdminCount()) <= 1) {
    throw new UserError('conflict', `${target.name} is the last enabled administrator: make someone else an administrator first`);
  }
}

/** Logs a change of an account inside its write; returns the row as the write leaves it. */
async function audited(tx: WriteTx, ctx: CallContext, action: string, account: AccountRecord, payload: unknown): Promise<AccountRecord> {
  await tx.audit.append({ atUs: ctx.core.clock.nowUs(), actor: actorName(ctx), action, entity: `account:${account.id}`, payload });
  return (await tx.accounts.byId(account.id))!;
}

/** After COMMIT: admission and live events go on the row the write left (seat-facts.ts). */
function remembered(ctx: CallContext, row: AccountRecord): Account {
  ctx.core.seatFacts.rememberAccount(row.id, row);
  return publicAccount(row);
}

export const seatHandlers: Handlers<
  | 'getSeat'
  | 'createFirstAdmin'
  | 'signIn'
  | 'signOut'
  | 'lockSeat'
  | 'unlockSeat'
  | 'changeMyPassword'
  | 'setMyPreferences'
  | 'listAccounts'
  | 'createAccount'
  | 'setAccountRoles'
  | 'setAccountPassword'
  | 'setAccountDisabled'
  | 'setSeatSettings'
> = {
  getSeat: ({ core, session }) => seatState(core, session),

  createFirstAdmin: async ({ core, session }, input) => {
    if ((await core.storePort.read((tx) => tx.accounts.count())) > 0) throw new UserError('conflict', 'an administrator exists already: sign in');
    // On a centre anyone who reaches the address could claim the empty server: the first administrator is made on it.
    if (session.transport === 'network')
      throw new UserError('forbidden', 'on a centre server the first administrator is created on the server: earwitness account add NAME --role admin');
    const hash = await hashPassword(input.password);
    const now = core.clock.nowUs();
    const account = await core.storePort.write(async (tx) => {
      // Checked again under the lock: two first-run seats (or servers) cannot both become the first admin.
      await tx.lock('accounts:first-admin');
      if ((await tx.accounts.count()) > 0) throw new UserError('conflict', 'an administrator exists already: sign in');
      const a = await tx.accounts.insert({
        name: input.name,
        displayName: input.displayName,
        passwordHash: hash,
        roles: ['admin'],
        createdUs: now,
        createdBy: input.name,
      });
      await tx.audit.append({
        atUs: now,
        actor: a.name,
        action: 'account.created',
        entity: `account:${a.id}`,
        payload: { ...publicAccount(a), firstAdmin: true },
      });
      return a;
    });
    await signOutSeat(core, session, 'replaced');
    await bindSeat(core, session, account, 'session.signin');
    return seatState(core, session);
  },

  signIn: async ({ core, session }, { name, password }) => {
    const account = await checkPassword(core, session, name, password, 'signin');
    await signOutSeat(core, session, 'replaced');
    await bindSeat(core, session, account, 'session.signin');
    return seatState(core, session);
  },

  signOut: async ({ core, session }) => {
    await signOutSeat(core, session, 'requested');
    return seatState(core, session);
  },

  lockSeat: async ({ core, session }) => {
    await lockSeat(core, session, 'requested');
    return seatState(core, session);
  },

  unlockSeat: async ({ core, session }, { password }) => {
    if (!session.actor || session.accountId === null) throw new UserError('unauthenticated', 'nobody is signed in on this seat');
    if (!session.locked) return seatState(core, session);
    try {
      const account = await checkPassword(core, session, session.actor.name, password, 'unlock');
      if (account.id !== session.accountId) throw new UserError('unauthenticated', 'wrong password');
      await bindSeat(core, session, account, 'session.unlocked');
    } catch (e) {
      // Blocked after too many wrong passwords: the seat is signed out, so someone must sign in afresh.
      if (e instanceof UserError && e.code === 'forbidden') await signOutSeat(core, session, 'unlock_failures');
      throw e;
    }
    return seatState(core, session);
  },

  changeMyPassword: async (ctx, { current, next }) => {
    const { core, session } = ctx;
    const account = await core.storePort.read((tx) => accountOrFail(tx, session.accountId ?? 0));
    if (!(await verifyPassword(current, account.passwordHash))) throw new UserError('unauthenticated', 'the current password is wrong');
    if (next.toLowerCase() === account.name) throw new UserError('invalid_input', 'the password must not be the name');
    const hash = await hashPassword(next);
    const row = await core.storePort.write(async (tx) => {
      await tx.accounts.setPassword(account.id, hash, core.clock.nowUs());
      return audited(tx, ctx, 'account.password_changed', account, { by: 'self' });
    });
    remembered(ctx, row);
    return { changed: true as const };
  },

  setMyPreferences: async (ctx, change) => {
    const row = await ctx.core.storePort.write(async (tx) => {
      const account = await accountOrFail(tx, ctx.session.accountId ?? 0);
      await tx.accounts.setPreferences(account.id, effectivePreferences({ ...account.preferences, ...change }));
      return (await tx.accounts.byId(account.id))!;
    });
    remembered(ctx, row);
    return effectivePreferences(row.preferences);
  },

  listAccounts: async ({ core }) => ({ accounts: (await core.storePort.read((tx) => tx.accounts.list())).map(publicAccount) }),

  createAccount: async (ctx, input) => {
    const { storePort, clock } = ctx.core;
    if (input.password.toLowerCase() === input.name) throw new UserError('invalid_input', 'the password must not be the name');
    if (await storePort.read((tx) => tx.accounts.byName(input.name))) throw new UserError('conflict', `the name ${input.name} is taken`);
    const hash = await hashPassword(input.password);
    const row = await storePort.write(async (tx) => {
      await tx.lock(`account-name:${input.name.toLowerCase()}`);
      if (await tx.accounts.byName(input.name)) throw new UserError('conflict', `the name ${input.name} is taken`);
      const a = await tx.accounts.insert({
        name: input.name,
        displayName: input.displayName,
        passwordHash: hash,
        roles: canonicalRoles(input.roles),
        createdUs: clock.nowUs(),
        createdBy: actorName(ctx),
      });
      return audited(tx, ctx, 'account.created', a, publicAccount(a));
    });
    return remembered(ctx, row);
  },

  setAccountRoles: async (ctx, { accountId, roles }) => {
    const row = await ctx.core.storePort.write(async (tx) => {
      await tx.lock(ADMINS_LOCK);
      const a = await accountOrFail(tx, accountId);
      const next = canonicalRoles(roles);
      await keepAnAdmin(tx, a, next.includes('admin'));
      await tx.accounts.setRoles(a.id, next);
      return audited(tx, ctx, 'account.roles_changed', a, { from: a.roles, to: next });
    });
    return remembered(ctx, row);
  },

  setAccountPassword: async (ctx, { accountId, password }) => {
    const a = await ctx.core.storePort.read((tx) => accountOrFail(tx, accountId));
    if (password.toLowerCase() === a.name) throw new UserError('invalid_input', 'the password must not be the name');
    const hash = await hashPassword(password);
    const row = await ctx.core.storePort.write(async (tx) => {
      await tx.accounts.setPassword(a.id, hash, ctx.core.clock.nowUs());
      await forgiveAttempts(tx, a.name);
      return audited(tx, ctx, 'account.password_set', a, { by: 'admin' });
    });
    return remembered(ctx, row);
  },

  setAccountDisabled: async (ctx, { accountId, disabled }) => {
    const row = await ctx.core.storePort.write(async (tx) => {
      await tx.lock(ADMINS_LOCK);
      const a = await accountOrFail(tx, accountId);
      if (a.disabled === disabled) return a;
      if (disabled) await keepAnAdmin(tx, a, false);
      await tx.accounts.setDisabled(a.id, disabled ? ctx.core.clock.nowUs() : null);
      return audited(tx, ctx, disabled ? 'account.disabled' : 'account.enabled', a, {});
    });
    return remembered(ctx, row);
  },

  setSeatSettings: async (ctx, change) => {
    const { storePort, clock, seatFacts } = ctx.core;
    const settings = await storePort.write(async (tx) => {
      const now = clock.nowUs();
      const s = await writeSeatSettingsTx(tx, change, now);
      await tx.audit.append({ atUs: now, actor: actorName(ctx), action: 'settings.changed', entity: 'settings:seat', payload: { change, now: s } });
      // Announced in the write: every server on the database hears it, and remembers the settings (core.ts).
      tx.emit('seatSettingsChanged', { settings: s });
      return s;
    });
    seatFacts.rememberSettings(settings);
    return settings;
  },
};
