import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { EndpointTls } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';

/**
 * An endpoint's TLS options, checked before anything is stored: certificates and keys must parse
 * (node's crypto, i.e. OpenSSL), a client certificate comes with its own private key (they must
 * match, and the key may not be encrypted: the worker has no one to ask for a passphrase), and a
 * proxy is an http:// or https:// URL. A certificate past its end date is refused: it would fail
 * every handshake.
 */
export interface TlsInput {
  clientCertPem?: string | null;
  clientKeyPem?: string | null;
  caPem?: string | null;
  proxy?: string | null;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** Every certificate in a PEM text, parsed; a clear refusal naming `what` when there is none or one does not parse. */
export function certificates(pem: string, what: string): X509Certificate[] {
  const blocks = [...pem.matchAll(PEM_BLOCK)].filter((m) => m[1] === 'CERTIFICATE').map((m) => m[0]);
  if (blocks.length === 0) throw new UserError('invalid_input', `the ${what} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  return blocks.map((b, i) => {
    try {
      return new X509Certificate(b);
    } catch (e) {
      throw new UserError('invalid_input', `certificate ${i + 1} of the ${what} does not parse: ${(e as Error).message}`);
    }
  });
}

export function expiredOrNotYet(c: X509Certificate, what: string, nowMs: number): void {
  if (Date.parse(c.validTo) < nowMs) throw new UserError('invalid_input', `the ${what} expired on ${new Date(c.validTo).toISOString().slice(0, 10)}`);
}

export function checkProxyUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new UserError('invalid_input', `the proxy is not a URL: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError('invalid_input', `a proxy is an http:// or https:// URL, not ${url.protocol}`);
  if (!url.hostname) throw new UserError('invalid_input', 'the proxy URL has no host');
  if (url.pathname !== '/' || url.search || url.hash)
    throw new UserError('invalid_input', 'the proxy URL is a host and port only (no path, query or fragment)');
  return url.href;
}

/** A PEM private key, or why it cannot be used. An encrypted one is refused: no one is there to give its passphrase. */
export function readPrivateKey(pem: string): KeyObject | string {
  try {
    return createPrivateKey(pem);
  } catch (e) {
    return /passphrase|encrypted/i.test((e as Error).message) ? 'it is encrypted (give it without a passphrase)' : (e as Error).message;
  }
}

/** Checks given TLS options and merges them over `current` (undefined keeps, null removes). */
export function checkTls(input: TlsInput, current: EndpointTls, nowMs = Date.now()): EndpointTls {
  const pick = <K extends keyof TlsInput>(k: K, cur: string | null): string | null => (input[k] === undefined ? cur : (input[k] ?? null));
  const cert = pick('clientCertPem', current.clientCertPem);
  const key = pick('clientKeyPem', current.clientKeyPem);
  const ca = pick('caPem', current.caPem);
  const proxy = pick('proxy', current.proxyUrl);
  if ((cert === null) !== (key === null))
    throw new UserError('invalid_input', 'a client certificate needs its private key, and a key its certificate: give both or neither');
  if (cert !== null && key !== null) {
    const [leaf] = certificates(cert, 'client certificate');
    expiredOrNotYet(leaf!, 'client certificate', nowMs);
    const k = readPrivateKey(key);
    if (typeof k === 'string') throw new UserError('invalid_input', `the client key does not parse: ${k}`);
    if (!leaf!.checkPrivateKey(k)) throw new UserError('invalid_input', 'the client key does not belong to the client certificate');
  }
  if (ca !== null) for (const c of certificates(ca, 'CA')) expiredOrNotYet(c, `CA certificate ${c.subject.replace(/\n/g, ', ')}`, nowMs);
  return { clientCertPem: cert, clientKeyPem: key, caPem: ca, proxyUrl: proxy === null ? null : checkProxyUrl(proxy) };
}

/** A proxy URL as shown: credentials replaced by "…". */
export function redactProxy(href: string | null): string | null {
  if (href === null) return null;
  try {
    const u = new URL(href);
    if (!u.username && !u.password) return u.href;
    return `${u.protocol}//…@${u.host}/`;
  } catch {
    return '(invalid URL)';
  }
}
