import type { Hypothesis } from './hypothesis.ts';
import type { Ellipse } from './uncertainty.ts';
import { MAX_RANGE_M } from './plausible.ts';
import { silenceLogLikelihood, silentWitness } from './silence.ts';
import { closedFormStarts, refine, type Fix } from './solve.ts';
import { anyPickNear, observationsOf, travelS, type Geometry, type Track } from './tracks.ts';
import type { KnownSensor } from './types.ts';

/**
 * Three sensors, two sources. Three arrival times fix a 2-D source only up to a pair: the two
 * intersections of two hyperbolas, both fitting exactly, one usually among the sensors and the
 * other off to a side. Nothing in the times tells them apart; what else the alert holds may:
 * - another sensor of the alert whose clip held the arrival one of them predicts there, and
 *   that picked nothing near it, rules that one out (it would have been heard);
 * - so does a sensor of the network known to be alive, not in the alert, that stands far nearer
 *   one of them than the sensors that heard it and would have heard a shot that loud (silence.ts);
 * - a source beyond earshot of every sensor is no source;
 * - the levels: a blast spreads spherically, so the sensors' levels less the spreading to each
 *   should agree on one source level (to within what the muzzle's directivity and buildings
 *   do to it); of two positions the one that needs far less disagreement is taken when the
 *   likelihood ratio is beyond doubt.
 * Where neither is ruled out, the fix is ambiguous: both are reported, the likelier first, and
 * the ellipse covers both. The likelier under a uniform prior over the ground is the one whose
 * own uncertainty is larger (more ground maps onto the times heard: the posterior mass of each
 * solution goes as the square root of its covariance's determinant), weighed by the levels.
 */

export interface Mirror {
  /** The other exact solution. */
  fix: Fix;
  /** Why one of the two was ruled out, or null when neither was: the shot is ambiguous. */
  ruledOut: { which: 'given' | 'mirror'; why: string } | null;
}

/** Two solutions closer than this are one: the ellipse of either covers both. */
const SAME_M = 5;
/** Spread of a blast's level about spherical spreading across sensors: directivity (up to 14 dB front to back), buildings, calibration. */
const LEVEL_SIGMA_DB = 6;
/** Likelihood ratio the levels must give before one solution is ruled out by them. */
const LEVEL_RATIO = 50;

/** The other solution of a shot fitted on three sensors, and which of the two the rest of the alert rules out. */
export function mirrorOf(tracks: readonly Track[], h: Hypothesis, o: Exclusion): Mirror | null {
  if (h.support !== 3) return null;
  const { obs } = observationsOf(tracks, h.picks);
  let mirror: Fix | null = null;
  for (const s of closedFormStarts(obs, o.c)) {
    const f = refine(obs, o, s);
    if (!f || f.rss > Math.max(4 * h.fix.rss, 1e-10) + 1e-8) continue;
    if (Math.hypot(f.x - h.fix.x, f.y - h.fix.y) < SAME_M) continue;
    if (!mirror || f.rss < mirror.rss) mirror = f;
  }
  if (!mirror) return null;
  const given = exclusion(tracks, h.picks, h.fix, o);
  const other = exclusion(tracks, h.picks, mirror, o);
  if (given && !other) return { fix: mirror, ruledOut: { which: 'given', why: given } };
  if (other && !given) return { fix: mirror, ruledOut: { which: 'mirror', why: other } };
  const ratio = levelLogLikelihood(tracks, h.picks, h.fix) - levelLogLikelihood(tracks, h.picks, mirror);
  if (Number.isFinite(ratio) && Math.abs(ratio) > Math.log(LEVEL_RATIO)) {
    return { fix: mirror, ruledOut: ratio > 0 ? { which: 'mirror', why: 'levels' } : { which: 'given', why: 'levels' } };
  }
  return { fix: mirror, ruledOut: null };
}

/** What the exclusion of a solution looks at besides the alert's tracks: the network's sensors not in the alert, known alive. */
type Exclusion = Geometry & { gateS: number; silent?: readonly KnownSensor[] };

/** What rules a solution out, or null: a sensor that would have heard it and did not, or no sensor in earshot. */
function exclusion(tracks: readonly Track[], picks: Int32Array, fix: Fix, o: Exclusion): string | null {
  const at = { x: fix.x, y: fix.y, z: fix.z };
  let nearest = Infinity;
  for (const t of tracks) nearest = Math.min(nearest, Math.hypot(t.x - fix.x, t.y - fix.y));
  if (nearest > MAX_RANGE_M) return 'beyond earshot';
  let farthest = 0;
  tracks.forEach((t, k) => {
    if (picks[k]! >= 0) farthest = Math.max(farthest, travelS(t, at, o));
  });
  for (let k = 0; k < tracks.length; k++) {
    if (picks[k]! >= 0) continue;
    const t = tracks[k]!;
    const tt = travelS(t, at, o);
    const arrival = fix.t0 + tt;
    // A sensor nearer than the farthest that heard it, whose clip held the arrival, that picked nothing near it.
    if (tt < farthest && arrival > t.startS + 0.02 && arrival < t.endS - 0.01 && !anyPickNear(t, arrival, o.gateS)) return `${t.id} would have heard it`;
  }
  return silentWitness(tracks, picks, fix, o.silent ?? []);
}

/**
 * Log-likelihood of the picks' levels for a source at the fix: each level plus the spherical
 * spreading to its sensor is one estimate of the source level; their scatter about the mean,
 * Gaussian with LEVEL_SIGMA_DB. NaN where the levels do not compare (calibrated and not mixed).
 */
export function levelLogLikelihood(tracks: readonly Track[], picks: Int32Array, fix: { x: number; y: number }): number {
  const source: number[] = [];
  const calibrated = tracks.every((t, k) => picks[k]! < 0 || t.calibrationDb !== null);
  const uncalibrated = tracks.every((t, k) => picks[k]! < 0 || t.calibrationDb === null);
  if (!calibrated && !uncalibrated) return NaN;
  tracks.forEach((t, k) => {
    if (picks[k]! < 0) return;
    const d = Math.max(1, Math.hypot(t.x - fix.x, t.y - fix.y));
    source.push(t.levelDb[picks[k]!]! + (t.calibrationDb ?? 0) + 20 * Math.log10(d));
  });
  const mean = source.reduce((a, v) => a + v, 0) / source.length;
  return -source.reduce((a, v) => a + (v - mean) ** 2, 0) / (2 * LEVEL_SIGMA_DB ** 2);
}

/**
 * Of a shot's fix and its mirror, both standing: whether the mirror is the likelier (posterior
 * mass under a uniform prior, times the levels' likelihood and the known sensors' silence).
 */
export function mirrorLikelier(tracks: readonly Track[], picks: Int32Array, given: Fix, mirror: Fix, silent: readonly KnownSensor[] = []): boolean {
  const mass = (f: Fix) => 0.5 * Math.log(Math.max(1e-300, f.unitCov[0] * f.unitCov[2] - f.unitCov[1] ** 2));
  const level = (f: Fix) => {
    const ll = levelLogLikelihood(tracks, picks, f);
    return (Number.isFinite(ll) ? ll : 0) + silenceLogLikelihood(tracks, picks, f, silent);
  };
  return mass(mirror) + level(mirror) > mass(given) + level(given);
}

/**
 * An ellipse around the first that holds both ellipses (each the 95 % ellipse of one solution,
 * the second's centre dx, dy east and north of the first's): its axes along and across the
 * line joining them, scaled until both outlines lie inside. Null where either is.
 */
export function coveringEllipse(a: Ellipse | null, b: Ellipse | null, dx: number, dy: number): Ellipse | null {
  if (!a || !b) return null;
  const d = Math.hypot(dx, dy);
  const az = d > 1e-9 ? Math.atan2(dx, dy) : (a.azimuthDeg * Math.PI) / 180; // clockwise from north
  const u = { x: Math.sin(az), y: Math.cos(az) },
    v = { x: Math.cos(az), y: -Math.sin(az) };
  const outline: { x: number; y: number }[] = [];
  for (const [e, cx, cy] of [
    [a, 0, 0],
    [b, dx, dy],
  ] as const) {
    const t = (e.azimuthDeg * Math.PI) / 180;
    const major = { x: Math.sin(t), y: Math.cos(t) },
      minor = { x: Math.cos(t), y: -Math.sin(t) };
    for (let i = 0; i < 72; i++) {
      const th = (i * Math.PI) / 36;
      const px = cx + e.semiMajorM * Math.cos(th) * major.x + e.semiMinorM * Math.sin(th) * minor.x;
      const py = cy + e.semiMajorM * Math.cos(th) * major.y + e.semiMinorM * Math.sin(th) * minor.y;
      outline.push({ x: px * u.x + py * u.y, y: px * v.x + py * v.y });
    }
  }
  const a0 = Math.max(...outline.map((p) => Math.abs(p.x))),
    b0 = Math.max(...outline.map((p) => Math.abs(p.y)));
  const s = Math.max(...outline.map((p) => Math.hypot(p.x / a0, p.y / b0)));
  const major = s * a0,
    minor = s * b0;
  const azimuthDeg = (((major >= minor ? az : az + Math.PI / 2) * 180) / Math.PI + 360) % 180;
  return { semiMajorM: Math.max(major, minor), semiMinorM: Math.min(major, minor), azimuthDeg };
}
