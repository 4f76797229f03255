import { describe, expect, it } from 'vitest';
import { bulletSpeedMs, crackArrival, fitCrack } from '../../../src/locate/crack.ts';
import { locateFromAudio, speedOfSound, type LocateOutput } from '../../../src/locate/index.ts';
import { arrivalS, crackDelayS, gunfireAudio, RING6, type GunfireScene } from '../../support/gunfire.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
const C = speedOfSound(15);
/** A rifle south-west of the network, fired north-north-east across it: five sensors inside the Mach cone, one outside. */
const MUZZLE = { x: -350, y: -300 };
const RIFLE: GunfireScene = { sensors: RING6, shots: [{ ...MUZZLE, tS: 1, bullet: { azimuthDeg: 30, speedMs: 900 } }] };
const locate = (scene: GunfireScene): LocateOutput => locateFromAudio(gunfireAudio(scene), OPTS);
const errM = (o: LocateOutput, i: number, at: { x: number; y: number }) => Math.hypot(o.shots[i]!.local.x - at.x, o.shots[i]!.local.y - at.y);

describe('the crack model (crack.ts)', () => {
  it('recovers a level trajectory and the bullet speed from crack arrivals computed from first principles', () => {
    for (const bullet of [
      { azimuthDeg: 30, speedMs: 900 },
      { azimuthDeg: 100, speedMs: 700 },
      { azimuthDeg: 250, speedMs: 1200 },
    ]) {
      const shot = { ...MUZZLE, tS: 0, bullet };
      // Listening points all round the muzzle, 150 to 900 m off: those inside the cone hear the crack.
      const points = Array.from({ length: 24 }, (_, k) => ({
        x: MUZZLE.x + (150 + 30 * k) * Math.sin(k * 1.1),
        y: MUZZLE.y + (150 + 30 * k) * Math.cos(k * 1.1),
      }));
      const scene: GunfireScene = { sensors: points.map((p, k) => ({ id: `P${k}`, ...p })), shots: [shot] };
      const obs = points.flatMap((s) => {
        const t = crackDelayS(scene, s, shot);
        return t === null ? [] : [{ x: s.x, y: s.y, z: null, t }];
      });
      expect(obs.length).toBeGreaterThanOrEqual(3);
      const fit = fitCrack({ ...MUZZLE, z: null, t0: 0 }, obs, C)!;
      expect(Math.abs((((fit.azimuthRad * 180) / Math.PI - bullet.azimuthDeg + 540) % 360) - 180)).toBeLessThan(0.5);
      expect(bulletSpeedMs(fit.machAngleRad, C)).toBeCloseTo(bullet.speedMs, -1);
      expect(Math.max(...fit.residualsS.map(Math.abs))).toBeLessThan(1e-5);
      expect(fit.inside).toBe(obs.length);
    }
  });

  it('puts a crack only inside the cone, always before the blast', () => {
    const shot = RIFLE.shots[0]!;
    const fit = { azimuthRad: (30 * Math.PI) / 180, machAngleRad: Math.asin(C / 900) };
    let inside = 0;
    for (const s of RING6) {
      const truth = crackDelayS(RIFLE, s, shot);
      const model = crackArrival({ ...MUZZLE, z: null, t0: 0 }, fit, { x: s.x, y: s.y, z: null }, C);
      if (truth === null) expect(model).toBeNull();
      else {
        inside++;
        expect(model).toBeCloseTo(truth, 6);
        expect(model!).toBeLessThan(arrivalS(RIFLE, s, shot) - shot.tS);
      }
    }
    expect(inside).toBe(5);
  });
});

describe('locateFromAudio with supersonic bullets', () => {
  it("recognises a rifle shot's crack as its bullet's, not as a second shot", () => {
    const out = locate(RIFLE);
    expect(out.rounds).toBe(1);
    expect(errM(out, 0, MUZZLE)).toBeLessThan(2);
    expect(out.cracks).toHaveLength(1);
    const crack = out.cracks![0]!;
    expect(crack.shotIndex).toBe(1);
    expect(crack.sensors.length).toBeGreaterThanOrEqual(3);
    expect(Math.abs(crack.azimuthDeg - 30)).toBeLessThan(3);
    expect(Math.abs(crack.bulletSpeedMs - 900)).toBeLessThan(45);
    // Every pulse marked as the crack is where the bullet's shock reached that sensor, and counts for no shot.
    const marked = out.pulses.filter((p) => p.crackOf !== undefined);
    expect(marked.length).toBeGreaterThanOrEqual(3);
    for (const p of marked) {
      const sensor = RING6.find((s) => s.id === p.sensorId)!;
      expect(p.crackOf).toBe(1);
      expect(p.shotIndex).toBeNull();
      expect(Math.abs(p.offsetS - (1 + crackDelayS(RIFLE, sensor, RIFLE.shots[0]!)!))).toBeLessThan(0.001);
    }
  });

  it('locates the same shot without its bullet as one shot with no crack', () => {
    const out = locate({ sensors: RING6, shots: [{ ...MUZZLE, tS: 1 }] });
    expect(out.rounds).toBe(1);
    expect(errM(out, 0, MUZZLE)).toBeLessThan(1);
    expect(out.cracks ?? []).toHaveLength(0);
  });

  it("keeps two shooters at two spots two shots, though the second is heard first by three sensors, between the first's shot and blast", () => {
    const A = { x: -300, y: -150, tS: 1 },
      B = { x: 250, y: 150, tS: 1.05 };
    const scene: GunfireScene = { sensors: RING6, shots: [A, B] };
    // The order a crack would have: after A was fired and before A's blast, on three sensors.
    expect(RING6.filter((s) => arrivalS(scene, s, B) < arrivalS(scene, s, A)).length).toBe(3);
    const out = locate(scene);
    expect(out.rounds).toBe(2);
    expect(out.cracks ?? []).toHaveLength(0);
    expect(errM(out, 0, A)).toBeLessThan(1);
    expect(errM(out, 1, B)).toBeLessThan(1);
    expect(out.pulses.some((p) => p.crackOf !== undefined)).toBe(false);
  });
});
