import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { cookies } from './respond.ts';

/**
 * What a request must carry before the host looks at its seat. Two shapes:
 *
 * - loopback (one machine): the run's random token, printed by `serve` in the address's #token
 *   and set as an HttpOnly cookie; every tab of that browser shares it.
 * - network (a centre): no shared token (it would be one key for every machine). Each browser is
 *   given its own random key in a `__Host-` cookie (Secure, HttpOnly, SameSite=Strict, Path=/)
 *   when it opens its first seat, and a seat only answers requests carrying the key it was opened
 *   with. The key alone is worth nothing: every method but sign-in needs a person signed in on
 *   the seat, and clips need one signed-in seat on that browser.
 */
export interface SeatCredentials {
  readonly mode: 'loopback' | 'network';
  /** Attributes every cookie the host sets carries. */
  readonly cookieFlags: string;
  /** The credential a request carries, when it is a valid one. */
  presented(req: IncomingMessage): string | null;
  /** POST /api/session: the credential the new seat is bound to and the cookies to set, or why not. */
  issue(req: IncomingMessage, address: string): { credential: string; cookies: string[] } | { status: 401 | 429; message: string; retryAfterS?: number };
  /** Drops a browser's key once none of its seats is left. */
  forget(credential: string): void;
  /**
   * A centre's browser keys a request carries that this server did not give (another server of
   * the centre did): candidates for taking a seat over (src/accounts/resume.ts), never trusted
   * until the store vouches for one. Empty on loopback.
   */
  offered(req: IncomingMessage): string[];
  /** Whether `address` may try one more take-over this minute (each tries a database read). */
  mayTryTakeOver(address: string): boolean;
  /** Accepts a key another server gave, once a seat was taken over with it. */
  adopt(credential: string): void;
}

const TOKEN_COOKIE = 'ew_token';
const BROWSER_COOKIE = '__Host-ew_browser';

export function runTokenCredentials(token: string): SeatCredentials {
  const tokenBytes = Buffer.from(token);
  const matches = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const presented = (req: IncomingMessage): string | null => {
    const auth = req.headers.authorization;
    const candidate = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : cookies(req, TOKEN_COOKIE)[0];
    return matches(candidate) ? token : null;
  };
  const cookieFlags = 'HttpOnly; SameSite=Strict';
  return {
    mode: 'loopback',
    cookieFlags,
    presented,
    issue: (req) =>
      presented(req)
        ? { credential: token, cookies: [`${TOKEN_COOKIE}=${token}; ${cookieFlags}; Path=/`] }
        : { status: 401, message: 'missing or wrong token' },
    forget: () => undefined,
    offered: () => [],
    mayTryTakeOver: () => false,
    adopt: () => undefined,
  };
}

/** New browser keys one address may be given per minute: enough for a room of seats behind one NAT, not for filling the host's memory. */
export const NEW_BROWSERS_PER_MINUTE = 60;
/** Seats one address may try to take over per minute: a room's seats after their server died, not a guessing machine. */
export const TAKE_OVERS_PER_MINUTE = 120;
/** A browser key as this host makes them: 32 random bytes, base64url. Anything else is not tried against the store. */
const KEY_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** At most `limit` events per address in any minute; addresses seen once stay only as long as they matter. */
function perMinute(limit: number, nowMs: () => number) {
  const times = new Map<string, number[]>();
  return (address: string): boolean => {
    const now = nowMs();
    const recent = (times.get(address) ?? []).filter((t) => now - t < 60_000);
    const allowed = recent.length < limit;
    if (allowed) recent.push(now);
    times.set(address, recent);
    if (times.size > 10_000) for (const [a, ts] of times) if (ts.every((t) => now - t >= 60_000)) times.delete(a);
    return allowed;
  };
}

export function browserKeyCredentials(nowMs: () => number = Date.now): SeatCredentials {
  const keys = new Set<string>();
  const mayIssue = perMinute(NEW_BROWSERS_PER_MINUTE, nowMs);
  const cookieFlags = 'Secure; HttpOnly; SameSite=Strict';
  const presented = (req: IncomingMessage): string | null => {
    // A Set lookup, not a byte comparison: the key is 256 random bits, so its timing tells nothing usable.
    const value = cookies(req, BROWSER_COOKIE).find((v) => keys.has(v));
    return value ?? null;
  };
  return {
    mode: 'network',
    cookieFlags,
    presented,
    issue(req, address) {
      const known = presented(req);
      const key = known ?? randomBytes(32).toString('base64url');
      if (!known) {
        if (!mayIssue(address)) return { status: 429, message: 'too many new seats from this address; wait a minute', retryAfterS: 60 };
        keys.add(key);
      }
      return { credential: key, cookies: [`${BROWSER_COOKIE}=${key}; ${cookieFlags}; Path=/`] };
    },
    forget: (credential) => void keys.delete(credential),
    offered: (req) =>
      cookies(req, BROWSER_COOKIE)
        .filter((v) => !keys.has(v) && KEY_SHAPE.test(v))
        .slice(0, 2),
    mayTryTakeOver: perMinute(TAKE_OVERS_PER_MINUTE, nowMs),
    adopt: (credential) => void keys.add(credential),
  };
}
