import { describe, expect, it } from 'vitest';
import type { AlertDetail, Shot } from '../../../src/contract/index.ts';
import { metricFrame } from '../../../renderer/src/map/frame.ts';
import { incidentMapView, MIN_VIEW_M } from '../../../renderer/src/map/view.ts';

// Only what the view reads; the rest of a track is not used.
const track = (sensorId: string, x: number, y: number, participating = true) =>
  ({ sensorId, position: { x, y }, participating }) as unknown as AlertDetail['tracks'][number];
const shot = (x: number, y: number, semiMajorM: number, semiMinorM = semiMajorM / 2): Shot => ({
  index: 1,
  timeUs: 0,
  position: { x, y },
  local: { x, y },
  ellipse95: { semiMajorM, semiMinorM, azimuthDeg: 0 },
  gdop: 1,
  sensorsUsed: [],
  residualRmsMs: 0.1,
  residualsMs: {},
});
const alertWith = (tracks: AlertDetail['tracks'], shots: Shot[]) =>
  ({ tracks, solutions: shots.length ? [{ shots }] : [] }) as unknown as Pick<AlertDetail, 'tracks' | 'solutions'>;

// A network 4 km across; the fix among the three sensors of its north-east corner.
const network = [
  track('NE1', 1900, 1900),
  track('NE2', 1500, 1950),
  track('NE3', 1950, 1400),
  track('SW1', -2000, -2000),
  track('SW2', -1900, -1500),
  track('FAR', 2000, -2000),
  track('OFF', 1800, 1850, false),
];
const span = (v: NonNullable<ReturnType<typeof incidentMapView>>) => ({
  north: v.bounds[1][0] - v.bounds[0][0],
  east: v.bounds[1][1] - v.bounds[0][1],
});

describe('what the incident map opens on', () => {
  it('frames the fix, its ellipse and the three participating sensors nearest it, not the whole network', () => {
    const v = incidentMapView(alertWith(network, [shot(1700, 1700, 40)]), metricFrame)!;
    const s = span(v);
    // The three NE sensors and the fix fit in about 450 m; the network is 4 km.
    expect(s.east).toBeLessThan(600);
    expect(s.north).toBeLessThan(600);
    const inside = (x: number, y: number) => y >= v.bounds[0][0] && y <= v.bounds[1][0] && x >= v.bounds[0][1] && x <= v.bounds[1][1];
    for (const t of network.slice(0, 3)) expect(inside((t.position as { x: number }).x, (t.position as { y: number }).y)).toBe(true);
    expect(inside(1700, 1700 + 40)).toBe(true);
    expect(inside(-2000, -2000)).toBe(false);
  });

  it('frames, where nothing was located, the line of the rounds whose times fit only a line, out to where they roughly put them', () => {
    const three = [track('A', 0, 0), track('B', 0, -500), track('C', 400, 300)];
    const inside = (v: NonNullable<ReturnType<typeof incidentMapView>>, x: number, y: number) =>
      y >= v.bounds[0][0] && y <= v.bounds[1][0] && x >= v.bounds[0][1] && x <= v.bounds[1][1];
    const place = (x: number, y: number) => ({ position: { x, y }, local: { x, y } });
    const onLine = { kind: 'on-line', from: 'A', through: 'B', ...place(0, 900), line: { from: place(0, 0), to: place(0, 1800) }, rounds: 3 };
    const noFix = (rejected: unknown[], origin = 'machine') =>
      ({ tracks: three, solutions: [{ origin, shots: [], rejected }] }) as unknown as Pick<AlertDetail, 'tracks' | 'solutions'>;
    expect(inside(incidentMapView(noFix([]), metricFrame)!, 0, 900)).toBe(false);
    expect(inside(incidentMapView(noFix([onLine]), metricFrame)!, 0, 900)).toBe(true);
    // A reviewer's version carries none: the machine's line is not the reviewer's.
    expect(inside(incidentMapView(noFix([onLine], 'reviewer'), metricFrame)!, 0, 900)).toBe(false);
  });

  it("frames a three-sensor fix's other solution, kept as ambiguous or set aside, so the reviewer can weigh it", () => {
    const three = [track('T1', 0, 0), track('T2', 420, 30), track('T3', 180, 380)];
    const inside = (v: NonNullable<ReturnType<typeof incidentMapView>>, x: number, y: number) =>
      y >= v.bounds[0][0] && y <= v.bounds[1][0] && x >= v.bounds[0][1] && x <= v.bounds[1][1];
    const fix = shot(-400, 0, 20);
    expect(inside(incidentMapView(alertWith(three, [fix]), metricFrame)!, -700, -60)).toBe(false);
    const other = { position: { x: -700, y: -60 }, local: { x: -700, y: -60 } };
    const ambiguous = { ...fix, alternative: { ...other, timeUs: 0, ellipse95: null } };
    const setAside = { ...fix, setAside: { ...other, reason: 'sensor K1, 60 m away, heard nothing' } };
    expect(inside(incidentMapView(alertWith(three, [ambiguous]), metricFrame)!, -700, -60)).toBe(true);
    expect(inside(incidentMapView(alertWith(three, [setAside]), metricFrame)!, -700, -60)).toBe(true);
  });

  it('never opens smaller than the minimum, and takes in a large ellipse but not a runaway one', () => {
    const tight = [track('A', 0, 0), track('B', 20, 0), track('C', 0, 20)];
    expect(span(incidentMapView(alertWith(tight, [shot(10, 10, 2)]), metricFrame)!).east).toBeCloseTo(MIN_VIEW_M, 6);
    const wide = span(incidentMapView(alertWith(tight, [shot(10, 10, 250, 100)]), metricFrame)!);
    expect(wide.north).toBeGreaterThanOrEqual(500);
    const runaway = span(incidentMapView(alertWith(tight, [shot(10, 10, 50_000)]), metricFrame)!);
    expect(runaway.north).toBeCloseTo(MIN_VIEW_M, 6);
  });

  it('without a fix shows every sensor; the grid reaches past the view to the whole network', () => {
    const none = incidentMapView(alertWith(network, []), metricFrame)!;
    expect(span(none).east).toBeCloseTo(4000, 6);
    const fixed = incidentMapView(alertWith(network, [shot(1700, 1700, 40)]), metricFrame)!;
    expect(fixed.grid.halfSpanM).toBeGreaterThanOrEqual(Math.min(4000, fixed.grid.stepM * 100));
    expect(incidentMapView(alertWith([], []), metricFrame)).toBeNull();
  });
});
