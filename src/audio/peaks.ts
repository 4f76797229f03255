/**
 * Waveform peaks computed once at import: interleaved (max, min) pairs per bucket, so the
 * renderer draws a track before (or without) decoding its audio.
 */
export interface Peaks {
  peaksPerSecond: number;
  /** max0, min0, max1, min1, ... in [-1, 1] */
  data: Float32Array;
}

export const TARGET_PEAKS_PER_SECOND = 1000;
/** A bound on what one track sends to the renderer, however long the clip: 256 KiB of floats. */
export const MAX_PEAK_PAIRS = 32_768;

const clamp = (v: number) => (v > 1 ? 1 : v < -1 ? -1 : v);

/**
 * Bucket p covers samples [floor(p*n/P), floor((p+1)*n/P)) of n samples in P buckets, computed in
 * integers so that every sample lands in exactly one bucket (a float step size can drop the last).
 * Float files may exceed full scale; their peaks are clamped to [-1, 1], as a waveform draws them.
 */
export function computePeaks(samples: Float32Array, sampleRate: number): Peaks {
  const n = samples.length;
  if (!(sampleRate > 0)) throw new RangeError(`computePeaks needs a positive sample rate, not ${sampleRate}`);
  if (n === 0) return { peaksPerSecond: TARGET_PEAKS_PER_SECOND, data: new Float32Array(0) };
  const durationS = n / sampleRate;
  const pairs = Math.max(1, Math.min(n, MAX_PEAK_PAIRS, Math.ceil(durationS * TARGET_PEAKS_PER_SECOND)));
  const data = new Float32Array(pairs * 2);
  let from = 0;
  for (let p = 0; p < pairs; p++) {
    const to = p === pairs - 1 ? n : Math.floor(((p + 1) * n) / pairs);
    let max = samples[from]!;
    let min = max;
    for (let i = from + 1; i < to; i++) {
      const v = samples[i]!;
      if (v > max) max = v;
      else if (v < min) min = v;
    }
    data[2 * p] = clamp(max);
    data[2 * p + 1] = clamp(min);
    from = to;
  }
  return { peaksPerSecond: pairs / durationS, data };
}
