import { detourM, diffractionLossDb, echoImage } from './buildings.ts';
import type { DemoSensor, Vec3 } from './network.ts';
import type { Emission, Scene } from './scenarios.ts';
import { pulseAt, pulseLengthS, type PulseShape } from './waveforms.ts';

/**
 * Sound paths from a source to a sensor: the direct path (spherical spreading, air
 * absorption, the muzzle's directivity, shielding by buildings), or, where a building's
 * facade stands in the way, the path diffracted round it (later by the detour, weaker, its
 * front dulled: buildings.ts); the ground reflection (image method); echoes off walls near
 * the source and off the facades of the block around it (its image in each wall, where the
 * specular point lies on the wall), and off the facades around the sensor (some behind it, so
 * the echo arrives from the other side); and a supersonic bullet's shock where the sensor lies
 * inside its Mach cone. Wind is left out: it bends paths by less than the locator's other
 * errors at these ranges, and no locator input carries it reliably.
 */

export type PathKind = 'direct' | 'diffracted' | 'ground' | 'wall' | 'facade' | 'crack' | 'crack_ground';

export interface Path {
  emission: number;
  kind: PathKind;
  /** Arrival time, seconds after the event epoch. */
  arrivalS: number;
  /** Peak pressure at the sensor, pascals. */
  amplitudePa: number;
  riseS: number;
  shape: PulseShape;
  lengthM: number;
}

export interface Air {
  temperatureC: number;
  speedOfSoundMs: number;
  /** Broadband loss of an impulse's peak, dB per km. */
  absorptionDbPerKm: number;
}

export const P_REF = 20e-6;
export const dbToPa = (db: number) => P_REF * 10 ** (db / 20);
export const paToDb = (pa: number) => 20 * Math.log10(Math.max(pa, 1e-12) / P_REF);

/** c = 20.03 sqrt(T + 273.15) m/s; dry air takes the high frequencies of an impulse faster. */
export function airFor(temperatureC: number, relativeHumidity: number): Air {
  return { temperatureC, speedOfSoundMs: 20.03 * Math.sqrt(temperatureC + 273.15), absorptionDbPerKm: 3 + 7 * (1 - relativeHumidity / 100) };
}

const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const dot = (a: Vec3, b: Vec3) => a.x * b.x + a.y * b.y + a.z * b.z;
const norm = (a: Vec3) => Math.sqrt(dot(a, a));
/** Mirror image of p in the plane through q with unit normal n. */
const mirror = (p: Vec3, q: Vec3, n: Vec3): Vec3 => {
  const k = 2 * dot(sub(p, q), n);
  return { x: p.x - k * n.x, y: p.y - k * n.y, z: p.z - k * n.z };
};

/** Rise time of an impulse after travelling a distance: absorption smooths the front. */
const riseAfter = (m: number) => 10e-6 + 0.15e-6 * m;

/** Directivity gain (dB, at most 0) of an emission toward a point. */
function directivityDb(e: Emission, toward: Vec3): number {
  if (!e.directivity) return 0;
  const d = sub(toward, e.pos);
  const h = Math.hypot(d.x, d.y);
  if (h < 1e-9) return 0;
  const cos = (d.x * Math.sin(e.directivity.azimuthRad) + d.y * Math.cos(e.directivity.azimuthRad)) / h;
  return (-e.directivity.frontBackDb * (1 - cos)) / 2;
}

/**
 * Time and length of the first shock arrival from a bullet at a receiver point, or null when
 * the receiver is outside the Mach cone or beyond the bullet's supersonic flight.
 */
export function crackArrival(e: Emission, r: Vec3, c: number): { delayS: number; lengthM: number; missM: number } | null {
  const b = e.bullet;
  if (!b || b.speedMs <= c) return null;
  const r0 = sub(r, e.pos);
  const along = dot(r0, b.dir);
  const miss = norm({ x: r0.x - along * b.dir.x, y: r0.y - along * b.dir.y, z: r0.z - along * b.dir.z });
  const mach = b.speedMs / c;
  // The emission point on the trajectory where the ray leaves at the Mach angle: dt/dtau = 0.
  const s = miss / Math.sqrt(mach * mach - 1);
  const tau = (along - s) / b.speedMs;
  if (tau <= 0 || tau * b.speedMs > b.rangeM) return null;
  const lengthM = Math.hypot(s, miss);
  return { delayS: tau + lengthM / c, lengthM, missM: miss };
}

export interface PathOptions {
  air: Air;
  /** Excess loss of the direct and ground paths behind buildings, dB (reflections get half). */
  shieldingDb: number;
}

/** Every path from one emission to one sensor. */
export function pathsFrom(e: Emission, scene: Scene, sensor: DemoSensor, groundUnderSource: number, o: PathOptions): Path[] {
  const { air } = o;
  const c = air.speedOfSoundMs;
  const r = sensor.local;
  const t0 = e.tUs / 1e6;
  const p1 = dbToPa(e.levelDb);
  const shield = e.heightM < 20 ? o.shieldingDb : 0;
  const out: Path[] = [];
  const add = (kind: PathKind, image: Vec3, gain: number, extraLossDb: number, extraRiseS: number, detour = 0) => {
    const len = norm(sub(image, e.pos)) + detour;
    const db = directivityDb(e, image) - (air.absorptionDbPerKm * len) / 1000 - extraLossDb;
    out.push({
      emission: e.index,
      kind,
      arrivalS: t0 + len / c,
      amplitudePa: (gain * p1 * 10 ** (db / 20)) / Math.max(len, 1),
      riseS: riseAfter(len) + extraRiseS,
      shape: e.shape,
      lengthM: len,
    });
  };
  // Facades in the way: the first sound comes round them, later and weaker, its front dulled
  // (a screen passes the low frequencies best).
  let detour = 0;
  for (const w of scene.walls) detour += detourM(e.pos, r, w) ?? 0;
  const blocked = detour > 0;
  const screenDb = blocked ? diffractionLossDb(detour, c) : 0;
  const screenRiseS = blocked ? 0.2e-3 + 0.05e-3 * detour : 0;
  add(blocked ? 'diffracted' : 'direct', r, 1, shield + screenDb, screenRiseS, detour);
  // Ground: a plane halfway between the ground under the source and under the sensor.
  const g = (groundUnderSource + sensor.groundZ) / 2;
  if (e.pos.z > g + 0.05 && r.z > g + 0.05)
    add('ground', { x: r.x, y: r.y, z: 2 * g - r.z }, scene.groundReflection, shield + screenDb, 20e-6 + screenRiseS, detour);
  for (const w of scene.walls) {
    const image = echoImage(e.pos, r, w);
    if (image) add('wall', image, w.reflection, shield, 40e-6 + (w.smearS ?? 0));
  }
  for (const f of sensor.facades) {
    const az = (f.azimuthDeg * Math.PI) / 180;
    const toWall = { x: Math.sin(az), y: Math.cos(az), z: 0 };
    const point = { x: r.x + f.distanceM * toWall.x, y: r.y + f.distanceM * toWall.y, z: r.z };
    const normal = { x: -toWall.x, y: -toWall.y, z: 0 };
    if (dot(sub(e.pos, point), normal) <= 0) continue; // the source is behind that building
    add('facade', mirror(r, point, normal), f.reflection, shield / 2, 40e-6);
  }
  if (e.bullet) {
    const crack = (kind: PathKind, at: Vec3, gain: number) => {
      const a = crackArrival(e, at, c);
      if (!a) return;
      const miss = Math.max(a.missM, 1);
      const db = e.bullet!.crackLevelDb - 15 * Math.log10(miss) - (air.absorptionDbPerKm * a.lengthM) / 1000 - shield / 2;
      out.push({
        emission: e.index,
        kind,
        arrivalS: t0 + a.delayS,
        amplitudePa: gain * dbToPa(db),
        riseS: 5e-6 + 0.1e-6 * a.lengthM,
        shape: { kind: 'nwave', durationS: e.bullet!.crackDurationS * miss ** 0.25 },
        lengthM: a.lengthM,
      });
    };
    crack('crack', r, 1);
    if (r.z > g + 0.05) crack('crack_ground', { x: r.x, y: r.y, z: 2 * g - r.z }, scene.groundReflection);
  }
  return out;
}

/** Where a shape's highest |value| can be: its first lobe, widened by the rise. */
function peakWindowS(shape: PulseShape, riseS: number): number {
  switch (shape.kind) {
    case 'friedlander':
      return shape.positiveS + 5 * riseS;
    case 'nwave':
      return shape.durationS + 5 * riseS;
    case 'ringing':
      return shape.clickS + 1 / shape.modesHz[0]! + 5 * riseS;
    case 'backfire':
      return shape.positiveS + 1 / shape.resonanceHz + 5 * riseS;
  }
}

/** The highest |pressure| a path reaches: its amplitude, less what the rise time takes off a short pulse. */
export function peakPa(p: Path): number {
  const span = Math.min(peakWindowS(p.shape, p.riseS), pulseLengthS(p.shape, p.riseS));
  let m = 0;
  for (let k = 1; k <= 128; k++) m = Math.max(m, Math.abs(pulseAt(p.shape, (k * span) / 128, p.riseS)));
  return p.amplitudePa * m;
}
