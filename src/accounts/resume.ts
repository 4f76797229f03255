import { createHash, timingSafeEqual } from 'node:crypto';
import type { CoreServices } from '../kernel/services.ts';
import { takenOverSession, type Session } from '../kernel/session.ts';
import type { SeatSessionRow } from '../kernel/store-port.ts';
import { releaseSeatClaimsTx } from '../review/claim-ops.ts';
import { log } from '../util/log.ts';

/**
 * A centre seat outlives its server. While someone is signed in on a network seat the store
 * keeps it (migration 22: hashes of the seat's session id and of its browser's key, the person,
 * the lock, the last activity, which server holds it). When that server dies, the browser's next
 * request reaches another server of the centre (its load balancer's choice), which finds no such
 * seat in its memory and takes it over from the store: same id, same tag, so the claims the seat
 * holds (kept by tag, under their lease) stay its own, and the person goes on without signing in
 * again. The take-over is audited. Only a request carrying both secrets takes a seat over.
 */

type Services = Pick<CoreServices, 'storePort' | 'clock' | 'seatFacts' | 'seats' | 'runId'>;

export const sha256Hex = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** Activity is saved with the seat at most this often: enough for the idle lock to hold across a take-over. */
export const ACTIVITY_SAVE_US = 60_000_000;
/** A server vouches for the seats it holds this often; a seat nobody vouched for in STALE_SEAT_US is listed no more. */
export const VOUCH_US = 60_000_000;
export const STALE_SEAT_US = 5 * 60_000_000;
/** A seat nobody vouched for in a day is forgotten: its server died and its person never came back to it. */
export const FORGOTTEN_SEAT_US = 24 * 3600_000_000;

/** The store's record of a seat just signed in (or unlocked) here, for `tx.seatSessions.put`. */
export function seatRow(core: Pick<CoreServices, 'runId'>, session: Session, accountId: number, nowUs: number): Omit<SeatSessionRow, 'updatedUs'> | null {
  if (!session.browserSha256) return null;
  return {
    idSha256: sha256Hex(session.id),
    browserSha256: session.browserSha256,
    tag: session.tag,
    accountId,
    address: session.address,
    openedUs: session.openedUs,
    lastActivityUs: nowUs,
    locked: false,
    lockReason: null,
    server: core.runId,
  };
}

const sameHash = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Takes over the centre seat `sessionId` from wherever it was, for a request carrying the browser
 * key `browserKey` from `address`; null when the store holds no such seat for that browser, or
 * its person can no longer work (account gone or disabled). A refusal writes nothing.
 */
export async function takeOverSeat(core: Services, sessionId: string, browserKey: string, address: string | null): Promise<Session | null> {
  const idSha256 = sha256Hex(sessionId);
  const browserSha256 = sha256Hex(browserKey);
  const usable = (row: SeatSessionRow | undefined): row is SeatSessionRow => row !== undefined && sameHash(row.browserSha256, browserSha256);
  const found = await core.storePort.read(async (tx) => {
    const row = await tx.seatSessions.byId(idSha256);
    return usable(row) ? { row, account: await tx.accounts.byId(row.accountId) } : null;
  });
  if (!found || !found.account || found.account.disabled) return null;
  const now = core.clock.nowUs();
  const taken = await core.storePort.write(async (tx) => {
    // Looked at again under the write: the seat may have been signed out meanwhile.
    const row = await tx.seatSessions.byId(idSha256);
    const account = usable(row) ? await tx.accounts.byId(row.accountId) : undefined;
    if (!usable(row) || !account || account.disabled) return null;
    await tx.seatSessions.take(idSha256, core.runId, address, now);
    const payload = { seat: row.tag, transport: 'network', ...(address ? { address } : {}), locked: row.locked };
    await tx.audit.append({ atUs: now, actor: account.name, action: 'session.taken_over', entity: `account:${account.id}`, payload });
    return { row, account };
  });
  if (!taken) return null;
  const { row, account } = taken;
  core.seatFacts.rememberAccount(account.id, account);
  const session = takenOverSession(sessionId, row, { actor: { name: account.name, roles: [...account.roles] }, accountId: account.id }, address);
  core.seats.add(session);
  return session;
}

/**
 * Whether the centre seat has been taken over by another server: then closing it here (its tab's
 * socket gone from this server) must not sign its person out nor release its claims.
 */
export async function heldElsewhere(core: Pick<CoreServices, 'storePort' | 'runId'>, session: Session): Promise<boolean> {
  if (!session.browserSha256 || !session.actor) return false;
  const row = await core.storePort.read((tx) => tx.seatSessions.byId(sha256Hex(session.id)));
  return row !== undefined && row.server !== core.runId;
}

/**
 * Of the centre seats this server has open with someone signed in, those it no longer holds: another
 * server took the seat over (the centre's load balancer moved the browser while this server
 * lived), or it was signed out or ended there. This server must drop its copy, without signing
 * anyone out, so no event of a seat closed elsewhere leaves from here.
 */
export async function seatsGoneElsewhere(core: Pick<CoreServices, 'storePort' | 'runId'>, sessions: readonly Session[]): Promise<Session[]> {
  const held = sessions.filter((s) => s.browserSha256 && s.actor);
  if (held.length === 0) return [];
  const rows = await core.storePort.read((tx) => tx.seatSessions.byIds(held.map((s) => sha256Hex(s.id))));
  const holder = new Map(rows.map((r) => [r.idSha256, r.server]));
  // Signed out here meanwhile (the read raced the write): no actor, nothing to drop.
  return held.filter((s) => s.actor && holder.get(sha256Hex(s.id)) !== core.runId);
}

/**
 * An administrator ends a centre seat another server holds: in one write its claims go back to
 * the queue, the sign-out is logged with who ended it, and the store forgets the seat; its server
 * drops its copy at its next check (within seconds), and the seat's next call asks for sign-in.
 * False when the store holds no seat of that tag.
 */
export async function endSeatElsewhere(core: Pick<CoreServices, 'storePort' | 'clock'>, tag: string, endedBy: string): Promise<boolean> {
  const now = core.clock.nowUs();
  return core.storePort.write(async (tx) => {
    const row = await tx.seatSessions.byTag(tag);
    if (!row) return false;
    const account = await tx.accounts.byId(row.accountId);
    await releaseSeatClaimsTx(tx, tag);
    const payload = { seat: tag, transport: 'network', ...(row.address ? { address: row.address } : {}), reason: 'ended', person: account?.name ?? null };
    await tx.audit.append({ atUs: now, actor: endedBy, action: 'session.signout', entity: `account:${row.accountId}`, payload });
    await tx.seatSessions.remove(row.idSha256);
    return true;
  });
}

/** This server still holds its centre seats (see VOUCH_US); the store forgets seats nobody held for a day. */
export async function vouchForSeats(core: Pick<CoreServices, 'storePort' | 'clock' | 'runId'>): Promise<void> {
  const now = core.clock.nowUs();
  await core.storePort.write((tx) => tx.seatSessions.vouch(core.runId, now, now - FORGOTTEN_SEAT_US), { durability: 'relaxed' });
}

/** Saves the person's activity with a centre seat, once a minute at most, off the call's path: a lost save only makes a take-over lock sooner. */
export function saveActivity(core: Pick<CoreServices, 'storePort'>, session: Session, nowUs: number): void {
  if (!session.browserSha256 || !session.actor || nowUs - session.activitySavedUs < ACTIVITY_SAVE_US) return;
  session.activitySavedUs = nowUs;
  const idSha256 = sha256Hex(session.id);
  core.storePort
    .write((tx) => tx.seatSessions.touch(idSha256, nowUs), { durability: 'relaxed' })
    .catch((err: unknown) => log.warn({ err, seat: session.tag }, "saving a seat's activity failed"));
}
