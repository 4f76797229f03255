import type { AlertDetail, Shot } from '../../../src/contract/index.ts';
import { ellipseRing, extentMetres, gridStep, type LatLng, type MapFrame } from './frame.ts';
import { unlocatedRounds } from './unlocated.ts';

/** The smallest area the map opens on, so one sensor or a tight fix is not shown at street-corner zoom. */
export const MIN_VIEW_M = 300;
/** Sensors kept in the opening view beside the fix: enough to see where the fix sits among them. */
export const NEAREST_SENSORS = 3;

export interface IncidentMapView {
  bounds: [LatLng, LatLng];
  grid: { centre: LatLng; stepM: number; halfSpanM: number };
}

const distanceM = (frame: MapFrame, a: LatLng, b: LatLng) => {
  const e = extentMetres(frame, [a, b]);
  return Math.hypot(e.widthM, e.heightM);
};

/**
 * What the incident map opens on. A reviewer needs the fix and its ellipse large enough to read,
 * with the sensors nearest it for bearings; a map fitted to a whole network (kilometres) in a box
 * 200 px tall draws the fix as a speck. So: the sources, their 95 % ellipses (unless one is a
 * runaway of kilometres, which would zoom everything away again), a three-sensor fix's other
 * solution (kept or set aside), and the NEAREST_SENSORS
 * participating sensors nearest the first source; at least MIN_VIEW_M across. Without a fix,
 * every sensor and the line of any rounds not located. The reviewer zooms out for the rest (the
 * map keeps every sensor drawn).
 */
export function incidentMapView(
  alert: Pick<AlertDetail, 'tracks' | 'solutions'>,
  frame: MapFrame,
  shots: readonly Shot[] = alert.solutions.at(-1)?.shots ?? [],
): IncidentMapView | null {
  const sensors = alert.tracks.map((t) => ({ at: frame.toLatLng(t.position), participating: t.participating }));
  // A three-sensor fix's other solution is framed as well: the reviewer weighs both where neither
  // was ruled out, and sees the one set aside (a known sensor beside it heard nothing) to judge the rule.
  const sources = shots
    .flatMap((s) => [s.position, s.alternative?.position ?? s.setAside?.position].filter((p) => p !== undefined))
    .map((p) => frame.toLatLng(p));
  // Rounds not located are framed by the line their times fit, from its sensor to their rough place.
  const lines = unlocatedRounds(alert.solutions).flatMap((r) => [frame.toLatLng(r.line.from.position), frame.toLatLng(r.position)]);
  let core: LatLng[];
  if (sources.length === 0) core = [...sensors.map((s) => s.at), ...lines];
  else {
    const first = sources[0]!;
    const pool = sensors.some((s) => s.participating) ? sensors.filter((s) => s.participating) : sensors;
    const nearest = [...pool].sort((a, b) => distanceM(frame, a.at, first) - distanceM(frame, b.at, first)).slice(0, NEAREST_SENSORS);
    core = [...sources, ...nearest.map((s) => s.at)];
  }
  if (core.length === 0) return null;
  const base = extentMetres(frame, core);
  const limit = Math.max(base.widthM, base.heightM, MIN_VIEW_M) * 2;
  const rings = shots.flatMap((s) => (s.ellipse95 && s.ellipse95.semiMajorM < limit ? ellipseRing(frame, frame.toLatLng(s.position), s.ellipse95, 16) : []));
  const all = extentMetres(frame, [...core, ...rings]);
  const halfW = Math.max(all.widthM, MIN_VIEW_M) / 2;
  const halfH = Math.max(all.heightM, MIN_VIEW_M) / 2;
  const bounds: [LatLng, LatLng] = [frame.offset(all.centre, { east: -halfW, north: -halfH }), frame.offset(all.centre, { east: halfW, north: halfH })];
  // The grid reaches past the opening view, so zooming out to the other sensors still has one.
  const everything = extentMetres(frame, [...sensors.map((s) => s.at), ...sources]);
  const stepM = gridStep(Math.max(halfW, halfH) * 2);
  // Capped: a grid line every few tens of metres over a whole city would be thousands of lines.
  const halfSpanM = Math.min(Math.max(halfW, halfH, everything.widthM, everything.heightM) * 4, stepM * 100);
  return { bounds, grid: { centre: roundCentre(all.centre, frame.kind, stepM), stepM, halfSpanM } };
}

/** On the metric plane the grid passes through round coordinates; on the globe through the view's centre. */
function roundCentre(c: LatLng, kind: 'geo' | 'metric', stepM: number): LatLng {
  return kind === 'metric' ? [Math.round(c[0] / stepM) * stepM, Math.round(c[1] / stepM) * stepM] : c;
}
