import type { SensorAudio } from '../../src/locate/index.ts';
import { speedOfSound } from '../../src/locate/index.ts';
import { prng } from './riff.ts';

/**
 * Gunfire audio made by code for the locator's tests: muzzle blasts (Friedlander pulses) at the
 * exact arrival times of straight-line sound, falling off as 1/distance, with optional echoes,
 * sensor clock errors, full-scale clipping, and Gaussian noise. Everything known, nothing random
 * but the seeded noise.
 */

export interface GunfireScene {
  sampleRate?: number;
  durationS?: number;
  temperatureC?: number;
  /** UTC of every clip's first sample, µs (as the clip's timestamp says). */
  clipStartUs?: number;
  sensors: { id: string; x: number; y: number; z?: number | null; clockErrorS?: number }[];
  /** Emission times in seconds after the clip start; a rifle's shot has a supersonic bullet. */
  shots: { x: number; y: number; tS: number; level?: number; bullet?: Bullet }[];
  /** Extra arrivals: on a sensor, `delayS` after a shot's direct sound, `gain` times its amplitude. */
  echoes?: { sensor: string; shot?: number; delayS: number; gain: number }[];
  /** RMS of the background, full scale (default 0.002). */
  noiseRms?: number;
  /** Peak amplitude 100 m from the source, full scale (default 0.5); values clip at +-1. */
  levelAt100m?: number;
  seed?: number;
}

/** A bullet flying level from the muzzle at a constant supersonic speed. */
export interface Bullet {
  /** Direction of flight, degrees clockwise from north (+y). */
  azimuthDeg: number;
  speedMs: number;
  /** The crack's peak over the blast's at the same sensor (default 2: cracks are often louder). */
  gain?: number;
}

const POSITIVE_S = 0.0006;
/** The crack's N-wave: a jump up, a linear fall through zero, a jump back, over 0.2 ms. */
const N_WAVE_S = 0.0002;

function nWave(tau: number): number {
  return tau < 0 || tau > N_WAVE_S ? 0 : 1 - (2 * tau) / N_WAVE_S;
}

/**
 * When the bullet's shock reaches a sensor, seconds after the shot, or null when the sensor is
 * outside the Mach cone (no crack: the first sound is the blast). Found from first principles,
 * not from the locator's closed form: the earliest of x / V + (distance from the point x metres
 * along the path to the sensor) / c over the path, a convex function of x, by golden-section search.
 */
export function crackDelayS(scene: GunfireScene, sensor: { x: number; y: number }, shot: GunfireScene['shots'][number]): number | null {
  if (!shot.bullet) return null;
  const c = speedOfSound(scene.temperatureC ?? 15);
  const az = (shot.bullet.azimuthDeg * Math.PI) / 180;
  const ux = Math.sin(az),
    uy = Math.cos(az);
  const f = (x: number) => x / shot.bullet!.speedMs + Math.hypot(sensor.x - shot.x - x * ux, sensor.y - shot.y - x * uy) / c;
  let lo = 0,
    hi = 10 * Math.hypot(sensor.x - shot.x, sensor.y - shot.y) + 1;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const a = hi - g * (hi - lo),
      b = lo + g * (hi - lo);
    if (f(a) < f(b)) hi = b;
    else lo = a;
  }
  const x = (lo + hi) / 2;
  // At x = 0 the first sound is the blast itself: the sensor is outside the cone.
  return x > 1e-3 ? f(x) : null;
}

/** A muzzle blast: a Friedlander wave with a 0.6 ms positive phase and a 60 microsecond rise. */
function blast(tau: number): number {
  if (tau < 0) return 0;
  const rise = 1 - Math.exp(-tau / 60e-6);
  const u = tau / POSITIVE_S;
  return rise * (1 - u) * Math.exp(-2 * u);
}

export function arrivalS(scene: GunfireScene, sensor: GunfireScene['sensors'][number], shot: GunfireScene['shots'][number]): number {
  const c = speedOfSound(scene.temperatureC ?? 15);
  return shot.tS + Math.hypot(sensor.x - shot.x, sensor.y - shot.y) / c;
}

export function gunfireAudio(scene: GunfireScene): SensorAudio[] {
  const sr = scene.sampleRate ?? 48000;
  const n = Math.round((scene.durationS ?? 4) * sr);
  const rnd = prng(scene.seed ?? 7);
  const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const noise = scene.noiseRms ?? 0.002;
  const level = scene.levelAt100m ?? 0.5;
  return scene.sensors.map((s) => {
    const x = new Float32Array(n);
    const addShape = (atS: number, amp: number, shape: (tau: number) => number) => {
      // What the recording holds: the true arrival, shifted by the error of the clock that stamped it.
      const t = atS - (s.clockErrorS ?? 0);
      const first = Math.max(0, Math.floor(t * sr));
      const last = Math.min(n - 1, Math.ceil((t + 0.02) * sr));
      for (let i = first; i <= last; i++) x[i]! += amp * shape(i / sr - t);
    };
    const add = (atS: number, amp: number) => addShape(atS, amp, blast);
    scene.shots.forEach((shot, k) => {
      const d = Math.max(1, Math.hypot(s.x - shot.x, s.y - shot.y));
      const amp = ((shot.level ?? 1) * level * 100) / d;
      const at = arrivalS(scene, s, shot);
      add(at, amp);
      const crack = crackDelayS(scene, s, shot);
      if (crack !== null) addShape(shot.tS + crack, amp * (shot.bullet!.gain ?? 2), nWave);
      for (const e of scene.echoes ?? []) if (e.sensor === s.id && (e.shot ?? 0) === k) add(at + e.delayS, amp * e.gain);
    });
    for (let i = 0; i < n; i++) x[i] = Math.max(-1, Math.min(1, x[i]! + noise * gauss()));
    return {
      sensorId: s.id,
      local: { x: s.x, y: s.y, z: s.z ?? null },
      clipStartUs: scene.clipStartUs ?? 1_700_000_000_000_000,
      sampleRate: sr,
      samples: x,
      fullScaleDbSpl: 120,
    };
  });
}

/** Six sensors on a rough ring of about 400 m, as a city network places them. */
export const RING6: GunfireScene['sensors'] = [
  { id: 'S1', x: 380, y: 40 },
  { id: 'S2', x: 150, y: 390 },
  { id: 'S3', x: -260, y: 310 },
  { id: 'S4', x: -400, y: -60 },
  { id: 'S5', x: -120, y: -380 },
  { id: 'S6', x: 270, y: -300 },
];
