import { GEOJSON_MAX_BYTES } from '../contract/publish.ts';
import { UserError } from '../util/errors.ts';
import { bbox, findCrossing, polygonContains, ringArea2, type BBox, type MultiPolygon, type Polygon, type Position, type Ring } from './geometry.ts';

/** More vertices than any real city or county boundary needs; keeps routing and validation fast. */
export const MAX_VERTICES = 200_000;
const MAX_POLYGONS = 10_000;

export interface Jurisdiction {
  geometry: { type: 'MultiPolygon'; coordinates: MultiPolygon };
  /** What the file held, for the summary shown to admins. */
  sourceType: 'Polygon' | 'MultiPolygon';
  polygons: number;
  holes: number;
  vertices: number;
  bbox: BBox;
  /** A `name` property of the feature, when the file has one (a default for the agency's name). */
  name: string | null;
}

const WGS84_CRS = new Set(['urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'urn:ogc:def:crs:EPSG::4326', 'EPSG:4326']);

const bad = (where: string, what: string): never => {
  throw new UserError('bad_file', `jurisdiction GeoJSON: ${where ? `${where}: ` : ''}${what}`);
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a jurisdiction from GeoJSON text, strictly: a Polygon or MultiPolygon geometry, a Feature
 * holding one, or a FeatureCollection of them (merged into one MultiPolygon). WGS84 [lon, lat]
 * only, closed rings of at least four positions, no ring crossing itself or another, holes
 * inside their outer ring, no antimeridian crossing, and size caps. Refusals name the place.
 */
export function parseJurisdiction(text: string): Jurisdiction {
  if (Buffer.byteLength(text, 'utf8') > GEOJSON_MAX_BYTES) bad('', `the file is larger than ${GEOJSON_MAX_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    bad('', `not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  if (!isObject(doc)) bad('', 'the top level must be a GeoJSON object');
  const root = doc as Record<string, unknown>;
  checkCrs(root, '');
  let name: string | null = null;
  const polygons: MultiPolygon = [];
  let sourceType: Jurisdiction['sourceType'] = 'Polygon';
  const takeGeometry = (g: unknown, where: string) => {
    if (!isObject(g)) bad(where, 'a geometry object is required');
    const geom = g as Record<string, unknown>;
    if (geom.type === 'Polygon') polygons.push(readPolygon(geom.coordinates, `${where}.coordinates`));
    else if (geom.type === 'MultiPolygon') {
      sourceType = 'MultiPolygon';
      if (!Array.isArray(geom.coordinates) || geom.coordinates.length === 0) bad(`${where}.coordinates`, 'a MultiPolygon needs at least one polygon');
      (geom.coordinates as unknown[]).forEach((p, i) => polygons.push(readPolygon(p, `${where}.coordinates[${i}]`)));
    } else bad(`${where}.type`, `only Polygon or MultiPolygon can be a jurisdiction, not ${describe(geom.type)}`);
    if (polygons.length > MAX_POLYGONS) bad(where, `more than ${MAX_POLYGONS} polygons`);
  };
  const takeFeature = (f: unknown, where: string) => {
    if (!isObject(f) || f.type !== 'Feature') bad(where, 'expected a Feature');
    const feature = f as Record<string, unknown>;
    takeGeometry(feature.geometry, `${where}.geometry`);
    const props = feature.properties;
    if (name === null && isObject(props) && typeof props.name === 'string' && props.name.trim()) name = props.name.trim().slice(0, 200);
  };
  if (root.type === 'FeatureCollection') {
    if (!Array.isArray(root.features) || root.features.length === 0) bad('features', 'a FeatureCollection needs at least one feature');
    (root.features as unknown[]).forEach((f, i) => takeFeature(f, `features[${i}]`));
    if (polygons.length > 1) sourceType = 'MultiPolygon';
  } else if (root.type === 'Feature') takeFeature(root, 'feature');
  else takeGeometry(root, 'geometry');

  let vertices = 0,
    holes = 0;
  for (const p of polygons) {
    holes += p.length - 1;
    for (const r of p) vertices += r.length;
  }
  if (vertices > MAX_VERTICES) bad('', `${vertices} vertices is more than the ${MAX_VERTICES} allowed; simplify the boundary`);
  polygons.forEach((p, i) => checkPolygon(p, `polygon ${i + 1}`));
  const boxes = polygons.map((p) => bbox(p[0]!));
  const all: BBox = [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
  return { geometry: { type: 'MultiPolygon', coordinates: polygons }, sourceType, polygons: polygons.length, holes, vertices, bbox: all, name };
}

function checkCrs(o: Record<string, unknown>, where: string): void {
  if (o.crs === undefined || o.crs === null) return;
  const props = isObject(o.crs) && isObject(o.crs.properties) ? o.crs.properties : null;
  const crsName = props && typeof props.name === 'string' ? props.name : null;
  if (!crsName || !WGS84_CRS.has(crsName)) {
    bad(where || 'crs', `only WGS84 longitude/latitude (RFC 7946) is accepted, not ${describe(crsName ?? o.crs)}; reproject the file first`);
  }
}

function readPolygon(v: unknown, where: string): Polygon {
  if (!Array.isArray(v) || v.length === 0) bad(where, 'a polygon is a non-empty array of rings');
  return (v as unknown[]).map((r, i) => readRing(r, `${where}[${i}]`));
}

function readRing(v: unknown, where: string): Ring {
  if (!Array.isArray(v)) bad(where, 'a ring is an array of positions');
  const arr = v as unknown[];
  if (arr.length > MAX_VERTICES) bad(where, `more than ${MAX_VERTICES} positions`);
  if (arr.length < 4) bad(where, `a ring needs at least 4 positions (first repeated last), it has ${arr.length}`);
  const ring = arr.map((p, i) => readPosition(p, `${where}[${i}]`));
  const first = ring[0]!,
    last = ring.at(-1)!;
  if (first[0] !== last[0] || first[1] !== last[1]) bad(where, 'the ring is not closed: its last position must repeat its first');
  return ring;
}

function readPosition(v: unknown, where: string): Position {
  if (!Array.isArray(v) || v.length < 2 || v.length > 3) bad(where, 'a position is [longitude, latitude] or [longitude, latitude, altitude]');
  const [lon, lat, alt] = v as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat))
    bad(where, 'longitude and latitude must be finite numbers');
  if (alt !== undefined && (typeof alt !== 'number' || !Number.isFinite(alt))) bad(where, 'altitude must be a finite number');
  const x = lon as number,
    y = lat as number;
  if (x < -180 || x > 180 || y < -90 || y > 90) {
    const swapped = y >= -180 && y <= 180 && x >= -90 && x <= 90;
    bad(where, `[${x}, ${y}] is outside longitude -180..180, latitude -90..90${swapped ? '' : ' (projected coordinates? reproject to WGS84)'}`);
  }
  return [x, y];
}

function checkPolygon(p: Polygon, where: string): void {
  p.forEach((ring, i) => {
    const label = i === 0 ? `${where}, outer ring` : `${where}, hole ${i}`;
    const distinct = new Set(ring.slice(0, -1).map((q) => `${q[0]},${q[1]}`));
    if (distinct.size < 3) bad(label, 'a ring needs at least 3 distinct positions');
    if (allOnOneLine(ring)) bad(label, 'the ring has no area: all its positions lie on one line');
    const box = bbox(ring);
    if (box[2] - box[0] > 180)
      bad(label, 'the ring spans more than 180 degrees of longitude (antimeridian crossings are not supported; split it in two polygons)');
  });
  const crossing = findCrossing(p);
  if (!crossing) p.forEach((ring, i) => Math.abs(ringArea2(ring)) < 1e-16 && bad(`${where}, ring ${i + 1}`, 'the ring has no area'));
  if (crossing) {
    const ringName = (r: number) => (r === 0 ? 'the outer ring' : `hole ${r}`);
    const same = crossing.ringA === crossing.ringB;
    bad(
      where,
      same
        ? `${ringName(crossing.ringA)} crosses itself (edges ${crossing.edgeA + 1} and ${crossing.edgeB + 1})`
        : `${ringName(crossing.ringA)} and ${ringName(crossing.ringB)} cross (edges ${crossing.edgeA + 1} and ${crossing.edgeB + 1})`,
    );
  }
  const outer = [p[0]!];
  for (let i = 1; i < p.length; i++) {
    // No edge crosses, so one vertex strictly inside tells the whole hole is inside.
    const inner = p[i]!.find((q) => polygonContains(outer, q) && !onOuterEdge(outer[0]!, q));
    if (!inner) bad(`${where}, hole ${i}`, 'the hole lies outside its outer ring');
  }
}

function allOnOneLine(ring: Ring): boolean {
  const a = ring[0]!;
  const b = ring.find((q) => q[0] !== a[0] || q[1] !== a[1])!;
  return ring.every((c) => Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) < 1e-18);
}

function onOuterEdge(ring: Ring, q: Position): boolean {
  return ring.some((v) => v[0] === q[0] && v[1] === q[1]);
}

function describe(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : v === undefined ? 'nothing' : JSON.stringify(v);
  return (s ?? String(v)).slice(0, 60);
}
