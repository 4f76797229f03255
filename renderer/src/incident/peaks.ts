/**
 * The host's peaks are interleaved (max, min) pairs, one pair per 1/peaksPerSecond seconds.
 * wavesurfer draws a two-channel peak set as one waveform, the first channel above the centre
 * line and the second below it, so handing it [maxima, minima] draws the true, asymmetric
 * envelope of the clip with nothing decoded.
 */
export function toEnvelope(peaks: ArrayLike<number>): [Float32Array, Float32Array] {
  const n = Math.floor(peaks.length / 2);
  const max = new Float32Array(n);
  const min = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    max[i] = peaks[2 * i]!;
    min[i] = peaks[2 * i + 1]!;
  }
  return [max, min];
}

/** The loudest sample of a track in dB relative to full scale, for the track's gutter. */
export function peakDbfs(peaks: ArrayLike<number>): number | null {
  let max = 0;
  for (let i = 0; i < peaks.length; i++) max = Math.max(max, Math.abs(peaks[i]!));
  return max > 0 ? 20 * Math.log10(max) : null;
}
