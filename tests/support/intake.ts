import { existsSync, readdirSync } from 'node:fs';
import { request, type ClientRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';

/** One part of a hand-made push: what a hostile or careless sender can put in a request. */
export interface RawPart {
  name: string;
  fileName?: string;
  bytes: Buffer | string;
}

export interface IntakeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { ok: boolean; value?: { alertId: number; duplicate: boolean; message: string }; error?: { code: string; message: string } } | null;
}

const BOUNDARY = 'intake-test-boundary-7f3a';

/** A multipart/form-data body of the parts, written by hand so tests can send what no library would. */
export function multipartBody(parts: RawPart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const file = p.fileName === undefined ? '' : `; filename="${p.fileName}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${p.name}"${file}\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.bytes) ? p.bytes : Buffer.from(p.bytes));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

export const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

function answerOf(res: import('node:http').IncomingMessage): Promise<IntakeAnswer> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    res.on('data', (c: Buffer) => parts.push(c));
    res.on('end', () => {
      let json: IntakeAnswer['json'] = null;
      try {
        json = JSON.parse(Buffer.concat(parts).toString('utf8')) as IntakeAnswer['json'];
      } catch {
        /* left null: the test says what it expected */
      }
      resolve({ status: res.statusCode ?? 0, headers: res.headers, json });
    });
  });
}

/** POSTs a body to the intake endpoint of `origin` with the key (or none), and reads the JSON answer. */
export function postIntake(origin: string, key: string | null, body: Buffer, headers: Record<string, string> = {}): Promise<IntakeAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/intake/v1/alerts', origin), {
      method: 'POST',
      headers: {
        'content-type': MULTIPART,
        'content-length': String(body.byteLength),
        ...(key === null ? {} : { authorization: `Bearer ${key}` }),
        ...headers,
      },
    });
    req.on('response', (res) => void answerOf(res).then(resolve));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A push whose body is held back after its first `heldBytes`: it keeps its place in the intake
 * until `release()` sends the rest. How a slow sender looks to the server.
 */
export function heldPush(
  origin: string,
  key: string,
  body: Buffer,
  heldBytes: number,
  ca?: string,
): { req: ClientRequest; answer: Promise<IntakeAnswer>; release(): void } {
  const url = new URL('/intake/v1/alerts', origin);
  const o = { method: 'POST', headers: { 'content-type': MULTIPART, 'content-length': String(body.byteLength), authorization: `Bearer ${key}` } };
  const req = url.protocol === 'https:' ? httpsRequest(url, { ...o, ca }) : request(url, o);
  const answer = new Promise<IntakeAnswer>((resolve, reject) => {
    req.on('response', (res) => void answerOf(res).then(resolve));
    req.on('error', reject);
  });
  // Awaited by the test; a test that fails first must not leave it an unhandled rejection.
  answer.catch(() => undefined);
  req.write(body.subarray(0, heldBytes));
  return { req, answer, release: () => req.end(body.subarray(heldBytes)) };
}

/** Files and folders left in the data folder's transfer runs (a push is received in a run's work folder). */
export function workFiles(dataDir: string): string[] {
  const root = join(dataDir, 'transfers');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const path = `${rel}${e.name}`;
      // A run's own folders (uploads, downloads, work) and its owner file are not leftovers.
      const own = /^run-[^/]+(\/(uploads|downloads|work|owner\.json))?$/.test(path);
      if (!own) out.push(path);
      if (e.isDirectory()) walk(join(d, e.name), `${path}/`);
    }
  };
  walk(root, '');
  return out;
}
