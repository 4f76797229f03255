import { describe, expect, it } from 'vitest';
import { computePeaks, MAX_PEAK_PAIRS, TARGET_PEAKS_PER_SECOND } from '../../../src/audio/peaks.ts';
import { prng } from '../../support/riff.ts';

/** Brute force: bucket p covers [floor(p*n/P), floor((p+1)*n/P)). */
function reference(samples: Float32Array, pairs: number): number[] {
  const out: number[] = [];
  for (let p = 0; p < pairs; p++) {
    const part = Array.from(samples.subarray(Math.floor((p * samples.length) / pairs), Math.floor(((p + 1) * samples.length) / pairs)));
    out.push(Math.min(1, Math.max(...part)), Math.max(-1, Math.min(...part)));
  }
  return out;
}

const noise = (n: number, seed: number) => {
  const r = prng(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * 0.9);
};

describe('computePeaks', () => {
  it('gives the max and min of every bucket (1000 per second)', () => {
    const x = noise(48000 * 2 + 17, 1); // 2 s and a bit at 48 kHz: buckets of 48 or 49 samples
    const p = computePeaks(x, 48000);
    const pairs = Math.ceil((x.length / 48000) * TARGET_PEAKS_PER_SECOND);
    expect(p.data.length).toBe(2 * pairs);
    expect(Array.from(p.data)).toEqual(reference(x, pairs).map(Math.fround));
    expect(p.peaksPerSecond).toBeCloseTo(pairs / (x.length / 48000), 9);
  });

  it('puts every sample in exactly one bucket: a lone spike shows in one bucket only', () => {
    for (const n of [7, 12, 13, 997]) {
      for (let i = 0; i < n; i++) {
        const x = new Float32Array(n);
        x[i] = 0.5;
        x[(i + 1) % n] = n > 1 ? -0.25 : 0.5;
        const p = computePeaks(x, 8000); // n < 8 samples per bucket: one pair per sample or per few
        const maxima = Array.from({ length: p.data.length / 2 }, (_, k) => p.data[2 * k]!);
        expect(maxima.filter((v) => v === 0.5)).toHaveLength(1);
      }
    }
  });

  it('covers the last sample, whatever the rounding of n / pairs', () => {
    for (const n of [1001, 3001, 12345, 99991]) {
      const x = new Float32Array(n);
      x[n - 1] = 0.75;
      const p = computePeaks(x, 12000);
      expect(p.data[p.data.length - 2]).toBe(0.75);
    }
  });

  it('bounds the pair count for long clips and still sees every peak', () => {
    const n = 192000 * 60; // one minute at 192 kHz
    const x = new Float32Array(n);
    x[n - 1] = -0.5;
    x[5_000_000] = 0.9;
    const p = computePeaks(x, 192000);
    expect(p.data.length).toBe(2 * MAX_PEAK_PAIRS);
    expect(p.peaksPerSecond).toBeCloseTo(MAX_PEAK_PAIRS / 60, 6);
    expect(Math.max(...p.data)).toBeCloseTo(0.9, 6);
    expect(p.data[p.data.length - 1]).toBe(-0.5);
  });

  it('handles short clips: one sample, fewer samples than a millisecond, a few milliseconds', () => {
    expect(Array.from(computePeaks(Float32Array.from([0.25]), 8000).data)).toEqual([0.25, 0.25]);
    const tiny = Float32Array.from([0.1, -0.2, 0.3]); // 0.375 ms at 8 kHz: one bucket
    expect(Array.from(computePeaks(tiny, 8000).data)).toEqual(reference(tiny, 1).map(Math.fround));
    const few = noise(100, 2); // 2.08 ms at 48 kHz: three buckets
    const p = computePeaks(few, 48000);
    expect(p.data.length).toBe(6);
    expect(Array.from(p.data)).toEqual(reference(few, 3).map(Math.fround));
  });

  it('returns no pairs for no samples, and refuses a bad sample rate', () => {
    expect(computePeaks(new Float32Array(0), 8000).data.length).toBe(0);
    expect(() => computePeaks(new Float32Array(10), 0)).toThrow(RangeError);
    expect(() => computePeaks(new Float32Array(10), NaN)).toThrow(RangeError);
  });

  it('clamps float samples beyond full scale to [-1, 1]', () => {
    const p = computePeaks(Float32Array.from([1.5, -3, 0.5, -0.5]), 8000);
    expect(Array.from(p.data)).toEqual([1, -1]);
  });
});
