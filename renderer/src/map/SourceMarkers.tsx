import { Fragment, memo, useMemo } from 'react';
import { CircleMarker, Polygon, Tooltip } from 'react-leaflet';
import type { Shot } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { ellipseRing, type MapFrame } from './frame.ts';
import { MapLabel } from './MapLabel.tsx';

/**
 * The located source of each shot, with its 95 % confidence ellipse; where three sensors left
 * two solutions, the other one too, hollow (the ellipse then covers both).
 */
export const SourceMarkers = memo(function SourceMarkers({ shots, frame }: { shots: readonly Shot[]; frame: MapFrame }) {
  return shots.map((s) => {
    const centre = frame.toLatLng(s.position);
    const e = s.ellipse95;
    return (
      <Fragment key={s.index}>
        <OtherSolution shot={s} frame={frame} many={shots.length > 1} />
        <SetAsideSolution shot={s} frame={frame} many={shots.length > 1} />
        {e && e.semiMajorM > 0 && <Polygon positions={ellipseRing(frame, centre, e)} className="map-ellipse" weight={1.5} interactive={false} />}
        <CircleMarker center={centre} radius={7} className="map-source" weight={2}>
          <Tooltip direction="top" offset={[0, -8]} className="map-label">
            {shots.length > 1 ? `Shot ${s.index}` : 'Located source'}
            {e ? ` · 95 % within ${formatMetres(2 * e.semiMajorM)} by ${formatMetres(2 * e.semiMinorM)}` : ''}
          </Tooltip>
        </CircleMarker>
      </Fragment>
    );
  });
});

/**
 * Where three sensors left two solutions and nothing in the alert ruled either out: the other
 * one, hollow and dashed (the shot's ellipse covers both). Nothing otherwise.
 */
export const OtherSolution = memo(function OtherSolution({ shot, frame, many }: { shot: Shot; frame: MapFrame; many: boolean }) {
  const at = useMemo(() => (shot.alternative ? frame.toLatLng(shot.alternative.position) : null), [shot, frame]);
  if (!shot.alternative || !at) return null;
  return (
    <>
      <CircleMarker center={at} radius={7} className="map-source-alternative" weight={2} />
      <MapLabel at={at} side="top" text={`${many ? `Shot ${shot.index}: ` : ''}or here (three sensors cannot tell)`} />
    </>
  );
});

/**
 * Where three sensors left two solutions and one was ruled out: that one, small and grey, with
 * why on hover (e.g. a known sensor beside it heard nothing), so the reviewer can weigh it.
 */
export const SetAsideSolution = memo(function SetAsideSolution({ shot, frame, many }: { shot: Shot; frame: MapFrame; many: boolean }) {
  const at = useMemo(() => (shot.setAside ? frame.toLatLng(shot.setAside.position) : null), [shot, frame]);
  if (!shot.setAside || !at) return null;
  return (
    <CircleMarker center={at} radius={4} className="map-source-set-aside" weight={1.5}>
      {/* Sideways, towards the map's middle: it often sits at the view's edge, where a centred label is cut off. */}
      <Tooltip direction="auto" offset={[0, 0]} className="map-label map-label-wrap">
        {`${many ? `Shot ${shot.index}: ` : ''}not here, the times' other solution: ${shot.setAside.reason}`}
      </Tooltip>
    </CircleMarker>
  );
});
