import http from 'node:http';
import https from 'node:https';

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

/**
 * One POST, with an overall deadline, no redirects followed (a signed body goes only where it
 * was configured to go), and at most a few KB of the answer read.
 */
export function postOnce(url: string, body: string, headers: Record<string, string>, o: { timeoutMs: number; agents: Agents; signal?: AbortSignal }): Promise<PostResult> {
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
    const req = (secure ? https : http).request(u, {
      method: 'POST',
      agent: secure ? o.agents.https : o.agents.http,
      headers: { ...headers, 'Content-Length': String(payload.length) },
      signal: o.signal,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < EXCERPT_BYTES) chunks.push(c);
        size += c.length;
        if (size > 1024 * 1024) res.destroy(); // a receiver streaming megabytes back is not worth reading
      });
      const done = (error: string | null) => finish({
        status: res.statusCode ?? null,
        excerpt: excerpt(Buffer.concat(chunks).subarray(0, EXCERPT_BYTES)),
        error,
        retryAfterMs: retryAfter(res.headers['retry-after']),
      });
      res.on('end', () => done(null));
      res.on('close', () => done(null));
      res.on('error', (e) => done(`the answer broke off: ${e.message}`));
    });
    const deadline = setTimeout(() => req.destroy(Object.assign(new Error(`no answer within ${o.timeoutMs} ms`), { code: 'ETIMEOUT' })), o.timeoutMs);
    req.on('error', (e) => finish({ status: null, excerpt: null, error: describeError(e, u), retryAfterMs: null }));
    req.end(payload);
  });
}

function excerpt(b: Buffer): string | null {
  if (b.length === 0) return null;
  // eslint-disable-next-line no-control-regex
  const text = b.toString('utf8').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '').trim();
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
    case 'ECONNREFUSED': return `connection refused by ${where} (is the receiver running?)`;
    case 'ENOTFOUND': case 'EAI_AGAIN': return `cannot resolve ${u.hostname}`;
    case 'ECONNRESET': return `the connection to ${where} was reset`;
    case 'ETIMEDOUT': case 'ETIMEOUT': return `${e.message} from ${where}`;
    case 'EHOSTUNREACH': case 'ENETUNREACH': return `${where} is unreachable`;
    case 'ABORT_ERR': return 'stopped: the delivery worker is shutting down';
    default:
      if (e.code && /CERT|SSL|TLS/.test(e.code)) return `TLS failure with ${where}: ${e.code}`;
      return `${e.code ? `${e.code}: ` : ''}${e.message}`.slice(0, 300);
  }
}
