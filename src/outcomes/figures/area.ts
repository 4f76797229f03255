import type { ProgrammeArea } from '../../contract/index.ts';
import { parseJurisdiction } from '../../publish/geojson.ts';
import { multiPolygonContains, ringArea2, type MultiPolygon } from '../../publish/geometry.ts';
import type { StoreTx } from '../../kernel/store-port.ts';
import { UserError } from '../../util/errors.ts';
import { M_PER_DEG } from './grid.ts';

export interface ResolvedArea {
  kind: ProgrammeArea['kind'];
  name: string;
  agencyId: number | null;
  /** Null for the whole network (every located or unlocated alert counts). */
  shape: MultiPolygon | null;
  /** Square metres inside the shape (holes taken out); null for the network. */
  areaM2: number | null;
}

/** Area of a multipolygon in square metres, on a local equirectangular projection at its middle latitude (a city's scale). */
export function areaM2(mp: MultiPolygon): number {
  const lats = mp.flatMap((p) => p[0]!.map((q) => q[1]));
  const mid = lats.length ? (Math.min(...lats) + Math.max(...lats)) / 2 : 0;
  const k = M_PER_DEG * M_PER_DEG * Math.cos((mid * Math.PI) / 180);
  return mp.reduce((sum, poly) => sum + poly.reduce((s, ring, i) => s + ((i === 0 ? 1 : -1) * Math.abs(ringArea2(ring))) / 2, 0), 0) * k;
}

/** The area a query names, read in the caller's transaction: the network, an agency's jurisdiction as it stands, or a drawn polygon checked as a jurisdiction is. */
export async function resolveArea(tx: StoreTx, area: ProgrammeArea): Promise<ResolvedArea> {
  if (area.kind === 'network') return { kind: 'network', name: 'the whole network', agencyId: null, shape: null, areaM2: null };
  if (area.kind === 'agency') {
    const agency = await tx.agencies.get(area.agencyId);
    const json = agency ? await tx.agencies.jurisdictionJson(agency.id) : undefined;
    if (!agency || !json) throw new UserError('not_found', `no agency ${area.agencyId}`);
    const shape = (JSON.parse(json) as { coordinates: MultiPolygon }).coordinates;
    return { kind: 'agency', name: `the jurisdiction of ${agency.name}`, agencyId: agency.id, shape, areaM2: areaM2(shape) };
  }
  const shape = parseJurisdiction(area.geojson).geometry.coordinates;
  return { kind: 'polygon', name: area.name, agencyId: null, shape, areaM2: areaM2(shape) };
}

export function areaHolds(area: ResolvedArea, p: { lat: number; lon: number }): boolean {
  return area.shape === null || multiPolygonContains(area.shape, [p.lon, p.lat]);
}
