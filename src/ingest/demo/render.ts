import { addBackgroundNoise, type NoiseOptions } from './noise.ts';
import { dbToPa, type Path } from './propagation.ts';
import type { Rng } from './rng.ts';
import { pulseAt, pulseLengthS } from './waveforms.ts';

/**
 * One sensor's clip: every path's waveform placed at its exact arrival, the street's
 * reverberation after each loud arrival, the background, then the sensor's own chain
 * (calibration error, DC-blocking high-pass, analogue saturation near full scale).
 */

export interface ClipRequest {
  sampleRate: number;
  frames: number;
  /** Time of the first sample, integer microseconds after the event epoch. */
  clipStartRelUs: number;
  paths: readonly Path[];
  /** Reverberation time of the streets, seconds. */
  reverbS: number;
  /** null: no background at all (tests of timing). */
  noise: NoiseOptions | null;
  rng: Rng;
  fullScaleDbSpl: number;
  /** The sensor's calibration error, dB. */
  gainDb: number;
}

function addPath(p: Float64Array, sr: number, clipStartS: number, path: Path): void {
  const offset = path.arrivalS - clipStartS; // seconds from the first sample
  const length = pulseLengthS(path.shape, path.riseS);
  const first = Math.max(0, Math.floor(offset * sr) + 1);
  const last = Math.min(p.length - 1, Math.ceil((offset + length) * sr));
  for (let n = first; n <= last; n++) p[n]! += path.amplitudePa * pulseAt(path.shape, n / sr - offset, path.riseS);
}

/** Diffuse reverberation of the streets: low-passed noise decaying at the reverberation time, after the arrival. */
function addTail(p: Float64Array, sr: number, clipStartS: number, path: Path, reverbS: number, rng: Rng): void {
  const startS = path.arrivalS + 0.003 - clipStartS;
  const first = Math.max(0, Math.ceil(startS * sr));
  const lengthS = Math.min(reverbS, 0.8);
  const last = Math.min(p.length - 1, Math.floor((startS + lengthS) * sr));
  if (last < first) return;
  const level = path.amplitudePa * 10 ** (-rng.uniform(26, 34) / 20);
  const k = 1 - Math.exp((-2 * Math.PI * 2500) / sr);
  const gain = level / Math.sqrt(k / (2 - k));
  let lp = 0;
  for (let n = first; n <= last; n++) {
    lp += k * (rng.noise() - lp);
    const t = n / sr - startS;
    p[n]! += gain * lp * Math.exp((-6.91 * t) / reverbS);
  }
}

/** Renders the clip as the sensor's ADC delivers it: floats in [-1, 1]. */
export function renderClip(r: ClipRequest): Float32Array {
  const sr = r.sampleRate;
  const clipStartS = r.clipStartRelUs / 1e6;
  const p = new Float64Array(r.frames);
  for (const path of r.paths) addPath(p, sr, clipStartS, path);
  const floorPa = r.noise ? dbToPa(r.noise.levelDb) : 1e-4;
  const tails = r.rng.fork('tails');
  for (const path of r.paths) {
    // A tail under the background is not worth its time: only loud arrivals get one.
    if (path.kind === 'direct' && path.amplitudePa * 0.05 > floorPa) addTail(p, sr, clipStartS, path, r.reverbS, tails);
  }
  if (r.noise) addBackgroundNoise(p, r.rng.fork('background'), r.noise);

  const scale = 10 ** (r.gainDb / 20) / dbToPa(r.fullScaleDbSpl);
  const out = new Float32Array(r.frames);
  const dcPole = 1 - (2 * Math.PI * 20) / sr; // the microphone and ADC pass nothing below about 20 Hz
  let prevIn = 0;
  let prevOut = 0;
  for (let n = 0; n < p.length; n++) {
    const x = p[n]! * scale;
    const y = x - prevIn + dcPole * prevOut;
    prevIn = x;
    prevOut = y;
    out[n] = saturate(y);
  }
  return out;
}

/** The preamp compresses above 0.85 of full scale and the converter stops at full scale. */
function saturate(y: number): number {
  const a = Math.abs(y);
  if (a <= 0.85) return y;
  const v = Math.min(1, 0.85 + 0.15 * Math.tanh((a - 0.85) / 0.15));
  return y < 0 ? -v : v;
}
