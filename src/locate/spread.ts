import type { Hypothesis } from './hypothesis.ts';
import { invert } from './linalg.ts';
import { travelS, type Geometry, type Track } from './tracks.ts';
import type { Cov2 } from './uncertainty.ts';

/**
 * How far the fix moves when each of its sensors is left out: the jackknife covariance of the
 * position, (n-1)/n times the scatter of the leave-one-out fixes about their mean. The model's
 * ellipse assumes every sensor errs alike and independently; a sensor whose reported position is
 * a GPS fix 20 m off, or heard round a building by a few ms too few to be flagged, errs by far
 * more than the others, and its pull on the fix hides in a small residual. The jackknife sees it
 * as the one fix that moves, without a model of which sensor errs.
 *
 * Each leave-one-out fix is the least-squares step from the fix, linearised there (the deleted
 * residual's pull, r_i / (1 - h_ii), h_ii the sensor's leverage): refitting four sensors on a
 * narrow arc from scratch can run off along their hyperbola by kilometres, which says nothing of
 * the fix the five make. Five sensors or more: leaving one of four out leaves three, which fit
 * any times exactly. Null where it does not apply.
 */
export function leaveOneOutSpread(tracks: readonly Track[], h: Hypothesis, g: Geometry): Cov2 | null {
  const n = h.support;
  if (n < MIN_SENSORS || h.fix.residualsS.length !== n) return null;
  const at = { x: h.fix.x, y: h.fix.y, z: h.fix.z };
  const eps = 0.01;
  // Rows of the Jacobian of t0 + travel in (x, y, t0).
  const rows = h.order.map((k) => {
    const t = tracks[k]!;
    return [
      (travelS(t, { ...at, x: at.x + eps }, g) - travelS(t, { ...at, x: at.x - eps }, g)) / (2 * eps),
      (travelS(t, { ...at, y: at.y + eps }, g) - travelS(t, { ...at, y: at.y - eps }, g)) / (2 * eps),
      1,
    ];
  });
  const ata = new Array<number>(9).fill(0);
  for (const r of rows) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) ata[a * 3 + b]! += r[a]! * r[b]!;
  const inv = invert(ata, 3);
  if (!inv) return null;
  const shifts: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    const ar = [0, 1, 2].map((a) => inv[a * 3]! * r[0]! + inv[a * 3 + 1]! * r[1]! + inv[a * 3 + 2]! * r[2]!);
    const leverage = r[0]! * ar[0]! + r[1]! * ar[1]! + r[2]! * ar[2]!;
    if (!(leverage < 1 - 1e-6)) return null;
    const pull = h.fix.residualsS[i]! / (1 - leverage);
    shifts.push([-ar[0]! * pull, -ar[1]! * pull]);
  }
  const mx = shifts.reduce((s, d) => s + d[0], 0) / n,
    my = shifts.reduce((s, d) => s + d[1], 0) / n;
  const w = (n - 1) / n;
  let xx = 0,
    xy = 0,
    yy = 0;
  for (const [dx, dy] of shifts) {
    xx += w * (dx - mx) ** 2;
    xy += w * (dx - mx) * (dy - my);
    yy += w * (dy - my) ** 2;
  }
  return [xx, xy, yy];
}

/** The least support the jackknife is taken on. */
export const MIN_SENSORS = 5;
