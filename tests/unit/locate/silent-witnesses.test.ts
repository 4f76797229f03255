import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A rifle's burst of ten, a building between the shooter and two sensors (the simulator's nlos
 * case, as `npm run eval -- simulated` draws its 11th alert). Some 120 ms before the first
 * round, a weak pick on one sensor and reflections of the rounds on three others fit a source
 * 130 m from the shooter. It comes before the rounds, so it is no echo of them; but sensors
 * that heard the rounds loud, nearer that source than its own farthest sensor, picked nothing
 * where it would have been heard: it is set aside, in view, beside the first round.
 */
describe('a candidate its located shot\u2019s sensors did not hear', () => {
  it('is set aside where more sensors that heard the shot would have heard it than heard it', () => {
    const { out, rounds, errorM } = locateSimAlert('simulated', 'nlos', 11);
    expect(rounds).toBe(10);
    for (const shot of out.shots) expect(errorM(shot.local)).toBeLessThan(50);
    const ghost = out.rejected!.filter((r) => r.kind === 'echo').find((r) => errorM(r.local) > 50);
    expect(ghost).toBeDefined();
    expect(ghost!.reason).toMatch(
      /^echo of shot 1: it does not follow shot 1 everywhere, but .* would have heard a source there: \d+ silent against 4 that heard it$/,
    );
    expect(ghost!.unheard!.length).toBeGreaterThanOrEqual(ghost!.picks.length - 1);
  });
});
