import type { SeatState } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
import { isLocalActor, type Session } from '../core/session.ts';
import { releaseSeatClaims } from '../review/claim-ops.ts';
import type { AccountRecord } from '../store/accounts.ts';
import { UserError } from '../util/errors.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { effectivePreferences, readSeatSettings } from './seat-settings.ts';
import { blockedMessage, countAttempt, forgiveAttempts } from './throttle.ts';

type Services = Pick<CoreServices, 'store' | 'clock' | 'events'>;

/** What the seat shows: who, locked or not, the settings and the person's preferences. */
export function seatState(core: Services, session: Session): SeatState {
  const account = session.accountId !== null ? core.store.accounts.byId(session.accountId) : undefined;
  const signedIn = session.actor !== null && account !== undefined && !account.disabled;
  return {
    needsFirstAdmin: core.store.accounts.count() === 0,
    person: signedIn ? { id: account.id, name: account.name, displayName: account.displayName, roles: account.roles } : null,
    locked: signedIn && session.locked,
    lockReason: signedIn && session.locked ? session.lockReason : null,
    seat: session.tag,
    settings: readSeatSettings(core.store),
    preferences: effectivePreferences(signedIn ? account.preferences : undefined),
    nowUs: core.clock.nowUs(),
  };
}

const seatPayload = (session: Session) => ({ seat: session.tag, transport: session.transport, ...(session.address ? { address: session.address } : {}) });

/** Binds an account to a seat (after its password was checked, inside no transaction). */
export function bindSeat(core: Services, session: Session, account: AccountRecord, action: 'session.signin' | 'session.unlocked'): void {
  const now = core.clock.nowUs();
  core.store.tx(() => {
    forgiveAttempts(core.store, account.name);
    if (action === 'session.signin') core.store.accounts.touchSignIn(account.id, now);
    core.store.audit.append({ atUs: now, actor: account.name, action, entity: `account:${account.id}`, payload: seatPayload(session) });
  });
  session.actor = { name: account.name, roles: [...account.roles] };
  session.accountId = account.id;
  session.locked = false;
  session.lockReason = null;
  session.lastActivityUs = now;
}

/** Locks a signed-in seat: its claims go back to the queue and only the password opens it again. */
export function lockSeat(core: Services, session: Session, reason: 'idle' | 'requested'): void {
  if (!session.actor || session.locked || isLocalActor(session)) return;
  session.locked = true;
  session.lockReason = reason;
  const now = core.clock.nowUs();
  core.store.tx(() =>
    core.store.audit.append({
      atUs: now,
      actor: session.actor!.name,
      action: 'session.locked',
      entity: `account:${session.accountId}`,
      payload: { ...seatPayload(session), reason },
    }),
  );
  releaseSeatClaims(core, session);
}

/** Signs the seat's person out; `endedBy` names the administrator who ended the seat (reason 'ended'), who is then the audit entry's actor. */
export function signOutSeat(
  core: Services,
  session: Session,
  reason: 'requested' | 'disabled' | 'unlock_failures' | 'replaced' | 'closed' | 'ended',
  endedBy?: string,
): void {
  if (!session.actor || isLocalActor(session)) return;
  releaseSeatClaims(core, session);
  const now = core.clock.nowUs();
  const name = session.actor.name;
  core.store.tx(() =>
    core.store.audit.append({
      atUs: now,
      actor: endedBy ?? name,
      action: 'session.signout',
      entity: `account:${session.accountId}`,
      payload: { ...seatPayload(session), reason, ...(endedBy ? { person: name } : {}) },
    }),
  );
  session.actor = null;
  session.accountId = null;
  session.locked = false;
  session.lockReason = null;
}

/**
 * Checks a name and password against the store, with the throttle and the decoy hash, and
 * writes the failure to the audit log. Returns the account when they match.
 */
export async function checkPassword(core: Services, session: Session, nameKey: string, password: string, purpose: 'signin' | 'unlock'): Promise<AccountRecord> {
  const blocked = countAttempt(core.store, nameKey, core.clock.nowUs());
  if (blocked > 0) throw new UserError('forbidden', blockedMessage(blocked), { retryAfterS: blocked });
  const account = core.store.accounts.byName(nameKey);
  const matches = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
  if (account && matches && !account.disabled) return account;
  const now = core.clock.nowUs();
  const reason = !account ? 'unknown_name' : !matches ? 'wrong_password' : 'disabled';
  core.store.tx(() =>
    core.store.audit.append({
      atUs: now,
      actor: account?.name ?? 'nobody',
      action: purpose === 'signin' ? 'session.signin_failed' : 'session.unlock_failed',
      entity: account ? `account:${account.id}` : `name:${nameKey.slice(0, 64)}`,
      payload: { ...seatPayload(session), reason },
    }),
  );
  // Only someone who knows the password learns that the account is disabled.
  if (account && matches) throw new UserError('forbidden', 'this account is disabled: ask an administrator');
  throw new UserError('unauthenticated', purpose === 'signin' ? 'wrong name or password' : 'wrong password');
}
