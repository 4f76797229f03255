import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import tls from 'node:tls';

export interface PostResult {
  /** HTTP status, or null when no answer came (refused, reset, timed out, TLS failure). */
  status: number | null;
  latencyMs: number;
  /** The start of the answer's body, printable, for the admin who asks why. */
  excerpt: string | null;
  error: string | null;
  /** The receiver's Retry-After, in milliseconds. */
  retryAfterMs: number | null;
}

export interface Agents {
  http: http.Agent;
  https: https.Agent;
}

const EXCERPT_BYTES = 2048;
const EXCERPT_CHARS = 500;

export const newAgents = (maxSockets: number): Agents => ({
  http: new http.Agent({ keepAlive: true, maxSockets }),
  https: new https.Agent({ keepAlive: true, maxSockets }),
});

/** An endpoint's own TLS options (src/publish/endpoint-tls.ts checked them when they were stored). */
export interface EndpointTlsOptions {
  clientCertPem: string | null;
  clientKeyPem: string | null;
  caPem: string | null;
  proxyUrl: string | null;
}

/**
 * One HTTPS agent per distinct set of TLS options (client certificate and key, private CA), kept
 * while the options stay the same: an endpoint's handshake uses its own identity and trust, never
 * another agency's, and keep-alive still works.
 */
export class TlsAgents {
  private readonly agents = new Map<string, https.Agent>();
  constructor(private readonly maxSockets: number) {}

  for(o: EndpointTlsOptions): https.Agent | null {
    if (o.clientCertPem === null && o.caPem === null) return null;
    const key = createHash('sha256')
      .update(JSON.stringify([o.clientCertPem, o.clientKeyPem, o.caPem]))
      .digest('hex');
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new https.Agent({ keepAlive: true, maxSockets: this.maxSockets, ...tlsOptions(o) });
      this.agents.set(key, agent);
    }
    return agent;
  }

  destroy(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}

const tlsOptions = (o: EndpointTlsOptions): tls.ConnectionOptions => ({
  ...(o.clientCertPem !== null && o.clientKeyPem !== null ? { cert: o.clientCertPem, key: o.clientKeyPem } : {}),
  // A private CA replaces the system's: the endpoint must chain to it.
  ...(o.caPem !== null ? { ca: o.caPem } : {}),
});

/**
 * Through an HTTP proxy: an https endpoint gets a CONNECT tunnel, then TLS inside it with the
 * endpoint's own options (the proxy never sees the body); an http endpoint is asked of the proxy
 * by its absolute URL.
 */
function viaProxy(
  u: URL,
  proxy: URL,
  o: EndpointTlsOptions,
  timeoutMs: number,
): Promise<{ createConnection: () => tls.TLSSocket } | { host: string; port: number; path: string }> {
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
  if (u.protocol === 'http:') return Promise.resolve({ host: proxy.hostname, port: proxyPort, path: u.href });
  const target = `${u.hostname}:${u.port || 443}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: proxyPort, method: 'CONNECT', path: target, headers: { host: target }, timeout: timeoutMs });
    req.on('connect', (res, socket) => {
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(Object.assign(new Error(`the proxy ${proxy.host} refused the tunnel to ${target} (HTTP ${res.statusCode})`), { code: 'EPROXY' }));
        return;
      }
      // SNI carries host names only (RFC 6066): none for an IP address.
      resolve({ createConnection: () => tls.connect({ socket, host: u.hostname, ...(isIP(u.hostname) ? {} : { servername: u.hostname }), ...tlsOptions(o) }) });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`the proxy ${proxy.host} did not answer`), { code: 'EPROXY' })));
    req.on('error', (e: Error & { code?: string }) =>
      reject(e.code === 'EPROXY' ? e : Object.assign(new Error(`the proxy ${proxy.host} cannot be reached: ${e.message}`), { code: 'EPROXY' })),
    );
    req.end();
  });
}

/**
 * One POST, with an overall deadline, no redirects followed (a signed body goes only where it
 * was configured to go), and at most a few KB of the answer read.
 */
export function postOnce(
  url: string,
  body: string,
  headers: Record<string, string>,
  o: { timeoutMs: number; agents: Agents; tlsAgents?: TlsAgents; tls?: EndpointTlsOptions; signal?: AbortSignal },
): Promise<PostResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      resolve({ ...r, latencyMs: Math.round((performance.now() - started) * 1000) / 1000 });
    };
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      finish({ status: null, excerpt: null, error: 'the endpoint URL is not valid', retryAfterMs: null });
      return;
    }
    const secure = u.protocol === 'https:';
    const payload = Buffer.from(body, 'utf8');
    const endpointTls = o.tls ?? { clientCertPem: null, clientKeyPem: null, caPem: null, proxyUrl: null };
    type Route = { createConnection: () => tls.TLSSocket } | { host: string; port: number; path: string } | null;
    let currentReq: http.ClientRequest | null = null;
    const send = (route: Route) => {
      const common = { method: 'POST', headers: { ...headers, 'Content-Length': String(payload.length) }, signal: o.signal };
      let req: http.ClientRequest;
      if (route === null) {
        const agent = secure ? (o.tlsAgents?.for(endpointTls) ?? o.agents.https) : o.agents.http;
        req = (secure ? https : http).request(u, { ...common, agent }, onResponse);
      } else if ('createConnection' in route) {
        // A tunnelled request has its own socket: no agent (node uses createConnection only when none is given), no pooling.
        req = https.request(u, { ...common, createConnection: route.createConnection }, onResponse);
      } else {
        req = http.request(
          { ...common, host: route.host, port: route.port, path: route.path, setHost: false, headers: { ...common.headers, host: u.host }, agent: false },
          onResponse,
        );
      }
      currentReq = req;
      req.on('error', (e) => finish({ status: null, excerpt: null, error: describeError(e, u), retryAfterMs: null }));
      req.end(payload);
    };
    function onResponse(res: http.IncomingMessage) {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(c);
        size += c.length;
        if (size > 1024 * 1024) res.destroy(); // a receiver streaming megabytes back is not worth reading
      });
      const done = (error: string | null) =>
        finish({
          status: res.statusCode ?? null,
          excerpt: excerpt(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES)),
          error,
          retryAfterMs: retryAfter(res.headers['retry-after']),
        });
      res.on('end', () => done(null));
      res.on('close', () => done(null));
      res.on('error', (e) => done(`the answer broke off: ${e.message}`));
    }
    const timeout = () => {
      const e = Object.assign(new Error(`no answer within ${o.timeoutMs} ms`), { code: 'ETIMEOUT' });
      if (currentReq) currentReq.destroy(e);
      else finish({ status: null, excerpt: null, error: describeError(e, u), retryAfterMs: null });
    };
    const deadline = setTimeout(timeout, o.timeoutMs);
    if (endpointTls.proxyUrl === null) send(null);
    else {
      viaProxy(u, new URL(endpointTls.proxyUrl), endpointTls, o.timeoutMs).then(send, (e: Error & { code?: string }) =>
        finish({ status: null, excerpt: null, error: describeError(e, u), retryAfterMs: null }),
      );
    }
  });
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

function excerpt(b: Buffer): string | null {
  if (b.length === 0) return null;
  const text = b.toString('utf8').replace(CONTROL_CHARACTERS, '').trim();
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text || null;
}

function retryAfter(v: string | undefined): number | null {
  if (!v) return null;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - Date.now());
}

function describeError(e: Error & { code?: string }, u: URL): string {
  const where = `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `connection refused by ${where} (is the receiver running?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve ${u.hostname}`;
    case 'ECONNRESET':
      return `the connection to ${where} was reset`;
    case 'ETIMEDOUT':
    case 'ETIMEOUT':
      return `${e.message} from ${where}`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `${where} is unreachable`;
    case 'ABORT_ERR':
      return 'stopped: the delivery worker is shutting down';
    case 'EPROXY':
      return e.message;
    default:
      {
        const words = e.code ? TLS_WORDS[e.code] : undefined;
        if (words) return `TLS handshake with ${where} failed: ${words} (${e.code})`;
        if (e.code && /CERT|SSL|TLS/.test(e.code)) return `TLS handshake with ${where} failed: ${e.message} (${e.code})`;
      }
      return `${e.code ? `${e.code}: ` : ''}${e.message}`.slice(0, 300);
  }
}

/** Why a TLS handshake failed, in words an administrator acts on (OpenSSL's codes, as node reports them). */
const TLS_WORDS: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the endpoint's certificate does not chain to a trusted CA (give the agency's private CA?)",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the endpoint's certificate does not chain to a trusted CA (give the agency's private CA?)",
  SELF_SIGNED_CERT_IN_CHAIN: "the endpoint's certificate chains to a CA that is not trusted here (wrong private CA?)",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the endpoint presents a self-signed certificate that is not trusted here',
  CERT_HAS_EXPIRED: "the endpoint's certificate has expired",
  CERT_NOT_YET_VALID: "the endpoint's certificate is not valid yet (check the clocks)",
  ERR_TLS_CERT_ALTNAME_INVALID: "the endpoint's certificate is for another host name",
  ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED: 'the endpoint requires a client certificate and none was given',
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: 'the endpoint refused our client certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED: 'the endpoint refused our client certificate: it has expired',
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: 'the endpoint does not trust the CA of our client certificate',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: 'the endpoint refused our client certificate',
  ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR: 'the endpoint refused our client certificate',
};
