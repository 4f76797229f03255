import type { DemoNetwork, Vec3 } from './network.ts';
import type { Rng } from './rng.ts';

/**
 * Walls that echo and buildings that stand in the way. A wall is a vertical plane facing the
 * source; a building's facade is a finite one (a length along the street, a height), made of
 * a material whose absorption and surface scattering set how much of an impulse comes back
 * specularly: the echo is the source's image in the wall (same emission time, mirrored
 * position), so it reaches every sensor on the source's side after the direct sound, and a
 * facade scattering much of it back diffusely also smears the echo's onset. A facade between
 * the source and a sensor blocks the straight path: the first sound to arrive is diffracted
 * round its nearest edge or over its roof, later by the detour and weaker by Maekawa's
 * screen attenuation.
 */

export interface Wall {
  /** The foot of the wall, at its middle. */
  point: Vec3;
  /** Horizontal unit normal, pointing to the side the source is on. */
  normal: Vec3;
  /** Pressure reflection coefficient of its specular echo. */
  reflection: number;
  /** Half its length along the ground; absent: long enough to echo toward any sensor (a street canyon beside the source). */
  halfLengthM?: number;
  /** Its height above its foot; absent: no limit. */
  heightM?: number;
  /** Extra rise its surface scattering adds to an echo's front, seconds. */
  smearS?: number;
  /** A finite facade also blocks the straight path of sensors behind it. */
  blocks?: boolean;
}

/**
 * Facade materials: absorption (random incidence, around 500 Hz-1 kHz, where a distant muzzle
 * blast holds most of its energy) and the scattering coefficient of the facade's relief (ISO
 * 17497-1: flat glass and concrete scatter little, brick with windows and balconies much).
 */
export const MATERIALS = {
  glass: { absorption: 0.04, scattering: [0.03, 0.12] },
  concrete: { absorption: 0.02, scattering: [0.05, 0.25] },
  brick: { absorption: 0.03, scattering: [0.2, 0.45] },
  ornate: { absorption: 0.05, scattering: [0.4, 0.7] },
} as const satisfies Record<string, { absorption: number; scattering: readonly [number, number] }>;
export type Material = keyof typeof MATERIALS;

/** Specular pressure reflection of a material: what neither the wall absorbs nor its relief scatters. */
export const specularReflection = (absorption: number, scattering: number): number => Math.sqrt((1 - absorption) * (1 - scattering));

/** A building's facade facing a point, at a distance and bearing from it. */
export function facadeFacing(
  net: DemoNetwork,
  at: { x: number; y: number },
  o: { bearingRad: number; distanceM: number; halfLengthM: number; heightM: number; material: Material; scattering: number },
): Wall {
  const toWall = { x: Math.sin(o.bearingRad), y: Math.cos(o.bearingRad) };
  const foot = { x: at.x + toWall.x * o.distanceM, y: at.y + toWall.y * o.distanceM };
  const m = MATERIALS[o.material];
  return {
    point: { ...foot, z: net.groundAt(foot.x, foot.y) },
    normal: { x: -toWall.x, y: -toWall.y, z: 0 },
    reflection: specularReflection(m.absorption, o.scattering),
    halfLengthM: o.halfLengthM,
    heightM: o.heightM,
    // The diffuse part arrives over the facade's depth of relief: a fraction of a millisecond.
    smearS: 0.05e-3 + 0.8e-3 * o.scattering,
    blocks: true,
  };
}

/** Buildings around a source: 0-2 facades 25-220 m away, of any material (a city block's worth). */
export function drawBuildings(rng: Rng, net: DemoNetwork, at: { x: number; y: number }): Wall[] {
  const out: Wall[] = [];
  for (let i = 0, n = rng.int(0, 2); i < n; i++) out.push(drawFacade(rng.fork('building', i), net, at, [25, 220]));
  return out;
}

/**
 * The dangerous one: a long hard facade (a row of glass and concrete fronts along a straight
 * street) 40-150 m behind the shooter as the network sees it, so that most sensors are on its
 * face side and hear its echo.
 */
export function strongEcho(rng: Rng, net: DemoNetwork, at: { x: number; y: number }): Wall {
  const cx = net.sensors.reduce((a, s) => a + s.local.x, 0) / net.sensors.length;
  const cy = net.sensors.reduce((a, s) => a + s.local.y, 0) / net.sensors.length;
  const away = Math.atan2(at.x - cx, at.y - cy);
  return facadeFacing(net, at, {
    bearingRad: away + rng.normal(0, 0.5),
    distanceM: rng.uniform(40, 150),
    halfLengthM: rng.uniform(100, 250),
    heightM: rng.uniform(18, 60),
    material: rng.pick(['glass', 'concrete'] as const),
    scattering: rng.uniform(0.03, 0.15),
  });
}

function drawFacade(rng: Rng, net: DemoNetwork, at: { x: number; y: number }, range: [number, number]): Wall {
  const material = rng.pick(Object.keys(MATERIALS) as Material[]);
  const [lo, hi] = MATERIALS[material].scattering;
  return facadeFacing(net, at, {
    bearingRad: rng.uniform(0, 2 * Math.PI),
    distanceM: rng.uniform(range[0], range[1]),
    halfLengthM: rng.uniform(10, 90),
    heightM: rng.uniform(8, 45),
    material,
    scattering: rng.uniform(lo, hi),
  });
}

const sub = (a: Vec3, b: Vec3): Vec3 => ({ x: a.x - b.x, y: a.y - b.y, z: a.z - b.z });
const dot = (a: Vec3, b: Vec3) => a.x * b.x + a.y * b.y + a.z * b.z;
const norm = (a: Vec3) => Math.sqrt(dot(a, a));

/** Mirror image of p in the wall's plane. */
export function mirrorIn(p: Vec3, w: Wall): Vec3 {
  const k = 2 * dot(sub(p, w.point), w.normal);
  return { x: p.x - k * w.normal.x, y: p.y - k * w.normal.y, z: p.z - k * w.normal.z };
}

/** Where the straight line from a to b crosses the wall's plane (a and b on opposite sides), or null. */
function crossing(a: Vec3, b: Vec3, w: Wall): Vec3 | null {
  const da = dot(sub(a, w.point), w.normal),
    db = dot(sub(b, w.point), w.normal);
  if (da * db >= 0) return null;
  const t = da / (da - db);
  return { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y), z: a.z + t * (b.z - a.z) };
}

/** Whether a point of the wall's plane lies on the wall itself: within its length and under its top. */
function onWall(q: Vec3, w: Wall): boolean {
  const along = Math.abs(-sub(q, w.point).x * w.normal.y + sub(q, w.point).y * w.normal.x);
  return (w.halfLengthM === undefined || along <= w.halfLengthM) && (w.heightM === undefined || q.z - w.point.z <= w.heightM);
}

/**
 * The echo of a source at s off a wall toward a receiver at r: the receiver's image (the same
 * length as from the source's image), valid where both are on the wall's face side and the
 * specular point lies on the wall. null otherwise.
 */
export function echoImage(s: Vec3, r: Vec3, w: Wall): Vec3 | null {
  if (dot(sub(r, w.point), w.normal) <= 0 || dot(sub(s, w.point), w.normal) <= 0) return null;
  const image = mirrorIn(r, w);
  const q = crossing(s, image, w);
  return q && onWall(q, w) ? image : null;
}

/**
 * The detour of the shortest path from s to r round a blocking facade (over its top, or past
 * either end), metres beyond the straight line; null where the facade does not block it.
 */
export function detourM(s: Vec3, r: Vec3, w: Wall): number | null {
  if (!w.blocks) return null;
  const q = crossing(s, r, w);
  if (!q || !onWall(q, w)) return null;
  const straight = norm(sub(r, s));
  const along = { x: -w.normal.y, y: w.normal.x, z: 0 };
  const top = w.heightM === undefined ? Infinity : norm(sub({ ...q, z: w.point.z + w.heightM }, s)) + norm(sub(r, { ...q, z: w.point.z + w.heightM }));
  let round = Infinity;
  if (w.halfLengthM !== undefined) {
    for (const side of [-1, 1]) {
      const edge = { x: w.point.x + side * w.halfLengthM * along.x, y: w.point.y + side * w.halfLengthM * along.y, z: q.z };
      round = Math.min(round, norm(sub(edge, s)) + norm(sub(r, edge)));
    }
  }
  const best = Math.min(top, round);
  return Number.isFinite(best) ? best - straight : null;
}

/**
 * Maekawa's screen attenuation at 500 Hz for a detour (dB), 5 dB at grazing, capped at 24 dB
 * (a single screen's practical limit: sound also leaks over and round the rest of the block).
 */
export function diffractionLossDb(detour: number, c: number): number {
  const fresnel = (2 * detour) / (c / 500);
  return Math.min(24, 10 * Math.log10(3 + 20 * Math.max(0, fresnel)));
}

/**
 * A building set in the way of one sensor only: a facade square to the line from the source,
 * some tens of metres in front of the sensor, high enough that its roof is no shorter a way
 * round than its ends. Its edges lie a few metres to 25 m off the line: the first arrival is
 * late by a few to thirty milliseconds.
 */
export function blockingBuilding(rng: Rng, net: DemoNetwork, source: Vec3, sensor: Vec3): Wall {
  const d = Math.hypot(sensor.x - source.x, sensor.y - source.y);
  const ux = (source.x - sensor.x) / d,
    uy = (source.y - sensor.y) / d;
  const gap = Math.min(d / 3, rng.uniform(12, 70));
  const off = rng.uniform(-0.6, 0.6); // where along the facade the line crosses, as a share of its half-length
  const halfLengthM = rng.uniform(8, 28);
  const centre = { x: sensor.x + ux * gap - uy * off * halfLengthM, y: sensor.y + uy * gap + ux * off * halfLengthM };
  const ground = net.groundAt(centre.x, centre.y);
  return {
    point: { ...centre, z: ground },
    normal: { x: ux, y: uy, z: 0 },
    reflection: specularReflection(MATERIALS.brick.absorption, 0.3),
    halfLengthM,
    heightM: Math.max(sensor.z, source.z) - ground + rng.uniform(12, 40),
    smearS: 0.3e-3,
    blocks: true,
  };
}
