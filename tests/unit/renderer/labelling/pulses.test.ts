import { describe, expect, it } from 'vitest';
import { detectPulses, detectPulsesInPeaks, MAX_PULSE_S, mergePulses } from '../../../../renderer/src/labelling/pulses.ts';

/** Noise with decaying pulses that start at full height on known samples (as a muzzle blast's front). */
function signal(sr: number, seconds: number, starts: number[], seed = 5): Float32Array {
  const x = new Float32Array(Math.round(sr * seconds));
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = 0.004 * (s / 2 ** 32 - 0.5);
  }
  for (const p of starts)
    for (let i = 0; p + i < x.length && i < sr * 0.05; i++) x[p + i]! += 0.8 * Math.exp(-i / (sr * 0.003)) * Math.cos((2 * Math.PI * 900 * i) / sr);
  return x;
}

/** Interleaved max, min per bucket as the core computes them. */
function peaksOf(x: Float32Array, pairs: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < pairs; p++) {
    let max = -Infinity;
    let min = Infinity;
    for (let i = Math.floor((p * x.length) / pairs); i < Math.floor(((p + 1) * x.length) / pairs); i++) {
      max = Math.max(max, x[i]!);
      min = Math.min(min, x[i]!);
    }
    out.push(max, min);
  }
  return out;
}

describe('pulse detection', () => {
  const sr = 16000;
  const starts = [1600, 5123, 9000, 9800, 20001];
  const x = signal(sr, 1.5, starts);

  it('finds each pulse on its first sample and ends it when it dies away', () => {
    const found = detectPulses(x, sr);
    expect(found.map((p) => p.startSample)).toEqual(starts);
    for (const p of found) {
      expect(p.endSample - p.startSample).toBeGreaterThan(sr * 0.005);
      expect(p.endSample - p.startSample).toBeLessThan(sr * 0.05);
      expect(p.source).toBe('samples');
    }
  });

  it("gives a click with a quiet tail the tail's extent, where the envelope falls back near the floor (not the samples over the threshold)", () => {
    // Three samples at 0.9, then a ringing tail under the threshold (about 15 dB over the noise) dying away in 20 ms.
    const y = signal(sr, 1, []);
    const at = 4000;
    for (let i = 0; i < 3; i++) y[at + i] = 0.9;
    for (let i = 3; i < sr * 0.2; i++) y[at + i]! += 0.009 * Math.exp(-i / (sr * 0.02)) * Math.cos((2 * Math.PI * 700 * i) / sr);
    const [p, ...rest] = detectPulses(y, sr);
    expect(rest).toEqual([]);
    expect(p!.startSample).toBe(at);
    // 0.009 e^(-t / 20 ms) reaches twice the floor (~0.004) after ~16 ms: the label spans the tail, not 0.19 ms.
    expect(p!.endSample - at).toBeGreaterThan(sr * 0.01);
    expect(p!.endSample - at).toBeLessThan(sr * 0.04);
  });

  it('bounds a pulse by the next one and by the longest a pulse lasts', () => {
    const y = signal(sr, 2, []);
    for (let i = 0; i < sr * 1.5; i++) y[1000 + i]! += 0.3 * Math.cos((2 * Math.PI * 500 * i) / sr); // a long tone: not one pulse of 1.5 s
    const [long] = detectPulses(y, sr);
    expect(long!.endSample - long!.startSample).toBe(Math.round(MAX_PULSE_S * sr));
    const found = detectPulses(x, sr);
    found.slice(0, -1).forEach((p, i) => expect(p.endSample).toBeLessThanOrEqual(found[i + 1]!.startSample));
  });

  it('finds nothing in noise alone or in silence', () => {
    expect(detectPulses(signal(sr, 1, []), sr)).toEqual([]);
    expect(detectPulses(new Float32Array(16000), sr)).toEqual([]);
  });

  it('finds the same pulses in the peaks, to the bucket', () => {
    const pairs = 1500;
    const found = detectPulsesInPeaks(peaksOf(x, pairs), x.length, sr);
    expect(found).toHaveLength(starts.length);
    const bucket = x.length / pairs;
    found.forEach((p, i) => {
      expect(p.startSample).toBeLessThanOrEqual(starts[i]!);
      expect(starts[i]! - p.startSample).toBeLessThan(bucket);
      expect(p.source).toBe('peaks');
    });
  });

  it('adds machine picks no detected pulse covers, in order', () => {
    const found = detectPulses(x, sr);
    const merged = mergePulses(found, [1610, 12000, -5, 999_999], 160, x.length);
    expect(merged.map((p) => [p.startSample, p.source])).toEqual([
      [1600, 'samples'],
      [5123, 'samples'],
      [9000, 'samples'],
      [9800, 'samples'],
      [12000, 'machine'],
      [20001, 'samples'],
    ]);
    expect(merged.find((p) => p.source === 'machine')!.endSample).toBe(12160);
  });
});
