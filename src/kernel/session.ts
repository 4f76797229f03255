import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../contract/index.ts';

export interface Actor {
  /** Stable name written on every decision and audit entry. */
  name: string;
  roles: Role[];
}

/**
 * One seat: an Electron window or a browser tab on the host. Transports create them with
 * `Core.openSession` (nobody signed in); sign-in, lock and sign-out change them in the core
 * (src/accounts); handlers read them.
 */
export interface Session {
  /** The transport's secret handle of this seat (the host's session header). Never shown to others. */
  readonly id: string;
  /** A public tag of the seat: claims and events name seats by it. */
  readonly tag: string;
  /** 'network': a browser on another machine reaching a centre server (`serve --listen`). */
  readonly transport: 'electron' | 'loopback' | 'network' | 'cli';
  /** Where the seat connects from (the peer's address, or the proxy's X-Forwarded-For), for an administrator's list of seats. */
  readonly address: string | null;
  /** Core clock when the seat was opened. */
  readonly openedUs: number;
  actor: Actor | null;
  /** The account signed in, or null (nobody, or the CLI's local actor). */
  accountId: number | null;
  /** Core clock at the person's last activity on this seat (a non-passive call or an active heartbeat). */
  lastActivityUs: number;
  /** Locked seats are refused every call but the public ones until the password is given again. */
  locked: boolean;
  /** Why it locked, while it is locked. */
  lockReason: 'requested' | 'idle' | null;
  /**
   * A centre seat's browser key, hashed (SHA-256, hex): the store keeps it with the seat while
   * someone is signed in, so another server of the centre can take the seat over from a request
   * that carries both secrets (src/accounts/resume.ts). Null on every other transport.
   */
  readonly browserSha256: string | null;
  /** Core clock when the person's activity was last saved with the seat (a centre seat's, once a minute at most). */
  activitySavedUs: number;
}

export const newSession = (
  transport: Session['transport'],
  actor: Actor | null,
  where: { address?: string | null; openedUs?: number; browserSha256?: string | null } = {},
): Session => ({
  id: randomUUID(),
  tag: randomBytes(6).toString('base64url'),
  transport,
  address: where.address ?? null,
  openedUs: where.openedUs ?? 0,
  actor,
  accountId: null,
  lastActivityUs: 0,
  locked: false,
  lockReason: null,
  browserSha256: transport === 'network' ? (where.browserSha256 ?? null) : null,
  activitySavedUs: 0,
});

/** A centre seat taken over from another server: its id and tag as they were, its person and lock as the store keeps them. */
export const takenOverSession = (
  id: string,
  seat: { tag: string; openedUs: number; lastActivityUs: number; locked: boolean; lockReason: Session['lockReason']; browserSha256: string },
  person: { actor: Actor; accountId: number },
  address: string | null,
): Session => ({
  id,
  tag: seat.tag,
  transport: 'network',
  address,
  openedUs: seat.openedUs,
  actor: person.actor,
  accountId: person.accountId,
  lastActivityUs: seat.lastActivityUs,
  locked: seat.locked,
  lockReason: seat.locked ? seat.lockReason : null,
  browserSha256: seat.browserSha256,
  activitySavedUs: seat.lastActivityUs,
});

/**
 * A session code on this machine made with its actor already set: the CLI (`cli:<OS user>`),
 * scripts and tests. No transport makes one: transports open seats with nobody signed in, and
 * only sign-in binds an account. Such a session needs no sign-in, never locks, and may decide
 * without holding a claim (never over someone else's claim).
 */
export const isLocalActor = (s: Session): boolean => s.transport === 'cli' || (s.actor !== null && s.accountId === null);
