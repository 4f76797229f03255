import { memo, useMemo } from 'react';
import { CircleMarker } from 'react-leaflet';
import type { Track } from '../../../src/contract/index.ts';
import type { MapFrame } from './frame.ts';
import { MapLabel } from './MapLabel.tsx';

// Options go to Leaflet as props: react-leaflet creates the layer with them, and only styles (not
// className or interactivity) follow later `pathOptions` changes.

/**
 * One dot per sensor of the alert, filled when the located solution used it, hollow otherwise,
 * each named beside it. Memoised: the view renders again as its peaks and claim arrive, and new
 * positions would make Leaflet move and redraw every dot each time.
 */
export const SensorMarkers = memo(function SensorMarkers({ tracks, frame }: { tracks: readonly Track[]; frame: MapFrame }) {
  const placed = useMemo(() => tracks.map((t) => ({ track: t, at: frame.toLatLng(t.position) })), [tracks, frame]);
  return placed
    .map(({ track: t, at }) => (
      <CircleMarker
        key={t.sensorId}
        center={at}
        radius={6}
        className={t.participating ? 'map-sensor map-sensor-used' : 'map-sensor map-sensor-unused'}
        weight={2}
      />
    ))
    .concat(placed.map(({ track: t, at }) => <MapLabel key={`label-${t.sensorId}`} at={at} text={t.sensorId} side="right" className="map-sensor-label" />));
});
