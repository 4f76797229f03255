import { describe, expect, it } from 'vitest';
import { isNotAShot, summarise, type ScoredShot } from '../../eval/lib/score.ts';

const shot = (errorM: number, alternativeErrorM?: number): ScoredShot => ({ errorM, inEllipse: true, alternativeErrorM });

describe('the evals\u2019 count of reported shots that are not shots', () => {
  it('counts a shot more than 50 m from every round, and an ambiguous one only when neither solution is within 50 m', () => {
    expect(isNotAShot(shot(10))).toBe(false);
    expect(isNotAShot(shot(80))).toBe(true);
    expect(isNotAShot(shot(430, 14))).toBe(false);
    expect(isNotAShot(shot(120, 173))).toBe(true);
  });

  it('keeps an ambiguous shot\u2019s error its first solution\u2019s: the other being right neither places the round nor lowers the median', () => {
    const s = summarise([{ group: 'g', fired: 2, located: 2, shots: [shot(3), shot(430, 14)] }]);
    expect(s.notShots).toBe(0);
    expect(s.otherSolutionHeld).toBe(1);
    expect(s.roundsWithin25).toBe(1);
    expect(s.medianM).toBeCloseTo(216.5, 6);
  });
});
