import { isAbsolute } from 'node:path';
import { BaseLayer, type MapSettings, type Tile, type TileSourceInfo } from '../contract/index.ts';
import { MbtilesReader, MAX_ZOOM } from '../store/mbtiles.ts';
import type { Store as StorePort } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import type { Clock } from '../util/time.ts';
import { expandTileTemplate, templateHost } from './tile-url.ts';
import { UrlTileFetcher, type FetchLike } from './url-tiles.ts';

export const MAP_SETTINGS_KEY = 'map.baseLayer';
/** A file that could not be opened is tried again after this long (a share mounted late, a USB stick plugged in). */
const RETRY_MS = 5_000;
/** The stored base layer is read again after this long: another server of a centre may have changed it. */
const REREAD_MS = 1_000;

const PLAIN: BaseLayer = { kind: 'plain' };

/**
 * The map's base layer: which source the settings name, the open MBTiles file, the tile server
 * fetcher. One per core; closed with it. The setting is read through the store port and held for
 * a second, so a tile costs no transaction and a change made on another server of a centre
 * applies within a second.
 */
export class MapService {
  private reader: MbtilesReader | null = null;
  private failure: { path: string; problem: string; atMs: number } | null = null;
  private readonly urlTiles: UrlTileFetcher;
  private held: { layer: BaseLayer; atMs: number } | null = null;

  constructor(
    private readonly deps: { storePort: StorePort; clock: Clock },
    fetchImpl?: FetchLike,
  ) {
    this.urlTiles = new UrlTileFetcher(fetchImpl);
  }

  /** The stored base layer; a stored value that no longer fits the schema falls back to plain rather than breaking the map. */
  async baseLayer(): Promise<BaseLayer> {
    const nowMs = this.deps.clock.nowUs() / 1000;
    if (this.held && nowMs - this.held.atMs < REREAD_MS) return this.held.layer;
    const raw = await this.deps.storePort.read((tx) => tx.settings.get<unknown>(MAP_SETTINGS_KEY));
    const parsed = raw === undefined ? null : BaseLayer.safeParse(raw);
    const layer = parsed?.success ? parsed.data : PLAIN;
    this.held = { layer, atMs: nowMs };
    return layer;
  }

  async settings(): Promise<MapSettings> {
    const baseLayer = await this.baseLayer();
    return { baseLayer, source: this.describe(baseLayer) };
  }

  /**
   * Checks the new source, then stores it with an audit entry in one write that announces it to
   * every open map (on every server of a centre, after COMMIT).
   */
  async set(next: BaseLayer, actor: string): Promise<MapSettings> {
    let opened: MbtilesReader | null = null;
    if (next.kind === 'mbtiles') {
      if (!isAbsolute(next.path)) throw new UserError('invalid_input', 'the MBTiles path must be absolute (it is read on the machine running the core)');
      opened = MbtilesReader.open(next.path);
    }
    const source = opened ? infoOf(opened) : this.describe(next);
    const settings = { baseLayer: next, source };
    try {
      const atUs = this.deps.clock.nowUs();
      await this.deps.storePort.write(async (tx) => {
        // The entry's "from" is what this write replaced, whichever server set it.
        await tx.lock(MAP_SETTINGS_KEY);
        const raw = await tx.settings.get<unknown>(MAP_SETTINGS_KEY);
        const was = raw === undefined ? null : BaseLayer.safeParse(raw);
        await tx.settings.put(MAP_SETTINGS_KEY, next, atUs);
        await tx.audit.append({
          atUs,
          actor,
          action: 'settings.map_changed',
          entity: `setting:${MAP_SETTINGS_KEY}`,
          payload: { from: was?.success ? was.data : PLAIN, to: next },
        });
        tx.emit('mapSettingsChanged', settings);
      });
    } catch (e) {
      opened?.close();
      throw e;
    }
    this.reader?.close();
    this.reader = opened;
    this.failure = null;
    this.urlTiles.clear();
    this.held = { layer: next, atMs: this.deps.clock.nowUs() / 1000 };
    return settings;
  }

  async tile(z: number, x: number, y: number): Promise<Tile | null> {
    const layer = await this.baseLayer();
    if (layer.kind === 'plain') return null;
    if (layer.kind === 'mbtiles') {
      const reader = this.open(layer.path);
      if (!reader) throw new UserError('unavailable', this.failure?.problem ?? 'the MBTiles file cannot be read');
      const t = reader.tile(z, x, y);
      return t ? { mime: t.mime, dataBase64: t.bytes.toString('base64') } : null;
    }
    if (z > layer.maxZoom) return null;
    const t = await this.urlTiles.get(expandTileTemplate(layer.template, z, x, y, layer.subdomains));
    return t ? { mime: t.mime, dataBase64: t.bytes.toString('base64') } : null;
  }

  stop(): void {
    this.reader?.close();
    this.reader = null;
  }

  /** The open reader for path, opening it if needed; null (with `failure` set) when it cannot be read now. */
  private open(path: string): MbtilesReader | null {
    if (this.reader?.path === path) return this.reader;
    const nowMs = this.deps.clock.nowUs() / 1000;
    if (this.failure?.path === path && nowMs - this.failure.atMs < RETRY_MS) return null;
    this.reader?.close();
    this.reader = null;
    try {
      this.reader = MbtilesReader.open(path);
      this.failure = null;
      return this.reader;
    } catch (e) {
      this.failure = { path, problem: (e as Error).message, atMs: nowMs };
      return null;
    }
  }

  private describe(layer: BaseLayer): TileSourceInfo {
    if (layer.kind === 'plain') {
      return { available: true, problem: null, name: 'Plain background', attribution: '', format: null, minZoom: 0, maxZoom: MAX_ZOOM, bounds: null };
    }
    if (layer.kind === 'url') {
      return {
        available: true,
        problem: null,
        name: templateHost(layer.template),
        attribution: layer.attribution,
        format: null,
        minZoom: 0,
        maxZoom: layer.maxZoom,
        bounds: null,
      };
    }
    // Asking for the settings is the natural moment to retry a file that failed before.
    if (this.failure?.path === layer.path) this.failure = { ...this.failure, atMs: -Infinity };
    const reader = this.open(layer.path);
    if (!reader) {
      return {
        available: false,
        problem: this.failure?.problem ?? 'unreadable',
        name: layer.path,
        attribution: '',
        format: null,
        minZoom: 0,
        maxZoom: MAX_ZOOM,
        bounds: null,
      };
    }
    return infoOf(reader);
  }
}

function infoOf(reader: MbtilesReader): TileSourceInfo {
  const i = reader.info;
  return {
    available: true,
    problem: null,
    name: i.name,
    attribution: i.attribution,
    format: i.format,
    minZoom: i.minZoom,
    maxZoom: i.maxZoom,
    bounds: i.bounds,
  };
}
