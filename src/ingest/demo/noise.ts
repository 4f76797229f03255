import { dbToPa } from './propagation.ts';
import type { Rng } from './rng.ts';

/**
 * The city under the events: traffic rumble that swells as vehicles pass, wind buffeting,
 * the microphone's own hiss, and now and then a sound that is loud but not impulsive (a
 * horn, a siren, birds, a dog) so a picker has something to resist. Added in pascals.
 */

export interface NoiseOptions {
  sampleRate: number;
  /** RMS level of the street noise, dB SPL. */
  levelDb: number;
  windMs: number;
  /** Chance that a non-impulsive sound shows up in the clip. */
  eventChance: number;
}

/** One-pole low-pass coefficient for a corner frequency. */
const lowPassK = (hz: number, sr: number) => 1 - Math.exp((-2 * Math.PI * hz) / sr);

function rms(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Low-passed Gaussian noise scaled to an RMS. */
function coloured(rng: Rng, n: number, sr: number, cornerHz: number, poles: number, rmsPa: number): Float64Array {
  const out = new Float64Array(n);
  const k = lowPassK(cornerHz, sr);
  const state = new Float64Array(poles);
  for (let i = 0; i < n; i++) {
    let v = rng.noise();
    for (let p = 0; p < poles; p++) v = state[p]! += k * (v - state[p]!);
    out[i] = v;
  }
  const r = rms(out) || 1;
  for (let i = 0; i < n; i++) out[i] = (out[i]! / r) * rmsPa;
  return out;
}

function addTraffic(p: Float64Array, rng: Rng, o: NoiseOptions): void {
  const sr = o.sampleRate;
  const rumble = coloured(rng, p.length, sr, 140, 2, dbToPa(o.levelDb));
  const durationS = p.length / sr;
  const swellHz = rng.uniform(0.05, 0.3),
    phase = rng.uniform(0, 2 * Math.PI);
  const passes = Array.from({ length: rng.int(0, 2) }, () => ({ at: rng.uniform(0, durationS), width: rng.uniform(0.6, 2.5), gain: rng.uniform(0.4, 1.5) }));
  for (let i = 0; i < p.length; i++) {
    const t = i / sr;
    let env = 1 + 0.25 * Math.sin(2 * Math.PI * swellHz * t + phase);
    for (const v of passes) env += v.gain * Math.exp(-(((t - v.at) / v.width) ** 2));
    p[i]! += rumble[i]! * env;
  }
}

/** Wind buffeting of a screened microphone: nothing below 2 m/s, then rising about 2 dB per m/s. */
const windLevelDb = (streetDb: number, windMs: number) => streetDb - 14 + 2 * (windMs - 2);

/** RMS of the background a trigger has to beat: street noise and wind together. */
export function backgroundDb(streetDb: number, windMs: number): number {
  if (windMs < 2) return streetDb;
  return 10 * Math.log10(10 ** (streetDb / 10) + 10 ** (windLevelDb(streetDb, windMs) / 10));
}

function addWind(p: Float64Array, rng: Rng, o: NoiseOptions): void {
  if (o.windMs < 2) return;
  const gusts = coloured(rng, p.length, o.sampleRate, 12, 2, dbToPa(windLevelDb(o.levelDb, o.windMs)));
  for (let i = 0; i < p.length; i++) p[i]! += gusts[i]!;
}

function addHiss(p: Float64Array, rng: Rng, o: NoiseOptions): void {
  const a = dbToPa(o.levelDb - 20);
  for (let i = 0; i < p.length; i++) p[i]! += a * rng.noise();
}

type Tone = (t: number) => number;

/** A harmonic sound with a smooth envelope, added between from and from + length. */
function addTone(p: Float64Array, sr: number, from: number, length: number, amplitudePa: number, tone: Tone): void {
  const start = Math.max(0, Math.floor(from * sr));
  const end = Math.min(p.length, Math.ceil((from + length) * sr));
  const attack = Math.min(0.04, length / 4);
  for (let i = start; i < end; i++) {
    const t = i / sr - from;
    const env = Math.min(1, t / attack, (length - t) / attack);
    if (env > 0) p[i]! += amplitudePa * env * tone(t);
  }
}

const harmonics =
  (f: number, n: number): Tone =>
  (t) => {
    let v = 0;
    for (let h = 1; h <= n; h++) v += Math.sin(2 * Math.PI * f * h * t) / h;
    return v / 1.5;
  };

function addEvent(p: Float64Array, rng: Rng, o: NoiseOptions): void {
  const sr = o.sampleRate;
  const durationS = p.length / sr;
  const a = dbToPa(o.levelDb + rng.uniform(4, 18));
  const kind = rng.pick(['horn', 'siren', 'birds', 'dog'] as const);
  if (kind === 'horn') {
    const len = rng.uniform(0.3, 1.2);
    const f1 = rng.uniform(380, 440),
      f2 = f1 * 1.25;
    const h1 = harmonics(f1, 4),
      h2 = harmonics(f2, 4);
    addTone(p, sr, rng.uniform(0, durationS - len), len, a, (t) => 0.5 * (h1(t) + h2(t)));
  } else if (kind === 'siren') {
    const periodS = rng.uniform(3, 6),
      lo = rng.uniform(600, 750),
      hi = rng.uniform(1300, 1600);
    let phase = 0;
    let last = 0;
    addTone(p, sr, 0, durationS, a * 0.7, (t) => {
      const f = lo + (hi - lo) * (0.5 - 0.5 * Math.cos((2 * Math.PI * t) / periodS));
      phase += 2 * Math.PI * f * (t - last);
      last = t;
      return Math.sin(phase) + 0.3 * Math.sin(2 * phase);
    });
  } else if (kind === 'birds') {
    const nyquist = sr / 2;
    for (let i = 0, n = rng.int(3, 8); i < n; i++) {
      const f0 = Math.min(rng.uniform(2800, 4800), nyquist * 0.8),
        len = rng.uniform(0.05, 0.12);
      addTone(p, sr, rng.uniform(0, durationS - len), len, a * 0.4, (t) => Math.sin(2 * Math.PI * (f0 * t - (f0 * 0.35 * t * t) / (2 * len))));
    }
  } else {
    const f = rng.uniform(450, 700);
    let at = rng.uniform(0, durationS / 2);
    for (let i = 0, n = rng.int(1, 4); i < n; i++) {
      const len = rng.uniform(0.12, 0.25);
      addTone(p, sr, at, len, a, harmonics(f * rng.uniform(0.95, 1.05), 6));
      at += len + rng.uniform(0.2, 0.6);
    }
  }
}

export function addBackgroundNoise(p: Float64Array, rng: Rng, o: NoiseOptions): void {
  addTraffic(p, rng.fork('traffic'), o);
  addWind(p, rng.fork('wind'), o);
  addHiss(p, rng.fork('hiss'), o);
  const events = rng.fork('events');
  if (events.chance(o.eventChance)) addEvent(p, events, o);
}
