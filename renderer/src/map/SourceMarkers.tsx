import { Fragment } from 'react';
import { CircleMarker, Polygon, Tooltip } from 'react-leaflet';
import type { Shot } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { ellipseRing, type MapFrame } from './frame.ts';

/**
 * The located source of each shot, with its 95 % confidence ellipse; where three sensors left
 * two solutions, the other one too, hollow (the ellipse then covers both).
 */
export function SourceMarkers({ shots, frame }: { shots: readonly Shot[]; frame: MapFrame }) {
  return shots.map((s) => {
    const centre = frame.toLatLng(s.position);
    const e = s.ellipse95;
    return (
      <Fragment key={s.index}>
        <OtherSolution shot={s} frame={frame} many={shots.length > 1} />
        {e && e.semiMajorM > 0 && <Polygon positions={ellipseRing(frame, centre, e)} className="map-ellipse" weight={1.5} interactive={false} />}
        <CircleMarker center={centre} radius={7} className="map-source" weight={2}>
          <Tooltip direction="top" offset={[0, -8]} className="map-label">
            {shots.length > 1 ? `Shot ${s.index}` : 'Located source'}
            {e ? ` · 95 % within ${formatMetres(e.semiMajorM)} × ${formatMetres(e.semiMinorM)}` : ''}
          </Tooltip>
        </CircleMarker>
      </Fragment>
    );
  });
}

/**
 * Where three sensors left two solutions and nothing in the alert ruled either out: the other
 * one, hollow and dashed (the shot's ellipse covers both). Nothing otherwise.
 */
export function OtherSolution({ shot, frame, many }: { shot: Shot; frame: MapFrame; many: boolean }) {
  if (!shot.alternative) return null;
  return (
    <CircleMarker center={frame.toLatLng(shot.alternative.position)} radius={7} className="map-source-alternative" weight={2}>
      <Tooltip direction="top" offset={[0, -8]} className="map-label" permanent>
        {many ? `Shot ${shot.index}: ` : ''}or here (three sensors cannot tell)
      </Tooltip>
    </CircleMarker>
  );
}
