import { randomBytes } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { isMethodName } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import type { Session } from '../kernel/session.ts';
import { sha256Hex } from '../accounts/resume.ts';
import { contentSecurityPolicy } from './csp.ts';
import { parseRange } from './range.ts';
import { cookies, declaredLength, discardRest, methodNotAllowed, notFound, readLimitedBody, sendError, sendJson } from './respond.ts';
import { contentTypeFor, resolveStaticPath } from './static-files.ts';
import { log } from '../util/log.ts';
import { handleDownload, handleUploads } from './transfer-routes.ts';
import { handleOutcomeRoute, isOutcomePath } from './outcome-routes.ts';
import { mountAgencyLinks, type AgencyLinks } from './agency-links.ts';
import { browserKeyCredentials, runTokenCredentials } from './credentials.ts';
import { SignInLimit } from './signin-limit.ts';
import { INTAKE_PATH, intakeRoute } from './intake-route.ts';
import type { IntakeLimits } from './intake-multipart.ts';

export interface HostOptions {
  core: Core;
  /** Built renderer folder (dist/renderer); the host serves it at /. */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); a random one per run otherwise. Loopback only: a centre server has none. */
  token?: string;
  /** Serve a centre on the network instead of this machine's loopback (see NetworkOptions). */
  network?: NetworkOptions;
  /** Limits of the intake endpoint sensor networks push alerts to (tests make them small). */
  intake?: Partial<IntakeLimits>;
}

/**
 * A centre server (`serve --listen`): seats on other machines. Never without TLS (here, or in a
 * reverse proxy in front that the operator vouches for), never with the run's shared token: each
 * person signs in with their account, each browser holds its own key (credentials.ts).
 */
export interface NetworkOptions {
  /** The address to listen on: 0.0.0.0, ::, or one interface's address. */
  listenHost: string;
  /** The port (0: any free one, for tests). */
  port: number;
  /** The address seats open, e.g. https://review.example or https://review.example:8443: the only Host and Origin accepted. */
  publicOrigin: string;
  /** The certificate chain and key (PEM) this server presents; or 'proxy': a reverse proxy terminates TLS and forwards plain HTTP. */
  tls: { certPem: string; keyPem: string } | 'proxy';
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
/** The seat's session id, for plain links to its downloads; scoped to /downloads/<its tag>, so each tab sends its own. */
const SEAT_COOKIE = 'ew_seat';

/** A seat the host opened, and the credential (run token or browser key) it answers to. */
interface OpenedSeat {
  session: Session;
  credential: string;
  /** When its last event socket closed (ms), or null while one is open or none was ever opened. */
  socketGoneMs: number | null;
  sockets: number;
  /** Host clock (ms) when it was opened; the core's clock may be a test's fake. */
  openedMs: number;
}

/** A seat whose event socket closed and did not come back in this long is closed (its tab is gone): it leaves the admin's list, its claim returns. */
const SEAT_GONE_MS = 2 * 60_000;
/** How often a centre server checks that the seats it has open are still its own (see dropSeatsGoneElsewhere). */
const SEAT_RECONCILE_MS = 5_000;
/** A seat nobody signed in on is forgotten after this long (a centre server is open to anyone who reaches it). */
const UNSIGNED_SEAT_MS = 10 * 60_000;

/**
 * The host transport: HTTP + WebSocket. On loopback (127.0.0.1, the default) every /api, /clips
 * and event request needs the run's token (Bearer header, or the HttpOnly cookie set by POST
 * /api/session); as a centre server (`network`), the browser's own key instead (credentials.ts),
 * over TLS. Host and Origin must name this very host (or the public origin), which stops DNS
 * rebinding and cross-site pages.
 */
export async function startHost(o: HostOptions): Promise<Host> {
  const net = o.network;
  const token = net ? '' : (o.token ?? randomBytes(32).toString('base64url'));
  const credentials = net ? browserKeyCredentials() : runTokenCredentials(token);
  const signInLimit = new SignInLimit();
  const sessions = new Map<string, OpenedSeat>();
  const sockets = new Map<WebSocket, Session>();
  let port = 0;
  let allowedHosts = new Set<string>();
  let allowedOrigins = new Set<string>();
  let agencyLinks: AgencyLinks | undefined = undefined; // mounted once the port is known

  /** The seat named by id, when the request carries the credential it was opened with. */
  const seatFor = (req: IncomingMessage, id: string): Session | undefined => {
    const opened = sessions.get(id);
    return opened && opened.credential === credentials.presented(req) ? opened.session : undefined;
  };
  const sessionOf = (req: IncomingMessage): Session | undefined => seatFor(req, String(req.headers[SESSION_HEADER] ?? ''));
  /** Take-overs under way, by seat id: two requests of one tab at once take its seat over once. */
  const takingOver = new Map<string, Promise<Session | undefined>>();
  /**
   * The seat named by id, as seatFor; on a centre, when no seat of that id was opened here, the
   * seat another server held, taken over (src/accounts/resume.ts): its server died, or the
   * centre's load balancer moved the browser here. The store must hold the seat for a browser key
   * the request carries; this server then accepts that key too.
   */
  const seatOrTakeOver = async (req: IncomingMessage, id: string): Promise<Session | undefined> => {
    const here = seatFor(req, id);
    if (here || !net || !id || id.length > 100 || sessions.has(id)) return here;
    const offered = credentials.offered(req);
    if (offered.length === 0) return undefined;
    const address = addressOf(req);
    let pending = takingOver.get(id);
    if (!pending) {
      pending = (async () => {
        for (const key of offered) {
          if (!credentials.mayTryTakeOver(address)) return undefined;
          const session = await o.core.takeOverSeat(id, key, address);
          if (!session) continue;
          credentials.adopt(key);
          sessions.set(id, { session, credential: key, socketGoneMs: null, sockets: 0, openedMs: Date.now() });
          return session;
        }
        return undefined;
      })()
        .catch((err: unknown) => {
          log.error({ err }, 'taking a seat over failed');
          return undefined;
        })
        .finally(() => takingOver.delete(id));
      takingOver.set(id, pending);
    }
    return (await pending) && seatFor(req, id);
  };
  /** Where a request comes from: the peer, or behind the operator's TLS proxy the address it forwarded. */
  const addressOf = (req: IncomingMessage): string => {
    const peer = req.socket.remoteAddress ?? 'unknown';
    if (net?.tls !== 'proxy') return peer;
    const forwarded = String(req.headers['x-forwarded-for'] ?? '')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    return forwarded[forwarded.length - 1] ?? peer;
  };
  const handleIntake = intakeRoute(o.core, addressOf, o.intake);
  /** A centre's clips go to a browser with a person signed in on one of its seats; on loopback the token is enough. */
  const mayFetchClips = (req: IncomingMessage): boolean => {
    const credential = credentials.presented(req);
    if (credential === null) return false;
    if (!net) return true;
    for (const opened of sessions.values()) if (opened.credential === credential && o.core.mayReceiveEvents(opened.session)) return true;
    return false;
  };
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
    'content-security-policy': contentSecurityPolicy({
      connect: net ? [`wss://${new URL(net.publicOrigin).host}`] : [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
    }),
    ...(net ? { 'strict-transport-security': 'max-age=31536000' } : {}),
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
    // Opening a seat is the one call a centre's browser makes without its key: the answer gives it
    // one. A key another server of the centre gave may still take a seat over (seatOrTakeOver).
    if (name !== 'session' && credentials.presented(req) === null && credentials.offered(req).length === 0)
      return refuse(res, 401, net ? 'no seat key: open a seat first (POST /api/session)' : 'missing or wrong token');
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
    const address = addressOf(req);
    if (name === 'session') {
      // Opens a seat (one per tab) and sets the cookies: the credential for <audio> and the WebSocket, the seat for links to its downloads.
      const issued = credentials.issue(req, address);
      if ('status' in issued)
        return sendError(
          res,
          issued.status,
          issued.status === 401 ? 'unauthenticated' : 'forbidden',
          issued.message,
          issued.retryAfterS ? { 'retry-after': String(issued.retryAfterS) } : {},
        );
      const session = o.core.openSession(net ? 'network' : 'loopback', net ? address : null, net ? sha256Hex(issued.credential) : null);
      sessions.set(session.id, { session, credential: issued.credential, socketGoneMs: null, sockets: 0, openedMs: Date.now() });
      const downloads = `/downloads/${session.tag}`;
      return send(
        res,
        200,
        { ok: true, value: { sessionId: session.id, downloads: `${downloads}/` } },
        { 'set-cookie': [...issued.cookies, `${SEAT_COOKIE}=${session.id}; ${credentials.cookieFlags}; Path=${downloads}`] },
      );
    }
    const session = await seatOrTakeOver(req, String(req.headers[SESSION_HEADER] ?? ''));
    if (!session) return send(res, 401, { ok: false, error: { code: 'unauthenticated', message: 'unknown session: POST /api/session first' } });
    const guessing = net !== undefined && (name === 'signIn' || name === 'unlockSeat');
    if (guessing) {
      const waitS = signInLimit.waitS(address);
      if (waitS > 0)
        return sendError(res, 429, 'forbidden', `too many failed sign-ins from this address: try again in ${waitS} s`, { 'retry-after': String(waitS) });
    }
    const result = await o.core.dispatch(session, name, input);
    if (guessing && !result.ok && result.error.code === 'unauthenticated') signInLimit.failed(address);
    send(res, 200, result);
  }

  async function handleTransfers(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const uploads = path === '/uploads' || path.startsWith('/uploads/');
    if (uploads && req.method !== 'POST' && req.method !== 'DELETE') return methodNotAllowed(res, path === '/uploads' ? ['POST'] : ['POST', 'DELETE']);
    if (!uploads && req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    if (credentials.presented(req) === null) return refuse(res, 401, net ? 'no seat key: open a seat first' : 'missing or wrong token');
    if (!uploads) {
      const header = sessionOf(req);
      // Only a seat of this browser that someone is signed in on and that is not locked takes its downloads.
      const presented = [...cookies(req, SEAT_COOKIE), ...(header ? [header.id] : [])].filter((id) => {
        const s = seatFor(req, id);
        return s !== undefined && o.core.mayReceiveEvents(s);
      });
      return handleDownload(o.core, req, res, path.slice('/downloads/'.length), presented);
    }
    const session = await seatOrTakeOver(req, String(req.headers[SESSION_HEADER] ?? ''));
    if (!session) return refuse(res, 401, 'unknown session: POST /api/session first');
    // Only someone signed in on an unlocked seat sends files: the same check as any method's.
    const admitted = await o.core.admitTransfer(session);
    if (!admitted.ok) return refuse(res, 401, admitted.error.message);
    await handleUploads(o.core, req, res, path === '/uploads' ? '' : path.slice('/uploads/'.length), session);
  }

  // Clips an alert of the database names, once seen: they are content-addressed and never change,
  // so a seat opening an alert reads the database once per clip, not once per range request.
  const knownClips = new Set<string>();
  const clipKnown = async (sha: string): Promise<boolean> => {
    if (knownClips.has(sha)) return true;
    if (!(await o.core.storePort.read((tx) => tx.alerts.clipKnown(sha)))) return false;
    if (knownClips.size >= 100_000) knownClips.clear();
    knownClips.add(sha);
    return true;
  };

  async function handleClip(req: IncomingMessage, res: ServerResponse, sha: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
    if (!mayFetchClips(req)) return refuse(res, 401, net ? 'sign in on a seat first' : 'missing or wrong token');
    if (!/^[0-9a-f]{64}$/.test(sha) || !(await clipKnown(sha))) return send(res, 404, { ok: false, error: { code: 'not_found', message: 'no such clip' } });
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
    if (path.startsWith('/clips/')) return void handleClip(req, res, path.slice(7)).catch(failed(res));
    // Sensor networks push alerts here with their intake key (intake-route.ts); no seat, no browser.
    if (path === INTAKE_PATH) return void handleIntake(req, res).catch(failed(res));
    if (path.startsWith('/intake/')) return notFound(res, `no such address: sensor networks push to ${INTAKE_PATH}`);
    if (path === '/uploads' || path.startsWith('/uploads/') || path.startsWith('/downloads/')) return void handleTransfers(req, res, path).catch(failed(res));
    if (isOutcomePath(path)) return void handleOutcomeRoute(o.core, req, res, path).catch(failed(res));
    handleStatic(req, res, path);
  };
  const server: Server =
    net && net.tls !== 'proxy' ? createTlsServer({ cert: net.tls.certPem, key: net.tls.keyPem, minVersion: 'TLSv1.2' }, handle) : createServer(handle);
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
  server.on('upgrade', (req, socket, head) => void upgrade(req, socket, head));
  const upgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://host.invalid');
    const id = url.searchParams.get('session') ?? '';
    const refuseUpgrade = () => {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
    };
    // Browsers always send Origin on WebSocket handshakes; require it to be ours.
    if (originProblem(req) || req.headers.origin === undefined || url.pathname !== '/api/events') return refuseUpgrade();
    // A tab whose server died reconnects here first: its seat is taken over before the socket opens.
    const session = await seatOrTakeOver(req, id);
    const opened = sessions.get(id);
    if (!session || !opened || socket.destroyed) return refuseUpgrade();
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.set(ws, session);
      opened.sockets++;
      opened.socketGoneMs = null;
      ws.on('close', () => {
        sockets.delete(ws);
        if (--opened.sockets === 0) opened.socketGoneMs = Date.now();
      });
      ws.on('message', () => {
        /* events flow one way */
      });
    });
  };
  const unsubscribe = o.core.events.subscribe((event, payload) => {
    // Each seat gets what the core allows it: nothing when locked or signed out, sealed QA decisions withheld.
    for (const [ws, session] of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      const allowed = o.core.eventFor(session, event, payload);
      if (allowed !== null) ws.send(JSON.stringify({ event, payload: allowed }));
    }
  });

  // Seats whose tab is gone, and (on a centre) seats nobody signed in on, are closed: the admin's list stays true, memory stays bounded.
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, opened] of sessions) {
      const gone = opened.socketGoneMs !== null && now - opened.socketGoneMs > SEAT_GONE_MS;
      const unsigned = net !== undefined && opened.session.actor === null && opened.sockets === 0 && now - opened.openedMs > UNSIGNED_SEAT_MS;
      if (!gone && !unsigned) continue;
      sessions.delete(id);
      void o.core.closeSession(opened.session);
      if (![...sessions.values()].some((s) => s.credential === opened.credential)) credentials.forget(opened.credential);
    }
  }, 30_000);
  sweep.unref();
  // A centre seat another server took over, or signed out or ended there, leaves this server within
  // seconds: its copy dropped (no sign-out: the seat is the other server's) and its sockets closed.
  const reconcile = net
    ? setInterval(() => {
        void o.core
          .dropSeatsGoneElsewhere([...sessions.values()].map((s) => s.session))
          .then((gone) => {
            for (const session of gone) {
              const credential = sessions.get(session.id)?.credential;
              sessions.delete(session.id);
              if (credential && ![...sessions.values()].some((s) => s.credential === credential)) credentials.forget(credential);
              for (const [ws, s] of sockets) if (s === session) ws.close(1012, 'this seat is served by another server of the centre');
            }
          })
          .catch((err: unknown) => log.warn({ err }, "checking the centre's seats failed"));
      }, SEAT_RECONCILE_MS)
    : null;
  reconcile?.unref();

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(net ? net.port : (o.port ?? 0), net ? net.listenHost : '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const publicOrigin = net ? new URL(net.publicOrigin).origin : `http://127.0.0.1:${port}`;
  allowedHosts = net ? new Set([new URL(net.publicOrigin).host]) : new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  allowedOrigins = net ? new Set([publicOrigin]) : new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  agencyLinks = mountAgencyLinks(o.core, `${publicOrigin}/`);

  return {
    url: `${publicOrigin}/`,
    port,
    token,
    async close() {
      clearInterval(sweep);
      if (reconcile) clearInterval(reconcile);
      unsubscribe();
      agencyLinks?.close();
      for (const ws of sockets.keys()) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
