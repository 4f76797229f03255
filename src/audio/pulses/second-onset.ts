import { filterCascade, pickerBand } from './filter.ts';
import { aicOnset } from './onset.ts';
import { rawPeak, type PulsePick } from './pick.ts';

/**
 * A second pulse within a few milliseconds after one already picked. The picker takes rises
 * closer than its least gap for one pulse and measures a rise over the 10 ms before it; a pulse
 * 4-8 ms after another about as loud (the direct sound of a burst's next round behind a facade's
 * echo of the last) rises over a window the first still fills, and gets no pick. Where a round's
 * pattern predicts a pulse there, a rise is looked for in the window only, measured over the
 * quietest millisecond since the earlier pulse: that pulse must have died away and a new one
 * risen, not the first's own tail wavering.
 */

const SHORT_S = 0.001; // the energy of a blast's first millisecond, as the picker measures it
const PEAK_SEARCH_S = 0.005; // the blast's energy peaks within this after its onset
const SETTLE_S = 0.03; // the band filter's transient dies out within this before the earlier pulse

/** The first rise by minRiseDb over the quietest millisecond since `afterS` that starts within [fromS, toS] (clip seconds), timed as the picker times its onsets; null where none. */
export function secondOnset(samples: Float32Array, sampleRate: number, afterS: number, fromS: number, toS: number, minRiseDb: number): PulsePick | null {
  const short = Math.max(2, Math.round(SHORT_S * sampleRate));
  const hop = Math.max(1, Math.round(sampleRate / 4000));
  const peakSpan = Math.round(PEAK_SEARCH_S * sampleRate);
  const start = Math.max(0, Math.round((afterS - SETTLE_S) * sampleRate));
  const end = Math.min(samples.length, Math.round(toS * sampleRate) + short + peakSpan);
  const after = Math.round(afterS * sampleRate) - start;
  const from = Math.round(fromS * sampleRate) - start;
  const to = Math.round(toS * sampleRate) - start;
  if (after < 0 || to + short + peakSpan > end - start) return null;
  const y = filterCascade(samples.subarray(start, end), pickerBand(sampleRate));
  const cum = new Float64Array(y.length + 1);
  for (let i = 0; i < y.length; i++) cum[i + 1] = cum[i]! + y[i]! * y[i]!;
  const mean = (a: number, b: number) => (cum[b]! - cum[a]!) / (b - a);
  const minRise = 10 ** (minRiseDb / 10);
  // The earlier pulse's own first millisecond is no quiet to rise over.
  let least = Infinity,
    leastAt = after;
  for (let i = after + 2 * short; i <= to; i += hop) {
    const before = mean(i - short, i);
    if (before < least) [least, leastAt] = [before, i - short];
    if (i < from || mean(i, i + short) <= least * minRise) continue;
    let peak = 0;
    for (let k = i; k <= i + peakSpan; k += hop) peak = Math.max(peak, mean(k, k + short));
    const onset = aicOnset(y, Math.max(leastAt, i - 2 * short), i + peakSpan);
    const { peak: raw, clipped } = rawPeak(samples, start + Math.floor(onset), Math.round(0.01 * sampleRate));
    return {
      offsetS: (start + onset) / sampleRate,
      // Over the quiet it rose from: no more than its SNR over the floor, which that quiet is above.
      snrDb: 10 * Math.log10(peak / least),
      bandDb: 10 * Math.log10(peak + 1e-30),
      peakDbfs: 20 * Math.log10(Math.max(raw, 1e-9)),
      clipped,
    };
  }
  return null;
}
