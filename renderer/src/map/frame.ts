import type { AlertDetail, Position } from '../../../src/contract/index.ts';

/** [lat, lng] as Leaflet takes it; on the metric plane that is [north, east] in metres. */
export type LatLng = [number, number];

export interface Offset {
  /** Metres east. */
  east: number;
  /** Metres north. */
  north: number;
}

/**
 * How an alert's positions land on the map. WGS84 alerts go on Web Mercator as latitude and
 * longitude; local-metre alerts (research data) on Leaflet's Simple CRS with one unit per metre,
 * so the scale bar and grid read true metres and nothing pretends to be on the globe.
 */
export interface MapFrame {
  readonly kind: 'geo' | 'metric';
  toLatLng(p: Position): LatLng;
  /** A point `offset` metres away from `from` (ellipses, grid lines). */
  offset(from: LatLng, offset: Offset): LatLng;
}

// Metres per degree on the WGS84 ellipsoid (series to cos 6φ; millimetre-level over a city, where
// these figures only draw shapes, never locate anything).
const metresPerDegreeLat = (φ: number) => 111_132.92 - 559.82 * Math.cos(2 * φ) + 1.175 * Math.cos(4 * φ) - 0.0023 * Math.cos(6 * φ);
const metresPerDegreeLon = (φ: number) => 111_412.84 * Math.cos(φ) - 93.5 * Math.cos(3 * φ) + 0.118 * Math.cos(5 * φ);

export const geoFrame: MapFrame = {
  kind: 'geo',
  toLatLng(p) {
    if (!('lat' in p)) throw new Error('a local-metre position on a WGS84 map');
    return [p.lat, p.lon];
  },
  offset([lat, lng], { east, north }) {
    const φ = (lat * Math.PI) / 180;
    return [lat + north / metresPerDegreeLat(φ), lng + east / metresPerDegreeLon(φ)];
  },
};

export const metricFrame: MapFrame = {
  kind: 'metric',
  toLatLng(p) {
    if (!('x' in p)) throw new Error('a WGS84 position on a local-metre map');
    return [p.y, p.x];
  },
  offset([north, east], o) {
    return [north + o.north, east + o.east];
  },
};

export const frameFor = (coordinates: AlertDetail['coordinates']): MapFrame => (coordinates === 'wgs84' ? geoFrame : metricFrame);

/**
 * The 95 % ellipse as a closed ring of points: semi-axes in metres, the major axis `azimuthDeg`
 * clockwise from north (the locator's convention).
 */
export function ellipseRing(frame: MapFrame, centre: LatLng, e: { semiMajorM: number; semiMinorM: number; azimuthDeg: number }, points = 72): LatLng[] {
  const θ = (e.azimuthDeg * Math.PI) / 180;
  // Unit vectors (east, north) along the major and the minor axis.
  const major = { east: Math.sin(θ), north: Math.cos(θ) };
  const minor = { east: Math.cos(θ), north: -Math.sin(θ) };
  const ring: LatLng[] = [];
  for (let i = 0; i < points; i++) {
    const t = (2 * Math.PI * i) / points;
    const a = e.semiMajorM * Math.cos(t);
    const b = e.semiMinorM * Math.sin(t);
    ring.push(frame.offset(centre, { east: a * major.east + b * minor.east, north: a * major.north + b * minor.north }));
  }
  return ring;
}

/** A round grid step (1, 2 or 5 times a power of ten metres) giving about `lines` lines across `extentM`. */
export function gridStep(extentM: number, lines = 6): number {
  const raw = Math.max(extentM, 1) / lines;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const m = raw / pow;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * pow;
}

/** The centre of a set of points and their east-west and north-south extent in metres. */
export function extentMetres(frame: MapFrame, points: readonly LatLng[]): { centre: LatLng; widthM: number; heightM: number } {
  const lats = points.map((p) => p[0]);
  const lngs = points.map((p) => p[1]);
  const centre: LatLng = [(Math.min(...lats) + Math.max(...lats)) / 2, (Math.min(...lngs) + Math.max(...lngs)) / 2];
  // Map units per metre at the centre, east and north.
  const perMetreNorth = frame.offset(centre, { east: 0, north: 1 })[0] - centre[0];
  const perMetreEast = frame.offset(centre, { east: 1, north: 0 })[1] - centre[1];
  return {
    centre,
    widthM: (Math.max(...lngs) - Math.min(...lngs)) / perMetreEast,
    heightM: (Math.max(...lats) - Math.min(...lats)) / perMetreNorth,
  };
}

/** Round radii from the fix out to the farthest sensor: 1, 2 or 5 times a power of ten metres, two or three rings usually, never more than five. */
export function ringRadii(farthestM: number): number[] {
  if (!(farthestM > 0)) return [];
  const step = gridStep(farthestM, 2.5);
  const out: number[] = [];
  for (let r = step; r <= farthestM * 1.05 && out.length < 5; r += step) out.push(r);
  return out;
}
