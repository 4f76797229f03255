import { createWriteStream, mkdirSync, writeFileSync, type WriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { LIMITS } from '../ingest/limits.ts';

/** Hard limits on one push (POST /intake/v1/alerts). */
export interface IntakeLimits {
  /** Pushes received and imported at once. */
  concurrency: number;
  /** Pushes waiting for a place; beyond, 429. */
  queue: number;
  /** Parts of one request: alert.json and a clip per sensor. */
  parts: number;
  /** Bytes of one clip part: alert clips are seconds long (10 s of 24-bit 48 kHz mono is 1.4 MB). */
  partBytes: number;
  /** Bytes of the whole request. */
  totalBytes: number;
  /** Bytes of alert.json, as the importer allows. */
  manifestBytes: number;
  /** How long the body may take to arrive; a sender that trickles it keeps a place no longer. */
  bodyTimeoutMs: number;
}

export const INTAKE_LIMITS: IntakeLimits = {
  concurrency: 4,
  queue: 16,
  parts: 1 + LIMITS.sensorsPerAlert,
  partBytes: 64 * 1024 * 1024,
  totalBytes: 256 * 1024 * 1024,
  manifestBytes: LIMITS.metadataBytes,
  bodyTimeoutMs: 120_000,
};

/** A push turned away while its body was read: the HTTP status and the sender's reason. */
export class IntakeRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 408 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export type Received<T> = { kind: 'received' } | { kind: 'early'; answer: T };

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9 ._+-]{0,99}$/;

/**
 * Why a clip part's file name cannot be written into the bundle folder, or null. Stricter than a
 * bundle on disk may be (no '..' at all, no hidden files, no backslashes, no links since nothing
 * here makes one), so that a name can only ever land inside the folder it is received into.
 */
export function partNameProblem(name: string): string | null {
  const plain = `${JSON.stringify(name.slice(0, 120))} is not a plain relative path (letters, digits, space, '.', '_', '-', '+' in up to 8 folders; no '..', no leading '/' or '.')`;
  if (name.length === 0 || name.length > 255) return `clip name ${plain}`;
  const segments = name.split('/');
  if (segments.length > 8 || segments.some((s) => !SEGMENT.test(s) || s.endsWith('.') || s.endsWith(' '))) return `clip name ${plain}`;
  return null;
}

/**
 * Streams one multipart/form-data push into `dir`: first `alert.json` (part name "alert"), then
 * each clip (part name "clip", its file name the path alert.json gives it). alert.json is shown
 * to `onManifest` as soon as it is whole, which may answer at once (another source, a duplicate)
 * before any clip is read. Limits hold on parts, each part's bytes, the total and the time; a
 * refusal rejects with an IntakeRefusal once every file being written is closed, so the caller
 * can remove `dir` whole.
 */
export function receiveBundle<T>(
  req: IncomingMessage,
  dir: string,
  limits: IntakeLimits,
  onManifest: (bytes: Buffer) => T | null | Promise<T | null>,
): Promise<Received<T>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        preservePath: true,
        limits: { parts: limits.parts, files: limits.parts, fields: 0, fileSize: limits.partBytes, headerPairs: 16, fieldNameSize: 100 },
      });
    } catch (e) {
      return reject(new IntakeRefusal(415, `send multipart/form-data with a boundary (${e instanceof Error ? e.message : String(e)})`));
    }
    const writes: Promise<unknown>[] = [];
    const streams = new Set<Readable>();
    const sinks = new Set<WriteStream>();
    const names = new Set<string>();
    let total = 0;
    let manifestSeen = false;
    let settled = false;

    const finish = (r: Received<T> | IntakeRefusal | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.unpipe(parser);
      // Files half received are closed (their writes end), so the folder can go.
      for (const s of streams) s.destroy();
      for (const s of sinks) s.destroy();
      void Promise.allSettled(writes).then(() => (r instanceof Error ? reject(r) : resolve(r)));
    };
    const refuse = (status: IntakeRefusal['status'], message: string) => finish(new IntakeRefusal(status, message));
    const timer = setTimeout(() => refuse(408, `the body took longer than ${Math.round(limits.bodyTimeoutMs / 1000)} s to arrive`), limits.bodyTimeoutMs);
    const count = (n: number) => {
      total += n;
      if (total > limits.totalBytes) refuse(413, `the push is over the ${limits.totalBytes}-byte limit`);
    };

    parser.on('file', (name, stream, info) => {
      if (settled) return void stream.resume();
      streams.add(stream);
      stream.once('end', () => streams.delete(stream));
      const fileName = info.filename ?? '';
      if (!manifestSeen) {
        if (name !== 'alert' || fileName !== 'alert.json') {
          stream.resume();
          return refuse(400, 'the first part must be alert.json (Content-Disposition: form-data; name="alert"; filename="alert.json")');
        }
        manifestSeen = true;
        const chunks: Buffer[] = [];
        let size = 0;
        stream.on('data', (c: Buffer) => {
          size += c.byteLength;
          count(c.byteLength);
          if (size > limits.manifestBytes) return refuse(413, `alert.json is over the ${limits.manifestBytes}-byte limit`);
          chunks.push(c);
        });
        stream.on('limit', () => refuse(413, `alert.json is over the ${limits.manifestBytes}-byte limit`));
        // Busboy's 'close' comes after every part's 'end', so this has run by then.
        stream.once('end', () => {
          if (settled) return;
          const bytes = Buffer.concat(chunks);
          writeFileSync(join(dir, 'alert.json'), bytes, { flag: 'wx', mode: 0o600 });
          // The answer may take a read of the store: if the body is complete first, the importer answers instead.
          void Promise.resolve(onManifest(bytes)).then(
            (answer) => answer !== null && finish({ kind: 'early', answer }),
            (e: unknown) => finish(e instanceof Error ? e : new Error(String(e))),
          );
        });
        return;
      }
      if (name !== 'clip') {
        stream.resume();
        return refuse(400, `part ${JSON.stringify(name.slice(0, 60))}: after alert.json every part is a clip (name="clip", filename= its path in alert.json)`);
      }
      const problem = partNameProblem(fileName);
      // Names compared without case: on a case-insensitive disk two of them would be one file.
      const key = fileName.toLowerCase();
      if (problem || key === 'alert.json' || names.has(key)) {
        stream.resume();
        return refuse(400, problem ?? `clip ${JSON.stringify(fileName)} is sent twice, or is named alert.json`);
      }
      names.add(key);
      const target = join(dir, fileName);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      stream.on('data', (c: Buffer) => count(c.byteLength));
      stream.on('limit', () => refuse(413, `clip ${JSON.stringify(fileName)} is over the ${limits.partBytes}-byte limit of one part`));
      const sink = createWriteStream(target, { flags: 'wx', mode: 0o600 });
      sinks.add(sink);
      // Done when the file is closed, however it ended: only then may the folder be removed.
      writes.push(new Promise<void>((done) => sink.once('close', () => done())));
      pipeline(stream, sink).catch((e: unknown) => (settled ? undefined : finish(e as Error)));
    });
    parser.on('field', (name) => refuse(400, `part ${JSON.stringify(name.slice(0, 60))} is not a file: send alert.json and clips as file parts`));
    parser.on('fieldsLimit', () => refuse(400, 'a part is not a file: send alert.json and clips as file parts'));
    parser.on('partsLimit', () => refuse(413, `more than ${limits.parts} parts (alert.json and one clip per sensor)`));
    parser.on('filesLimit', () => refuse(413, `more than ${limits.parts} parts (alert.json and one clip per sensor)`));
    parser.on('error', (e: unknown) => refuse(400, `malformed multipart body: ${e instanceof Error ? e.message : String(e)}`));
    parser.on('close', () => {
      void Promise.allSettled(writes).then(() => {
        if (settled) return;
        if (!manifestSeen) return refuse(400, 'no alert.json part: the first part must be alert.json');
        finish({ kind: 'received' });
      });
    });
    req.on('close', () => {
      if (!req.complete) refuse(400, 'the push was interrupted');
    });
    req.pipe(parser);
  });
}
