/**
 * Planar geometry on longitude/latitude degrees, good for jurisdictions a few tens of km wide
 * (a city, a county): the error of treating degrees as a plane there is far below the size of
 * a location ellipse. Jurisdictions crossing the antimeridian are refused at import.
 */

export type Position = [number, number];
export type Ring = Position[];
/** A polygon: its outer ring, then its holes. */
export type Polygon = Ring[];
export type MultiPolygon = Polygon[];

const EPS = 1e-12;

/** Twice the signed area of a ring (positive when counter-clockwise). */
export function ringArea2(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  return a;
}

/** Whether p lies on the segment a-b (within a tiny tolerance). */
function onSegment(p: Position, a: Position, b: Position): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  const len = Math.hypot(b[0] - a[0], b[1] - a[1]);
  if (Math.abs(cross) > 1e-10 * Math.max(len, 1e-9)) return false;
  return p[0] >= Math.min(a[0], b[0]) - EPS && p[0] <= Math.max(a[0], b[0]) + EPS && p[1] >= Math.min(a[1], b[1]) - EPS && p[1] <= Math.max(a[1], b[1]) + EPS;
}

/** Even-odd ray casting over every ring of a polygon; a point on any edge counts as inside (better two agencies than none). */
export function polygonContains(polygon: Polygon, p: Position): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!,
        b = ring[j]!;
      if (onSegment(p, a, b)) return true;
      if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
    }
  }
  return inside;
}

export function multiPolygonContains(mp: MultiPolygon, p: Position): boolean {
  return mp.some((poly) => inBox(bbox(poly[0]!), p) && polygonContains(poly, p));
}

export type BBox = [number, number, number, number];

export function bbox(ring: Ring): BBox {
  let w = Infinity,
    s = Infinity,
    e = -Infinity,
    n = -Infinity;
  for (const [x, y] of ring) {
    if (x < w) w = x;
    if (x > e) e = x;
    if (y < s) s = y;
    if (y > n) n = y;
  }
  return [w, s, e, n];
}

export const inBox = (b: BBox, p: Position): boolean => p[0] >= b[0] - EPS && p[0] <= b[2] + EPS && p[1] >= b[1] - EPS && p[1] <= b[3] + EPS;

const orient = (a: Position, b: Position, c: Position): number => {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
};

/** True when segments a-b and c-d cross properly or overlap along a line; touching at a single point is allowed. */
export function segmentsCross(a: Position, b: Position, c: Position, d: Position): boolean {
  const o1 = orient(a, b, c),
    o2 = orient(a, b, d),
    o3 = orient(c, d, a),
    o4 = orient(c, d, b);
  if (o1 !== 0 && o2 !== 0 && o3 !== 0 && o4 !== 0) return o1 !== o2 && o3 !== o4;
  if (o1 === 0 && o2 === 0) {
    // Collinear: an overlap longer than a point is a crossing.
    const axis = Math.abs(b[0] - a[0]) >= Math.abs(b[1] - a[1]) ? 0 : 1;
    const lo = Math.max(Math.min(a[axis], b[axis]), Math.min(c[axis], d[axis]));
    const hi = Math.min(Math.max(a[axis], b[axis]), Math.max(c[axis], d[axis]));
    return hi - lo > EPS;
  }
  return false;
}

interface Seg {
  ring: number;
  index: number;
  a: Position;
  b: Position;
  minX: number;
  maxX: number;
}

/**
 * Finds a pair of edges of a polygon (all its rings) that cross, sweeping edges sorted by their
 * west end so only edges whose longitude ranges overlap are compared. Returns a description or null.
 */
export function findCrossing(polygon: Polygon): { ringA: number; edgeA: number; ringB: number; edgeB: number } | null {
  const segs: Seg[] = [];
  polygon.forEach((ring, r) => {
    for (let i = 0; i + 1 < ring.length; i++) {
      const a = ring[i]!,
        b = ring[i + 1]!;
      segs.push({ ring: r, index: i, a, b, minX: Math.min(a[0], b[0]), maxX: Math.max(a[0], b[0]) });
    }
  });
  segs.sort((s, t) => s.minX - t.minX);
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    for (let j = i + 1; j < segs.length && segs[j]!.minX <= s.maxX + EPS; j++) {
      const t = segs[j]!;
      if (s.ring === t.ring) {
        const edges = polygon[s.ring]!.length - 1;
        const gap = Math.abs(s.index - t.index);
        if (gap === 1 || gap === edges - 1) {
          // Neighbours share a vertex; they only "cross" by folding back over each other.
          if (foldsBack(s, t)) return { ringA: s.ring, edgeA: Math.min(s.index, t.index), ringB: t.ring, edgeB: Math.max(s.index, t.index) };
          continue;
        }
      }
      if (segmentsCross(s.a, s.b, t.a, t.b)) return { ringA: s.ring, edgeA: s.index, ringB: t.ring, edgeB: t.index };
    }
  }
  return null;
}

function foldsBack(s: Seg, t: Seg): boolean {
  if (orient(s.a, s.b, t.a) !== 0 || orient(s.a, s.b, t.b) !== 0) return false;
  return segmentsCross(s.a, s.b, t.a, t.b);
}

/**
 * A 95 % ellipse as a closed ring of [lon, lat] for GeoJSON: azimuth is the semi-major axis's
 * bearing clockwise from north; metres become degrees with a local spherical approximation.
 */
export function ellipseRing(center: { lat: number; lon: number }, e: { semiMajorM: number; semiMinorM: number; azimuthDeg: number }, vertices = 64): Ring {
  const mPerDegLat = 111_320;
  const mPerDegLon = 111_320 * Math.cos((center.lat * Math.PI) / 180);
  const az = (e.azimuthDeg * Math.PI) / 180;
  const ring: Ring = [];
  for (let k = 0; k < vertices; k++) {
    const t = (2 * Math.PI * k) / vertices;
    const along = e.semiMajorM * Math.cos(t),
      across = e.semiMinorM * Math.sin(t);
    // Axis along the bearing: east = sin(az), north = cos(az); the minor axis is 90 degrees clockwise.
    const east = along * Math.sin(az) + across * Math.cos(az);
    const north = along * Math.cos(az) - across * Math.sin(az);
    ring.push([round7(center.lon + east / mPerDegLon), round7(center.lat + north / mPerDegLat)]);
  }
  ring.push([...ring[0]!] as Position);
  // GeoJSON wants exterior rings counter-clockwise.
  return ringArea2(ring) < 0 ? ring.reverse() : ring;
}

/** Seven decimals of a degree is about 1 cm: finer than any location we have. */
export const round7 = (v: number): number => Math.round(v * 1e7) / 1e7;
