import { protocol } from 'electron';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Core } from '../src/core/core.ts';
import { appResponsePlan } from './policy/app-protocol.ts';
import { clipResponsePlan, clipShaFromUrl } from './policy/clip-protocol.ts';
import { APP_SCHEME, CLIP_SCHEME } from './policy/urls.ts';

/**
 * Must run before the app is ready, and only once (a second call replaces the first). app:// is
 * standard and secure so the UI has a real origin and module scripts load; clip:// streams so
 * media elements seek with Range requests instead of buffering whole files.
 */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true } },
    { scheme: CLIP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
  ]);
}

const textResponse = (status: number, body: string | null, headers: Record<string, string>) => new Response(body, { status, headers });

/** app:// serves the built renderer; clip:// streams clip audio from the content-addressed store. Neither ever throws into Electron. */
export function handleProtocols(core: Core, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    try {
      const plan = appResponsePlan({ url: request.url, method: request.method }, rendererDir);
      if (plan.file === null) return textResponse(plan.status, plan.body, plan.headers);
      // The bundle's files are small (the largest is the JS bundle): reading whole is simpler than streaming and works inside the asar.
      const body = request.method === 'HEAD' ? null : await readFile(plan.file);
      return new Response(body, { status: plan.status, headers: plan.headers });
    } catch (e) {
      console.error('app:// failed', e);
      return textResponse(500, 'internal error', { 'content-type': 'text/plain; charset=utf-8' });
    }
  });

  protocol.handle(CLIP_SCHEME, async (request) => {
    try {
      const sha = clipShaFromUrl(request.url);
      let file: string | null = null;
      let size: number | null = null;
      if (sha && core.store.alerts.clipKnown(sha)) {
        file = core.clips.path(sha);
        size = await stat(file).then((s) => s.size, () => null);
      }
      const plan = clipResponsePlan(request.method, request.headers.get('range'), size, sha ?? '');
      if (!plan.body || !plan.range || !file) return new Response(null, { status: plan.status, headers: plan.headers });
      const stream = Readable.toWeb(createReadStream(file, { start: plan.range.start, end: plan.range.end })) as ReadableStream<Uint8Array>;
      return new Response(stream, { status: plan.status, headers: plan.headers });
    } catch (e) {
      console.error('clip:// failed', e);
      return textResponse(500, 'internal error', { 'content-type': 'text/plain; charset=utf-8' });
    }
  });
}
