import L from 'leaflet';
import { Fragment, memo, useMemo } from 'react';
import { Marker, Polygon } from 'react-leaflet';
import type { Shot, Track } from '../../../src/contract/index.ts';
import { formatMetres } from '../ui/format.ts';
import { ellipseRing, ringRadii, type MapFrame } from './frame.ts';

/**
 * Distance rings around the located source, labelled to the north-east, so each sensor's range
 * reads at a glance. Memoised with their rings and labels: the view renders again as its peaks
 * and claim arrive, and new positions would make Leaflet redraw every ring each time.
 */
export const DistanceRings = memo(function DistanceRings({ shot, tracks, frame }: { shot: Shot; tracks: readonly Track[]; frame: MapFrame }) {
  const rings = useMemo(() => {
    const radii = ringRadii(Math.max(0, ...tracks.map((t) => Math.hypot(t.local.x - shot.local.x, t.local.y - shot.local.y))));
    const centre = frame.toLatLng(shot.position);
    return radii.map((r) => ({
      r,
      ring: ellipseRing(frame, centre, { semiMajorM: r, semiMinorM: r, azimuthDeg: 0 }, 96),
      labelAt: frame.offset(centre, { east: r * Math.SQRT1_2, north: r * Math.SQRT1_2 }),
      icon: L.divIcon({ className: 'map-ring-label', html: formatMetres(r), iconSize: [48, 14], iconAnchor: [24, 7] }),
    }));
  }, [shot, tracks, frame]);
  return rings.map(({ r, ring, labelAt, icon }) => (
    <Fragment key={r}>
      <Polygon positions={ring} className="map-ring" weight={1} fill={false} interactive={false} />
      <Marker position={labelAt} interactive={false} keyboard={false} icon={icon} />
    </Fragment>
  ));
});
