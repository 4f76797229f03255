import { UserError } from '../util/errors.ts';
import { MAX_TILE_BYTES, sniffRasterFormat } from '../store/mbtiles.ts';

export interface FetchedTile {
  mime: string;
  bytes: Buffer;
}

export type FetchLike = (url: string, init: { signal: AbortSignal; redirect: 'error' | 'follow' | 'manual' }) => Promise<Response>;

const TIMEOUT_MS = 10_000;
const CACHE_TILES = 512;

/**
 * Tiles from a centre's tile server, fetched by the core rather than the page: the UI's CSP
 * then never has to name an outside host, and both transports get the same tiles. A small LRU
 * keeps a panned map from fetching the same tiles again.
 */
export class UrlTileFetcher {
  private readonly cache = new Map<string, FetchedTile | null>();

  constructor(private readonly fetchImpl: FetchLike = (url, init) => fetch(url, init)) {}

  async get(url: string): Promise<FetchedTile | null> {
    if (this.cache.has(url)) {
      const hit = this.cache.get(url)!;
      this.cache.delete(url);
      this.cache.set(url, hit);
      return hit;
    }
    const tile = await this.fetchOnce(url);
    this.cache.set(url, tile);
    if (this.cache.size > CACHE_TILES) this.cache.delete(this.cache.keys().next().value!);
    return tile;
  }

  clear(): void {
    this.cache.clear();
  }

  private async fetchOnce(url: string): Promise<FetchedTile | null> {
    let res: Response;
    try {
      // No redirects: a tile server that sends us elsewhere is misconfigured, and following it would leave the centre's network.
      res = await this.fetchImpl(url, { signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error' });
    } catch (e) {
      throw new UserError('unavailable', `the tile server did not answer (${(e as Error).message})`);
    }
    if (res.status === 404 || res.status === 204) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new UserError('unavailable', `the tile server answered ${res.status}`);
    }
    const bytes = await readCapped(res, MAX_TILE_BYTES);
    if (bytes.length === 0) return null;
    const format = sniffRasterFormat(bytes);
    if (!format) throw new UserError('unavailable', 'the tile server sent something that is not a png, jpg or webp image');
    return { mime: format === 'jpg' ? 'image/jpeg' : `image/${format}`, bytes };
  }
}

async function readCapped(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) {
    await res.body?.cancel();
    throw new UserError('unavailable', `the tile server sent a ${declared}-byte tile, more than a map tile can be`);
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new UserError('unavailable', 'the tile server sent more than a map tile can be');
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}
