import { CircleMarker, Tooltip } from 'react-leaflet';
import type { Track } from '../../../src/contract/index.ts';
import type { MapFrame } from './frame.ts';

// Options go to Leaflet as props: react-leaflet creates the layer with them, and only styles (not
// className or interactivity) follow later `pathOptions` changes.

/** One dot per sensor of the alert: filled when the located solution used it, hollow otherwise. */
export function SensorMarkers({ tracks, frame }: { tracks: readonly Track[]; frame: MapFrame }) {
  return tracks.map((t) => (
    <CircleMarker
      key={t.sensorId}
      center={frame.toLatLng(t.position)}
      radius={6}
      className={t.participating ? 'map-sensor map-sensor-used' : 'map-sensor map-sensor-unused'}
      weight={2}
    >
      <Tooltip permanent direction="right" offset={[8, 0]} className="map-label">
        {t.sensorId}
      </Tooltip>
    </CircleMarker>
  ));
}
