import { memo, useMemo } from 'react';
import { CircleMarker, Polyline, Tooltip } from 'react-leaflet';
import type { MapFrame } from './frame.ts';
import { MapLabel } from './MapLabel.tsx';
import type { OnLineCandidate as OnLine } from './unlocated.ts';

/**
 * Rounds the locator heard but could not place: the line their times fit, dashed, from the
 * sensor that heard them first out past where the other sensors' times put them (a hollow
 * ring, a guide for the eye and not a fix), with why on hover.
 */
export const UnlocatedRounds = memo(function UnlocatedRounds({ candidates, frame }: { candidates: readonly OnLine[]; frame: MapFrame }) {
  return candidates.map((c, i) => <UnlocatedLine key={i} candidate={c} frame={frame} />);
});

function UnlocatedLine({ candidate: c, frame }: { candidate: OnLine; frame: MapFrame }) {
  const [from, to, guess] = useMemo(() => [c.line.from.position, c.line.to.position, c.position].map((p) => frame.toLatLng(p)), [c, frame]);
  const label = `${c.rounds === 1 ? 'a round' : `${c.rounds} rounds`} not located`;
  return (
    <>
      <Polyline positions={[from!, to!]} className="map-unlocated-line" weight={2} dashArray="6 5" interactive={false} />
      <CircleMarker center={guess!} radius={6} className="map-unlocated" weight={1.5}>
        <Tooltip direction="auto" className="map-label map-label-wrap">
          {c.reason}
        </Tooltip>
      </CircleMarker>
      <MapLabel at={guess!} side="right" text={label} />
    </>
  );
}
