import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMethodName } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import type { Session } from '../core/session.ts';
import { contentSecurityPolicy } from './csp.ts';
import { parseRange } from './range.ts';
import { cookies, declaredLength, discardRest, methodNotAllowed, notFound, readLimitedBody, sendError, sendJson } from './respond.ts';
import { contentTypeFor, resolveStaticPath } from './static-files.ts';
import { log } from '../util/log.ts';
import { handleDownload, handleUploads } from './transfer-routes.ts';
import { handleOutcomeRoute, isOutcomePath } from './outcome-routes.ts';
import { mountAgencyLinks, type AgencyLinks } from './agency-links.ts';

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
/** A refused body is read and thrown away up to this much, so the client gets its 413; past it the connection closes. */
const DISCARD_CAP = 64 * 1024 * 1024;
const SESSION_HEADER = 'x-earwitness-session';
const COOKIE = 'ew_token';
/** The seat's session id, for plain links to its downloads; scoped to /downloads/<its tag>, so each tab sends its own. */
const SEAT_COOKIE = 'ew_seat';

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
  let agencyLinks: AgencyLinks | undefined = undefined; // mounted once the port is known

  const tokenMatches = (candidate: string | undefined): boolean => {
    if (!candidate) return false;
    const b = Buffer.from(candidate);
    return b.length === tokenBytes.length && timingSafeEqual(b, tokenBytes);
  };
  const presentedToken = (req: IncomingMessage): string | undefined => {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
    return cookies(req, COOKIE)[0];
  };
  const sessionOf = (req: IncomingMessage): Session | undefined => sessions.get(String(req.headers[SESSION_HEADER] ?? ''));
  /** Host and Origin checks; returns a refusal reason or null. */
  const originProblem = (req: IncomingMessage): string | null => {
    if (!req.headers.host || !allowedHosts.has(req.headers.host)) return 'unexpected Host header';
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins.has(origin)) return 'foreign Origin';
    return null;
  };

  const send = sendJson;
  const refuse = (res: ServerResponse, status: number, message: string) => sendError(res, status, status === 401 ? 'unauthenticated' : 'forbidden', message);
  const tooLarge = (res: ServerResponse) => sendError(res, 413, 'invalid_input', `the body is over the ${MAX_BODY}-byte limit of an API call`);

  const securityHeaders = () => ({
    'content-security-policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-frame-options': 'DENY',
  });

  async function handleApi(req: IncomingMessage, res: ServerResponse, name: string): Promise<void> {
    if (name === 'events') {
      // The event socket is a WebSocket upgrade (see 'upgrade' below); plain HTTP gets told so.
      if (req.method !== 'GET') return methodNotAllowed(res, ['GET']);
      return sendError(res, 426, 'invalid_input', 'the event stream is a WebSocket', { upgrade: 'websocket', connection: 'Upgrade' });
    }
    if (name !== 'session' && !isMethodName(name)) return notFound(res, `no API method ${JSON.stringify(name.slice(0, 60))}`);
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST']);
    if (!tokenMatches(presentedToken(req))) return refuse(res, 401, 'missing or wrong token');
    if (!(req.headers['content-type'] ?? '').startsWith('application/json'))
      return send(res, 415, { ok: false, error: { code: 'invalid_input', message: 'send application/json' } });
    const declared = declaredLength(req);
    if (Number.isNaN(declared)) return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'malformed Content-Length' } });
    // Refused on its declared length before a byte is read; the rest is read and dropped, so the client gets the 413.
    if (declared !== null && declared > MAX_BODY) return tooLarge(res);
    const body = await readLimitedBody(req, MAX_BODY, DISCARD_CAP);
    if (!body.ok) return body.reason === 'too_large' ? tooLarge(res) : undefined;
    let input: unknown;
    try {
      input = body.text.length ? JSON.parse(body.text) : {};
    } catch {
      return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'the body is not valid JSON' } });
    }
    if (name === 'session') {
      // Opens a seat (one per tab) and sets the cookies: the token for <audio> and the WebSocket, the seat for links to its downloads.
      const session = o.core.openSession('loopback');
      sessions.set(session.id, session);
      const downloads = `/downloads/${session.tag}`;
      return send(
        res,
        200,
        { ok: true, value: { sessionId: session.id, downloads: `${downloads}/` } },
        {
          'set-cookie': [`${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`, `${SEAT_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=${downloads}`],
        },
      );
    }
    const session = sessionOf(req);
    if (!session) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'unknown session: POST /api/session first' } });
    send(res, 200, await o.core.dispatch(session, name, input));
  }

  async function handleTransfers(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const uploads = path === '/uploads' || path.startsWith('/uploads/');
    if (uploads && req.method !== 'POST' && req.method !== 'DELETE') return methodNotAllowed(res, path === '/uploads' ? ['POST'] : ['POST', 'DELETE']);
    if (!uploads && req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    if (!tokenMatches(presentedToken(req))) return refuse(res, 401, 'missing or wrong token');
    if (!uploads) {
      const header = sessionOf(req);
      // Only a seat someone is signed in on and that is not locked takes its downloads.
      const presented = [...cookies(req, SEAT_COOKIE), ...(header ? [header.id] : [])].filter((id) => {
        const s = sessions.get(id);
        return s !== undefined && o.core.mayReceiveEvents(s);
      });
      return handleDownload(o.core, req, res, path.slice('/downloads/'.length), presented);
    }
    const session = sessionOf(req);
    if (!session) return refuse(res, 401, 'unknown session: POST /api/session first');
    // Only someone signed in on an unlocked seat sends files: the same check as any method's.
    const admitted = o.core.admitTransfer(session);
    if (!admitted.ok) return refuse(res, 401, admitted.error.message);
    await handleUploads(o.core, req, res, path === '/uploads' ? '' : path.slice('/uploads/'.length), session);
  }

  function handleClip(req: IncomingMessage, res: ServerResponse, sha: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    if (!tokenMatches(presentedToken(req))) return refuse(res, 401, 'missing or wrong token');
    if (!/^[0-9a-f]{64}$/.test(sha) || !o.core.store.alerts.clipKnown(sha))
      return send(res, 404, { ok: false, error: { code: 'not_found', message: 'no such clip' } });
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
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
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

  const failed = (res: ServerResponse) => (e: unknown) => {
    log.error({ err: e }, 'host: request failed');
    if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: 'request failed; see the log' } });
  };
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    // Whatever answer goes out before the body was read, the rest of the body is read and dropped (up to a cap), never reset.
    res.once('finish', () => discardRest(req, DISCARD_CAP));
    if (agencyLinks?.handle(req, res)) return; // agencies' signed audio links: the link is the credential (agency-links.ts)
    const problem = originProblem(req);
    if (problem) return refuse(res, 403, problem);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://host.invalid');
    } catch {
      return send(res, 400, { ok: false, error: { code: 'invalid_input', message: 'malformed address' } });
    }
    const path = url.pathname;
    if (path === '/api' || path.startsWith('/api/')) return void handleApi(req, res, path.slice(5)).catch(failed(res));
    if (path.startsWith('/clips/')) return handleClip(req, res, path.slice(7));
    if (path === '/uploads' || path.startsWith('/uploads/') || path.startsWith('/downloads/')) return void handleTransfers(req, res, path).catch(failed(res));
    if (isOutcomePath(path)) return void handleOutcomeRoute(o.core, req, res, path).catch(failed(res));
    handleStatic(req, res, path);
  };
  const server: Server = createServer(handle);
  // A client that waits for 100-continue before sending a large body is told 413 at once instead.
  server.on('checkContinue', (req, res) => {
    const declared = declaredLength(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/api/') && declared !== null && declared > MAX_BODY) {
      res.shouldKeepAlive = false;
      return tooLarge(res);
    }
    res.writeContinue();
    handle(req, res);
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
      ws.on('message', () => {
        /* events flow one way */
      });
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
  agencyLinks = mountAgencyLinks(o.core, `http://127.0.0.1:${port}/`);

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    async close() {
      unsubscribe();
      agencyLinks?.close();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
