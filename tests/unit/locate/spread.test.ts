import { describe, expect, it } from 'vitest';
import { locateFromAudio, relocateShot, speedOfSound, type LocateOutput, type SensorAudio } from '../../../src/locate/index.ts';
import { fitPicks } from '../../../src/locate/hypothesis.ts';
import { MODEL } from '../../../src/locate/model.ts';
import { leaveOneOutSpread } from '../../../src/locate/spread.ts';
import type { Track } from '../../../src/locate/tracks.ts';
import { largerCov, uncertaintyOf, type Cov2, type Ellipse } from '../../../src/locate/uncertainty.ts';
import { gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';
import { insideEllipse } from '../../eval/lib/score.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
// Five sensors north of a shooter outside them: range is what the geometry determines worst.
const NORTH: GunfireScene['sensors'] = [
  { id: 'N1', x: 50, y: 140 },
  { id: 'N2', x: 540, y: 160 },
  { id: 'N3', x: -330, y: 520 },
  { id: 'N4', x: 300, y: 560 },
  { id: 'N5', x: 900, y: 520 },
];
const SOURCE = { x: 0, y: 0 };

/** The alert's audio, one sensor's reported position moved by (dx, dy) (a GPS fix metres off). */
function audioWithGpsError(id: string, dx: number, dy: number): SensorAudio[] {
  const audio = gunfireAudio({ sensors: NORTH, shots: [{ ...SOURCE, tS: 1 }], durationS: 5 });
  return audio.map((a) => (a.sensorId === id ? { ...a, local: { ...a.local, x: a.local.x + dx, y: a.local.y + dy } } : a));
}

/** The ellipse the timing model alone gives the same picks (a re-location has no leave-one-out). */
function modelOnly(out: LocateOutput, audio: readonly SensorAudio[]) {
  const picks = out.pulses
    .filter((p) => p.shotIndex === 1)
    .map((p) => ({ sensorId: p.sensorId, timeUs: audio.find((a) => a.sensorId === p.sensorId)!.clipStartUs + Math.round(p.offsetS * 1e6) }));
  expect(picks).toHaveLength(out.shots[0]!.sensorsUsed.length);
  return relocateShot(picks, audio, { temperatureC: 15 })!;
}

const holds = (shot: { local: { x: number; y: number }; ellipse95: Ellipse | null }, at: { x: number; y: number }) =>
  insideEllipse(at.x - shot.local.x, at.y - shot.local.y, shot.ellipse95);

/** One pick per sensor at the given arrival times, as the search hands a shot to the report. */
function tracksAt(sensors: readonly { x: number; y: number; t: number }[]): Track[] {
  return sensors.map((s, k) => ({
    id: `S${k + 1}`,
    x: s.x,
    y: s.y,
    z: null,
    times: Float64Array.of(s.t),
    snrDb: Float64Array.of(20),
    levelDb: Float64Array.of(-20),
    calibrationDb: null,
    masked: new Uint8Array(1),
    preceded: new Uint8Array(1),
    startS: -1,
    endS: 10,
  }));
}

describe('the ellipse and a sensor that errs far more than the rest', () => {
  it('holds the truth where one of five sensors on an arc, heard round a building 38 ms late, pulls the fix further than the timing model allows', () => {
    // Five sensors 200-530 m north-east of the shooter (range and bearing); the second heard
    // only the path round a building, 38 ms late, and the fit absorbs most of it.
    const c = speedOfSound(15);
    const arc = [
      [399, 74],
      [219, 73],
      [397, 38],
      [270, 38],
      [526, 71],
    ] as const;
    const tracks = tracksAt(
      arc.map(([r, deg], k) => ({ x: r * Math.sin((deg * Math.PI) / 180), y: r * Math.cos((deg * Math.PI) / 180), t: r / c + (k === 1 ? 0.038 : 0) })),
    );
    const g = { c, elevation: null, gateS: MODEL.gateS };
    const h = fitPicks(tracks, new Int32Array(5).fill(0), g)!;
    const err = Math.hypot(h.fix.x, h.fix.y);
    const model = { local: h.fix, ellipse95: uncertaintyOf(h.fix, c, MODEL.prior).ellipse95 };
    const spread = leaveOneOutSpread(tracks, h, g);
    const wide = { local: h.fix, ellipse95: uncertaintyOf(h.fix, c, MODEL.prior, spread ?? undefined).ellipse95 };
    // The premise: far off, a small residual, outside the model's ellipse.
    expect(err).toBeGreaterThan(100);
    expect(Math.sqrt(h.fix.rss / 5)).toBeLessThan(0.01);
    expect(holds(model, SOURCE)).toBe(false);
    expect(holds(wide, SOURCE)).toBe(true);
    // Widened by what the sensors show, not without bound.
    expect(wide.ellipse95!.semiMajorM).toBeLessThan(3 * err);
    expect(leaveOneOutSpread(tracks.slice(0, 4), { ...fitPicks(tracks.slice(0, 4), new Int32Array(4).fill(0), g)! }, g)).toBeNull();
  });

  it('keeps the model\u2019s ellipse where every sensor agrees, and holds the truth where a 20 m GPS error is left out', () => {
    for (const [dx, dy] of [
      [0, 0],
      [12, -16],
    ] as const) {
      const audio = audioWithGpsError('N1', dx, dy);
      const out = locateFromAudio(audio, OPTS);
      expect(out.rounds).toBe(1);
      const shot = out.shots[0]!;
      const model = modelOnly(out, audio);
      if (dx === 0) {
        expect(shot.ellipse95!.semiMajorM).toBeCloseTo(model.ellipse95!.semiMajorM, 1);
        expect(shot.ellipse95!.semiMinorM).toBeCloseTo(model.ellipse95!.semiMinorM, 1);
      } else expect(shot.ellipse95!.semiMajorM).toBeGreaterThanOrEqual(model.ellipse95!.semiMajorM);
      expect(holds(shot, SOURCE)).toBe(true);
    }
  });
});

describe('largerCov', () => {
  const along = (c: Cov2, u: [number, number]) => c[0] * u[0] * u[0] + 2 * c[1] * u[0] * u[1] + c[2] * u[1] * u[1];
  it('is at least each covariance in every direction, and one of them where it is the larger everywhere', () => {
    const a: Cov2 = [4, 1, 2];
    const b: Cov2 = [1, -0.5, 9];
    const m = largerCov(a, b);
    for (let k = 0; k < 36; k++) {
      const u: [number, number] = [Math.cos((k * Math.PI) / 36), Math.sin((k * Math.PI) / 36)];
      expect(along(m, u)).toBeGreaterThanOrEqual(along(a, u) - 1e-9);
      expect(along(m, u)).toBeGreaterThanOrEqual(along(b, u) - 1e-9);
    }
    expect(largerCov(a, [0, 0, 0])).toEqual(a.map((v) => expect.closeTo(v, 9)));
    expect(largerCov([1, 0, 1], [4, 0, 9])).toEqual([4, 0, 9].map((v) => expect.closeTo(v, 9)));
  });
});
