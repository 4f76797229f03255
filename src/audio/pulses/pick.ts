import { filterCascade, pickerBand } from './filter.ts';
import { releaseBuffers } from '../../util/release.ts';
import { localFloor } from './floor.ts';
import { aicOnset } from './onset.ts';

/**
 * Impulse picking on one sensor's clip. The signal is band-limited to where a muzzle blast
 * stands furthest above street noise, its short-term energy compared with the energy just
 * before (a sharp rise, not a loud steady sound) and with the local noise floor (an SNR).
 * Every rise is kept, echoes included: only geometry across sensors can tell an echo from a
 * second shot, so association decides. The onset of each rise is then timed to a fraction of
 * a sample by an AIC change-point on the band-passed signal.
 */

export interface PulsePick {
  /** Seconds from the clip's first sample, sub-sample precise: the start of the rise. */
  offsetS: number;
  /** Peak short-term band energy over the local noise floor, dB. */
  snrDb: number;
  /**
   * Level of the pulse in the picker's band: its peak short-term energy, dB full scale. Unlike
   * the SNR it does not depend on the noise around it (which a burst's own reverberation raises),
   * so the levels of two pulses on one sensor compare.
   */
  bandDb: number;
  /** Peak |sample| of the raw clip in the pulse's first 10 ms, dB full scale. */
  peakDbfs: number;
  /** The pulse hit full scale: its level is a lower bound, its shape is cut. */
  clipped: boolean;
}

export interface PickOptions {
  /** Least SNR for a pulse, dB. */
  minSnrDb?: number;
  /** Least rise of the energy over the 10 ms before, dB. */
  minRiseDb?: number;
  /** Keep at most this many pulses per clip, the strongest. */
  maxPulses?: number;
}

const SHORT_S = 0.001; // the energy of a blast's first millisecond
const BEFORE_S = 0.01; // what it rises over
const PEAK_SEARCH_S = 0.005; // the blast's energy peaks within this after its onset
/**
 * Rises closer than this are one pulse, timed by the first: a blast's own second lobe, the
 * ground's reflection and echoes off the shooter's nearest walls follow within it, and no two
 * rounds of one gun are this close (fully automatic fire is 50 ms apart or more).
 */
const MIN_GAP_S = 0.008;

export function pickPulses(samples: Float32Array, sampleRate: number, o: PickOptions = {}): PulsePick[] {
  const minSnr = 10 ** ((o.minSnrDb ?? 12) / 10);
  const minRise = 10 ** ((o.minRiseDb ?? 8) / 10);
  const maxPulses = o.maxPulses ?? 48;
  const n = samples.length;
  const short = Math.max(2, Math.round(SHORT_S * sampleRate));
  const before = Math.max(4, Math.round(BEFORE_S * sampleRate));
  if (n < before + short * 4) return [];

  const y = filterCascade(samples, pickerBand(sampleRate));
  // Prefix sums of the band energy: any window's mean in O(1).
  const cum = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cum[i + 1] = cum[i]! + y[i]! * y[i]!;
  // and of padding: padding before a recording starts is no quiet to rise over, and the step
  // from it into the street noise is no pulse.
  const padding = paddingCounts(samples, Math.round(PADDING_RUN_S * sampleRate));
  const mean = (a: number, b: number) => (cum[b]! - cum[a]!) / (b - a);
  const floor = localFloor(cum, padding, sampleRate);

  // Rises: where the next millisecond holds much more energy than the ten before. Scanned on a
  // quarter-millisecond hop; the onset itself is timed precisely afterwards.
  const hop = Math.max(1, Math.round(sampleRate / 4000));
  const gap = Math.round(MIN_GAP_S * sampleRate);
  const peakSpan = Math.round(PEAK_SEARCH_S * sampleRate);
  const found: { at: number; peak: number; snr: number; floor: number }[] = [];
  let i = before;
  while (i + short + peakSpan < n) {
    const a = mean(i, i + short);
    const f = floor(i);
    if (a > f * minSnr && a > mean(i - before, i) * minRise && padding[i]! - padding[i - before]! < before / 4) {
      let peak = a;
      const end = Math.min(n - short, i + gap + peakSpan);
      for (let k = i + hop; k <= end; k += hop) peak = Math.max(peak, mean(k, k + short));
      found.push({ at: i, peak, snr: peak / f, floor: f });
      i += gap;
      continue;
    }
    i += hop;
  }

  const kept =
    found.length > maxPulses
      ? [...found]
          .sort((p, q) => q.peak - p.peak)
          .slice(0, maxPulses)
          .sort((p, q) => p.at - q.at)
      : found;
  const picks: PulsePick[] = [];
  let prevEnd = 0;
  for (const p of kept) {
    // The change point lies between the quiet before and the energy peak; the window never
    // reaches back into the previous pulse, whose tail would look like the signal. Going back
    // millisecond by millisecond, it stops where the energy climbs again, well over both the
    // quiet the rise was measured over and the least seen since: that is an earlier sound, not
    // this one's front (a slow front only falls going back). A blast 20 ms after its bullet's
    // crack otherwise had the crack's decay in its window, and the change point found was
    // where that decay ends, the blast timed 18 ms early.
    const quiet = mean(p.at - before, p.at) * minRise;
    const earliest = Math.max(prevEnd, p.at - before * 2);
    let from = p.at,
      least = Infinity;
    for (; from - short >= earliest; from -= hop) {
      const e = mean(from - short, from);
      if (e > quiet && e > least * minRise) break;
      least = Math.min(least, e);
    }
    from = Math.max(earliest, from);
    const to = Math.min(n, p.at + peakSpan);
    const onset = aicOnset(y, from, to);
    prevEnd = p.at + short;
    const { peak, clipped } = rawPeak(samples, Math.floor(onset), Math.round(0.01 * sampleRate));
    picks.push({
      offsetS: onset / sampleRate,
      snrDb: 10 * Math.log10(p.snr),
      bandDb: 10 * Math.log10(p.peak + 1e-30),
      peakDbfs: 20 * Math.log10(Math.max(peak, 1e-9)),
      clipped,
    });
  }
  // Several times the clip's size in scratch, given back now: an import picks clip after clip.
  releaseBuffers(y, cum, padding);
  return picks;
}

/**
 * Padding is a long run of exact digital zeros. A quiet street on a 16-bit sensor set for
 * gunfire (full scale some 130 dB SPL, one step some 40 dB SPL) is quantised to a step or two,
 * many of its samples exactly zero, but never for long: those are quiet to rise over.
 */
const PADDING_RUN_S = 0.01;

/** Prefix counts of samples inside runs of exact zeros at least `minRun` long. */
function paddingCounts(samples: Float32Array, minRun: number): Int32Array {
  const out = new Int32Array(samples.length + 1);
  let run = 0;
  for (let i = 0; i <= samples.length; i++) {
    if (i < samples.length && samples[i] === 0) {
      run++;
      continue;
    }
    // A run ends before i: its samples count where it was long enough.
    for (let k = i - run; k < i; k++) out[k + 1] = out[k]! + (run >= minRun ? 1 : 0);
    if (i < samples.length) out[i + 1] = out[i]!;
    run = 0;
  }
  return out;
}

/** Peak |x| over a span, and whether it sat at full scale for three samples or more (clipping). */
export function rawPeak(x: Float32Array, from: number, span: number): { peak: number; clipped: boolean } {
  let peak = 0;
  const to = Math.min(x.length, Math.max(0, from) + span);
  for (let i = Math.max(0, from); i < to; i++) peak = Math.max(peak, Math.abs(x[i]!));
  let run = 0,
    longest = 0;
  for (let i = Math.max(0, from); i < to; i++) {
    run = peak > 0.5 && Math.abs(x[i]!) >= peak * 0.998 ? run + 1 : 0;
    longest = Math.max(longest, run);
  }
  return { peak, clipped: longest >= 3 };
}
