import { TileLayer } from 'react-leaflet';
import type { Basemap } from './basemap.ts';
import type { MapFrame } from './frame.ts';

/** The seam for base tiles: nothing (the plain background) unless a tile source is configured, and only on the globe. */
export function BaseLayer({ basemap, frame }: { basemap: Basemap; frame: MapFrame }) {
  if (basemap.kind !== 'tiles' || frame.kind !== 'geo') return null;
  return (
    <TileLayer
      url={basemap.urlTemplate}
      attribution={basemap.attribution}
      {...(basemap.minZoom !== undefined ? { minZoom: basemap.minZoom } : {})}
      {...(basemap.maxZoom !== undefined ? { maxZoom: basemap.maxZoom } : {})}
    />
  );
}
