import type { ContractError, MethodSpec } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { isLocalActor, type Session } from '../kernel/session.ts';
import { saveActivity } from './resume.ts';
import { lockSeat, signOutSeat } from './seat.ts';

const refusal = (message: string, details?: unknown): ContractError =>
  details === undefined ? { code: 'unauthenticated', message } : { code: 'unauthenticated', message, details };

type Services = Pick<CoreServices, 'storePort' | 'clock' | 'seatFacts' | 'runId'>;

/**
 * The seat check before every call, in the core whatever the transport: who is signed in (their
 * roles as the store holds them, so a change by an administrator applies at once; a disabled
 * account is signed out), whether the seat is locked or has been idle past the lock time (then it
 * locks now), and the person's activity for the idle clock. Public methods pass, so a locked or
 * signed-out seat can still ask what it is, sign in, or unlock. Local actors (the CLI, scripts on
 * this machine: isLocalActor) pass: whoever can run them can read the data folder anyway.
 * The account and the settings come from SeatFacts (seat-facts.ts): in memory, refreshed by this
 * core's writes and read again through the port when older than a second.
 */
export async function admitCall(core: Services, session: Session, spec: Pick<MethodSpec, 'public' | 'passive'>): Promise<ContractError | null> {
  if (isLocalActor(session)) return null;
  const open = spec.public === true;
  if (!session.actor || session.accountId === null) {
    if (open) return null;
    const none = (await core.storePort.read((tx) => tx.accounts.count())) === 0;
    return none ? refusal('no account exists yet: create the first administrator') : refusal('sign in first');
  }
  const { account, settings } = await core.seatFacts.forAdmission(session.accountId);
  // The seat may have changed while that read ran (signed out, locked by another call): judge what it is now.
  if (!session.actor) return open ? null : refusal('sign in first');
  if (!account || account.disabled) {
    await signOutSeat(core, session, 'disabled');
    return open ? null : refusal('your account was disabled: ask an administrator');
  }
  session.actor = { name: account.name, roles: [...account.roles] };
  const lockedDetails = { locked: true };
  if (session.locked) return open ? null : refusal('this seat is locked: enter your password to go on', lockedDetails);
  const now = core.clock.nowUs();
  if (now - session.lastActivityUs > settings.idleLockSeconds * 1_000_000) {
    await lockSeat(core, session, 'idle');
    return open ? null : refusal('this seat locked itself after being idle: enter your password to go on', lockedDetails);
  }
  if (!open && !spec.passive) {
    session.lastActivityUs = now;
    saveActivity(core, session, now);
  }
  return null;
}

/**
 * Admission's verdict, checked again without reading as the call's handler starts: the seat may
 * have been signed out or locked (another call, its window closing) while the call waited for
 * the store gate, and then the call is refused as if it had come a moment later.
 */
export function stillAdmitted(session: Session, spec: Pick<MethodSpec, 'public'>): ContractError | null {
  if (isLocalActor(session) || spec.public === true) return null;
  if (!session.actor) return refusal('sign in first');
  return session.locked ? refusal('this seat is locked: enter your password to go on', { locked: true }) : null;
}

/**
 * Whether a seat may receive live events: someone signed in, enabled, not locked and not idle
 * past the lock time. Reads nothing: the account and the settings are those SeatFacts remembers
 * (every seat signed in here was admitted on a row it read), so an event costs no query per seat.
 * The lock itself happens at the seat's next call.
 */
export function mayReceiveEvents(core: Pick<CoreServices, 'clock' | 'seatFacts'>, session: Session): boolean {
  if (isLocalActor(session)) return true;
  if (!session.actor || session.locked || session.accountId === null) return false;
  const account = core.seatFacts.accountNow(session.accountId);
  const settings = core.seatFacts.settingsNow();
  if (!account || account.disabled || !settings) return false;
  return core.clock.nowUs() - session.lastActivityUs <= settings.idleLockSeconds * 1_000_000;
}
