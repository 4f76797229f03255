/**
 * A supersonic bullet's crack. The bullet leaves the muzzle at P at time t0 along the unit
 * vector u at V > c and sheds its shock as it flies: the first sound of its path reaches a
 * point r (relative to P) from the point of the trajectory where the ray leaves at the Mach
 * angle theta (sin theta = c / V). With a = r.u along the trajectory and d the miss distance,
 *   t_crack = t0 + (a sin theta + d cos theta) / c      when a > d tan theta (inside the cone),
 * and no crack at all outside it. Equivalently sin(theta + gamma) = c (t - t0) / |r|, gamma the
 * angle between r and u: the crack never comes after the blast (t0 + |r| / c), and precedes it
 * by nothing on the cone's edge and by more the further along and nearer the path a point lies.
 * Outside the cone the first sound of the path is the blast itself, which makes the model
 * continuous: t = t0 + min over x >= 0 of (x / V + |r - x u| / c).
 *
 * Arrival times of a crack do not come from one point at one time: a point-source fit makes
 * them a far-off "shot" (on one side of the path the front is a plane wave) or a near one that
 * fits badly. Given the blast's fix they are explained by two numbers, the trajectory's
 * azimuth and the Mach angle, which is how the locator recognises them (cracks.ts). The
 * trajectory is taken level (shots are fired at targets at street level), and distances are
 * horizontal unless the blast's fix has a height (2.5-D).
 */

export interface Muzzle {
  x: number;
  y: number;
  /** The blast's height (2.5-D fixes), or null: horizontal distances. */
  z: number | null;
  t0: number;
}

export interface CrackObservation {
  x: number;
  y: number;
  z: number | null;
  /** Arrival, seconds on the alert's timeline. */
  t: number;
}

export interface CrackFit {
  /** Direction of flight, radians clockwise from north. */
  azimuthRad: number;
  /** Mach angle, radians: the bullet's speed is c / sin(theta). */
  machAngleRad: number;
  /** Observed minus modelled arrival, seconds, in the order of the observations. */
  residualsS: number[];
  rss: number;
  /** Observations inside the fitted cone (outside it the model is the blast, which a crack cannot be). */
  inside: number;
}

/**
 * The fastest small-arms bullets leave the muzzle at about 1,300 m/s (Mach 3.8): a Mach
 * angle under asin(1/4) is no bullet.
 */
export const MAX_MACH = 4;
const MIN_THETA = Math.asin(1 / MAX_MACH);
/** A bullet only just faster than sound: the cone is a line along the path. */
const MAX_THETA = Math.PI / 2 - 1e-3;

interface Offset {
  ex: number;
  ny: number;
  up: number;
  range: number;
  t: number;
  /** theta + gamma the arrival says, asin(c t / |r|) (NaN when it cannot be a crack), and its weight. */
  sum: number;
  weight: number;
}

function offsets(m: Muzzle, obs: readonly CrackObservation[], c: number): Offset[] {
  return obs.map((o) => {
    const ex = o.x - m.x,
      ny = o.y - m.y;
    const up = m.z !== null && o.z !== null ? o.z - m.z : 0;
    const range = Math.sqrt(ex * ex + ny * ny + up * up),
      t = o.t - m.t0;
    const s = range > 1e-6 ? (c * t) / range : NaN;
    const sum = s > 0 && s < 1 ? Math.asin(s) : NaN;
    return { ex, ny, up, range, t, sum, weight: (range * Math.cos(sum)) ** 2 };
  });
}

/** Travel time of the first sound of the path (crack inside the cone, blast outside), seconds after t0. */
function firstSoundS(p: Offset, azimuth: number, theta: number, c: number): { s: number; inside: boolean } {
  const a = p.ex * Math.sin(azimuth) + p.ny * Math.cos(azimuth);
  const d = Math.sqrt(Math.max(0, p.range * p.range - a * a));
  if (a > d * Math.tan(theta)) return { s: (a * Math.sin(theta) + d * Math.cos(theta)) / c, inside: true };
  return { s: p.range / c, inside: false };
}

function evaluate(ps: readonly Offset[], azimuth: number, theta: number, c: number): CrackFit {
  const residualsS: number[] = [];
  let rss = 0,
    inside = 0;
  const su = Math.sin(azimuth),
    cu = Math.cos(azimuth),
    st = Math.sin(theta),
    ct = Math.cos(theta),
    tt = st / ct;
  for (const p of ps) {
    const a = p.ex * su + p.ny * cu;
    const d = Math.sqrt(Math.max(0, p.range * p.range - a * a));
    const into = a > d * tt;
    const r = p.t - (into ? a * st + d * ct : p.range) / c;
    residualsS.push(r);
    rss += r * r;
    if (into) inside++;
  }
  return { azimuthRad: ((azimuth % (2 * Math.PI)) + 2 * Math.PI) % (2 * Math.PI), machAngleRad: theta, residualsS, rss, inside };
}

/** The misfit alone, for the scan. */
function rssOf(ps: readonly Offset[], azimuth: number, theta: number, c: number): number {
  let rss = 0;
  const su = Math.sin(azimuth),
    cu = Math.cos(azimuth),
    st = Math.sin(theta),
    ct = Math.cos(theta),
    tt = st / ct;
  for (const p of ps) {
    const a = p.ex * su + p.ny * cu;
    const d = Math.sqrt(Math.max(0, p.range * p.range - a * a));
    const r = p.t - (a > d * tt ? a * st + d * ct : p.range) / c;
    rss += r * r;
  }
  return rss;
}

/**
 * For a level path at a given azimuth, the Mach angle that best explains the arrivals: each
 * arrival inside the cone says theta = asin(c tau / |r|) - gamma; they are pooled weighted by
 * how strongly the arrival time depends on theta there (|r| cos(theta + gamma) / c).
 */
function thetaFor(ps: readonly Offset[], azimuth: number): number {
  let sw = 0,
    swt = 0;
  const su = Math.sin(azimuth),
    cu = Math.cos(azimuth);
  for (const p of ps) {
    if (Number.isNaN(p.sum)) continue;
    const gamma = Math.acos(Math.max(-1, Math.min(1, (p.ex * su + p.ny * cu) / p.range)));
    const th = p.sum - gamma;
    if (th < MIN_THETA || th > MAX_THETA) continue;
    sw += p.weight;
    swt += p.weight * th;
  }
  return sw > 0 ? swt / sw : Math.PI / 4;
}

const clampTheta = (t: number) => Math.min(MAX_THETA, Math.max(MIN_THETA, t));

/**
 * The level trajectory and Mach angle that best explain crack arrivals heard from a muzzle
 * (least squares on the arrival times): a scan of azimuths with the best Mach angle for each,
 * then Gauss-Newton on both from the best few. Null with fewer than two arrivals.
 */
export function fitCrack(m: Muzzle, obs: readonly CrackObservation[], c: number): CrackFit | null {
  if (obs.length < 2) return null;
  const ps = offsets(m, obs, c);
  const STEPS = 180;
  const az = (i: number) => (2 * Math.PI * i) / STEPS;
  const thetas = new Float64Array(STEPS),
    rss = new Float64Array(STEPS);
  for (let i = 0; i < STEPS; i++) {
    thetas[i] = clampTheta(thetaFor(ps, az(i)));
    rss[i] = rssOf(ps, az(i), thetas[i]!, c);
  }
  // Local minima of the scan, best first: a path on one side of the sensors and its mirror can both fit.
  const minima = [...rss.keys()]
    .filter((i) => rss[i]! <= rss[(i + STEPS - 1) % STEPS]! && rss[i]! <= rss[(i + 1) % STEPS]!)
    .sort((a, b) => rss[a]! - rss[b]!)
    .slice(0, 3);
  let best: CrackFit | null = null;
  for (const i of minima) {
    const f = refineCrack(ps, evaluate(ps, az(i), thetas[i]!, c), c);
    if (!best || f.rss < best.rss) best = f;
  }
  return best;
}

/** Levenberg-Marquardt on (azimuth, Mach angle), numerical derivatives: two unknowns, a handful of arrivals. */
function refineCrack(ps: readonly Offset[], start: CrackFit, c: number): CrackFit {
  let cur = start;
  let lambda = 1e-3;
  const h = 1e-6;
  for (let iter = 0; iter < 40; iter++) {
    const az = cur.azimuthRad,
      th = cur.machAngleRad;
    const fa = evaluate(ps, az + h, th, c),
      ft = evaluate(ps, az, clampTheta(th + h), c);
    const dth = clampTheta(th + h) - th;
    let j00 = 0,
      j01 = 0,
      j11 = 0,
      g0 = 0,
      g1 = 0;
    cur.residualsS.forEach((r, k) => {
      // Residual = t - model, so d(residual) = -d(model).
      const ja = (fa.residualsS[k]! - r) / h,
        jt = dth > 0 ? (ft.residualsS[k]! - r) / dth : 0;
      j00 += ja * ja;
      j01 += ja * jt;
      j11 += jt * jt;
      g0 += ja * r;
      g1 += jt * r;
    });
    let improved = false;
    for (let tries = 0; tries < 10; tries++) {
      const a00 = j00 * (1 + lambda) + 1e-18,
        a11 = j11 * (1 + lambda) + 1e-18;
      const det = a00 * a11 - j01 * j01;
      if (!(Math.abs(det) > 0)) break;
      const s0 = -(a11 * g0 - j01 * g1) / det,
        s1 = -(a00 * g1 - j01 * g0) / det;
      const next = evaluate(ps, az + s0, clampTheta(th + s1), c);
      if (next.rss < cur.rss) {
        const small = Math.abs(s0) < 1e-7 && Math.abs(s1) < 1e-7;
        cur = next;
        lambda = Math.max(1e-9, lambda / 4);
        improved = true;
        if (small) return cur;
        break;
      }
      lambda *= 8;
    }
    if (!improved) break;
  }
  return cur;
}

/** When a fitted crack reaches a point, seconds on the alert's timeline, or null outside the cone. */
export function crackArrival(
  m: Muzzle,
  fit: Pick<CrackFit, 'azimuthRad' | 'machAngleRad'>,
  at: { x: number; y: number; z: number | null },
  c: number,
): number | null {
  const [p] = offsets(m, [{ ...at, t: m.t0 }], c);
  const f = firstSoundS(p!, fit.azimuthRad, fit.machAngleRad, c);
  return f.inside ? m.t0 + f.s : null;
}

/** The bullet's speed a Mach angle means, m/s. */
export const bulletSpeedMs = (machAngleRad: number, c: number): number => c / Math.sin(machAngleRad);
