import { useEffect } from 'react';
import { useMap } from 'react-leaflet';
import { useClient } from '../client/context.tsx';
import { hasTiles, type Basemap } from './basemap.ts';
import type { MapFrame } from './frame.ts';
import { createBaseLayer } from './tile-layer.ts';

/** Adds the configured tile layer under a globe map; nothing on the metric plane or when no tiles are configured. */
export function BaseLayer({ basemap, frame }: { basemap: Basemap; frame: MapFrame }) {
  const map = useMap();
  const client = useClient();
  useEffect(() => {
    if (frame.kind !== 'geo' || !hasTiles(basemap)) return;
    const layer = createBaseLayer(client, basemap);
    if (!layer) return;
    layer.addTo(map);
    layer.bringToBack();
    return () => void layer.remove();
  }, [map, client, basemap, frame.kind]);
  return null;
}
