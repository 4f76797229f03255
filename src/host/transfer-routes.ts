import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { DownloadId, UploadId } from '../contract/index.ts';
import type { Core } from '../core/core.ts';
import type { Session } from '../kernel/session.ts';
import { isTooLarge } from '../files/limits.ts';
import { isUserError, UserError } from '../util/errors.ts';
import { attachment, declaredLength, discardRest, methodNotAllowed, notFound, sendError, sendJson } from './respond.ts';
import { log } from '../util/log.ts';

/** How much of a refused upload is read and thrown away before the connection is closed instead. */
const DISCARD_CAP = 64 * 1024 * 1024;

const STATUS: Record<string, number> = { invalid_input: 400, not_found: 404, conflict: 409, forbidden: 403, unauthenticated: 401, unavailable: 503 };

function sendFailure(req: IncomingMessage, res: ServerResponse, e: unknown): void {
  discardRest(req, DISCARD_CAP);
  if (isTooLarge(e)) return sendError(res, 413, 'invalid_input', e.message);
  if (isUserError(e)) return sendError(res, STATUS[e.code] ?? 400, e.code, e.message);
  log.error({ err: e }, 'host: upload failed');
  sendError(res, 500, 'internal', 'the upload failed; see the log');
}

/** The request body as a stream that a failed write can stop without resetting the connection (the rest is then discarded). */
function bodyOf(req: IncomingMessage): PassThrough {
  const body = new PassThrough();
  req.pipe(body);
  req.on('error', (e) => body.destroy(e));
  req.on('close', () => {
    if (!req.complete) body.destroy(new UserError('invalid_input', 'the upload was interrupted'));
  });
  return body;
}

/** The ?name= of an upload request, decoded strictly: malformed percent-encoding or invalid UTF-8 is no name (URLSearchParams would substitute U+FFFD). */
function uploadName(url: string): string | null {
  const query = url.includes('?') ? url.slice(url.indexOf('?') + 1) : '';
  const raw = query.split('&').find((p) => p.startsWith('name='));
  if (raw === undefined) return null;
  try {
    return decodeURIComponent(raw.slice(5).replaceAll('+', ' '));
  } catch {
    return null;
  }
}

/**
 * `POST /uploads` opens an upload of the seat; `POST /uploads/<id>?name=<relative name>` adds one
 * file (the raw bytes as the body); `DELETE /uploads/<id>` discards it. The seat then names the
 * upload in a contract method (FileSource). Sizes are checked against the declared length first
 * and against the bytes as they arrive; over a limit the answer is 413 with a JSON error.
 */
export async function handleUploads(core: Core, req: IncomingMessage, res: ServerResponse, rest: string, session: Session): Promise<void> {
  if (rest === '') {
    if (req.method !== 'POST') return methodNotAllowed(res, ['POST']);
    discardRest(req, 64 * 1024);
    try {
      const uploadId = core.files.uploads.create(session.id);
      return sendJson(res, 201, { ok: true, value: { uploadId, limits: core.files.uploadLimits() } });
    } catch (e) {
      return sendFailure(req, res, e);
    }
  }
  const [id, ...extra] = rest.split('/');
  if (extra.length > 0 || !UploadId.safeParse(id).success) return notFound(res, 'no such upload');
  if (req.method === 'DELETE') {
    try {
      return core.files.uploads.discard(session.id, id!)
        ? sendJson(res, 200, { ok: true, value: { discarded: true } })
        : notFound(res, 'no such upload of this seat');
    } catch (e) {
      return sendFailure(req, res, e);
    }
  }
  if (req.method !== 'POST') return methodNotAllowed(res, ['POST', 'DELETE']);
  const name = uploadName(req.url ?? '');
  if (name === null)
    return sendFailure(req, res, new UserError('invalid_input', 'name the file: ?name=<its path relative to the folder chosen, percent-encoded UTF-8>'));
  const declared = declaredLength(req);
  if (Number.isNaN(declared)) return sendFailure(req, res, new UserError('invalid_input', 'malformed Content-Length'));
  try {
    const file = await core.files.uploads.receive(session.id, id!, name, declared, bodyOf(req));
    sendJson(res, 201, { ok: true, value: file });
  } catch (e) {
    sendFailure(req, res, e);
  }
}

/**
 * `GET /downloads/<seat tag>/<id>`: a file the core made for a seat, to that seat only: the request
 * must carry the seat's session (its cookie, scoped to this path, or the session header), or the
 * answer is 404, as it is for an unknown or expired id.
 */
export function handleDownload(core: Core, req: IncomingMessage, res: ServerResponse, rest: string, presentedSessionIds: string[]): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, ['GET', 'HEAD']);
  const parts = rest.split('/');
  if (parts.length !== 2 || !DownloadId.safeParse(parts[1]).success) return notFound(res, 'no such download');
  const d = core.files.findDownload(parts[1]!, presentedSessionIds);
  if (!d) return notFound(res, 'no such download for this seat (or it expired)');
  const stream = createReadStream(d.file);
  stream.once('open', () => {
    res.writeHead(200, {
      'content-type': d.contentType,
      'content-length': String(d.bytes),
      'content-disposition': attachment(d.fileName),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Saved, never shown: should a browser render it anyway, it runs nothing.
      'content-security-policy': "sandbox; default-src 'none'",
    });
    if (req.method === 'HEAD') {
      stream.destroy();
      return void res.end();
    }
    stream.pipe(res);
  });
  stream.once('error', () => notFound(res, 'no such download for this seat (or it expired)'));
}
