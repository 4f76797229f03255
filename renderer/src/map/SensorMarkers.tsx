import { useEffect, useState } from 'react';
import { CircleMarker, Tooltip } from 'react-leaflet';
import type { Track } from '../../../src/contract/index.ts';
import type { MapFrame } from './frame.ts';

// Options go to Leaflet as props: react-leaflet creates the layer with them, and only styles (not
// className or interactivity) follow later `pathOptions` changes.

/**
 * One dot per sensor of the alert: filled when the located solution used it, hollow otherwise.
 * The names come a frame after the dots: Leaflet measures each permanent tooltip as it places it,
 * a forced layout of the whole view per sensor, which cost more than the map itself on the way
 * from N to a drawn alert.
 */
export function SensorMarkers({ tracks, frame }: { tracks: readonly Track[]; frame: MapFrame }) {
  const labelled = useAfterFirstPaint();
  return tracks.map((t) => (
    <CircleMarker
      key={t.sensorId}
      center={frame.toLatLng(t.position)}
      radius={6}
      className={t.participating ? 'map-sensor map-sensor-used' : 'map-sensor map-sensor-unused'}
      weight={2}
    >
      {labelled && (
        <Tooltip permanent direction="right" offset={[8, 0]} className="map-label">
          {t.sensorId}
        </Tooltip>
      )}
    </CircleMarker>
  ));
}

/** False in the first render and its paint, true from the frame after. */
function useAfterFirstPaint(): boolean {
  const [after, setAfter] = useState(false);
  useEffect(() => {
    // A frame callback runs before the coming paint; the timeout after it runs once that paint is done.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setAfter(true), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, []);
  return after;
}
