import type { SeatState } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { isLocalActor, type Session } from '../kernel/session.ts';
import type { AccountRecord } from '../kernel/store-port.ts';
import { releaseSeatClaimsTx } from '../review/claim-ops.ts';
import { UserError } from '../util/errors.ts';
import { decoyHash, verifyPassword } from './password.ts';
import { seatRow, sha256Hex } from './resume.ts';
import { effectivePreferences, readSeatSettingsTx } from './seat-settings.ts';
import { blockedMessage, countAttempt, forgiveAttempts } from './throttle.ts';

type Services = Pick<CoreServices, 'storePort' | 'clock' | 'seatFacts' | 'runId'>;

/** What the seat shows: who, locked or not, the settings and the person's preferences; one read through the port. */
export async function seatState(core: Services, session: Session): Promise<SeatState> {
  const { account, settings, needsFirstAdmin } = await core.storePort.read(async (tx) => ({
    account: session.accountId !== null ? await core.seatFacts.readAccount(tx, session.accountId) : undefined,
    settings: await core.seatFacts.readSettings(tx),
    needsFirstAdmin: (await tx.accounts.count()) === 0,
  }));
  const signedIn = session.actor !== null && account !== undefined && !account.disabled;
  return {
    needsFirstAdmin,
    person: signedIn ? { id: account.id, name: account.name, displayName: account.displayName, roles: account.roles } : null,
    locked: signedIn && session.locked,
    lockReason: signedIn && session.locked ? session.lockReason : null,
    seat: session.tag,
    settings,
    preferences: effectivePreferences(signedIn ? account.preferences : undefined),
    nowUs: core.clock.nowUs(),
  };
}

const seatPayload = (session: Session) => ({ seat: session.tag, transport: session.transport, ...(session.address ? { address: session.address } : {}) });

/** Binds an account to a seat (after its password was checked, inside no transaction). */
export async function bindSeat(core: Services, session: Session, account: AccountRecord, action: 'session.signin' | 'session.unlocked'): Promise<void> {
  const now = core.clock.nowUs();
  const fresh = await core.storePort.write(async (tx) => {
    await forgiveAttempts(tx, account.name);
    if (action === 'session.signin') await tx.accounts.touchSignIn(account.id, now);
    await tx.audit.append({ atUs: now, actor: account.name, action, entity: `account:${account.id}`, payload: seatPayload(session) });
    // A centre seat is kept in the store while someone is signed in on it, so another server can take it over (resume.ts).
    const seat = seatRow(core, session, account.id, now);
    if (seat) await tx.seatSessions.put(seat, now);
    const row = await tx.accounts.byId(account.id);
    return { row, settings: await readSeatSettingsTx(tx) };
  });
  // Remembered for admission and live events (seat-facts.ts), as this write committed them.
  core.seatFacts.rememberAccount(account.id, fresh.row);
  core.seatFacts.rememberSettings(fresh.settings);
  session.actor = { name: account.name, roles: [...account.roles] };
  session.accountId = account.id;
  session.locked = false;
  session.lockReason = null;
  session.lastActivityUs = now;
  session.activitySavedUs = now;
}

/**
 * Locks a signed-in seat: its claims go back to the queue and only the password opens it again.
 * The seat is locked before anything is written, so no call slips in while the write runs.
 */
export async function lockSeat(core: Services, session: Session, reason: 'idle' | 'requested'): Promise<void> {
  if (!session.actor || session.locked || isLocalActor(session)) return;
  session.locked = true;
  session.lockReason = reason;
  const now = core.clock.nowUs();
  const entry = {
    atUs: now,
    actor: session.actor.name,
    action: 'session.locked',
    entity: `account:${session.accountId}`,
    payload: { ...seatPayload(session), reason },
  };
  await core.storePort.write(async (tx) => {
    await tx.audit.append(entry);
    await releaseSeatClaimsTx(tx, session);
    if (session.browserSha256) await tx.seatSessions.setLock(sha256Hex(session.id), reason, now);
  });
}

/**
 * Signs the seat's person out; `endedBy` names the administrator who ended the seat (reason
 * 'ended'), who is then the audit entry's actor. The seat is cleared before anything is written,
 * so no call is admitted on it meanwhile; its claims are released and the sign-out logged in one
 * write.
 */
export async function signOutSeat(
  core: Services,
  session: Session,
  reason: 'requested' | 'disabled' | 'unlock_failures' | 'replaced' | 'closed' | 'ended',
  endedBy?: string,
): Promise<void> {
  if (!session.actor || isLocalActor(session)) return;
  const now = core.clock.nowUs();
  const name = session.actor.name;
  const entry = {
    atUs: now,
    actor: endedBy ?? name,
    action: 'session.signout',
    entity: `account:${session.accountId}`,
    payload: { ...seatPayload(session), reason, ...(endedBy ? { person: name } : {}) },
  };
  session.actor = null;
  session.accountId = null;
  session.locked = false;
  session.lockReason = null;
  await core.storePort.write(async (tx) => {
    await releaseSeatClaimsTx(tx, session);
    await tx.audit.append(entry);
    if (session.browserSha256) await tx.seatSessions.remove(sha256Hex(session.id));
  });
}

/**
 * Checks a name and password against the store, with the throttle and the decoy hash, and
 * writes the failure to the audit log. Returns the account when they match.
 */
export async function checkPassword(core: Services, session: Session, nameKey: string, password: string, purpose: 'signin' | 'unlock'): Promise<AccountRecord> {
  const blocked = await countAttempt(core.storePort, nameKey, core.clock.nowUs());
  if (blocked > 0) throw new UserError('forbidden', blockedMessage(blocked), { retryAfterS: blocked });
  const account = await core.storePort.read((tx) => tx.accounts.byName(nameKey));
  const matches = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()));
  if (account && matches && !account.disabled) return account;
  const now = core.clock.nowUs();
  const reason = !account ? 'unknown_name' : !matches ? 'wrong_password' : 'disabled';
  await core.storePort.write((tx) =>
    tx.audit.append({
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
