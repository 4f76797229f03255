import { invert, solveLinear } from './linalg.ts';

/**
 * Multilateration of one shot from arrival times at known sensors: the source position and
 * its unknown emission time. A closed-form start (the spherical equations made linear by
 * differencing against the first arrival, the emission time left as one unknown) followed by
 * Levenberg-Marquardt on the true model. Pure and allocation-light: it runs for every
 * hypothesis of the association and on every drag of a pick in the review UI.
 */

export interface Observation {
  x: number;
  y: number;
  z: number | null;
  /** Arrival time, seconds on the alert's common timeline. */
  t: number;
}

export interface SolveOptions {
  /** Speed of sound, m/s. */
  c: number;
  /**
   * 2.5-D: distances in three dimensions to a source whose height is estimated under a prior
   * (sensors on roofs and hills can sit tens of metres above or below a shooter). null: 2-D,
   * horizontal distances only.
   */
  elevation: { priorZ: number; sigmaM: number } | null;
}

export interface Fix {
  x: number;
  y: number;
  /** The source height of a 2.5-D fix, else null. */
  z: number | null;
  /** Emission time, seconds on the same timeline as the observations. */
  t0: number;
  /** Observed minus modelled arrival, seconds, in the order of the observations. */
  residualsS: number[];
  /** Sum of squared residuals, s^2. */
  rss: number;
  /**
   * Covariance of (x, y) per unit timing variance, m^2/s^2: multiply by sigma_t^2 for the
   * covariance of the fix (the Cramer-Rao bound of the geometry). xx, xy, yy.
   */
  unitCov: [number, number, number];
  /** Variance of the emission time per unit timing variance, and its covariances with x and y (same scaling): xt, yt, tt. */
  unitCovT?: [number, number, number];
  converged: boolean;
}

/** The timing sigma the height prior is weighed against in the fit (a typical pick's error). */
const NOMINAL_SIGMA_S = 0.001;

interface Frame {
  cx: number;
  cy: number;
  tRef: number;
  xs: Float64Array;
  ys: Float64Array;
  zs: Float64Array;
  ts: Float64Array;
  hasZ: boolean;
}

function frameOf(obs: readonly Observation[]): Frame {
  const n = obs.length;
  let cx = 0,
    cy = 0,
    tRef = Infinity;
  for (const o of obs) {
    cx += o.x / n;
    cy += o.y / n;
    tRef = Math.min(tRef, o.t);
  }
  const xs = new Float64Array(n),
    ys = new Float64Array(n),
    zs = new Float64Array(n),
    ts = new Float64Array(n);
  let hasZ = true;
  obs.forEach((o, i) => {
    xs[i] = o.x - cx;
    ys[i] = o.y - cy;
    ts[i] = o.t - tRef;
    zs[i] = o.z ?? 0;
    if (o.z === null) hasZ = false;
  });
  return { cx, cy, tRef, xs, ys, zs, ts, hasZ };
}

/**
 * Closed-form starts in the centred frame: [X, Y, T] with T the emission time relative to the
 * first arrival. Differencing c^2 (t_i - t0)^2 = |P - s_i|^2 against the first arrival k
 * leaves equations linear in P and T: 2 (s_i - s_k).P - 2 c^2 tau_i T = |s_i|^2 - |s_k|^2 - c^2 tau_i^2.
 * P is solved as an affine function of T, then T from the quadratic of sensor k's own sphere:
 * two roots, either may be the source (three sensors always leave that ambiguity). With four
 * or more sensors the joint linear solution is offered as well.
 */
export function closedFormStarts(obs: readonly Observation[], c: number): { x: number; y: number; t0: number }[] {
  const f = frameOf(obs);
  const n = obs.length;
  let k = 0;
  for (let i = 1; i < n; i++) if (f.ts[i]! < f.ts[k]!) k = i;
  const c2 = c * c;
  // Normal equations of M P = q + g T for P: A = (M'M)^-1 M'.
  let m00 = 0,
    m01 = 0,
    m11 = 0,
    q0 = 0,
    q1 = 0,
    g0 = 0,
    g1 = 0;
  const rows: [number, number, number, number][] = [];
  for (let i = 0; i < n; i++) {
    if (i === k) continue;
    const a = 2 * (f.xs[i]! - f.xs[k]!),
      b = 2 * (f.ys[i]! - f.ys[k]!);
    const tau = f.ts[i]!;
    const q = f.xs[i]! ** 2 + f.ys[i]! ** 2 - f.xs[k]! ** 2 - f.ys[k]! ** 2 - c2 * tau * tau;
    const g = 2 * c2 * tau;
    rows.push([a, b, g, q]);
    m00 += a * a;
    m01 += a * b;
    m11 += b * b;
    q0 += a * q;
    q1 += b * q;
    g0 += a * g;
    g1 += b * g;
  }
  const out: { x: number; y: number; t0: number }[] = [];
  const toObs = (X: number, Y: number, T: number) => {
    if ([X, Y, T].every(Number.isFinite)) out.push({ x: X + f.cx, y: Y + f.cy, t0: T + f.tRef });
  };
  const det = m00 * m11 - m01 * m01;
  if (Math.abs(det) > 1e-9 * (m00 * m11 + 1e-30)) {
    const ax = (m11 * q0 - m01 * q1) / det,
      ay = (m00 * q1 - m01 * q0) / det;
    const bx = (m11 * g0 - m01 * g1) / det,
      by = (m00 * g1 - m01 * g0) / det;
    // |a + b T - s_k|^2 = c^2 T^2
    const ux = ax - f.xs[k]!,
      uy = ay - f.ys[k]!;
    const qa = bx * bx + by * by - c2,
      qb = 2 * (ux * bx + uy * by),
      qc = ux * ux + uy * uy;
    const roots: number[] = [];
    if (Math.abs(qa) < 1e-12 * c2) {
      if (qb !== 0) roots.push(-qc / qb);
    } else {
      const disc = qb * qb - 4 * qa * qc;
      if (disc >= 0) {
        const s = Math.sqrt(disc);
        roots.push((-qb - s) / (2 * qa), (-qb + s) / (2 * qa));
      } else roots.push(-qb / (2 * qa)); // no exact root: the closest approach is still a fair start
    }
    // The emission precedes the first arrival (a few ms of slack for noisy picks).
    for (const T of roots) if (T <= 0.005) toObs(ax + bx * T, ay + by * T, T);
  }
  if (rows.length >= 3) {
    const ata = [0, 0, 0, 0, 0, 0, 0, 0, 0],
      atb = [0, 0, 0];
    for (const [a, b, g, q] of rows) {
      const r = [a, b, -g];
      for (let i = 0; i < 3; i++) {
        atb[i]! += r[i]! * q;
        for (let j = 0; j < 3; j++) ata[i * 3 + j]! += r[i]! * r[j]!;
      }
    }
    const s = solveLinear(ata, atb, 3);
    if (s) toObs(s[0]!, s[1]!, s[2]!);
  }
  return out;
}

/** Least-squares fix of one shot, or null when the geometry cannot hold one (fewer than 3 sensors, collinear, diverged). */
export function solveFix(obs: readonly Observation[], o: SolveOptions): Fix | null {
  if (obs.length < 3) return null;
  const starts = closedFormStarts(obs, o.c);
  if (starts.length === 0) {
    // Degenerate differencing (e.g. equal arrival times on a symmetric layout): start at the centroid.
    const f = frameOf(obs);
    starts.push({ x: f.cx, y: f.cy, t0: f.tRef - Math.max(...obs.map((q) => Math.hypot(q.x - f.cx, q.y - f.cy))) / o.c });
  }
  let best: Fix | null = null;
  for (const s of starts) {
    const fix = refine(obs, o, s);
    if (fix && (!best || better(fix, best, obs.length))) best = fix;
  }
  return best;
}

/**
 * Of two local minima the one that fits better; when both fit to within 20 microseconds rms (three
 * sensors always leave two exact solutions, a mirror far outside the array beside the
 * true one) the one the geometry pins down more tightly, which is the one near the sensors.
 */
function better(a: Fix, b: Fix, n: number): boolean {
  const tie = n * 20e-6 ** 2;
  if (a.rss < tie && b.rss < tie) return a.unitCov[0] + a.unitCov[2] < b.unitCov[0] + b.unitCov[2];
  return a.rss < b.rss;
}

/** Levenberg-Marquardt from a start, in a frame centred on the sensors (metres and seconds stay well scaled). */
export function refine(obs: readonly Observation[], o: SolveOptions, start: { x: number; y: number; t0: number; z?: number }): Fix | null {
  const f = frameOf(obs);
  const n = obs.length;
  const c = o.c;
  const elev = o.elevation && f.hasZ ? o.elevation : null;
  const np = elev ? 4 : 3;
  // Parameters: X, Y, T (emission time relative to tRef) and, in 2.5-D, Z.
  const p = [start.x - f.cx, start.y - f.cy, start.t0 - f.tRef, elev ? (start.z ?? elev.priorZ) : 0];
  const priorW = elev ? NOMINAL_SIGMA_S / elev.sigmaM : 0; // the prior as one more residual, in seconds
  const cost = (q: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const dz = elev ? q[3]! - f.zs[i]! : 0;
      const r = f.ts[i]! - q[2]! - Math.sqrt((q[0]! - f.xs[i]!) ** 2 + (q[1]! - f.ys[i]!) ** 2 + dz * dz) / c;
      s += r * r;
    }
    if (elev) s += (priorW * (q[3]! - elev.priorZ)) ** 2;
    return s;
  };
  const jtj = new Array<number>(np * np);
  const jtr = new Array<number>(np);
  const normal = (q: readonly number[]) => {
    jtj.fill(0);
    jtr.fill(0);
    const row = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) {
      const dx = q[0]! - f.xs[i]!,
        dy = q[1]! - f.ys[i]!,
        dz = elev ? q[3]! - f.zs[i]! : 0;
      const d = Math.max(1e-6, Math.sqrt(dx * dx + dy * dy + dz * dz));
      const r = f.ts[i]! - q[2]! - d / c;
      row[0] = -dx / (d * c);
      row[1] = -dy / (d * c);
      row[2] = -1;
      row[3] = -dz / (d * c);
      for (let a = 0; a < np; a++) {
        jtr[a]! += row[a]! * r;
        for (let b = 0; b < np; b++) jtj[a * np + b]! += row[a]! * row[b]!;
      }
    }
    if (elev) {
      jtj[15]! += priorW * priorW;
      jtr[3]! += priorW * priorW * (q[3]! - elev.priorZ);
    }
  };
  let current = cost(p);
  let lambda = 1e-3;
  let converged = false;
  for (let iter = 0; iter < 60 && !converged; iter++) {
    normal(p);
    let stepped = false;
    for (let tries = 0; tries < 12; tries++) {
      const damped = jtj.slice();
      for (let a = 0; a < np; a++) damped[a * np + a]! *= 1 + lambda;
      const step = solveLinear(
        damped,
        jtr.map((v) => -v),
        np,
      );
      if (!step) {
        lambda *= 10;
        continue;
      }
      const next = p.slice();
      for (let a = 0; a < np; a++) next[a]! += step[a]!;
      const nextCost = cost(next);
      if (nextCost <= current) {
        const small = Math.hypot(step[0]!, step[1]!) < 1e-4 && Math.abs(step[2]!) < 1e-9;
        for (let a = 0; a < np; a++) p[a] = next[a]!;
        current = nextCost;
        lambda = Math.max(1e-9, lambda / 4);
        stepped = true;
        if (small) converged = true;
        break;
      }
      lambda *= 8;
    }
    if (!stepped) converged = true; // no step lowers the cost: a minimum to within rounding
  }
  if (!p.every(Number.isFinite)) return null;
  normal(p);
  const inv = invert(jtj, np);
  if (!inv) return null;
  const residualsS: number[] = [];
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const dz = elev ? p[3]! - f.zs[i]! : 0;
    const r = f.ts[i]! - p[2]! - Math.sqrt((p[0]! - f.xs[i]!) ** 2 + (p[1]! - f.ys[i]!) ** 2 + dz * dz) / c;
    residualsS.push(r);
    rss += r * r;
  }
  return {
    x: p[0]! + f.cx,
    y: p[1]! + f.cy,
    z: elev ? p[3]! : null,
    t0: p[2]! + f.tRef,
    residualsS,
    rss,
    unitCov: [inv[0]!, inv[1]!, inv[np + 1]!],
    unitCovT: [inv[2]!, inv[np + 2]!, inv[2 * np + 2]!],
    converged,
  };
}

/**
 * Least-squares position of a source whose emission time is known (an echo taken for the image
 * of a located shot: the image fires when the shot does): Gauss-Newton with a step bound, from
 * a start; 2-D distances. Returns the position and the sum of squared residuals.
 */
export function fitAtTime(
  obs: readonly Observation[],
  c: number,
  t0: number,
  start: { x: number; y: number },
): { x: number; y: number; rss: number; residualsS: number[] } {
  let x = start.x,
    y = start.y;
  const cost = (px: number, py: number) => {
    let s = 0;
    for (const o of obs) s += (o.t - t0 - Math.hypot(px - o.x, py - o.y) / c) ** 2;
    return s;
  };
  let current = cost(x, y);
  let lambda = 1e-3;
  for (let iter = 0; iter < 60; iter++) {
    let a = 0,
      b = 0,
      d = 0,
      gx = 0,
      gy = 0;
    for (const o of obs) {
      const dist = Math.max(1e-6, Math.hypot(x - o.x, y - o.y));
      const r = o.t - t0 - dist / c;
      const jx = -(x - o.x) / (dist * c),
        jy = -(y - o.y) / (dist * c);
      a += jx * jx;
      b += jx * jy;
      d += jy * jy;
      gx += jx * r;
      gy += jy * r;
    }
    let stepped = false;
    for (let tries = 0; tries < 12 && !stepped; tries++) {
      const A = a * (1 + lambda),
        D = d * (1 + lambda),
        det = A * D - b * b;
      if (!(Math.abs(det) > 0)) {
        lambda *= 10;
        continue;
      }
      const sx = -(D * gx - b * gy) / det,
        sy = -(A * gy - b * gx) / det;
      const next = cost(x + sx, y + sy);
      if (next <= current) {
        x += sx;
        y += sy;
        const small = Math.hypot(sx, sy) < 1e-4;
        current = next;
        lambda = Math.max(1e-9, lambda / 4);
        stepped = true;
        if (small) iter = 60;
      } else lambda *= 8;
    }
    if (!stepped) break;
  }
  return { x, y, rss: current, residualsS: obs.map((o) => o.t - t0 - Math.hypot(x - o.x, y - o.y) / c) };
}
