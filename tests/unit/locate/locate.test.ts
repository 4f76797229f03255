import { describe, expect, it } from 'vitest';
import { locateFromAudio, relocateShot, speedOfSound, type LocateOutput } from '../../../src/locate/index.ts';
import { arrivalS, gunfireAudio, RING6, type GunfireScene } from '../../support/gunfire.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
const SOURCE = { x: 60, y: -35 };
const locate = (scene: GunfireScene): LocateOutput => locateFromAudio(gunfireAudio(scene), OPTS);
const err = (o: LocateOutput, i: number, at = SOURCE) => Math.hypot(o.shots[i]!.local.x - at.x, o.shots[i]!.local.y - at.y);

describe('locateFromAudio', () => {
  it('locates one shot heard by six sensors to well under a metre, with every sensor and an ellipse that holds it', () => {
    const out = locate({ sensors: RING6, shots: [{ ...SOURCE, tS: 1 }] });
    expect(out.rounds).toBe(1);
    expect(out.shots).toHaveLength(1);
    expect(err(out, 0)).toBeLessThan(0.5);
    expect(out.shots[0]!.sensorsUsed.sort()).toEqual(['S1', 'S2', 'S3', 'S4', 'S5', 'S6']);
    expect(out.shots[0]!.residualRmsMs!).toBeLessThan(0.3);
    expect(out.shots[0]!.gdop!).toBeGreaterThan(0.5);
    expect(out.shots[0]!.ellipse95!.semiMajorM).toBeGreaterThan(err(out, 0));
    expect(out.speedOfSoundMs).toBeCloseTo(speedOfSound(15), 6);
    expect(out.temperatureSource).toBe('weather');
    // Emission time: the clip starts at 1.7e15 us, the shot 1 s later.
    expect(Math.abs(out.shots[0]!.timeUs - (1_700_000_000_000_000 + 1_000_000))).toBeLessThan(1000);
    expect(out.pulses.filter((p) => p.shotIndex === 1)).toHaveLength(6);
  });

  it('takes the direct sound, not an echo that arrives louder, on two sensors', () => {
    const scene: GunfireScene = {
      sensors: RING6,
      shots: [{ ...SOURCE, tS: 1 }],
      echoes: [
        { sensor: 'S2', delayS: 0.09, gain: 3 },
        { sensor: 'S5', delayS: 0.21, gain: 2 },
      ],
    };
    const out = locate(scene);
    expect(out.rounds).toBe(1);
    expect(err(out, 0)).toBeLessThan(0.5);
    for (const id of ['S2', 'S5']) {
      const used = out.pulses.find((p) => p.sensorId === id && p.shotIndex === 1)!;
      const direct = arrivalS(
        scene,
        RING6.find((s) => s.id === id)!,
        scene.shots[0]!,
      );
      expect(Math.abs(used.offsetS - direct)).toBeLessThan(0.001);
      expect(out.pulses.filter((p) => p.sensorId === id)).toHaveLength(2);
    }
  });

  it('leaves out a sensor whose clock is 40 ms wrong, and one 6 ms wrong, instead of letting it drag the fix', () => {
    for (const clockErrorS of [0.04, 0.006]) {
      const sensors = RING6.map((s) => (s.id === 'S3' ? { ...s, clockErrorS } : s));
      const out = locate({ sensors, shots: [{ ...SOURCE, tS: 1 }] });
      expect(out.rounds).toBe(1);
      expect(out.shots[0]!.sensorsUsed).not.toContain('S3');
      expect(out.shots[0]!.sensorsUsed).toHaveLength(5);
      expect(err(out, 0)).toBeLessThan(0.5);
    }
  });

  it('counts and locates every round of a burst of 8 at 80 ms', () => {
    const shots = Array.from({ length: 8 }, (_, k) => ({ ...SOURCE, tS: 1 + 0.08 * k }));
    const out = locate({ sensors: RING6, shots, echoes: [{ sensor: 'S1', delayS: 0.03, gain: 0.5 }] });
    expect(out.rounds).toBe(8);
    out.shots.forEach((s, k) => {
      expect(err(out, k)).toBeLessThan(0.5);
      expect(Math.abs(s.timeUs - (1_700_000_000_000_000 + Math.round(shots[k]!.tS * 1e6)))).toBeLessThan(1000);
    });
  });

  it('reports no shot and no round for clips with no pulse at all', () => {
    const out = locate({ sensors: RING6, shots: [] });
    expect(out).toMatchObject({ rounds: 0, shots: [], pulses: [] });
    expect(locateFromAudio([], OPTS)).toMatchObject({ rounds: 0, shots: [] });
  });

  it('locates a shot only three sensors heard, and says the default temperature was used', () => {
    const out = locateFromAudio(gunfireAudio({ sensors: RING6.slice(0, 3), shots: [{ ...SOURCE, tS: 1 }] }), { temperatureC: null, defaultTemperatureC: 15 });
    expect(out.rounds).toBe(1);
    expect(err(out, 0)).toBeLessThan(1);
    expect(out.temperatureSource).toBe('default');
  });

  it('keeps two shooters apart: a second spot 300 m away, 1.5 s later', () => {
    const other = { x: -150, y: 180 };
    const out = locate({
      sensors: RING6,
      shots: [
        { ...SOURCE, tS: 0.8 },
        { ...other, tS: 2.3 },
      ],
    });
    expect(out.rounds).toBe(2);
    expect(err(out, 0)).toBeLessThan(0.5);
    expect(err(out, 1, other)).toBeLessThan(0.5);
  });
});

describe('relocateShot (the reviewer moves, adds or drops picks)', () => {
  const sensors = RING6.map((s) => ({ sensorId: s.id, local: { x: s.x, y: s.y, z: null } }));
  const scene: GunfireScene = { sensors: RING6, shots: [{ ...SOURCE, tS: 1 }] };
  const picks = RING6.map((s) => ({ sensorId: s.id, timeUs: 1_700_000_000_000_000 + Math.round(arrivalS(scene, s, scene.shots[0]!) * 1e6) }));

  it('solves exactly the picks given, and follows a dragged pick', () => {
    const shot = relocateShot(picks, sensors, { temperatureC: 15 })!;
    expect(Math.hypot(shot.local.x - SOURCE.x, shot.local.y - SOURCE.y)).toBeLessThan(0.01);
    const dragged = picks.map((p) => (p.sensorId === 'S1' ? { ...p, timeUs: p.timeUs + 20_000 } : p));
    const moved = relocateShot(dragged, sensors, { temperatureC: 15 })!;
    expect(Math.hypot(moved.local.x - SOURCE.x, moved.local.y - SOURCE.y)).toBeGreaterThan(1);
    expect(Math.abs(moved.residualsMs.S1!)).toBeGreaterThan(1);
  });

  it('needs three distinct known sensors, ignores unknown and repeated ones, and is fast enough for every drag', () => {
    expect(relocateShot(picks.slice(0, 2), sensors, { temperatureC: 15 })).toBeNull();
    expect(relocateShot([...picks.slice(0, 2), { ...picks[0]! }, { sensorId: 'nope', timeUs: 0 }], sensors, { temperatureC: 15 })).toBeNull();
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) relocateShot(picks.slice(0, 3 + (i % 4)), sensors, { temperatureC: 15 });
    expect((performance.now() - t0) / 200).toBeLessThan(2);
  });
});
