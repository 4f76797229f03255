import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import type { Core, CoreOptions } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { REPO } from './host.ts';
import { tempDir } from './temp.ts';
import { openTestCore } from './test-core.ts';

/** A real core (on the test backend: test-core.ts) and its loopback host on 127.0.0.1, in this process (so tests can move its clock and read its folders). */
export async function inProcessHost(
  o: Partial<CoreOptions> = {},
): Promise<{ core: Core; host: Host; origin: string; token: string; dataDir: string; tmp: string; close(): Promise<void> }> {
  const t = tempDir('earwitness-host-');
  const dataDir = join(t.dir, 'data');
  const core = await openTestCore({ dataDir, ...o });
  const host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer') });
  return {
    core,
    host,
    origin: host.url,
    token: host.token,
    dataDir,
    tmp: t.dir,
    async close() {
      await host.close();
      await core.close();
      t.cleanup();
    },
  };
}

export interface StreamedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** A socket error seen while sending or receiving (a reset), or null. */
  error: string | null;
}

/**
 * A request whose body is `size` bytes sent in 64 KiB writes, with a Content-Length or chunked,
 * optionally waiting for 100-continue: how a client sends what is too large. Resolves with the
 * answer, or with the socket error if the connection was reset instead.
 */
export function sendLargeBody(
  url: string,
  o: { method?: string; headers?: Record<string, string>; size: number; chunked?: boolean; expectContinue?: boolean },
): Promise<StreamedResponse> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (!o.chunked) headers['content-length'] = String(o.size);
    if (o.expectContinue) headers.expect = '100-continue';
    let error: string | null = null;
    let settled = false;
    const req = httpRequest(url, { method: o.method ?? 'POST', headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        settled = true;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts).toString('utf8'), error });
      });
      res.on('error', (e) => (error = e.message));
    });
    req.on('error', (e) => {
      error = `${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`;
      if (!settled) resolve({ status: 0, headers: {}, body: '', error });
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = () => {
      while (sent < o.size) {
        const n = Math.min(chunk.length, o.size - sent);
        sent += n;
        if (!req.write(chunk.subarray(0, n))) return void req.once('drain', pump);
      }
      req.end();
    };
    // Waiting for 100-continue, the body goes only if the server asks for it; a refusal comes first.
    if (o.expectContinue) req.on('continue', pump);
    else pump();
  });
}
