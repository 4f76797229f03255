import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Core } from '../core/core.ts';
import type { Session } from '../core/session.ts';
import { contentSecurityPolicy } from './csp.ts';
import { parseRange } from './range.ts';
import { contentTypeFor, resolveStaticPath } from './static-files.ts';
import { log } from '../util/log.ts';

export interface HostOptions {
  core: Core;
  /** Built renderer folder (dist/renderer); the host serves it at /. */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one per run otherwise. */
  token?: string;
}

export interface Host {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;
const SESSION_HEADER = 'x-earwitness-session';
const COOKIE = 'ew_token';

/**
 * The loopback transport: HTTP + WebSocket on 127.0.0.1 only. Every /api, /clips and event
 * request needs the run's token (Bearer header, or the HttpOnly cookie set by POST /api/session);
 * Host and Origin must name this very host, which stops DNS rebinding and cross-site pages.
 */
export async function startHost(o: HostOptions): Promise<Host> {
  const token = o.token ?? randomBytes(32).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const sessions = new Map<string, Session>();
  const sockets = new Map<WebSocket, Session>();
  let port = 0;
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();

  const tokenMatches = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const presentedToken = (req: IncomingMessage): string | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
    const cookie = req.headers.cookie?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
    return cookie?.slice(COOKIE.length + 1);
  };
  /** Host and Origin checks; returns a refusal reason or null. */
  const originProblem = (req: IncomingMessage): string | null => {
    if (!req.headers.host || !allowedHosts.has(req.headers.host)) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) return 'foreign Origin';
    return null;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(text);
  };
  const refuse = (res: ServerResponse, status: number, message: string) => send(res, status, { ok: false, error: { code: status === 401 ? 'unauthenticated' : 'forbidden', message } });

  const readBody = (req: IncomingMessage): Promise<string> =>
    new Promise((resolve, reject) => {
      let size = 0;
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BODY) {
          reject(Object.assign(new Error('body too large'), { status: 413 }));
          req.destroy();
        } else parts.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
      req.on('error', reject);
    });

  const securityHeaders = () => ({
    'content-security-policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'API calls are POST');
    if (!tokenMatches(presentedToken(req))) return refuse(res, 401, 'missing or wrong token');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json')) return send(res, 415, { ok: false, error: { code: 'invalid_input', message: 'send application/json' } });
    let body: string;
    try {
      body = await readBody(req);
    } catch (e) {
      return send(res, (e as { status?: number }).status ?? 400, { ok: false, error: { code: 'invalid_input', message: (e as Error).message } });
    }
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body) : {};
    } catch {
      return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'the body is not valid JSON' } });
    }
    if (name === 'session') {
      // Opens a seat (one per tab) and sets the cookie so <audio> and WebSocket requests carry the token.
      const session = o.core.openSession('loopback');
      sessions.set(session.id, session);
      return send(res, 200, { ok: true, value: { sessionId: session.id } }, { 'set-cookie': `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/` });
    }
    const session = sessions.get(String(req.headers[SESSION_HEADER] ?? ''));
    if (!session) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'unknown session: POST /api/session first' } });
    send(res, 200, await o.core.dispatch(session, name, input));
  }

  function handleClip(req: IncomingMessage, res: ServerResponse, sha: string): void {
    if (!tokenMatches(presentedToken(req))) return refuse(res, 401, 'missing or wrong token');
    if (!/^[0-9a-f]{64}$/.test(sha) || !o.core.store.alerts.clipKnown(sha)) return send(res, 404, { ok: false, error: { code: 'not_found', message: 'no such clip' } });
    const file = o.core.clips.path(sha);
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return send(res, 404, { ok: false, error: { code: 'not_found', message: 'clip file missing' } });
    }
    const range = parseRange(req.headers.range, size);
    const base = { 'content-type': 'audio/wav', 'accept-ranges': 'bytes', 'cache-control': 'private, max-age=31536000, immutable', etag: `"${sha}"` };
    if (range === 'unsatisfiable') {
      res.writeHead(416, { ...base, 'content-range': `bytes */${size}` });
      return void res.end();
    }
    if (range) {
      res.writeHead(206, { ...base, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(file, { start: range.start, end: range.end }).pipe(res);
      return;
    }
    res.writeHead(200, { ...base, 'content-length': String(size) });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  function handleStatic(req: IncomingMessage, res: ServerResponse, path: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'read-only');
    // Client-side routes fall back to index.html; files with an extension must exist.
    const file = resolveStaticPath(o.rendererDir, path) ?? (/\.[a-z0-9]+$/i.test(path) ? null : resolveStaticPath(o.rendererDir, '/index.html'));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...securityHeaders() });
      return void res.end(path === '/' ? 'The renderer is not built: run `npm run build`.' : 'not found');
    }
    const isHtml = file.endsWith('.html');
    res.writeHead(200, {
      'content-type': contentTypeFor(file),
      'cache-control': isHtml ? 'no-store' : 'public, max-age=3600',
      ...securityHeaders(),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file).pipe(res);
  }

  const server: Server = createServer((req, res) => {
    const problem = originProblem(req);
    if (problem) return refuse(res, 403, problem);
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const path = url.pathname;
    if (path.startsWith('/api/')) {
      handleApi(req, res, path.slice(5)).catch((e) => {
        log.error({ err: e }, 'host: request failed');
        if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'request failed; see the log' } });
      });
      return;
    }
    if (path.startsWith('/clips/')) return handleClip(req, res, path.slice(7));
    handleStatic(req, res, path);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const session = sessions.get(url.searchParams.get('session') ?? '');
    // Browsers always send Origin on WebSocket handshakes; require it to be ours.
    if (originProblem(req) || req.headers.origin === undefined || !tokenMatches(presentedToken(req)) || url.pathname !== '/api/events' || !session) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, session);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => { /* events flow one way */ });
    });
  });
  const unsubscribe = o.core.events.subscribe((event, payload) => {
    // Each seat gets what the core allows it: nothing when locked or signed out, sealed QA decisions withheld.
    for (const [ws, session] of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      const allowed = o.core.eventFor(session, event, payload);
      if (allowed !== null) ws.send(JSON.stringify({ event, payload: allowed }));
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
