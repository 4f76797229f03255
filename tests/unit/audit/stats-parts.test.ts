import { describe, expect, it } from 'vitest';
import { cohenKappa, confusion } from '../../../src/audit/stats/kappa.ts';
import { machineVerdict, normaliseLabel, verdictOf } from '../../../src/audit/stats/scales.ts';
import { distribution, percentile } from '../../../src/audit/stats/time.ts';
import { csvField } from '../../../src/audit/stats/csv.ts';

describe("Cohen's kappa", () => {
  it('matches a textbook two-category table', () => {
    // 50 pairs: yes/yes 20, yes/no 5, no/yes 10, no/no 15. po = 35/50 = .7;
    // A yes 25, B yes 30: pe = .5*.6 + .5*.4 = .5; kappa = .2 / .5 = 0.400
    const pairs = [...Array(20).fill(['y', 'y']), ...Array(5).fill(['y', 'n']), ...Array(10).fill(['n', 'y']), ...Array(15).fill(['n', 'n'])] as [
      string,
      string,
    ][];
    const k = cohenKappa(pairs);
    expect(k.kappa!.toFixed(3)).toBe('0.400');
    expect(k.observed).toBeCloseTo(0.7, 10);
    expect(k.expected).toBeCloseTo(0.5, 10);
  });
  it('is 1 for perfect agreement, null when undefined, negative below chance', () => {
    expect(
      cohenKappa([
        ['a', 'a'],
        ['b', 'b'],
      ]).kappa,
    ).toBe(1);
    expect(cohenKappa([]).kappa).toBeNull();
    expect(
      cohenKappa([
        ['a', 'a'],
        ['a', 'a'],
      ]).kappa,
    ).toBeNull(); // pe = 1
    // (a,b)(b,a): po 0, pe .5 -> -1
    expect(
      cohenKappa([
        ['a', 'b'],
        ['b', 'a'],
      ]).kappa,
    ).toBe(-1);
  });
  it('builds a confusion matrix over a fixed label order', () => {
    expect(
      confusion(
        [
          ['a', 'b'],
          ['a', 'b'],
          ['b', 'b'],
          ['z', 'a'],
        ],
        ['a', 'b'],
        'r',
        'c',
      ).counts,
    ).toEqual([
      [0, 2],
      [0, 1],
    ]);
  });
});

describe('scales', () => {
  it('maps the review taxonomy and machine labels to verdicts', () => {
    expect(verdictOf('gunfire_multiple')).toBe('gunfire');
    expect(verdictOf('probable_gunfire')).toBe('probable_gunfire');
    expect(verdictOf('aircraft')).toBe('not_gunfire');
    expect(verdictOf('not_reviewable')).toBeNull();
    expect(normaliseLabel('  Probable-Gunshot ')).toBe('probable_gunshot');
    expect(machineVerdict('GUNSHOT')).toBe('gunfire');
    expect(machineVerdict('Probable-Gunshot')).toBe('probable_gunfire');
    expect(machineVerdict('Fire Works')).toBeNull(); // "fire_works" is not a listed label: unmapped, never guessed
    expect(machineVerdict('Unknown Impulse')).toBeNull();
    expect(machineVerdict(null)).toBeNull();
  });
});

describe('time distribution', () => {
  it('uses nearest-rank percentiles and half-open bins', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
    expect(percentile([], 50)).toBeNull();
    const d = distribution([0, 9.99, 10, 300, 1e6]);
    expect(d.bins[0]!.count).toBe(2);
    expect(d.bins[1]!.count).toBe(1);
    expect(d.bins.at(-1)).toEqual({ fromS: 300, toS: null, count: 2 });
  });
});

describe('CSV fields', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField(null)).toBe('');
    expect(csvField(1 / 3)).toBe('0.333333');
  });
});
