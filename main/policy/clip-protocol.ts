import { parseRange } from '../../src/host/range.ts';
import { APP_ORIGIN, CLIP_HOST, CLIP_SCHEME, parseUrl } from './urls.ts';

const SHA = /^[0-9a-f]{64}$/;

/** The clip hash of a clip://audio/<sha256> URL, or null for anything else (other hosts, extra segments, queries, escapes). */
export function clipShaFromUrl(url: string): string | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== `${CLIP_SCHEME}:` || u.host !== CLIP_HOST || u.search || u.username || u.password) return null;
  const sha = u.pathname.slice(1);
  return SHA.test(sha) ? sha : null;
}

export type ClipResponsePlan =
  | { status: 200 | 206; headers: Record<string, string>; range: { start: number; end: number }; body: boolean }
  | { status: 204 | 404 | 405 | 416; headers: Record<string, string>; range: null; body: false };

/**
 * Status, headers and byte range of a clip answer. Media elements seek with Range requests, so
 * clip:// streams byte ranges (parsed by src/host/range.ts, as on the host) rather than whole files.
 * The page's origin is app://app, so clip answers name it for CORS (waveform decoding fetches them).
 */
export function clipResponsePlan(method: string, rangeHeader: string | null, size: number | null, sha: string): ClipResponsePlan {
  const cors = { 'access-control-allow-origin': APP_ORIGIN, 'access-control-expose-headers': 'content-range, content-length, accept-ranges' };
  // A fetch with a Range header the browser does not count as simple is preflighted.
  if (method === 'OPTIONS') {
    return {
      status: 204,
      headers: { ...cors, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'range', 'access-control-max-age': '600' },
      range: null,
      body: false,
    };
  }
  if (method !== 'GET' && method !== 'HEAD') return { status: 405, headers: cors, range: null, body: false };
  if (size === null) return { status: 404, headers: { ...cors, 'content-type': 'text/plain; charset=utf-8' }, range: null, body: false };
  const base = {
    ...cors,
    'content-type': 'audio/wav',
    'accept-ranges': 'bytes',
    'cache-control': 'private, max-age=31536000, immutable',
    etag: `"${sha}"`,
    'x-content-type-options': 'nosniff',
  };
  const body = method === 'GET';
  if (size === 0) return { status: 200, headers: { ...base, 'content-length': '0' }, range: { start: 0, end: -1 }, body: false };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') return { status: 416, headers: { ...base, 'content-range': `bytes */${size}` }, range: null, body: false };
  if (range) {
    return {
      status: 206,
      headers: { ...base, 'content-range': `bytes ${range.start}-${range.end}/${size}`, 'content-length': String(range.end - range.start + 1) },
      range,
      body,
    };
  }
  return { status: 200, headers: { ...base, 'content-length': String(size) }, range: { start: 0, end: size - 1 }, body };
}
