import type { ContractError, MethodSpec } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { isLocalActor, type Session } from '../core/session.ts';
import { lockSeat, signOutSeat } from './seat.ts';
import { readSeatSettings } from './seat-settings.ts';

const refusal = (message: string, details?: unknown): ContractError =>
  details === undefined ? { code: 'unauthenticated', message } : { code: 'unauthenticated', message, details };

/**
 * The seat check before every call, in the core whatever the transport: who is signed in (their
 * roles read fresh from the store, so a change by an administrator applies at once; a disabled
 * account is signed out), whether the seat is locked or has been idle past the lock time (then it
 * locks now), and the person's activity for the idle clock. Public methods pass, so a locked or
 * signed-out seat can still ask what it is, sign in, or unlock. Local actors (the CLI, scripts on
 * this machine: isLocalActor) pass: whoever can run them can read the data folder anyway.
 */
export function admitCall(
  core: Pick<CoreServices, 'store' | 'clock' | 'events'>,
  session: Session,
  spec: Pick<MethodSpec, 'public' | 'passive'>,
): ContractError | null {
  if (isLocalActor(session)) return null;
  const open = spec.public === true;
  if (!session.actor) {
    if (open) return null;
    return core.store.accounts.count() === 0 ? refusal('no account exists yet: create the first administrator') : refusal('sign in first');
  }
  const account = session.accountId !== null ? core.store.accounts.byId(session.accountId) : undefined;
  if (!account || account.disabled) {
    signOutSeat(core, session, 'disabled');
    return open ? null : refusal('your account was disabled: ask an administrator');
  }
  session.actor = { name: account.name, roles: [...account.roles] };
  const lockedDetails = { locked: true };
  if (session.locked) return open ? null : refusal('this seat is locked: enter your password to go on', lockedDetails);
  const now = core.clock.nowUs();
  if (now - session.lastActivityUs > readSeatSettings(core.store).idleLockSeconds * 1_000_000) {
    lockSeat(core, session, 'idle');
    return open ? null : refusal('this seat locked itself after being idle: enter your password to go on', lockedDetails);
  }
  if (!open && !spec.passive) session.lastActivityUs = now;
  return null;
}

/**
 * Whether a seat may receive live events: someone signed in, enabled, not locked and not idle
 * past the lock time. Reads only: the lock itself happens at the seat's next call.
 */
export function mayReceiveEvents(core: Pick<CoreServices, 'store' | 'clock'>, session: Session): boolean {
  if (isLocalActor(session)) return true;
  if (!session.actor || session.locked || session.accountId === null) return false;
  const account = core.store.accounts.byId(session.accountId);
  if (!account || account.disabled) return false;
  return core.clock.nowUs() - session.lastActivityUs <= readSeatSettings(core.store).idleLockSeconds * 1_000_000;
}
