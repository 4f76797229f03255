import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoreTx, WriteTx } from '../kernel/store-port.ts';
import type { Store } from '../store/store.ts';
import { publishLifetimes, publishLifetimesTx, SETTING } from './identity.ts';
import { linkBase, linkBaseTx } from './link-base.ts';

/**
 * Signed, expiring links to an incident's audio, put in every message's `resource` `uri`:
 *   <base>agency-audio/<incident id>.<expires, Unix s>.<HMAC-SHA256 hex>/
 * The HMAC is keyed with the centre's link key (setting publish.linkKey, made on first use,
 * rotated by `earwitness identity set --rotate-link-key`, which stops every link sent so far) over
 * "earwitness-audio-link/1:<incident>:<expires>", so a link names one incident until one moment,
 * and nobody can make or widen one without the key.
 */
export const LINK_PREFIX = 'agency-audio/';
const DOMAIN = 'earwitness-audio-link/1';

/** The link key; call inside a transaction (it is created on first use). */
export function linkKey(store: Store, nowUs: number): string {
  const key = store.settings.get<string>(SETTING.linkKey);
  if (usableKey(key)) return key;
  const fresh = randomBytes(32).toString('base64url');
  store.settings.put(SETTING.linkKey, fresh, nowUs);
  return fresh;
}

const usableKey = (key: unknown): key is string => typeof key === 'string' && key.length >= 32;

/** The port's linkKey, inside the caller's write: made under a named lock, so two servers' first links share one key. */
export async function linkKeyTx(tx: WriteTx, nowUs: number): Promise<string> {
  const key = await tx.settings.get<string>(SETTING.linkKey);
  if (usableKey(key)) return key;
  await tx.lock('publish.linkKey');
  const again = await tx.settings.get<string>(SETTING.linkKey);
  if (usableKey(again)) return again;
  const fresh = randomBytes(32).toString('base64url');
  await tx.settings.put(SETTING.linkKey, fresh, nowUs);
  return fresh;
}

const mac = (key: string, incidentId: number, expiresS: number): string =>
  createHmac('sha256', key).update(`${DOMAIN}:${incidentId}:${expiresS}`).digest('hex');

export interface AudioLink {
  uri: string;
  expiresUs: number;
}

/** The link for a message sent at `sentUs`, or null when no host serves links (the desktop app alone). Call inside a transaction. */
export function audioLinkFor(store: Store, incidentId: number, sentUs: number): AudioLink | null {
  const base = linkBase(store);
  if (!base) return null;
  const expiresS = Math.floor(sentUs / 1_000_000) + publishLifetimes(store).linkLifetimeHours * 3600;
  return linkOf(base, linkKey(store, sentUs), incidentId, expiresS);
}

/** audioLinkFor for a message written through the store port `port`, inside its write `tx`. */
export async function audioLinkForTx(tx: WriteTx, port: object, incidentId: number, sentUs: number): Promise<AudioLink | null> {
  const base = await linkBaseTx(tx, port);
  if (!base) return null;
  const expiresS = Math.floor(sentUs / 1_000_000) + (await publishLifetimesTx(tx)).linkLifetimeHours * 3600;
  return linkOf(base, await linkKeyTx(tx, sentUs), incidentId, expiresS);
}

const linkOf = (base: string, key: string, incidentId: number, expiresS: number): AudioLink => ({
  uri: `${base}${LINK_PREFIX}${incidentId}.${expiresS}.${mac(key, incidentId, expiresS)}/`,
  expiresUs: expiresS * 1_000_000,
});

export type LinkCheck = { ok: true; incidentId: number; expiresS: number } | { ok: false; status: 403 | 404; reason: string };

/**
 * Checks a link's token (the path segment after the prefix) in the caller's read: the link key
 * and the incident as the port's database holds them, so every server of a centre serves every
 * link. An altered token is 404 (nothing to name), an expired one 403.
 */
export async function checkLinkTokenTx(tx: StoreTx, token: string, nowMs: number): Promise<LinkCheck> {
  const m = /^(\d{1,12})\.(\d{1,12})\.([0-9a-f]{64})$/.exec(token);
  if (!m) return { ok: false, status: 404, reason: 'not an audio link' };
  const incidentId = Number(m[1]),
    expiresS = Number(m[2]);
  const key = await tx.settings.get<string>(SETTING.linkKey);
  if (typeof key !== 'string') return { ok: false, status: 404, reason: 'no audio link was ever issued here' };
  const want = Buffer.from(mac(key, incidentId, expiresS), 'hex');
  const got = Buffer.from(m[3]!, 'hex');
  if (got.length !== want.length || !timingSafeEqual(got, want))
    return { ok: false, status: 404, reason: 'the link does not verify (altered, or the key was rotated)' };
  if (expiresS * 1000 < nowMs) return { ok: false, status: 403, reason: `the link expired at ${new Date(expiresS * 1000).toISOString()}` };
  if (!(await tx.incidents.get(incidentId))) return { ok: false, status: 404, reason: 'no such incident' };
  return { ok: true, incidentId, expiresS };
}
