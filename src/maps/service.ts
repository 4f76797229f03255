import { isAbsolute } from 'node:path';
import { BaseLayer, type MapSettings, type Tile, type TileSourceInfo } from '../contract/index.ts';
import type { EventBus } from '../core/events.ts';
import { MbtilesReader, MAX_ZOOM } from '../store/mbtiles.ts';
import type { Store } from '../store/store.ts';
import { UserError } from '../util/errors.ts';
import type { Clock } from '../util/time.ts';
import { expandTileTemplate, templateHost } from './tile-url.ts';
import { UrlTileFetcher, type FetchLike } from './url-tiles.ts';

export const MAP_SETTINGS_KEY = 'map.baseLayer';
/** A file that could not be opened is tried again after this long (a share mounted late, a USB stick plugged in). */
const RETRY_MS = 5_000;

const PLAIN: BaseLayer = { kind: 'plain' };

/**
 * The map's base layer: which source the settings name, the open MBTiles file, the tile server
 * fetcher. One per core; closed with it.
 */
export class MapService {
  private reader: MbtilesReader | null = null;
  private failure: { path: string; problem: string; atMs: number } | null = null;
  private readonly urlTiles: UrlTileFetcher;

  constructor(
    private readonly deps: { store: Store; clock: Clock; events: EventBus },
    fetchImpl?: FetchLike,
  ) {
    this.urlTiles = new UrlTileFetcher(fetchImpl);
  }

  /** The stored base layer; a stored value that no longer fits the schema falls back to plain rather than breaking the map. */
  baseLayer(): BaseLayer {
    const raw = this.deps.store.settings.get<unknown>(MAP_SETTINGS_KEY);
    if (raw === undefined) return PLAIN;
    const parsed = BaseLayer.safeParse(raw);
    return parsed.success ? parsed.data : PLAIN;
  }

  settings(): MapSettings {
    const baseLayer = this.baseLayer();
    return { baseLayer, source: this.describe(baseLayer) };
  }

  /** Checks the new source, then stores it with an audit entry in one transaction, and tells every open map. */
  set(next: BaseLayer, actor: string): MapSettings {
    let opened: MbtilesReader | null = null;
    if (next.kind === 'mbtiles') {
      if (!isAbsolute(next.path)) throw new UserError('invalid_input', 'the MBTiles path must be absolute (it is read on the machine running the core)');
      opened = MbtilesReader.open(next.path);
    }
    const previous = this.baseLayer();
    try {
      const atUs = this.deps.clock.nowUs();
      this.deps.store.tx(() => {
        this.deps.store.settings.put(MAP_SETTINGS_KEY, next, atUs);
        this.deps.store.audit.append({
          atUs,
          actor,
          action: 'settings.map_changed',
          entity: `setting:${MAP_SETTINGS_KEY}`,
          payload: { from: previous, to: next },
        });
      });
    } catch (e) {
      opened?.close();
      throw e;
    }
    this.reader?.close();
    this.reader = opened;
    this.failure = null;
    this.urlTiles.clear();
    const settings = { baseLayer: next, source: this.describe(next) };
    this.deps.events.emit('mapSettingsChanged', settings);
    return settings;
  }

  async tile(z: number, x: number, y: number): Promise<Tile | null> {
    const layer = this.baseLayer();
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
}
