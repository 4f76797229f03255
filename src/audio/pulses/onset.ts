/**
 * The onset of an impulse inside a window, by the AIC change point (Maeda 1985): the split
 * of the window into a quiet part and a loud part that best explains it as two stretches of
 * different variance. Unlike a threshold crossing it does not start later on a weaker or
 * duller pulse, so arrival times at near and far sensors stay comparable. The minimum is
 * refined between samples by a parabola through its neighbours.
 *
 * Returns a fractional sample index in [from, to).
 */
export function aicOnset(y: Float32Array, from: number, to: number): number {
  const len = to - from;
  if (len < 6) return from;
  const cum = new Float64Array(len + 1);
  for (let i = 0; i < len; i++) cum[i + 1] = cum[i]! + y[from + i]! * y[from + i]!;
  const total = cum[len]!;
  const aic = new Float64Array(len);
  let best = 1;
  aic[0] = Infinity;
  aic[len - 1] = Infinity;
  for (let k = 1; k < len - 1; k++) {
    // Variances as mean squares: the band-pass leaves no DC.
    const v1 = cum[k + 1]! / (k + 1) + 1e-30;
    const v2 = (total - cum[k + 1]!) / (len - k - 1) + 1e-30;
    aic[k] = (k + 1) * Math.log(v1) + (len - k - 1) * Math.log(v2);
    if (aic[k]! < aic[best]!) best = k;
  }
  let frac = 0;
  if (best > 1 && best < len - 2) {
    const a = aic[best - 1]!,
      b = aic[best]!,
      c = aic[best + 1]!;
    const den = a - 2 * b + c;
    if (den > 0) frac = Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
  }
  // The split is after sample `best`: the loud part starts one sample later.
  return from + best + 1 + frac;
}
