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

export function uncertaintyOf(fix: Fix, c: number, prior: TimingPrior): Uncertainty {
  const { sigmaS, dof } = pooledSigmaS(fix, prior);
  const [xx, xy, yy] = fix.unitCov;
  const gdop = xx >= 0 && yy >= 0 && Number.isFinite(xx + yy) ? Math.sqrt(xx + yy) / c : null;
  if (!(xx > 0 && yy > 0) || !Number.isFinite(xx + xy + yy)) return { ellipse95: null, gdop, sigmaS };
  const { l1, l2, v1 } = eigen2(xx * sigmaS ** 2, xy * sigmaS ** 2, yy * sigmaS ** 2);
  const k = Math.sqrt(2 * fQuantile95(2, dof));
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
