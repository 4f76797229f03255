/**
 * Waveform peaks computed once at import: interleaved (max, min) pairs per bucket, so the
 * renderer draws a track before (or without) decoding its audio.
 */
export interface Peaks {
  peaksPerSecond: number;
  /** max0, min0, max1, min1, ... in [-1, 1] */
  data: Float32Array;
}

const TARGET_PER_SECOND = 1000;
const MAX_PAIRS = 32_768;

export function computePeaks(samples: Float32Array, sampleRate: number): Peaks {
  const durationS = samples.length / sampleRate;
  const pairs = Math.max(1, Math.min(samples.length, MAX_PAIRS, Math.ceil(durationS * TARGET_PER_SECOND)));
  const data = new Float32Array(pairs * 2);
  const per = samples.length / pairs;
  for (let p = 0; p < pairs; p++) {
    const from = Math.floor(p * per);
    const to = Math.max(from + 1, Math.floor((p + 1) * per));
    let max = -Infinity;
    let min = Infinity;
    for (let i = from; i < to; i++) {
      const v = samples[i]!;
      if (v > max) max = v;
      if (v < min) min = v;
    }
    data[2 * p] = max;
    data[2 * p + 1] = min;
  }
  return { peaksPerSecond: pairs / durationS, data };
}
