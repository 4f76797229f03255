import L from 'leaflet';
import type { EarwitnessClient, MapSettings } from '../../../src/contract/index.ts';

/**
 * The map's base layer, drawn from tiles the core serves through the contract (getTile): from
 * an offline MBTiles file or the centre's tile server, over Electron IPC or the loopback host
 * alike. The page itself never fetches a tile URL, so the CSP names no outside host.
 *
 * For WGS84 maps only (Web Mercator tiles); alerts in local metres use a plain metric plane.
 */
export class ContractTileLayer extends L.GridLayer {
  private readonly unloaded = new WeakSet<HTMLElement>();

  constructor(
    private readonly client: EarwitnessClient,
    options: L.GridLayerOptions = {},
  ) {
    super({ tileSize: 256, updateWhenZooming: false, keepBuffer: 2, ...options });
    this.on('tileunload', (e: L.TileEvent) => this.unloaded.add(e.tile));
  }

  protected override createTile(coords: L.Coords, done: L.DoneCallback): HTMLElement {
    const img = document.createElement('img');
    img.alt = '';
    img.setAttribute('role', 'presentation');
    img.decoding = 'async';
    const n = 2 ** coords.z;
    if (coords.x < 0 || coords.y < 0 || coords.x >= n || coords.y >= n) {
      img.style.visibility = 'hidden';
      queueMicrotask(() => done(undefined, img));
      return img;
    }
    void this.client.call('getTile', { z: coords.z, x: coords.x, y: coords.y }).then((r) => {
      if (this.unloaded.has(img)) return;
      if (!r.ok) return done(new Error(r.error.message), img);
      if (!r.value.tile) {
        // The source has nothing here: leave the plain background showing.
        img.style.visibility = 'hidden';
        return done(undefined, img);
      }
      img.onload = () => done(undefined, img);
      img.onerror = () => done(new Error(`tile ${coords.z}/${coords.x}/${coords.y} is not a readable image`), img);
      img.src = `data:${r.value.tile.mime};base64,${r.value.tile.dataBase64}`;
    });
    return img;
  }
}

/**
 * Leaflet puts attributions into the page as HTML; an MBTiles file's metadata is not to be
 * trusted with that, so its attribution is shown as text.
 */
export function attributionText(text: string): string {
  const plain = text.replace(/<[^>]*>/g, '');
  return plain.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The base layer the settings describe, or null for the plain map (or a source that is unavailable now). */
export function createBaseLayer(client: EarwitnessClient, settings: MapSettings): ContractTileLayer | null {
  const { baseLayer, source } = settings;
  if (baseLayer.kind === 'plain' || !source.available) return null;
  const options: L.GridLayerOptions = {
    minNativeZoom: source.minZoom,
    // Past the source's deepest level Leaflet scales its tiles up rather than asking for tiles that do not exist.
    maxNativeZoom: source.maxZoom,
    attribution: attributionText(source.attribution),
  };
  if (source.bounds) {
    const [w, s, e, n] = source.bounds;
    options.bounds = L.latLngBounds([s, w], [n, e]);
  }
  return new ContractTileLayer(client, options);
}

/**
 * The settings seam for a map component: calls back with the current map settings now and
 * whenever someone changes them (mapSettingsChanged), so an open map swaps its base layer.
 * Returns the unsubscribe function.
 */
export function watchMapSettings(
  client: EarwitnessClient,
  onSettings: (settings: MapSettings) => void,
  onError: (message: string) => void = () => {},
): () => void {
  let active = true;
  let changed = false;
  const off = client.on('mapSettingsChanged', (s) => {
    changed = true;
    if (active) onSettings(s);
  });
  void client.call('getMapSettings', {}).then((r) => {
    // A change announced while this was on its way is newer than this answer.
    if (!active || changed) return;
    if (r.ok) onSettings(r.value);
    else onError(r.error.message);
  });
  return () => {
    active = false;
    off();
  };
}
