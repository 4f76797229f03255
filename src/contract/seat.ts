import { z } from 'zod';
import { defineEvent, defineMethod, ROLES } from './define.ts';
import { Id, Micros } from './common.ts';
import { THEMES } from './shell.ts';

/**
 * People, roles, sign-in and the seat's lock. A seat is one window or browser tab; the person
 * signed in on it is who every decision and audit entry names.
 */

/** Sign-in names: lower-case, no spaces or colons (so no account can look like the CLI's `cli:` actor). */
export const AccountName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'a name is 2-64 letters, digits, dots, dashes or underscores, starting with a letter or digit');

/** Long enough to resist guessing; no composition rules (NIST SP 800-63B). */
export const Password = z.string().min(10, 'a password needs at least 10 characters').max(256, 'a password has at most 256 characters');
export const DisplayName = z.string().trim().min(1, 'give the person a name').max(80);
export const RoleName = z.enum(ROLES);

export const Preferences = z.object({
  /** Dark by default (review rooms are dim); `system` follows the operating system. The desktop menu sets the same. */
  theme: z.enum(THEMES),
  /** Open the most urgent alert by itself whenever this seat has none open. */
  autoNext: z.boolean(),
});
export type Preferences = z.infer<typeof Preferences>;
export const DEFAULT_PREFERENCES: Preferences = { theme: 'dark', autoNext: false };

/**
 * How the queue is ordered (compareUrgency in queue.ts). The default, likely_gunfire_first, was
 * chosen from the queue simulation (`npm run eval -- queue`, figures in docs/queue.md): it is the
 * only one that keeps every wait bounded in a burst and still takes likely gunfire first.
 */
export const QUEUE_ORDERS = ['likely_gunfire_first', 'within_budget_oldest_first', 'oldest_first', 'newest_first'] as const;
export type QueueOrder = (typeof QUEUE_ORDERS)[number];

export const SeatSettings = z.object({
  /** The screen locks after this long without input, and the core refuses the seat until the password is given again. */
  idleLockSeconds: z
    .number()
    .int()
    .min(5)
    .max(24 * 3600),
  /** Time budget from detection to decision: each alert's deadline. */
  deadlineSeconds: z.number().int().min(5).max(3600),
  /** The countdown turns amber when this much time is left. */
  amberSeconds: z.number().int().min(1).max(3600),
  queueOrder: z.enum(QUEUE_ORDERS),
  /**
   * Under likely_gunfire_first, how much earlier than its detection an alert the machine called a
   * gunshot counts (half for a probable one). No alert waits longer than first-come-first-served
   * would make it wait plus this.
   */
  gunfireHeadStartSeconds: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600),
  /** A claim lasts this long unless the seat renews it (it does while the reviewer works). */
  claimLeaseSeconds: z.number().int().min(10).max(600),
});
export type SeatSettings = z.infer<typeof SeatSettings>;
export const DEFAULT_SEAT_SETTINGS: SeatSettings = {
  idleLockSeconds: 15 * 60,
  deadlineSeconds: 60,
  amberSeconds: 20,
  queueOrder: 'likely_gunfire_first',
  gunfireHeadStartSeconds: 2 * 3600,
  claimLeaseSeconds: 30,
};

export const Account = z.object({
  id: Id,
  name: z.string(),
  displayName: z.string(),
  roles: z.array(RoleName),
  disabled: z.boolean(),
  createdUs: Micros,
  createdBy: z.string(),
  lastSignInUs: Micros.nullable(),
});
export type Account = z.infer<typeof Account>;

export const SeatState = z.object({
  /** No account exists yet: this seat must create the first administrator. */
  needsFirstAdmin: z.boolean(),
  /** Who is signed in on this seat, or null. */
  person: z.object({ id: Id, name: z.string(), displayName: z.string(), roles: z.array(RoleName) }).nullable(),
  locked: z.boolean(),
  /** Why it is locked: the person asked (Lock), or it was idle past the lock time; null when not locked. */
  lockReason: z.enum(['requested', 'idle']).nullable(),
  /** A public tag of this seat (not its secret): claims name the seat that holds them. */
  seat: z.string(),
  settings: SeatSettings,
  preferences: Preferences,
  nowUs: Micros,
});
export type SeatState = z.infer<typeof SeatState>;

/** A seat open on a transport, as an administrator sees it. */
export const OpenSeat = z.object({
  /** The seat's public tag (claims and events name seats by it). */
  seat: z.string(),
  transport: z.enum(['electron', 'loopback', 'network']),
  /** Where it connects from; null for a desktop window. */
  address: z.string().nullable(),
  openedUs: Micros,
  person: z.object({ name: z.string(), displayName: z.string() }).nullable(),
  locked: z.boolean(),
  /** The person's last activity on it (a non-passive call or an active heartbeat); null before any. */
  lastActivityUs: Micros.nullable(),
  /** The administrator's own seat. */
  yours: z.boolean(),
  /** Held by another server of the centre (a seat signed in there); absent on this server's own seats. */
  elsewhere: z.boolean().optional(),
});
export type OpenSeat = z.infer<typeof OpenSeat>;

export const seatMethods = {
  getSeat: defineMethod({
    seal: { none: true },
    summary:
      "Who is signed in on this seat, whether it is locked, the seat settings and the person's preferences; whether the first administrator must be created.",
    input: z.object({}).default({}),
    output: SeatState,
    public: true,
    passive: true,
  }),
  createFirstAdmin: defineMethod({
    seal: { none: true },
    summary: 'On a store with no account, create the first administrator and sign this seat in as them. Refused once any account exists.',
    input: z.object({ name: AccountName, displayName: DisplayName, password: Password }),
    output: SeatState,
    public: true,
  }),
  signIn: defineMethod({
    seal: { none: true },
    summary: 'Sign this seat in. Repeated failures for a name block it for a growing time.',
    input: z.object({ name: z.string().trim().toLowerCase().max(64), password: z.string().max(256) }),
    output: SeatState,
    public: true,
  }),
  signOut: defineMethod({
    seal: { none: true },
    summary: 'Sign this seat out, releasing its claim.',
    input: z.object({}).default({}),
    output: SeatState,
    public: true,
  }),
  lockSeat: defineMethod({
    seal: { none: true },
    summary: 'Lock this seat now (the seat does it when the person is idle); its claim is released and every call is refused until unlockSeat.',
    input: z.object({}).default({}),
    output: SeatState,
    passive: true,
  }),
  unlockSeat: defineMethod({
    seal: { none: true },
    summary: "Unlock this seat with the signed-in person's password. Too many wrong passwords sign the seat out.",
    input: z.object({ password: z.string().max(256) }),
    output: SeatState,
    public: true,
  }),
  changeMyPassword: defineMethod({
    seal: { none: true },
    summary: "Change the signed-in person's password.",
    input: z.object({ current: z.string().max(256), next: Password }),
    output: z.object({ changed: z.literal(true) }),
  }),
  setMyPreferences: defineMethod({
    seal: { none: true },
    summary: "Change the signed-in person's preferences (theme, opening the next alert by itself).",
    input: Preferences.partial(),
    output: Preferences,
  }),
  listAccounts: defineMethod({
    seal: { none: true },
    summary: 'Every account, by name.',
    input: z.object({}).default({}),
    output: z.object({ accounts: z.array(Account) }),
    roles: ['admin'],
  }),
  createAccount: defineMethod({
    seal: { none: true },
    summary: 'Add a person with a first password and their roles.',
    input: z.object({ name: AccountName, displayName: DisplayName, password: Password, roles: z.array(RoleName).max(ROLES.length) }),
    output: Account,
    roles: ['admin'],
  }),
  setAccountRoles: defineMethod({
    seal: { none: true },
    summary: "Set a person's roles; they apply to their open seats at once. The last active administrator keeps the admin role.",
    input: z.object({ accountId: Id, roles: z.array(RoleName).max(ROLES.length) }),
    output: Account,
    roles: ['admin'],
  }),
  setAccountPassword: defineMethod({
    seal: { none: true },
    summary: 'Give a person a new password (they forgot theirs).',
    input: z.object({ accountId: Id, password: Password }),
    output: Account,
    roles: ['admin'],
  }),
  setAccountDisabled: defineMethod({
    seal: { none: true },
    summary: 'Disable a person (their seats are signed out at their next call) or enable them again. The last active administrator cannot be disabled.',
    input: z.object({ accountId: Id, disabled: z.boolean() }),
    output: Account,
    roles: ['admin'],
  }),
  setSeatSettings: defineMethod({
    seal: { none: true },
    summary: 'Change the review seat settings: idle lock, deadline, countdown colours, queue order, claim lease.',
    input: SeatSettings.partial(),
    output: SeatSettings,
    roles: ['admin'],
  }),
  listSeats: defineMethod({
    seal: { none: true },
    summary:
      'The seats open on this server, and the seats signed in on the other servers of the centre: who is on each, where from, since when, and whether it is locked.',
    input: z.object({}).default({}),
    output: z.object({ seats: z.array(OpenSeat) }),
    roles: ['admin'],
    passive: true,
  }),
  endSeat: defineMethod({
    seal: { none: true },
    summary:
      "Sign out whoever is on a seat (a seat left open, a stolen session), on this server or another of the centre: its claim goes back to the queue and its next call asks for sign-in. Not the administrator's own seat.",
    input: z.object({ seat: z.string().min(1).max(64) }),
    output: z.object({ ended: z.boolean() }),
    roles: ['admin'],
  }),
};

export const seatEvents = {
  seatSettingsChanged: defineEvent({
    seal: { none: true },
    summary: 'An administrator changed the seat settings.',
    payload: z.object({ settings: SeatSettings }),
  }),
};
