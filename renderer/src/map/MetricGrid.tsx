import { memo } from 'react';
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
 * without any tiles. Lines pass through round multiples of the step from the centre. Memoised,
 * so the view's later renders do not make Leaflet redraw every line.
 */
export const MetricGrid = memo(function MetricGrid({ frame, grid }: { frame: MapFrame; grid: GridSpec }) {
  return <Polyline positions={gridLines(frame, grid)} className="map-grid" interactive={false} weight={1} />;
});

function gridLines(frame: MapFrame, grid: GridSpec): LatLng[][] {
  const n = Math.ceil(grid.halfSpanM / grid.stepM);
  const span = n * grid.stepM;
  const lines: LatLng[][] = [];
  for (let i = -n; i <= n; i++) {
    const d = i * grid.stepM;
    lines.push([frame.offset(grid.centre, { east: d, north: -span }), frame.offset(grid.centre, { east: d, north: span })]);
    lines.push([frame.offset(grid.centre, { east: -span, north: d }), frame.offset(grid.centre, { east: span, north: d })]);
  }
  return lines;
}
