import { eigen2 } from './linalg.ts';
import type { Fix } from './solve.ts';

/**
 * The 95 % ellipse of a fix: the Cramer-Rao bound of the geometry, (J'J)^-1, scaled by a timing
 * variance that pools the fit's own residuals with a prior for model error (paths bent round
 * buildings, sensor positions, wind, picks on a dulled front): a fit on three sensors has no
 * residual to learn from, and one on four or five learns little. The pooled estimate is
 *   sigma^2 = (nu0 sigma0^2 + RSS) / (nu0 + dof),
 * the posterior mean under a scaled-inverse-chi-square prior with nu0 pseudo-observations; the
 * ellipse then uses the F quantile of that many degrees of freedom rather than chi-square,
 * because sigma is estimated, not known.
 */

export interface TimingPrior {
  /** Model-error timing sigma, seconds. */
  sigma0S: number;
  /** How many residuals' worth of evidence the prior carries. */
  nu0: number;
}

export interface Ellipse {
  semiMajorM: number;
  semiMinorM: number;
  /** Major axis, degrees clockwise from north, in [0, 180). */
  azimuthDeg: number;
}

export interface Uncertainty {
  ellipse95: Ellipse | null;
  gdop: number | null;
  sigmaS: number;
}

/** Timing sigma pooled from a fix's residuals and the prior. */
export function pooledSigmaS(fix: Fix, prior: TimingPrior): { sigmaS: number; dof: number } {
  const dof = Math.max(0, fix.residualsS.length - 3);
  return { sigmaS: Math.sqrt((prior.nu0 * prior.sigma0S ** 2 + fix.rss) / (prior.nu0 + dof)), dof: prior.nu0 + dof };
}

/**
 * spreadM2: where given, a covariance of the position (m^2: xx, xy, yy) measured from the fix's
 * own sensors (leave-one-out, spread.ts); the ellipse is then widened, in each direction, to
 * the larger of the two.
 */
export function uncertaintyOf(fix: Fix, c: number, prior: TimingPrior, spreadM2?: Cov2): Uncertainty {
  const { sigmaS, dof } = pooledSigmaS(fix, prior);
  const [xx, xy, yy] = fix.unitCov;
  const gdop = xx >= 0 && yy >= 0 && Number.isFinite(xx + yy) ? Math.sqrt(xx + yy) / c : null;
  if (!(xx > 0 && yy > 0) || !Number.isFinite(xx + xy + yy)) return { ellipse95: null, gdop, sigmaS };
  // Each covariance scaled to its own 95 % region (the jackknife's from n fixes has n - 1
  // degrees of freedom), then the larger of the two in each direction.
  const q = 2 * fQuantile95(2, dof);
  const model: Cov2 = [xx * sigmaS ** 2 * q, xy * sigmaS ** 2 * q, yy * sigmaS ** 2 * q];
  const qs = 2 * fQuantile95(2, fix.residualsS.length - 1);
  const { l1, l2, v1 } = eigen2(...(spreadM2 ? largerCov(model, [spreadM2[0] * qs, spreadM2[1] * qs, spreadM2[2] * qs]) : model));
  const k = 1;
  const azimuth = ((Math.atan2(v1[0], v1[1]) * 180) / Math.PI + 360) % 180;
  return { ellipse95: { semiMajorM: k * Math.sqrt(l1), semiMinorM: k * Math.sqrt(l2), azimuthDeg: azimuth }, gdop, sigmaS };
}

/**
 * 95th percentile of F(2, m): closed form, since P(F > f) = (1 + 2f/m)^(-m/2) for two numerator
 * degrees of freedom. As m grows, 2 F tends to the chi-square(2) quantile 5.991.
 */
export function fQuantile95(d1: 2, m: number): number {
  if (!Number.isFinite(m)) return 5.991 / 2;
  return (m / 2) * (0.05 ** (-2 / m) - 1);
}

/** A 2x2 symmetric covariance: xx, xy, yy. */
export type Cov2 = [number, number, number];

/**
 * The least covariance at least as large as each of two in every direction: in the frame where
 * a is the identity (a = L L', L lower triangular), b's eigenvalues below 1 are raised to 1.
 * Its ellipse holds both ellipses.
 */
export function largerCov(a: Cov2, b: Cov2): Cov2 {
  if (!b.every(Number.isFinite)) return a;
  const l11 = Math.sqrt(a[0]),
    l21 = a[1] / l11,
    l22 = Math.sqrt(Math.max(0, a[2] - l21 * l21));
  if (!(l11 > 0 && l22 > 0)) return a;
  // m = L^-1 b L^-T
  const i11 = 1 / l11,
    i21 = -l21 / (l11 * l22),
    i22 = 1 / l22;
  const m11 = i11 * i11 * b[0];
  const m12 = i11 * (i21 * b[0] + i22 * b[1]);
  const m22 = i21 * i21 * b[0] + 2 * i21 * i22 * b[1] + i22 * i22 * b[2];
  const { l1, l2, v1 } = eigen2(m11, m12, m22);
  const v2: [number, number] = [-v1[1], v1[0]];
  const e1 = Math.max(1, l1),
    e2 = Math.max(1, l2);
  // n = V diag(e) V', then L n L'
  const n11 = e1 * v1[0] ** 2 + e2 * v2[0] ** 2,
    n12 = e1 * v1[0] * v1[1] + e2 * v2[0] * v2[1],
    n22 = e1 * v1[1] ** 2 + e2 * v2[1] ** 2;
  return [l11 * l11 * n11, l11 * (l21 * n11 + l22 * n12), l21 * l21 * n11 + 2 * l21 * l22 * n12 + l22 * l22 * n22];
}
