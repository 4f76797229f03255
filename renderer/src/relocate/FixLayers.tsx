import { Fragment, memo, useEffect } from 'react';
import { CircleMarker, Polygon, Polyline, Tooltip } from 'react-leaflet';
import type { Shot } from '../../../src/contract/index.ts';
import { ellipseRing, type MapFrame } from '../map/frame.ts';
import { OtherSolution, SetAsideSolution } from '../map/SourceMarkers.tsx';
import { formatMetres } from '../ui/format.ts';
import type { ReviewerFix } from './useRelocation.ts';

interface Props {
  /** The machine's newest solution's shots. */
  machine: readonly Shot[];
  reviewer: ReadonlyMap<number, ReviewerFix>;
  frame: MapFrame;
  /** The shot being edited, drawn on top. */
  current: number | null;
}

const label = (s: Shot, many: boolean) =>
  `${many ? `Shot ${s.index}` : 'Located source'}${s.ellipse95 ? ` · 95 % within ${formatMetres(2 * s.ellipse95.semiMajorM)} by ${formatMetres(2 * s.ellipse95.semiMinorM)}` : ''}`;

/**
 * The machine's fix and the reviewer's, side by side: where a reviewer moved picks (saved or
 * not), the machine's fix stays as a grey ghost with its ellipse and a line leads to the
 * reviewer's fix in its own colour; elsewhere the machine's fix is drawn as usual. The layers
 * are keyed by their role: Leaflet sets a path's class only when the layer is made. Memoised:
 * the view renders again as its peaks and claim arrive, which changes nothing here.
 */
export const FixLayers = memo(function FixLayers({ machine, reviewer, frame, current }: Props) {
  // For the view bench (tests/bench/suites/view.ts): the fix's paths are in the map from here on.
  useEffect(() => void performance.mark('ew:map-source'), []);
  const many = machine.length + [...reviewer.keys()].filter((i) => !machine.some((m) => m.index === i)).length > 1;
  const ghosts = machine.map((m) => {
    const r = reviewer.get(m.index);
    const ghost = r !== undefined;
    const centre = frame.toLatLng(m.position);
    const e = m.ellipse95;
    return (
      <Fragment key={`machine-${m.index}-${ghost ? 'ghost' : 'fix'}`}>
        {e && e.semiMajorM > 0 && (
          <Polygon
            positions={ellipseRing(frame, centre, e)}
            className={ghost ? 'map-ellipse map-ellipse-machine' : 'map-ellipse'}
            weight={1.5}
            interactive={false}
          />
        )}
        <CircleMarker center={centre} radius={ghost ? 6 : 7} className={ghost ? 'map-source map-source-machine' : 'map-source'} weight={2}>
          <Tooltip direction="top" offset={[0, -8]} className="map-label">
            {ghost ? `Machine: ${label(m, many)}` : label(m, many)}
          </Tooltip>
        </CircleMarker>
        {r?.shot && <Polyline positions={[centre, frame.toLatLng(r.shot.position)]} className="map-shift" weight={1.5} interactive={false} />}
        {!ghost && <OtherSolution shot={m} frame={frame} many={many} />}
        {!ghost && <SetAsideSolution shot={m} frame={frame} many={many} />}
      </Fragment>
    );
  });
  const reviewers = [...reviewer]
    .filter(([, r]) => r.shot !== null)
    .sort(([a], [b]) => (a === current ? 1 : b === current ? -1 : a - b))
    .map(([index, r]) => {
      const s = r.shot!;
      const centre = frame.toLatLng(s.position);
      const e = s.ellipse95;
      return (
        <Fragment key={`reviewer-${index}`}>
          {e && e.semiMajorM > 0 && <Polygon positions={ellipseRing(frame, centre, e)} className="map-ellipse-reviewer" weight={2} interactive={false} />}
          <CircleMarker center={centre} radius={7} className="map-source-reviewer" weight={2}>
            <Tooltip direction="top" offset={[0, -8]} className="map-label">
              {`Reviewer${r.source === 'draft' ? ' (not saved)' : ''}: ${label(s, many)}`}
            </Tooltip>
          </CircleMarker>
        </Fragment>
      );
    });
  return (
    <>
      {ghosts}
      {reviewers}
    </>
  );
});
