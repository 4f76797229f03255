import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A handgun fired five times between walls (the simulator's echo case, as `npm run eval --
 * simulated --seed check2` draws its 17th alert): two walls within 25 m of the shooter and
 * three buildings further off send every sensor a string of strong reflections after each
 * round. The first search finds the five rounds on their direct sound. Picks around them
 * string together into a "blast" of which the first round would be the crack
 * (hidden-blast.ts); searched again without the first round's picks, nothing explains them as
 * a crack, and what that search found instead is the reflections strung into seven shots
 * 70-100 m off. The crack was none: the first search stands, with its first round.
 */
describe('a shooter between walls', () => {
  it('keeps the rounds found on their direct sound when the search without a supposed crack explains no crack', () => {
    const { out, rounds, errorM } = locateSimAlert('check2', 'echo', 17);
    expect(rounds).toBe(5);
    expect(out.rounds).toBe(5);
    for (const shot of out.shots) expect(errorM(shot.local)).toBeLessThan(25);
    expect(out.cracks).toHaveLength(0);
  });
});
