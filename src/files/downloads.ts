import { createHash } from 'node:crypto';
import { createReadStream, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DeliveredFile } from '../contract/index.ts';
import type { Clock } from '../util/time.ts';
import { newHandle, sameSecret } from './ids.ts';
import type { TransferLimits } from './limits.ts';
import { downloadFileName } from './names.ts';

interface Download {
  id: string;
  sessionId: string;
  file: string;
  fileName: string;
  contentType: string;
  bytes: number;
  sha256: string;
  createdUs: number;
  expiresUs: number;
}

/** What the host streams for a download. */
export interface DownloadFile {
  file: string;
  fileName: string;
  contentType: string;
  bytes: number;
}

const sha256OfFile = (file: string): Promise<{ sha256: string; bytes: number }> =>
  new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    let bytes = 0;
    createReadStream(file)
      .on('data', (c: string | Buffer) => {
        const b = typeof c === 'string' ? Buffer.from(c) : c;
        bytes += b.byteLength;
        hash.update(b);
      })
      .on('error', reject)
      .on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
  });

/**
 * Files the core made for a seat (a report, statistics, the audit chain, a data set zip), kept
 * under its own folder by a random id for the session that asked, until they expire. The host
 * serves one only to a request that proves that session (its cookie or header): anyone else,
 * and anyone after expiry, gets 404.
 */
export class Downloads {
  private readonly items = new Map<string, Download>();

  constructor(
    private readonly folder: () => string,
    private readonly limits: TransferLimits,
    private readonly clock: Clock,
  ) {}

  /** Keeps bytes, or a finished file of the work folder (moved, not copied), as a download of this session. */
  async add(
    sessionId: string,
    o: { fileName: string; contentType: string; content?: string | Uint8Array; file?: string },
  ): Promise<Extract<DeliveredFile, { kind: 'download' }>> {
    this.sweep();
    const id = newHandle('dl');
    const path = join(this.folder(), id);
    let facts: { sha256: string; bytes: number };
    if (o.content !== undefined) {
      const bytes = typeof o.content === 'string' ? Buffer.from(o.content, 'utf8') : o.content;
      writeFileSync(path, bytes, { flag: 'wx', mode: 0o600 });
      facts = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.byteLength };
    } else if (o.file !== undefined) {
      renameSync(o.file, path);
      facts = await sha256OfFile(path);
    } else throw new Error('a download needs content or a file');
    const now = this.clock.nowUs();
    const d: Download = {
      id,
      sessionId,
      file: path,
      fileName: downloadFileName(o.fileName),
      contentType: o.contentType,
      ...facts,
      createdUs: now,
      expiresUs: now + this.limits.downloadTtlS * 1e6,
    };
    this.items.set(id, d);
    const mine = [...this.items.values()].filter((x) => x.sessionId === sessionId).sort((a, b) => a.createdUs - b.createdUs);
    for (const old of mine.slice(0, Math.max(0, mine.length - this.limits.downloadsPerSession))) this.remove(old);
    return { kind: 'download', downloadId: id, fileName: d.fileName, contentType: d.contentType, bytes: d.bytes, sha256: d.sha256, expiresUs: d.expiresUs };
  }

  /** The download with this id if one of the presented session ids owns it and it has not expired; null otherwise, whichever the reason. */
  find(id: string, presentedSessionIds: readonly string[]): DownloadFile | null {
    const d = this.items.get(id);
    if (!d) return null;
    if (d.expiresUs <= this.clock.nowUs()) {
      this.remove(d);
      return null;
    }
    if (!presentedSessionIds.some((s) => sameSecret(s, d.sessionId))) return null;
    return { file: d.file, fileName: d.fileName, contentType: d.contentType, bytes: d.bytes };
  }

  forgetSession(sessionId: string): void {
    for (const d of [...this.items.values()]) if (d.sessionId === sessionId) this.remove(d);
  }

  sweep(): void {
    const now = this.clock.nowUs();
    for (const d of [...this.items.values()]) if (d.expiresUs <= now) this.remove(d);
  }

  private remove(d: Download): void {
    this.items.delete(d.id);
    // A download being streamed keeps its open file on POSIX systems; elsewhere it goes once closed.
    rmSync(d.file, { force: true });
  }
}
