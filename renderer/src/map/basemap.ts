import type { MapSettings } from '../../../src/contract/index.ts';

/**
 * What lies under the incident map: the configured base layer (an MBTiles file or a tile server,
 * both served through the contract), or null for none. Review rooms often have no internet, so
 * the plain background with a metric grid and a scale bar always works. Tiles only apply to
 * WGS84 alerts; local-metre alerts keep the plain metric plane.
 */
export type Basemap = MapSettings | null;

export const hasTiles = (b: Basemap): b is MapSettings => b !== null && b.baseLayer.kind !== 'plain' && b.source.available;
