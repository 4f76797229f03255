import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { parseUrl } from './urls.ts';

/**
 * The desktop app as a seat of a review centre: the window shows the centre's own UI, and may go
 * to that one origin and nowhere else. Plain functions, tested on Node (guards.ts applies them).
 */

/** A frame may navigate only within the centre's origin (its pages, a reload); never elsewhere. */
export function centreNavigationAllowed(url: string, origin: string): boolean {
  const u = parseUrl(url);
  return !!u && u.protocol === 'https:' && u.origin === origin && u.username === '' && u.password === '';
}

/**
 * Requests the centre's page may make: its own origin over https, its event socket (wss on the
 * same host and port), data and blob URLs it makes itself. Nothing else: a script injected into
 * the page has nowhere to send what it reads.
 */
export function centreRequestAllowed(url: string, origin: string): boolean {
  const u = parseUrl(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'devtools:') return true;
  const centre = new URL(origin);
  if (u.protocol === 'https:') return u.origin === origin;
  return u.protocol === 'wss:' && u.host === centre.host;
}

/**
 * Whether a certificate chain the centre presented is vouched for by the centre's private CA (the
 * administrator's PEM file): the leaf names the host and is in its validity period, each
 * certificate is signed by the next (intermediates must be CAs), and one of them by a CA of the
 * file. Used only when Chromium's own verification failed, for the centre's host alone.
 */
export function trustedByCentreCa(chainPems: readonly string[], caPem: string, host: string, nowMs: number): boolean {
  let chain: X509Certificate[];
  let cas: X509Certificate[];
  try {
    chain = chainPems.map((p) => new X509Certificate(p));
    cas = splitPem(caPem).map((p) => new X509Certificate(p));
  } catch {
    return false;
  }
  const inTime = (c: X509Certificate) => Date.parse(c.validFrom) <= nowMs && nowMs <= Date.parse(c.validTo);
  const leaf = chain[0];
  if (!leaf || cas.length === 0) return false;
  const named = isIP(host) ? leaf.checkIP(host) !== undefined : leaf.checkHost(host) !== undefined;
  if (!named) return false;
  for (let i = 0; i < chain.length; i++) {
    const c = chain[i]!;
    if (!inTime(c) || (i > 0 && !c.ca)) return false;
    if (cas.some((ca) => ca.ca && inTime(ca) && c.checkIssued(ca) && c.verify(ca.publicKey))) return true;
    const next = chain[i + 1];
    if (!next || !c.checkIssued(next) || !c.verify(next.publicKey)) return false;
  }
  return false;
}

const splitPem = (pem: string): string[] => [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => m[0]);
