import type { EchoVerdict } from './echo.ts';
import type { Hypothesis } from './hypothesis.ts';
import { MODEL } from './model.ts';
import { SAME_SPOT_M, spots } from './same-spot.ts';
import { ECHO_WINDOW_S, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * Whether a candidate is the clutter of a dense burst strung together by chance. A burst fills
 * every sensor with its rounds' cracks, blasts and echoes, from each round's emission to its
 * echoes' end there, those off far buildings and hills included (the round's shadow on that
 * sensor); picks of different rounds on
 * different sensors then line up somewhere else as a "source" that follows no one round, so
 * the echo test (echo.ts) does not see it. Such a candidate is
 * - far from the burst's spot (beyond the same spot and the burst's ellipse), heard by fewer
 *   sensors than the burst's rounds are;
 * - made only of picks inside the burst's shadows, every one;
 * - no more than chance gives: with the pick rate in those shadows, the triples of picks a
 *   search tries on its three least cluttered sensors, times the chance that each other
 *   sensor has a pick within its residuals' spread of the arrival it predicts, expect one such
 *   alignment or more.
 * It is set aside as an echo of the round whose shadow holds most of its picks.
 */

/** A burst: this many rounds at one spot or more. */
const MIN_BURST = 3;
/** 95 % of a 2-D normal lies within this many sigma. */
const ELLIPSE_K = 2.45;

export function strungTogether(
  tracks: readonly Track[],
  h: Hypothesis,
  shots: readonly Hypothesis[],
  o: Geometry,
  sigmaS: number,
): (EchoVerdict & { expected: number }) | null {
  for (const burst of spots(shots.filter((s) => s !== h))) {
    if (burst.length < MIN_BURST) continue;
    const spot = burst[0]!.fix;
    const ellipseM = ELLIPSE_K * sigmaS * Math.sqrt(Math.max(0, spot.unitCov[0] + spot.unitCov[2]));
    if (Math.hypot(h.fix.x - spot.x, h.fix.y - spot.y) <= SAME_SPOT_M + ellipseM) continue;
    const supports = burst.map((s) => s.support).sort((a, b) => a - b);
    if (h.support >= supports[supports.length >> 1]!) continue;
    const verdict = inShadows(tracks, h, burst, o);
    if (verdict) return verdict;
  }
  return null;
}

/** The verdict where every pick of h lies in a round's shadow and chance expects such an alignment; else null. */
function inShadows(tracks: readonly Track[], h: Hypothesis, burst: readonly Hypothesis[], o: Geometry): (EchoVerdict & { expected: number }) | null {
  const held = new Map<Hypothesis, number>();
  const counts: number[] = [];
  const rates: number[] = [];
  for (const k of h.order) {
    const t = tracks[k]!,
      at = t.times[h.picks[k]!]!;
    const shadows = burst.map((s) => ({ s, from: s.fix.t0, to: s.fix.t0 + travelS(t, s.fix, o) + ECHO_WINDOW_S }));
    const mine = shadows.filter((w) => at >= w.from && at <= w.to);
    if (mine.length === 0) return null;
    // The round it most follows on this sensor: the latest whose shadow holds it.
    const of = mine.reduce((a, b) => (b.from > a.from ? b : a)).s;
    held.set(of, (held.get(of) ?? 0) + 1);
    const union = unionOf(shadows.map((w) => [Math.max(w.from, t.startS), Math.min(w.to, t.endS)] as const));
    const length = union.reduce((n, [a, b]) => n + Math.max(0, b - a), 0);
    const n = t.times.filter((x) => union.some(([a, b]) => x >= a && x <= b)).length;
    counts.push(n);
    rates.push(n / Math.max(1e-3, length));
  }
  const spread = 3 * Math.max(MODEL.minSigmaS, Math.sqrt(h.fix.rss / h.support));
  // Seeds on the three sensors with fewest picks in the shadows; the rest must line up by chance.
  const order = counts.map((n, j) => j).sort((a, b) => counts[a]! - counts[b]!);
  let logExpected = 0;
  order.forEach((j, r) => {
    logExpected += r < 3 ? Math.log(Math.max(1, counts[j]!)) : Math.log(Math.min(1, rates[j]! * 2 * spread));
  });
  if (logExpected < 0) return null;
  let of: Hypothesis = burst[0]!;
  for (const [s, n] of held) if (n > (held.get(of) ?? 0)) of = s;
  return { of, explained: [], explainedBy: new Map(), image: null, unheard: [], follows: false, strung: [...held.keys()], expected: Math.exp(logExpected) };
}

/** The union of intervals, as disjoint intervals in order. */
function unionOf(intervals: readonly (readonly [number, number])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [a, b] of [...intervals].sort((x, y) => x[0] - y[0])) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else if (b > a) out.push([a, b]);
  }
  return out;
}
