import { describe, expect, it } from 'vitest';
import { locateFromAudio, type KnownSensor } from '../../../src/locate/index.ts';
import { silenceLogLikelihood, silentWitness } from '../../../src/locate/silence.ts';
import type { Track } from '../../../src/locate/tracks.ts';
import { gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

// Three sensors, a shot west of them: the times hold a second exact solution near (-700, -94),
// which the locator would take for the likelier (its ellipse is the larger).
const THREE: GunfireScene['sensors'] = [
  { id: 'T1', x: 0, y: 0 },
  { id: 'T2', x: 420, y: 30 },
  { id: 'T3', x: 180, y: 380 },
];
const SHOT = { x: -400, y: 0 };
const MIRROR = { x: -700, y: -94 };
const audio = () => gunfireAudio({ sensors: THREE, shots: [{ ...SHOT, tS: 1 }], durationS: 6 });

describe("a known sensor's silence", () => {
  it('rules out the solution beside it: the other is reported alone, the one set aside says why', () => {
    // K1, 60 m beyond the mirror solution, 700 m nearer it than any of the three, heard nothing.
    const known: KnownSensor[] = [{ sensorId: 'K1', local: { x: -760, y: -110 } }];
    const out = locateFromAudio(audio(), { ...OPTS, knownSensors: known });
    expect(out.rounds).toBe(1);
    const shot = out.shots[0]!;
    expect(shot.alternative).toBeUndefined();
    expect(dist(shot.local, SHOT)).toBeLessThan(1);
    expect(dist(shot.setAside!.local, MIRROR)).toBeLessThan(5);
    expect(shot.setAside!.reason).toMatch(/^sensor K1, 6\d m away, heard nothing$/);
    // The ellipse is the one solution's, not the one stretched over both that the ambiguous fix has.
    const ambiguous = locateFromAudio(audio(), OPTS).shots[0]!;
    expect(shot.ellipse95!.semiMajorM).toBeLessThan(ambiguous.ellipse95!.semiMajorM);
  });

  it('rules nothing out without it, nor by the alert\u2019s own sensors listed as known, nor by a sensor not far nearer than those that heard it', () => {
    for (const knownSensors of [
      undefined,
      THREE.map((s) => ({ sensorId: s.id, local: { x: s.x, y: s.y } })),
      // 400 m from the mirror: not half as far as T1, the nearest that heard it (706 m).
      [{ sensorId: 'K2', local: { x: -1100, y: -150 } }],
    ]) {
      const shot = locateFromAudio(audio(), { ...OPTS, ...(knownSensors ? { knownSensors } : {}) }).shots[0]!;
      expect(shot.alternative).toBeDefined();
      expect(shot.setAside).toBeUndefined();
      expect(Math.min(dist(shot.local, SHOT), dist(shot.alternative!.local, SHOT))).toBeLessThan(1);
    }
  });

  it('weighs the two solutions where it rules neither out: a silent sensor between the mirror and those that heard it puts the shot first', () => {
    // Without known sensors the mirror comes first (its ellipse is the larger: more ground maps onto the times).
    const alone = locateFromAudio(audio(), OPTS).shots[0]!;
    expect(dist(alone.local, MIRROR)).toBeLessThan(5);
    // K3, 418 m from the mirror: nearer it than T1 (706 m), not half as near, so nothing is ruled out;
    // 640 m from the shot, farther than T1 (400 m): a source there would have reached K3 first.
    const shot = locateFromAudio(audio(), { ...OPTS, knownSensors: [{ sensorId: 'K3', local: { x: -800, y: -500 } }] }).shots[0]!;
    expect(shot.setAside).toBeUndefined();
    expect(dist(shot.local, SHOT)).toBeLessThan(1);
    expect(dist(shot.alternative!.local, MIRROR)).toBeLessThan(5);
  });
});

describe('silentWitness', () => {
  // Two sensors that heard a source at the origin, 100 m and 400 m off, calibrated.
  const track = (id: string, x: number, levelDbSpl: number): Track =>
    ({ id, x, y: 0, z: null, times: Float64Array.of(1), snrDb: Float64Array.of(20), levelDb: Float64Array.of(levelDbSpl - 120), calibrationDb: 120 }) as Track;
  const picks = Int32Array.of(0, 0);
  const silent: KnownSensor[] = [{ sensorId: 'Q', local: { x: 0, y: 40 } }];

  it('takes a sensor within the range the levels give, nearer than half the nearest that heard it', () => {
    // Spherical spreading: 12 dB between 100 m and 400 m. Source 140 dB at 1 m: the quietest heard 88 dB, so 12 dB above it reaches 100 m.
    const tracks = [track('A', 100, 100), track('B', 400, 88)];
    expect(silentWitness(tracks, picks, { x: 0, y: 0 }, silent)).toBe('sensor Q, 40 m away, heard nothing');
  });

  it('takes none beyond that range: a quiet source (levels that fall faster than spreading) would not have been heard there', () => {
    // The near sensor's level puts the source at 112 dB at 1 m: 12 dB over the quietest (88 dB) only within 8 m.
    const tracks = [track('A', 100, 72), track('B', 400, 88)];
    expect(silentWitness(tracks, picks, { x: 0, y: 0 }, silent)).toBeNull();
    expect(silentWitness([track('A', 100, 100), track('B', 400, 88)], picks, { x: 0, y: 0 }, [])).toBeNull();
  });
});

describe('silenceLogLikelihood', () => {
  // As above: heard at 100 m (100 dB) and 400 m (88 dB) from the origin.
  const track = (id: string, x: number, levelDbSpl: number): Track =>
    ({ id, x, y: 0, z: null, times: Float64Array.of(1), snrDb: Float64Array.of(20), levelDb: Float64Array.of(levelDbSpl - 120), calibrationDb: 120 }) as Track;
  const tracks = [track('A', 100, 100), track('B', 400, 88)];
  const picks = Int32Array.of(0, 0);
  const at = { x: 0, y: 0 };
  const known = (x: number, y: number): KnownSensor => ({ sensorId: `K${x},${y}`, local: { x, y } });

  it('counts one chance in ten for each silent sensor nearer the source than every sensor that heard it', () => {
    // 80 m off: not half as near as A (the hard rule takes none), yet nearer than A.
    expect(silentWitness(tracks, picks, at, [known(0, 80)])).toBeNull();
    expect(silenceLogLikelihood(tracks, picks, at, [known(0, 80)])).toBeCloseTo(Math.log(0.1), 9);
    expect(silenceLogLikelihood(tracks, picks, at, [known(0, 80), known(-60, 0)])).toBeCloseTo(2 * Math.log(0.1), 9);
  });

  it('counts none farther than the nearest that heard it, nor the alert\u2019s own sensors, nor without known sensors', () => {
    expect(silenceLogLikelihood(tracks, picks, at, [known(0, 150)])).toBe(0);
    expect(silenceLogLikelihood(tracks, picks, at, [known(100, 0)])).toBe(0);
    expect(silenceLogLikelihood(tracks, picks, at, [])).toBe(0);
  });
});
