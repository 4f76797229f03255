import { describe, expect, it } from 'vitest';
import { coveringEllipse } from '../../../src/locate/ambiguity.ts';
import { locateFromAudio, speedOfSound, type LocateOutput } from '../../../src/locate/index.ts';
import { gunfireAudio, RING6, type GunfireScene } from '../../support/gunfire.ts';
import { insideEllipse } from '../../eval/lib/score.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
const C = speedOfSound(15);
const SOURCE = { x: 60, y: -35 };
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);
const holds = (out: LocateOutput, i: number, at: { x: number; y: number }) =>
  insideEllipse(at.x - out.shots[i]!.local.x, at.y - out.shots[i]!.local.y, out.shots[i]!.ellipse95);

describe('the locator on hard ground', () => {
  it('sets a building\u2019s echo aside as the echo of its shot, not a second source, and names its pulses', () => {
    // A long wall at x = 200 facing the shooter: its echo is the shot's image at x = 340, fired
    // with it, heard by the four sensors on the shooter's side, louder than the direct sound on one.
    const image = { x: 2 * 200 - SOURCE.x, y: SOURCE.y };
    const sideOfShooter = RING6.filter((s) => s.x < 200);
    const scene: GunfireScene = {
      sensors: RING6,
      shots: [{ ...SOURCE, tS: 1 }],
      echoes: sideOfShooter.map((s, i) => ({ sensor: s.id, delayS: (dist(s, image) - dist(s, SOURCE)) / C, gain: i === 0 ? 1.3 : 0.8 })),
    };
    const out = locateFromAudio(gunfireAudio(scene), OPTS);
    expect(out.rounds).toBe(1);
    expect(dist(out.shots[0]!.local, SOURCE)).toBeLessThan(1);
    expect(out.rejected).toHaveLength(1);
    const echo = out.rejected![0]!;
    if (echo.kind !== 'echo') throw new Error(`set aside as ${echo.kind}, not as an echo`);
    expect(echo.of).toBe(1);
    expect(echo.reason).toMatch(/^echo of shot 1: /);
    expect(dist(echo.image!, image)).toBeLessThan(5);
    expect(echo.picks.map((p) => p.sensorId).sort()).toEqual(sideOfShooter.map((s) => s.id).sort());
    expect(out.pulses.filter((p) => p.echoOf === 1)).toHaveLength(sideOfShooter.length);
    expect(out.pulses.filter((p) => p.echoOf !== undefined).every((p) => p.shotIndex === null)).toBe(true);
  });

  // Three sensors, a shot outside them: the times hold a second exact solution near S2.
  const THREE: GunfireScene['sensors'] = [
    { id: 'T1', x: 0, y: 0 },
    { id: 'T2', x: 420, y: 30 },
    { id: 'T3', x: 180, y: 380 },
  ];
  const FAR = { x: 600, y: -100 };

  it('reports a three-sensor fix that has two solutions with both, and an ellipse that holds both', () => {
    const out = locateFromAudio(gunfireAudio({ sensors: THREE, shots: [{ ...FAR, tS: 1 }], durationS: 4 }), OPTS);
    expect(out.rounds).toBe(1);
    const shot = out.shots[0]!;
    expect(shot.alternative).toBeDefined();
    const both = [shot.local, shot.alternative!.local];
    expect(Math.min(...both.map((p) => dist(p, FAR)))).toBeLessThan(1);
    expect(dist(both[0]!, both[1]!)).toBeGreaterThan(150);
    expect(holds(out, 0, shot.alternative!.local)).toBe(true);
    expect(holds(out, 0, FAR)).toBe(true);
  });

  it('takes the one solution a fourth sensor\u2019s silence leaves: it would have heard the other', () => {
    const src = { x: -400, y: 0 };
    // T4 is nearer the other solution than the farthest of the three, and heard nothing at all.
    const sensors = [...THREE, { id: 'T4', x: -600, y: 850 }];
    const audio = gunfireAudio({ sensors, shots: [{ ...src, tS: 1 }], durationS: 6 });
    const quiet = gunfireAudio({ sensors, shots: [], durationS: 6, seed: 3 });
    audio[3] = quiet[3]!;
    const out = locateFromAudio(audio, OPTS);
    expect(out.rounds).toBe(1);
    expect(out.shots[0]!.alternative).toBeUndefined();
    expect(dist(out.shots[0]!.local, src)).toBeLessThan(1);
  });

  it('counts every round of a fast string, 0.12 to 0.25 s apart, heard by four sensors with echoes', () => {
    const four = RING6.slice(0, 4);
    const times = [1, 1.12, 1.3, 1.55];
    const out = locateFromAudio(
      gunfireAudio({
        sensors: four,
        shots: times.map((tS) => ({ ...SOURCE, tS })),
        echoes: times.flatMap((_, k) => four.map((s, j) => ({ sensor: s.id, shot: k, delayS: 0.03 + 0.02 * j, gain: 0.5 }))),
      }),
      OPTS,
    );
    expect(out.rounds).toBe(4);
    out.shots.forEach((s) => expect(dist(s.local, SOURCE)).toBeLessThan(1));
  });

  // Three sensors round a burst of four rounds; on T3 the direct sound came round a building,
  // and a wall facing T3 sends each round back 20 dB louder: 50 ms later, or 160 ms (a facade
  // farther off; each echo then comes after the next round's first arrival there).
  it.each([0.05, 0.16])(
    'gives a burst’s rounds, on a sensor a building shields, the weak first arrival that precedes each, not the far louder echo %s s after it',
    (delayS) => {
      const inside = { x: 200, y: 120 };
      const rounds = [1, 1.11, 1.23, 1.34].map((tS) => ({ ...inside, tS }));
      const scene: GunfireScene = {
        sensors: THREE,
        shots: rounds,
        durationS: 4,
        echoes: rounds.map((_, k) => ({ sensor: 'T3', shot: k, delayS, gain: 10 })),
      };
      const out = locateFromAudio(gunfireAudio(scene), OPTS);
      expect(out.rounds).toBe(4);
      const direct = (k: number) => rounds[k]!.tS + dist(THREE[2]!, inside) / C;
      for (const shot of out.shots) {
        const onT3 = out.pulses.find((p) => p.sensorId === 'T3' && p.shotIndex === shot.index)!;
        expect(Math.min(...rounds.map((_, k) => Math.abs(onT3.offsetS - direct(k))))).toBeLessThan(0.002);
        expect(Math.min(...[shot.local, ...(shot.alternative ? [shot.alternative.local] : [])].map((p) => dist(p, inside)))).toBeLessThan(2);
      }
    },
  );

  it('places a fast burst’s rounds whose weak first arrival there went unpicked, in the loud echo of the round before, where the rounds that kept it are', () => {
    // As above, the echo 64 ms late, rounds 70 and 90 ms apart in turn: every other round's
    // first arrival comes 6 ms after the round before's echo, 20 dB louder, and goes unpicked.
    const inside = { x: 200, y: 120 };
    const rounds = [1, 1.07, 1.16, 1.23, 1.32, 1.39, 1.48].map((tS) => ({ ...inside, tS }));
    const scene: GunfireScene = {
      sensors: THREE,
      shots: rounds,
      durationS: 4,
      echoes: rounds.map((_, k) => ({ sensor: 'T3', shot: k, delayS: 0.064, gain: 10 })),
    };
    const out = locateFromAudio(gunfireAudio(scene), OPTS);
    expect(out.rounds).toBe(rounds.length);
    for (const shot of out.shots)
      expect(Math.min(...[shot.local, ...(shot.alternative ? [shot.alternative.local] : [])].map((p) => dist(p, inside)))).toBeLessThan(2);
    // A round whose first arrival on T3 went unpicked holds T3's pick, its echo, but is not fitted
    // on it: T3 is named late for it by about the echo's delay, its pulse marked late for that round.
    const placed = out.shots.filter((s) => s.nlos?.some((n) => n.sensorId === 'T3'));
    expect(placed.length).toBeGreaterThan(0);
    for (const shot of placed) {
      expect(Math.abs(shot.nlos!.find((n) => n.sensorId === 'T3')!.lateMs - 64)).toBeLessThan(3);
      expect(shot.sensorsUsed).not.toContain('T3');
      expect(Object.keys(shot.residualsMs).sort()).toEqual(['T1', 'T2']);
      const late = out.pulses.filter((p) => p.lateFor === shot.index);
      expect(late.map((p) => p.sensorId)).toEqual(['T3']);
      expect(late[0]!.shotIndex).toBeNull();
    }
    // Every residual a shot reports is of a sensor its fix used, and small: none is a late pick.
    for (const shot of out.shots) {
      expect(Object.keys(shot.residualsMs).sort()).toEqual([...shot.sensorsUsed].sort());
      for (const r of Object.values(shot.residualsMs)) expect(Math.abs(r)).toBeLessThan(5);
    }
  });
});

describe('an ellipse that covers two', () => {
  it('holds both solutions\u2019 ellipses, its major axis along the line between them', () => {
    const a = { semiMajorM: 20, semiMinorM: 10, azimuthDeg: 0 };
    const b = { semiMajorM: 30, semiMinorM: 12, azimuthDeg: 45 };
    const e = coveringEllipse(a, b, 300, 0)!;
    expect(e.azimuthDeg).toBeCloseTo(90, 6);
    for (let i = 0; i < 36; i++) {
      const th = (i * Math.PI) / 18;
      for (const [el, cx] of [
        [a, 0],
        [b, 300],
      ] as const) {
        const t = (el.azimuthDeg * Math.PI) / 180;
        const px = cx + el.semiMajorM * Math.cos(th) * Math.sin(t) + el.semiMinorM * Math.sin(th) * Math.cos(t);
        const py = el.semiMajorM * Math.cos(th) * Math.cos(t) - el.semiMinorM * Math.sin(th) * Math.sin(t);
        expect(insideEllipse(px * 0.999, py * 0.999, e)).toBe(true);
      }
    }
    expect(coveringEllipse(a, null, 1, 1)).toBeNull();
  });
});
