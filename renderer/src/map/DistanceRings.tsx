import L from 'leaflet';
import { Fragment, useMemo } from 'react';
import { Marker, Polygon } from 'react-leaflet';
import type { Shot, Track } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { ellipseRing, ringRadii, type MapFrame } from './frame.ts';

/** Distance rings around the located source, labelled to the north-east, so each sensor's range reads at a glance. */
export function DistanceRings({ shot, tracks, frame }: { shot: Shot; tracks: readonly Track[]; frame: MapFrame }) {
  const radii = useMemo(() => ringRadii(Math.max(0, ...tracks.map((t) => Math.hypot(t.local.x - shot.local.x, t.local.y - shot.local.y)))), [shot, tracks]);
  const centre = frame.toLatLng(shot.position);
  return radii.map((r) => (
    <Fragment key={r}>
      <Polygon
        positions={ellipseRing(frame, centre, { semiMajorM: r, semiMinorM: r, azimuthDeg: 0 }, 96)}
        className="map-ring"
        weight={1}
        fill={false}
        interactive={false}
      />
      <Marker
        position={frame.offset(centre, { east: r * Math.SQRT1_2, north: r * Math.SQRT1_2 })}
        interactive={false}
        keyboard={false}
        icon={L.divIcon({ className: 'map-ring-label', html: formatMetres(r), iconSize: [48, 14], iconAnchor: [24, 7] })}
      />
    </Fragment>
  ));
}
