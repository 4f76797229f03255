import { filterCascade, highPass } from '../../../src/audio/pulses/filter.ts';

/**
 * How sharp a pulse's front is, from the clip around its pick. A muzzle blast on a straight
 * path arrives with a front a few tens of microseconds long (air absorption dulls it slowly
 * with distance); an echo off a rough facade, or sound bent round a building, arrives with its
 * front smeared over a fraction of a millisecond. Measured on the clip with only the rumble
 * taken off (a 150 Hz high-pass): the picker's 4 kHz low-pass would smear every front alike
 * (tried: a 2-3 kHz low-pass before timing separated no better on the simulator).
 */
export interface PulseFront {
  /**
   * The front's peak over its steepest slope, seconds: an exponential rise's time constant, a
   * step's one sample. Noise steepens slopes, so a weak pulse can only look sharper than it is.
   */
  slopeRiseS: number;
  /** From 10 % to 90 % of the first lobe's peak, seconds (noisier: the 10 % point sits near the noise). */
  rise1090S: number;
}

const HIGH_PASS_HZ = 150;
/** The rise is timed between these shares of the first lobe's peak. */
const LO = 0.1,
  HI = 0.9;
/** The filter's own transient dies out over this before the pick. */
const LEAD_S = 0.02;
/** The front is looked for from this before the pick (the pick may fall inside it)... */
const BEFORE_S = 0.0005;
/** ...to this after it: a front smeared by a millisecond still peaks within. */
const AFTER_S = 0.003;

export function pulseFront(samples: Float32Array, sampleRate: number, offsetS: number): PulseFront | null {
  const at = offsetS * sampleRate;
  const from = Math.max(0, Math.floor(at - LEAD_S * sampleRate));
  const to = Math.min(samples.length, Math.ceil(at + (AFTER_S + 0.001) * sampleRate));
  const y = filterCascade(samples.subarray(from, to), [highPass(sampleRate, HIGH_PASS_HZ)]);
  const a = Math.max(0, Math.floor(at - BEFORE_S * sampleRate) - from);
  const b = Math.min(y.length - 1, Math.ceil(at + AFTER_S * sampleRate) - from);
  if (b - a < 4) return null;
  // The lobe's polarity is that of the largest excursion (a microphone may be wired either way).
  let big = a;
  for (let k = a; k <= b; k++) if (Math.abs(y[k]!) > Math.abs(y[big]!)) big = k;
  const s = Math.sign(y[big]!) || 1;
  // The first lobe's peak: the first point past 90 % of the largest, followed up to its top.
  const peakAll = s * y[big]!;
  let k90 = a;
  while (k90 < big && s * y[k90]! < 0.9 * peakAll) k90++;
  let top = k90;
  while (top < b && s * y[top + 1]! > s * y[top]!) top++;
  const peak = s * y[top]!;
  if (!(peak > 0)) return null;
  let slope = 0;
  for (let k = a; k < top; k++) slope = Math.max(slope, s * (y[k + 1]! - y[k]!));
  const slopeRiseS = slope > 0 ? peak / slope / sampleRate : (top - a + 1) / sampleRate;
  const cross = (level: number, k: number) => {
    // Between k-1 (below the level) and k (at or above it).
    const y0 = s * y[k - 1]!,
      y1 = s * y[k]!;
    return k - 1 + (y1 > y0 ? (level - y0) / (y1 - y0) : 0);
  };
  let i90 = a;
  while (i90 < top && s * y[i90]! < HI * peak) i90++;
  let i10 = i90;
  while (i10 > a && s * y[i10 - 1]! >= LO * peak) i10--;
  const t90 = i90 > a ? cross(HI * peak, i90) : i90;
  const t10 = i10 > a ? cross(LO * peak, i10) : i10;
  return { slopeRiseS, rise1090S: Math.max(0, t90 - t10) / sampleRate };
}
