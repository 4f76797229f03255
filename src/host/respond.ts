import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorCode } from '../contract/index.ts';

/** A JSON answer; never cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

/** An error in the contract's shape, with the HTTP status that says it to clients that read only that. */
export function sendError(res: ServerResponse, status: number, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { ok: false, error: { code, message } }, headers);
}

/** 405 naming the methods the route answers, in the Allow header and the message. */
export function methodNotAllowed(res: ServerResponse, allow: readonly string[]): void {
  sendError(res, 405, 'invalid_input', `this address answers ${allow.join(', ')}`, { allow: allow.join(', ') });
}

export function notFound(res: ServerResponse, message = 'no such address'): void {
  sendError(res, 404, 'not_found', message);
}

/**
 * What is left of a request body once an answer went out before all of it was read (a refusal,
 * a body over the limit): read and thrown away, so the client gets the answer rather than a
 * connection reset, up to `cap` bytes; past that the connection is closed.
 */
export function discardRest(req: IncomingMessage, cap: number): void {
  if (req.complete || req.destroyed) return;
  let seen = 0;
  req.unpipe();
  req.removeAllListeners('data');
  req.on('data', (c: Buffer) => {
    seen += c.byteLength;
    if (seen > cap) req.socket.destroy();
  });
  req.resume();
}

/** The Content-Length a request declares, or null (chunked, or missing); NaN for a malformed one. */
export function declaredLength(req: IncomingMessage): number | null {
  const v = req.headers['content-length'];
  if (v === undefined) return null;
  return /^\d{1,15}$/.test(v) ? Number(v) : Number.NaN;
}

/** Reads a whole body up to `limit` bytes; over it, the rest is discarded and the answer is 'too large'. */
export function readLimitedBody(
  req: IncomingMessage,
  limit: number,
  discardCap: number,
): Promise<{ ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' }> {
  return new Promise((resolve) => {
    let size = 0;
    const parts: Buffer[] = [];
    let done = false;
    const finish = (r: { ok: true; text: string } | { ok: false; reason: 'too_large' | 'aborted' }) => {
      if (done) return;
      done = true;
      resolve(r);
    };
    const onData = (c: Buffer) => {
      size += c.byteLength;
      if (size > limit) {
        req.off('data', onData);
        parts.length = 0;
        discardRest(req, discardCap);
        finish({ ok: false, reason: 'too_large' });
      } else parts.push(c);
    };
    req.on('data', onData);
    req.on('end', () => finish({ ok: true, text: Buffer.concat(parts).toString('utf8') }));
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
  });
}

/** Cookie values by name; a name may come more than once (cookies of different paths). */
export function cookies(req: IncomingMessage, name: string): string[] {
  return (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c.startsWith(`${name}=`))
    .map((c) => c.slice(name.length + 1));
}

/** Content-Disposition for a download: an ASCII name for old clients, the exact one (RFC 5987) for the others. */
export function attachment(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
