import { contentSecurityPolicy } from '../../src/host/csp.ts';
import { contentTypeFor, resolveStaticPath } from '../../src/host/static-files.ts';
import { APP_HOST, APP_SCHEME, CLIP_SCHEME, parseUrl } from './urls.ts';

/**
 * The UI's CSP in Electron: the host's policy, plus clip: for audio (media elements and, for
 * waveform decoding, fetch). No outside origin appears anywhere.
 */
export const ELECTRON_CSP = contentSecurityPolicy({ connect: [`${CLIP_SCHEME}:`], media: [`${CLIP_SCHEME}:`] });

export const APP_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': ELECTRON_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export type AppResponsePlan =
  { status: 200; file: string; headers: Record<string, string> } | { status: 404 | 405; file: null; headers: Record<string, string>; body: string };

/**
 * What app:// answers for a request: a file inside the renderer bundle (never outside it: the
 * path checks are src/host/static-files.ts, shared with the loopback host), index.html for
 * client-side routes, 404 otherwise. Every answer carries the CSP as a response header.
 */
export function appResponsePlan(request: { url: string; method: string }, rendererDir: string): AppResponsePlan {
  const refuse = (status: 404 | 405, body: string): AppResponsePlan => ({
    status,
    file: null,
    body,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...APP_SECURITY_HEADERS },
  });
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'read-only');
  const u = parseUrl(request.url);
  if (!u || u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST) return refuse(404, 'not found');
  // u.pathname keeps percent-escapes; resolveStaticPath decodes once and checks every segment.
  const path = u.pathname;
  const file = resolveStaticPath(rendererDir, path) ?? (/\.[a-z0-9]+$/i.test(path) ? null : resolveStaticPath(rendererDir, '/index.html'));
  if (!file) return refuse(404, path === '/' || path === '/index.html' ? 'The renderer is not built: run `npm run build`.' : 'not found');
  return {
    status: 200,
    file,
    headers: { 'content-type': contentTypeFor(file), 'cache-control': file.endsWith('.html') ? 'no-store' : 'public, max-age=3600', ...APP_SECURITY_HEADERS },
  };
}
