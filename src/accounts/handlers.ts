import { ROLES, type Account, type Role } from '../contract/index.ts';
import { actorName, type CallContext, type Handlers } from '../core/handlers.ts';
import { publicAccount, type AccountRecord } from '../store/accounts.ts';
import { UserError } from '../util/errors.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { bindSeat, checkPassword, lockSeat, seatState, signOutSeat } from './seat.ts';
import { effectivePreferences, writeSeatSettings } from './seat-settings.ts';

/** Roles in their canonical order, each once. */
const canonicalRoles = (roles: readonly Role[]): Role[] => ROLES.filter((r) => roles.includes(r));

function accountOrFail(ctx: CallContext, id: number): AccountRecord {
  const a = ctx.core.store.accounts.byId(id);
  if (!a) throw new UserError('not_found', `no account ${id}`);
  return a;
}

/** Refuses a change that would leave no enabled administrator: nobody could manage people any more. */
function keepAnAdmin(ctx: CallContext, target: AccountRecord, stillAdmin: boolean): void {
  const isActiveAdmin = !target.disabled && target.roles.includes('admin');
  if (isActiveAdmin && !stillAdmin && ctx.core.store.accounts.activeAdminCount() <= 1) {
    throw new UserError('conflict', `${target.name} is the last enabled administrator: make someone else an administrator first`);
  }
}

function audited(ctx: CallContext, action: string, account: AccountRecord, payload: unknown): Account {
  const { store, clock } = ctx.core;
  store.audit.append({ atUs: clock.nowUs(), actor: actorName(ctx), action, entity: `account:${account.id}`, payload });
  return publicAccount(store.accounts.byId(account.id)!);
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
    if (core.store.accounts.count() > 0) throw new UserError('conflict', 'an administrator exists already: sign in');
    // On a centre anyone who reaches the address could claim the empty server: the first administrator is made on it.
    if (session.transport === 'network')
      throw new UserError('forbidden', 'on a centre server the first administrator is created on the server: earwitness account add NAME --role admin');
    const hash = await hashPassword(input.password);
    const now = core.clock.nowUs();
    const account = core.store.tx(() => {
      // Checked again inside the write lock: two first-run seats cannot both become the first admin.
      if (core.store.accounts.count() > 0) throw new UserError('conflict', 'an administrator exists already: sign in');
      const a = core.store.accounts.insert({
        name: input.name,
        displayName: input.displayName,
        passwordHash: hash,
        roles: ['admin'],
        createdUs: now,
        createdBy: input.name,
      });
      core.store.audit.append({
        atUs: now,
        actor: a.name,
        action: 'account.created',
        entity: `account:${a.id}`,
        payload: { ...publicAccount(a), firstAdmin: true },
      });
      return a;
    });
    signOutSeat(core, session, 'replaced');
    bindSeat(core, session, account, 'session.signin');
    return seatState(core, session);
  },

  signIn: async ({ core, session }, { name, password }) => {
    const account = await checkPassword(core, session, name, password, 'signin');
    signOutSeat(core, session, 'replaced');
    bindSeat(core, session, account, 'session.signin');
    return seatState(core, session);
  },

  signOut: ({ core, session }) => {
    signOutSeat(core, session, 'requested');
    return seatState(core, session);
  },

  lockSeat: ({ core, session }) => {
    lockSeat(core, session, 'requested');
    return seatState(core, session);
  },

  unlockSeat: async ({ core, session }, { password }) => {
    if (!session.actor || session.accountId === null) throw new UserError('unauthenticated', 'nobody is signed in on this seat');
    if (!session.locked) return seatState(core, session);
    try {
      const account = await checkPassword(core, session, session.actor.name, password, 'unlock');
      if (account.id !== session.accountId) throw new UserError('unauthenticated', 'wrong password');
      bindSeat(core, session, account, 'session.unlocked');
    } catch (e) {
      // Blocked after too many wrong passwords: the seat is signed out, so someone must sign in afresh.
      if (e instanceof UserError && e.code === 'forbidden') signOutSeat(core, session, 'unlock_failures');
      throw e;
    }
    return seatState(core, session);
  },

  changeMyPassword: async (ctx, { current, next }) => {
    const { core, session } = ctx;
    const account = accountOrFail(ctx, session.accountId ?? 0);
    if (!(await verifyPassword(current, account.passwordHash))) throw new UserError('unauthenticated', 'the current password is wrong');
    if (next.toLowerCase() === account.name) throw new UserError('invalid_input', 'the password must not be the name');
    const hash = await hashPassword(next);
    core.store.tx(() => {
      core.store.accounts.setPassword(account.id, hash, core.clock.nowUs());
      audited(ctx, 'account.password_changed', account, { by: 'self' });
    });
    return { changed: true as const };
  },

  setMyPreferences: (ctx, change) => {
    const account = accountOrFail(ctx, ctx.session.accountId ?? 0);
    const next = effectivePreferences({ ...account.preferences, ...change });
    ctx.core.store.accounts.setPreferences(account.id, next);
    return next;
  },

  listAccounts: ({ core }) => ({ accounts: core.store.accounts.list().map(publicAccount) }),

  createAccount: async (ctx, input) => {
    const { store, clock } = ctx.core;
    if (input.password.toLowerCase() === input.name) throw new UserError('invalid_input', 'the password must not be the name');
    if (store.accounts.byName(input.name)) throw new UserError('conflict', `the name ${input.name} is taken`);
    const hash = await hashPassword(input.password);
    return store.tx(() => {
      if (store.accounts.byName(input.name)) throw new UserError('conflict', `the name ${input.name} is taken`);
      const a = store.accounts.insert({
        name: input.name,
        displayName: input.displayName,
        passwordHash: hash,
        roles: canonicalRoles(input.roles),
        createdUs: clock.nowUs(),
        createdBy: actorName(ctx),
      });
      return audited(ctx, 'account.created', a, publicAccount(a));
    });
  },

  setAccountRoles: (ctx, { accountId, roles }) =>
    ctx.core.store.tx(() => {
      const a = accountOrFail(ctx, accountId);
      const next = canonicalRoles(roles);
      keepAnAdmin(ctx, a, next.includes('admin'));
      ctx.core.store.accounts.setRoles(a.id, next);
      return audited(ctx, 'account.roles_changed', a, { from: a.roles, to: next });
    }),

  setAccountPassword: async (ctx, { accountId, password }) => {
    const a = accountOrFail(ctx, accountId);
    if (password.toLowerCase() === a.name) throw new UserError('invalid_input', 'the password must not be the name');
    const hash = await hashPassword(password);
    return ctx.core.store.tx(() => {
      ctx.core.store.accounts.setPassword(a.id, hash, ctx.core.clock.nowUs());
      ctx.core.store.signinThrottle.clear(a.name);
      return audited(ctx, 'account.password_set', a, { by: 'admin' });
    });
  },

  setAccountDisabled: (ctx, { accountId, disabled }) =>
    ctx.core.store.tx(() => {
      const a = accountOrFail(ctx, accountId);
      if (a.disabled === disabled) return publicAccount(a);
      if (disabled) keepAnAdmin(ctx, a, false);
      ctx.core.store.accounts.setDisabled(a.id, disabled ? ctx.core.clock.nowUs() : null);
      return audited(ctx, disabled ? 'account.disabled' : 'account.enabled', a, {});
    }),

  setSeatSettings: (ctx, change) => {
    const { store, clock, events } = ctx.core;
    const settings = store.tx(() => {
      const now = clock.nowUs();
      const s = writeSeatSettings(store, change, now);
      store.audit.append({ atUs: now, actor: actorName(ctx), action: 'settings.changed', entity: 'settings:seat', payload: { change, now: s } });
      return s;
    });
    events.emit('seatSettingsChanged', { settings });
    return settings;
  },
};
