/**
 * The geometry behind drawing a jurisdiction on the map, kept free of Leaflet and React so it is
 * tested on its own. Positions are [longitude, latitude] in WGS84 degrees, as GeoJSON has them.
 * A draft holds closed polygons (rings without the repeated first vertex) and the ring being
 * drawn. The core checks the saved GeoJSON again, strictly; these checks tell the admin early.
 */

export type LonLat = [number, number];

export interface DrawDraft {
  /** Closed polygons, each an outer ring without its closing vertex (no holes: import a file for those). */
  polygons: LonLat[][];
  /** The ring being drawn, not yet closed. */
  open: LonLat[];
}

/** Where a vertex is: in a closed polygon (by index) or in the open ring. */
export interface VertexRef {
  polygon: number | 'open';
  index: number;
}

/** Past this many vertices an outline is a surveyed boundary, edited as a file, not by hand. */
export const MAX_DRAWN_VERTICES = 2000;

export const emptyDraft = (): DrawDraft => ({ polygons: [], open: [] });

export type Result<T> = { ok: true; value: T } | { ok: false; error: string };
const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = <T>(error: string): Result<T> => ({ ok: false, error });

/** Web Mercator cannot show the poles; Leaflet clicks beyond ±180° longitude wrap around the world. */
export function inWgs84Bounds([lon, lat]: LonLat): boolean {
  return Number.isFinite(lon) && Number.isFinite(lat) && lon >= -180 && lon <= 180 && lat >= -85.05 && lat <= 85.05;
}

/** Twice the signed area in square degrees (positive when counter-clockwise); the ring is implicitly closed. */
export function ringArea2(ring: readonly LonLat[]): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j]![0] * ring[i]![1] - ring[i]![0] * ring[j]![1];
  return a;
}

const orient = (a: LonLat, b: LonLat, c: LonLat): number => {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return Math.abs(v) < 1e-18 ? 0 : Math.sign(v);
};

const within = (a: LonLat, b: LonLat, p: LonLat) =>
  p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1]);

/** Whether segments a-b and c-d share any point (touching counts: a drawn outline may not touch itself). */
export function segmentsIntersect(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const o1 = orient(a, b, c),
    o2 = orient(a, b, d),
    o3 = orient(c, d, a),
    o4 = orient(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && within(a, b, c)) || (o2 === 0 && within(a, b, d)) || (o3 === 0 && within(c, d, a)) || (o4 === 0 && within(c, d, b));
}

/** The first pair of edges (1-based) of a closed ring that cross or touch, other than neighbours at their shared vertex. */
export function findSelfIntersection(ring: readonly LonLat[]): [number, number] | null {
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i]!,
      b = ring[(i + 1) % n]!;
    for (let j = i + 1; j < n; j++) {
      const c = ring[j]!,
        d = ring[(j + 1) % n]!;
      const neighbours = j === i + 1 || (i === 0 && j === n - 1);
      if (neighbours) {
        // Neighbours share one vertex; they only fail by folding back along each other.
        const [shared, x, y] = j === i + 1 ? [b, a, d] : [a, b, c];
        if (orient(shared, x, y) === 0 && (within(shared, x, y) || within(shared, y, x))) return [i + 1, j + 1];
        continue;
      }
      if (segmentsIntersect(a, b, c, d)) return [i + 1, j + 1];
    }
  }
  return null;
}

/** What is wrong with a ring as a polygon outline, or null. */
export function ringProblem(ring: readonly LonLat[]): string | null {
  const distinct = new Set(ring.map((p) => `${p[0]},${p[1]}`));
  if (ring.length < 3 || distinct.size < 3) return 'a polygon needs at least 3 different vertices';
  if (distinct.size !== ring.length) return 'two vertices lie on the same spot';
  if (ring.some((p) => !inWgs84Bounds(p))) return 'a vertex lies outside longitude -180..180, latitude -85..85';
  const crossing = findSelfIntersection(ring);
  if (crossing) return `the outline crosses itself (edges ${crossing[0]} and ${crossing[1]})`;
  if (Math.abs(ringArea2(ring)) < 1e-14) return 'the polygon has no area';
  return null;
}

export function addVertex(d: DrawDraft, p: LonLat): Result<DrawDraft> {
  if (!inWgs84Bounds(p)) return fail('that point is outside longitude -180..180, latitude -85..85');
  if (countVertices(d) >= MAX_DRAWN_VERTICES) return fail(`at most ${MAX_DRAWN_VERTICES} vertices can be drawn; import a file for a finer boundary`);
  return ok({ ...d, open: [...d.open, p] });
}

/** Moves a vertex anywhere within bounds; a move that makes an outline cross itself shows as a problem of the draft. */
export function moveVertex(d: DrawDraft, v: VertexRef, p: LonLat): Result<DrawDraft> {
  if (!inWgs84Bounds(p)) return fail('that point is outside longitude -180..180, latitude -85..85');
  const put = (ring: LonLat[]) => ring.map((q, i) => (i === v.index ? p : q));
  if (v.polygon === 'open') return ok({ ...d, open: put(d.open) });
  return ok({ ...d, polygons: d.polygons.map((r, i) => (i === v.polygon ? put(r) : r)) });
}

export function removeVertex(d: DrawDraft, v: VertexRef): Result<DrawDraft> {
  const drop = (ring: LonLat[]) => ring.filter((_, i) => i !== v.index);
  if (v.polygon === 'open') return ok({ ...d, open: drop(d.open) });
  const ring = d.polygons[v.polygon];
  if (!ring) return fail('no such polygon');
  if (ring.length <= 3) return fail('a polygon needs 3 vertices: remove the whole polygon instead');
  return ok({ ...d, polygons: d.polygons.map((r, i) => (i === v.polygon ? drop(r) : r)) });
}

/** Closes the open ring into a polygon, refusing one that crosses itself or has no area. */
export function closeOpen(d: DrawDraft): Result<DrawDraft> {
  const problem = ringProblem(d.open);
  if (problem) return fail(problem);
  return ok({ polygons: [...d.polygons, d.open], open: [] });
}

export const removePolygon = (d: DrawDraft, index: number): DrawDraft => ({ ...d, polygons: d.polygons.filter((_, i) => i !== index) });

export const countVertices = (d: DrawDraft): number => d.polygons.reduce((n, r) => n + r.length, d.open.length);

/** Problems that keep the draft from being saved, in words; empty when it can be saved. */
export function draftProblems(d: DrawDraft): string[] {
  const out: string[] = [];
  if (d.polygons.length === 0) out.push('draw at least one polygon and close it');
  if (d.open.length > 0) out.push('close or clear the polygon being drawn');
  d.polygons.forEach((r, i) => {
    const p = ringProblem(r);
    if (p) out.push(`polygon ${i + 1}: ${p}`);
  });
  return out;
}

/** Seven decimals of a degree is about 1 cm. */
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** GeoJSON text of the draft: a MultiPolygon, each ring closed and counter-clockwise as RFC 7946 asks. */
export function draftToGeoJson(d: DrawDraft): string {
  const coordinates = d.polygons.map((ring) => {
    const r = ring.map(([x, y]): LonLat => [round7(x), round7(y)]);
    const ccw = ringArea2(r) < 0 ? r.reverse() : r;
    return [[...ccw, ccw[0]!]];
  });
  return JSON.stringify({ type: 'MultiPolygon', coordinates });
}

/** A stored jurisdiction as a draft to edit; refused when it has holes or more vertices than hands should move. */
export function draftFromMultiPolygon(coords: readonly (readonly (readonly (readonly number[])[])[])[]): Result<DrawDraft> {
  if (coords.some((p) => p.length > 1)) return fail('this jurisdiction has holes, which the map cannot edit; import a GeoJSON file instead');
  const polygons = coords.map((p) => {
    const ring = p[0]!.map(([x, y]): LonLat => [x!, y!]);
    const last = ring.at(-1),
      first = ring[0];
    return last && first && last[0] === first[0] && last[1] === first[1] ? ring.slice(0, -1) : ring;
  });
  const n = polygons.reduce((s, r) => s + r.length, 0);
  if (n > MAX_DRAWN_VERTICES)
    return fail(`this jurisdiction has ${n} vertices, more than the ${MAX_DRAWN_VERTICES} the map edits; import a GeoJSON file instead`);
  return ok({ polygons, open: [] });
}
