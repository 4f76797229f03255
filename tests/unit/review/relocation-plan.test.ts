import { describe, expect, it } from 'vitest';
import type { Pulse, Shot } from '../../../src/contract/index.ts';
import { checkShots, diffPicks, picksOfSolution, reviewerBody, solveContext, solveShot } from '../../../src/review/relocation-plan.ts';
import type { RelocationAlert, StoredSolution } from '../../../src/kernel/store-port.ts';
import { isUserError } from '../../../src/util/errors.ts';

const C = 343.2;
/** Four sensors on a 400 m square, local metres, clips starting at t = 0, 2 s long. */
const alert: RelocationAlert = {
  status: 'pending',
  coordinates: 'local',
  localOrigin: null,
  weatherTemperatureC: 20,
  sensors: [
    [-200, -200],
    [200, -200],
    [200, 200],
    [-200, 200],
  ].map(([x, y], i) => ({ sensorId: `S${i + 1}`, local: { x: x!, y: y!, z: null }, clipStartUs: 0, durationS: 2, sampleRate: 16000 })),
};
const ctx = { ...solveContext(alert, 20) };
/** Arrivals from a source at (50, 30) fired at 0.1 s, with the temperature's speed of sound. */
const c20 = 20.03 * Math.sqrt(20 + 273.15);
const truth = { x: 50, y: 30 };
const arrivals = alert.sensors.map((s) => ({ sensorId: s.sensorId, offsetS: 0.1 + Math.hypot(s.local.x - truth.x, s.local.y - truth.y) / c20 }));

const thrown = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    if (isUserError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'nothing thrown';
};

describe('re-location planning', () => {
  it('solves a shot from exactly its picks, in the alert’s frame', () => {
    const [shot] = checkShots([{ index: 1, picks: arrivals }], ctx.sensors);
    const p = solveShot(shot!, ctx);
    expect(p.problem).toBeNull();
    expect(p.shot!.position).toEqual(p.shot!.local);
    expect(Math.hypot(p.shot!.local.x - truth.x, p.shot!.local.y - truth.y)).toBeLessThan(0.01);
    expect(p.shot!.sensorsUsed).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(C).toBeGreaterThan(0);
  });

  it('places a WGS84 alert’s fix through the tangent plane of its import', () => {
    const geo = solveContext({ ...alert, coordinates: 'wgs84', localOrigin: { lat: 38.6461, lon: -121.444 } }, 20);
    const p = solveShot(checkShots([{ index: 1, picks: arrivals }], geo.sensors)[0]!, geo);
    const pos = p.shot!.position as { lat: number; lon: number };
    expect(pos.lat).toBeCloseTo(38.6461 + 30 / 111_000, 4);
    expect(pos.lon).toBeCloseTo(-121.444 + 50 / 86_900, 4);
  });

  it('refuses picks that are not this alert’s, or not in its clips, naming the first', () => {
    const one = (p: { sensorId: string; offsetS: number }) => [{ index: 1, picks: [...arrivals.slice(1), p] }];
    expect(thrown(() => checkShots(one({ sensorId: 'S9', offsetS: 0.2 }), ctx.sensors))).toMatch(/invalid_input: shot 1: this alert has no sensor "S9"/);
    expect(thrown(() => checkShots(one({ sensorId: 'S1', offsetS: 2.0001 }), ctx.sensors))).toMatch(/outside its clip/);
    expect(thrown(() => checkShots(one({ sensorId: 'S1', offsetS: Number.NaN }), ctx.sensors))).toMatch(/outside its clip/);
    expect(thrown(() => checkShots(one({ sensorId: 'S2', offsetS: 0.2 }), ctx.sensors))).toMatch(/two picks/);
    expect(thrown(() => checkShots(one({ sensorId: `${'x'.repeat(500)}`, offsetS: 0.2 }), ctx.sensors)).length).toBeLessThan(160);
    expect(checkShots(one({ sensorId: 'S1', offsetS: 2 }), ctx.sensors)[0]!.picks.at(-1)).toEqual({ sensorId: 'S1', offsetS: 2, timeUs: 2_000_000 });
  });

  it('says why two picks give no fix; sensors in a line never give a non-finite one', () => {
    expect(solveShot({ index: 2, picks: checkShots([{ index: 2, picks: arrivals.slice(0, 2) }], ctx.sensors)[0]!.picks }, ctx).problem).toMatch(
      /at least three sensors to be located \(2 given\)/,
    );
    const line: RelocationAlert = { ...alert, sensors: alert.sensors.map((s, i) => ({ ...s, local: { x: i * 100, y: 0, z: null } })) };
    const lineCtx = solveContext(line, 20);
    const p = solveShot(checkShots([{ index: 1, picks: arrivals.slice(0, 3) }], lineCtx.sensors)[0]!, lineCtx);
    expect(p.shot === null || Number.isFinite(p.shot.local.x)).toBe(true);
  });

  it('tells moved, added, removed and unchanged picks apart, per shot and sensor', () => {
    let id = 1;
    const base: Pulse[] = arrivals.map((a) => ({
      id: id++,
      ...a,
      timeUs: Math.round(a.offsetS * 1e6),
      snrDb: 20,
      peakDbfs: -3,
      peakDbSpl: null,
      shotIndex: 1,
      origin: 'machine',
    }));
    const next = checkShots(
      [
        { index: 1, picks: [{ ...arrivals[0]!, offsetS: arrivals[0]!.offsetS + 0.002 }, arrivals[1]!, arrivals[2]!] },
        { index: 2, picks: arrivals.slice(0, 3) },
      ],
      ctx.sensors,
    );
    const d = diffPicks(base, next);
    expect(d.moved.map((m) => m.to.sensorId)).toEqual(['S1']);
    expect(d.unchanged.map((m) => m.to.sensorId)).toEqual(['S2', 'S3']);
    expect(d.removed.map((m) => m.from.sensorId)).toEqual(['S4']);
    expect(d.added.map((m) => `${m.shotIndex}:${m.to.sensorId}`)).toEqual(['2:S1', '2:S2', '2:S3']);
  });

  it('takes a machine version’s picks from its shots’ used sensors, a reviewer version’s from its own rows', () => {
    const shot: Shot = {
      index: 1,
      timeUs: 0,
      position: { x: 0, y: 0 },
      local: { x: 0, y: 0 },
      ellipse95: null,
      gdop: null,
      sensorsUsed: ['S1', 'S2'],
      residualRmsMs: null,
      residualsMs: {},
    };
    const body = { temperatureC: 20, temperatureSource: 'weather' as const, speedOfSoundMs: c20, rounds: 3, shots: [shot] };
    const machine: StoredSolution = { id: 1, version: 1, origin: 'machine', body };
    const pulses: Pulse[] = ['S1', 'S2', 'S3'].map((s, i) => ({
      id: i + 1,
      sensorId: s,
      offsetS: 0.5,
      timeUs: 500_000,
      snrDb: null,
      peakDbfs: null,
      peakDbSpl: null,
      shotIndex: 1,
      origin: 'machine',
    }));
    expect(picksOfSolution(machine, pulses, () => []).map((p) => p.sensorId)).toEqual(['S1', 'S2']);
    expect(picksOfSolution({ ...machine, origin: 'reviewer' }, pulses, () => pulses.slice(2))).toHaveLength(1);
    expect(picksOfSolution(null, pulses, () => pulses)).toEqual([]);
    // Rounds: kept, plus a shot the reviewer added.
    const added = reviewerBody(machine, [shot, { ...shot, index: 4 }], ctx, 'weather');
    expect(added).toMatchObject({ rounds: 4, temperatureC: 20, speedOfSoundMs: c20 });
    expect(added.shots.map((s) => s.index)).toEqual([1, 4]);
  });
});
