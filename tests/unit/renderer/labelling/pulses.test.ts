import { describe, expect, it } from 'vitest';
import { detectPulses, detectPulsesInPeaks, mergePulses } from '../../../../renderer/src/labelling/pulses.ts';

/** Noise with decaying pulses that start at full height on known samples (as a muzzle blast's front). */
function signal(sr: number, seconds: number, starts: number[], seed = 5): Float32Array {
  const x = new Float32Array(Math.round(sr * seconds));
  let s = seed;
  for (let i = 0; i < x.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    x[i] = 0.004 * ((s / 2 ** 32) - 0.5);
  }
  for (const p of starts) for (let i = 0; p + i < x.length && i < sr * 0.05; i++) x[p + i]! += 0.8 * Math.exp(-i / (sr * 0.003)) * Math.cos((2 * Math.PI * 900 * i) / sr);
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
    expect(merged.map((p) => [p.startSample, p.source])).toEqual([[1600, 'samples'], [5123, 'samples'], [9000, 'samples'], [9800, 'samples'], [12000, 'machine'], [20001, 'samples']]);
    expect(merged.find((p) => p.source === 'machine')!.endSample).toBe(12160);
  });
});
