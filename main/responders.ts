import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Core } from '../src/core/core.ts';
import { appResponsePlan } from './policy/app-protocol.ts';
import { clipResponsePlan, clipShaFromUrl } from './policy/clip-protocol.ts';
import { log } from '../src/util/log.ts';

/**
 * The app:// and clip:// handlers as plain fetch-style functions (Request in, Response out), so
 * the same code that Electron's protocol.handle runs is tested on Node. Neither ever throws.
 */
export type Responder = (request: Request) => Promise<Response>;

const internalError = (what: string, e: unknown) => {
  log.error({ what, err: e }, 'a protocol handler failed');
  return new Response('internal error', { status: 500, headers: { 'content-type': 'text/plain; charset=utf-8' } });
};

export function appResponder(rendererDir: string): Responder {
  return async (request) => {
    try {
      const plan = appResponsePlan({ url: request.url, method: request.method }, rendererDir);
      if (plan.file === null) return new Response(plan.body, { status: plan.status, headers: plan.headers });
      // The bundle's files are small (the largest is the JS bundle): reading whole is simpler than streaming and works inside the asar.
      const body = request.method === 'HEAD' ? null : await readFile(plan.file);
      return new Response(body, { status: plan.status, headers: plan.headers });
    } catch (e) {
      return internalError('app://', e);
    }
  };
}

export function clipResponder(core: Core): Responder {
  return async (request) => {
    try {
      const sha = clipShaFromUrl(request.url);
      let file: string | null = null;
      let size: number | null = null;
      // Only clips the store knows: a file that happens to sit in the clip folder is not served.
      if (sha && core.store.alerts.clipKnown(sha)) {
        file = core.clips.path(sha);
        size = await stat(file).then(
          (s) => s.size,
          () => null,
        );
      }
      const plan = clipResponsePlan(request.method, request.headers.get('range'), size, sha ?? '');
      if (!plan.body || !plan.range || !file) return new Response(null, { status: plan.status, headers: plan.headers });
      const stream = Readable.toWeb(createReadStream(file, { start: plan.range.start, end: plan.range.end })) as ReadableStream<Uint8Array>;
      return new Response(stream, { status: plan.status, headers: plan.headers });
    } catch (e) {
      return internalError('clip://', e);
    }
  };
}
