import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { LIMITS } from '../ingest/limits.ts';
import { manifestInside, readInside, resolveInside, type InsideFile } from '../ingest/safe-path.ts';
import { isUserError } from '../util/errors.ts';

/** One part of a push: alert.json's bytes, or a clip file checked to be inside the bundle. */
type Part = { name: 'alert'; fileName: 'alert.json'; bytes: Buffer } | { name: 'clip'; fileName: string; file: InsideFile };

/** The server's answer to one push. */
export interface PushAnswer {
  status: number;
  retryAfterS: number | null;
  body: { ok: true; value: { alertId: number; duplicate: boolean; message: string } } | { ok: false; error: { code: string; message: string } } | null;
  text: string;
}

/**
 * The parts of a bundle, read from its folder: alert.json, then each distinct clip it names, each
 * checked to lie inside the bundle (no absolute path, no '..', no link out): a sender never reads
 * or sends a file outside the folder it was given. A manifest it cannot make sense of is still
 * sent alone, so the centre says why it refuses it.
 */
export function bundleParts(dir: string): Part[] {
  const manifest = manifestInside(dir, 'alert.json', LIMITS.metadataBytes);
  const bytes = readInside(manifest, 'alert.json');
  const parts: Part[] = [{ name: 'alert', fileName: 'alert.json', bytes }];
  let sensors: unknown;
  try {
    sensors = (JSON.parse(bytes.toString('utf8')) as { sensors?: unknown }).sensors;
  } catch {
    return parts;
  }
  const seen = new Set<string>();
  for (const s of Array.isArray(sensors) ? sensors : []) {
    const clip = (s as { clip?: unknown } | null)?.clip;
    if (typeof clip !== 'string' || seen.has(clip)) continue;
    seen.add(clip);
    if (/["\r\n]/.test(clip)) throw new Error(`clip ${JSON.stringify(clip)}: a name with quotes or line breaks cannot be sent`);
    try {
      parts.push({ name: 'clip', fileName: clip, file: resolveInside(dir, clip, LIMITS.clipBytes) });
    } catch (e) {
      if (isUserError(e)) throw new Error(`not sent: ${e.message}`, { cause: e });
      throw e;
    }
  }
  return parts;
}

/** The multipart/form-data body of the parts, streamed (clips are read as they are sent), and its exact length. */
function multipart(parts: Part[]): { boundary: string; length: number; body: () => Readable } {
  const boundary = `earwitness-${randomBytes(12).toString('hex')}`;
  const head = (p: Part) =>
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.fileName}"\r\nContent-Type: ${p.name === 'alert' ? 'application/json' : 'audio/wav'}\r\n\r\n`,
    );
  const tail = Buffer.from(`--${boundary}--\r\n`);
  const length = parts.reduce((n, p) => n + head(p).byteLength + (p.name === 'alert' ? p.bytes.byteLength : p.file.size) + 2, 0) + tail.byteLength;
  async function* chunks() {
    for (const p of parts) {
      yield head(p);
      if (p.name === 'alert') yield p.bytes;
      else yield* createReadStream(p.file.path);
      yield Buffer.from('\r\n');
    }
    yield tail;
  }
  return { boundary, length, body: () => Readable.from(chunks()) };
}

/**
 * Sends one bundle's parts to the intake endpoint and reads the answer (at most 64 KB of it).
 * `localAddress`: the address to send from, for a sender with several (a centre's balancer keeps
 * each source address on one server).
 */
export function sendPush(url: URL, key: string, parts: Part[], ca: string | undefined, localAddress?: string): Promise<PushAnswer> {
  const { boundary, length, body } = multipart(parts);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(length) },
        ...(ca !== undefined ? { ca } : {}),
        ...(localAddress !== undefined ? { localAddress } : {}),
      },
      (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          if (text.length < 65536) text += c;
        });
        res.on('end', () => {
          let parsed: PushAnswer['body'] = null;
          try {
            parsed = JSON.parse(text) as PushAnswer['body'];
          } catch {
            /* not JSON (a proxy's page): the status says enough */
          }
          const retry = Number(res.headers['retry-after']);
          resolve({ status: res.statusCode ?? 0, retryAfterS: Number.isFinite(retry) && retry >= 0 ? retry : null, body: parsed, text });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    const stream = body();
    stream.on('error', (e) => req.destroy(e));
    stream.pipe(req);
  });
}

/** The CA file's PEM, for a centre whose certificate a private CA issued. */
export const readCa = (file: string): string => readFileSync(file, 'utf8');
