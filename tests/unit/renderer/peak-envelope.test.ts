import { describe, expect, it } from 'vitest';
import { envelopeColumns } from '../../../renderer/src/incident/peak-envelope.ts';

describe('the envelope a track draws from its peaks before wavesurfer', () => {
  it('folds pairs into columns, maxima above and minima below, scaled by the loudest peak of either side', () => {
    // Four (max, min) pairs into two columns: pairs 0-1 in the first, 2-3 in the second.
    const { above, below } = envelopeColumns([0.1, -0.2, 0.25, -0.05, 0.5, -0.1, 0.05, -0.4], 2);
    expect(Array.from(above)).toEqual([0.5, 1].map((v) => Math.fround(v)));
    expect(Array.from(below)).toEqual([Math.fround(0.2 / 0.5), Math.fround(0.4 / 0.5)]);
  });

  it('spreads few peaks over many columns without gaps between them', () => {
    const { above, below } = envelopeColumns([1, -1, 0.5, -0.5], 4);
    // Each pair fills the columns its time covers: a lane wider than the peaks shows steps, never a comb.
    expect(Array.from(above)).toEqual([1, 1, 0.5, 0.5]);
    expect(Array.from(below)).toEqual([1, 1, 0.5, 0.5]);
  });

  it('draws silence as an empty envelope, not a division by zero', () => {
    const { above, below } = envelopeColumns([0, 0, 0, 0], 3);
    expect(Array.from(above)).toEqual([0, 0, 0]);
    expect(Array.from(below)).toEqual([0, 0, 0]);
  });

  it('refuses a column count that is not a whole number', () => {
    expect(() => envelopeColumns([1, -1], 2.5)).toThrow(/whole number/);
    expect(() => envelopeColumns([1, -1], -1)).toThrow(/whole number/);
  });
});
