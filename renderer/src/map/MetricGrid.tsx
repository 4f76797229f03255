import { Polyline } from 'react-leaflet';
import type { LatLng, MapFrame } from './frame.ts';

export interface GridSpec {
  centre: LatLng;
  stepM: number;
  /** Half the side of the gridded square, in metres. */
  halfSpanM: number;
}

/**
 * Grid lines every `stepM` metres, aligned on the metric frame, so distances read at a glance
 * without any tiles. Lines pass through round multiples of the step from the centre.
 */
export function MetricGrid({ frame, grid }: { frame: MapFrame; grid: GridSpec }) {
  const n = Math.ceil(grid.halfSpanM / grid.stepM);
  const span = n * grid.stepM;
  const lines: LatLng[][] = [];
  for (let i = -n; i <= n; i++) {
    const d = i * grid.stepM;
    lines.push([frame.offset(grid.centre, { east: d, north: -span }), frame.offset(grid.centre, { east: d, north: span })]);
    lines.push([frame.offset(grid.centre, { east: -span, north: d }), frame.offset(grid.centre, { east: span, north: d })]);
  }
  return <Polyline positions={lines} className="map-grid" interactive={false} weight={1} />;
}
