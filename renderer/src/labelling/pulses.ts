/**
 * Pulses a trainer can land on with one key: impulsive sounds found in the samples (or, before
 * they are decoded, in the waveform peaks), and for alert tracks the pulses the sensor network
 * picked. A simple level detector is enough here: it only places the cursor, the trainer judges
 * and adjusts, and a missed pulse is still reachable by moving the cursor. Pure: tested on Node.
 */

export interface FoundPulse {
  /** First sample at or above the threshold. */
  startSample: number;
  /**
   * Where the pulse's energy has fallen back near the noise floor (its envelope within
   * NEAR_FLOOR_DB of it), at least MIN_PULSE_S after the start, at most MAX_PULSE_S, and never
   * into the next pulse: what `S` selects, so a click three samples over the threshold still
   * gets the tail a trainer hears.
   */
  endSample: number;
  /** Where it came from: found in the samples, in the peaks (to a peak bucket), or picked by the sensor network. */
  source: 'samples' | 'peaks' | 'machine';
}

export interface DetectOptions {
  /** Threshold above the noise floor, dB. */
  aboveNoiseDb?: number;
  /** Quiet this long ends a pulse; a new one starts only after it. */
  gapS?: number;
  maxPulses?: number;
}

const DEFAULTS = { aboveNoiseDb: 15, gapS: 0.02, maxPulses: 20_000 };
/** A pulse ends where its envelope (the maximum over ENVELOPE_S) is within this of the noise floor. */
export const NEAR_FLOOR_DB = 6;
const ENVELOPE_S = 0.001;
/** Bounds of a pulse's extent: a muzzle blast lasts a few milliseconds, echoes of one shot up to a few hundred. */
export const MIN_PULSE_S = 0.002;
export const MAX_PULSE_S = 0.25;

/**
 * Each run's end moved on to where the envelope falls back near the floor, bounded by the next
 * run, MAX_PULSE_S and the signal's end, and at least MIN_PULSE_S long. `window` and the bounds
 * are in units of `level`'s index (samples or peak buckets).
 */
function extendToFloor(
  level: (i: number) => number,
  n: number,
  found: [number, number][],
  near: number,
  window: number,
  min: number,
  max: number,
): [number, number][] {
  return found.map(([a, b], k) => {
    const limit = Math.min(n, a + max, found[k + 1]?.[0] ?? n);
    // A run over the threshold longer than a pulse lasts (a tone, wind) is cut at MAX_PULSE_S too.
    let end = Math.min(b, limit);
    while (end < limit) {
      let m = 0;
      for (let i = end; i < Math.min(limit, end + window); i++) m = Math.max(m, level(i));
      if (m <= near) break;
      end = Math.min(limit, end + window);
    }
    return [a, Math.max(end, Math.min(limit, a + min))];
  });
}

/** The level of the quietest fifth of the signal: its noise floor, from maxima over short blocks. */
function noiseFloor(level: (i: number) => number, n: number, block: number): number {
  const maxima: number[] = [];
  for (let from = 0; from < n; from += block) {
    let m = 0;
    for (let i = from; i < Math.min(n, from + block); i++) m = Math.max(m, level(i));
    maxima.push(m);
  }
  maxima.sort((a, b) => a - b);
  return maxima[Math.floor(maxima.length * 0.2)] ?? 0;
}

/** Runs of level at or above a threshold, split by gaps of at least `gap` below it: [first, last + 1). */
function runs(level: (i: number) => number, n: number, threshold: number, gap: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  let start = -1;
  let last = -1;
  for (let i = 0; i < n; i++) {
    if (level(i) < threshold) {
      if (start >= 0 && i - last > gap) {
        out.push([start, last + 1]);
        start = -1;
        if (out.length >= max) return out;
      }
      continue;
    }
    if (start < 0) start = i;
    last = i;
  }
  if (start >= 0) out.push([start, last + 1]);
  return out;
}

function threshold(floor: number, peak: number, aboveNoiseDb: number): number | null {
  const t = Math.max(floor * 10 ** (aboveNoiseDb / 20), 1e-4);
  // Nothing stands out of the noise: no pulses rather than every bump.
  return peak >= t ? Math.min(t, peak * 0.5) : null;
}

/** Pulses in one channel's samples, to the sample. */
export function detectPulses(samples: Float32Array, sampleRate: number, o: DetectOptions = {}): FoundPulse[] {
  const { aboveNoiseDb, gapS, maxPulses } = { ...DEFAULTS, ...o };
  const level = (i: number) => Math.abs(samples[i]!);
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, level(i));
  const floor = noiseFloor(level, samples.length, Math.max(1, Math.round(sampleRate * 0.005)));
  const t = threshold(floor, peak, aboveNoiseDb);
  if (t === null) return [];
  const found = runs(level, samples.length, t, Math.max(1, Math.round(gapS * sampleRate)), maxPulses);
  const near = Math.min(t, floor * 10 ** (NEAR_FLOOR_DB / 20));
  const at = (seconds: number) => Math.max(1, Math.round(seconds * sampleRate));
  return extendToFloor(level, samples.length, found, near, at(ENVELOPE_S), at(MIN_PULSE_S), at(MAX_PULSE_S)).map(([a, b]) => ({
    startSample: a,
    endSample: b,
    source: 'samples',
  }));
}

/**
 * Pulses in waveform peaks (interleaved max, min pairs over `frames` samples), to the bucket: a
 * first guess while the samples load, at the peaks' resolution (about a millisecond).
 */
export function detectPulsesInPeaks(peaks: readonly number[], frames: number, sampleRate: number, o: DetectOptions = {}): FoundPulse[] {
  const { aboveNoiseDb, gapS, maxPulses } = { ...DEFAULTS, ...o };
  const pairs = Math.floor(peaks.length / 2);
  if (pairs === 0 || frames === 0) return [];
  const level = (i: number) => Math.max(Math.abs(peaks[2 * i]!), Math.abs(peaks[2 * i + 1]!));
  let peak = 0;
  for (let i = 0; i < pairs; i++) peak = Math.max(peak, level(i));
  const perSecond = pairs / (frames / sampleRate);
  const floor = noiseFloor(level, pairs, Math.max(1, Math.round(perSecond * 0.005)));
  const t = threshold(floor, peak, aboveNoiseDb);
  if (t === null) return [];
  // Bucket p holds samples [floor(p n / pairs), floor((p + 1) n / pairs)), as the core computes them.
  const sampleOf = (p: number) => Math.min(frames, Math.floor((p * frames) / pairs));
  const found = runs(level, pairs, t, Math.max(1, Math.round(gapS * perSecond)), maxPulses);
  const near = Math.min(t, floor * 10 ** (NEAR_FLOOR_DB / 20));
  const at = (seconds: number) => Math.max(1, Math.round(seconds * perSecond));
  return extendToFloor(level, pairs, found, near, at(ENVELOPE_S), at(MIN_PULSE_S), at(MAX_PULSE_S)).map(([a, b]) => ({
    startSample: sampleOf(a),
    endSample: Math.max(sampleOf(a) + 1, sampleOf(b)),
    source: 'peaks',
  }));
}

/**
 * Every pulse to step through, by start: detected ones, and machine picks that no detected pulse
 * already covers (a machine pick lasts `defaultLength` samples, or up to the next pulse).
 */
export function mergePulses(found: readonly FoundPulse[], machineStarts: readonly number[], defaultLength: number, frames: number): FoundPulse[] {
  const out = [...found];
  for (const s of machineStarts) {
    if (s < 0 || s >= frames) continue;
    if (found.some((p) => s >= p.startSample - defaultLength / 4 && s < p.endSample)) continue;
    out.push({ startSample: s, endSample: Math.min(frames, s + defaultLength), source: 'machine' });
  }
  return out.sort((a, b) => a.startSample - b.startSample);
}
