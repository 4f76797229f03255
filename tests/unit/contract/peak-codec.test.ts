import { describe, expect, it } from 'vitest';
import { decodePeaks, EncodedPeaks, encodePeaks, MAX_ENCODED_PEAKS_LENGTH, PEAK_SCALE } from '../../../src/contract/index.ts';
import { MAX_PEAK_PAIRS } from '../../../src/audio/peaks.ts';

describe('peaks on the wire', () => {
  it('round-trip within one 16-bit step, for every length (base64 padding 0, 1 and 2)', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 6, 7, 8001]) {
      const peaks = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 0.7) * (i % 3 === 0 ? 1 : 0.001));
      const encoded = encodePeaks(peaks);
      expect(EncodedPeaks.safeParse(encoded).success).toBe(true);
      expect(encoded).toBe(Buffer.from(Int16Array.from(peaks, (v) => Math.round(v * PEAK_SCALE)).buffer).toString('base64'));
      const back = decodePeaks(encoded);
      expect(back.length).toBe(n);
      for (let i = 0; i < n; i++) expect(Math.abs(back[i]! - peaks[i]!)).toBeLessThanOrEqual(0.5 / PEAK_SCALE + 1e-7);
    }
  });

  it('keeps the extremes and clamps what lies outside [-1, 1] (a float WAV can go past full scale); NaN is silence', () => {
    expect(Array.from(decodePeaks(encodePeaks([1, -1, 2, -7, NaN, 0])))).toEqual([1, -1, 1, -1, 0, 0]);
  });

  it('refuses what is not whole 16-bit samples in base64', () => {
    expect(() => decodePeaks('AAA')).toThrow(/multiple of 4/);
    expect(() => decodePeaks('AA==')).toThrow(/odd number of bytes/);
    expect(() => decodePeaks('AA*AAAAA')).toThrow(/not base64/);
    expect(() => decodePeaks('A=AAAAAA')).toThrow(/not base64/);
    expect(() => decodePeaks('AAé=')).toThrow(/not base64/);
    expect(EncodedPeaks.safeParse('<script>').success).toBe(false);
  });

  it("the schema's bound fits the longest track the importer makes, and no more", () => {
    const longest = encodePeaks(new Float32Array(2 * MAX_PEAK_PAIRS));
    expect(longest.length).toBe(MAX_ENCODED_PEAKS_LENGTH);
    expect(EncodedPeaks.safeParse(longest).success).toBe(true);
    expect(EncodedPeaks.safeParse(longest + 'AAAA').success).toBe(false);
  });
});
