import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A rifle fired five times, semi-automatic, heard by twelve sensors (the network case, as
 * `npm run eval -- simulated` draws its 2nd alert). The bullets' cracks come first and loud on
 * most sensors; the first search strings some of them, with a blast or two, into "shots" some
 * 300 m off, each standing alone. One of them fires 4 ms from the second round, which the
 * first round's pattern then found and refused: two rounds of one gun are never that close.
 * The lone "shot" elsewhere is no round of that gun, and refuses it nothing: every round is
 * found, and the crack set that fits the second round no longer passes for a shot.
 */
describe('a rifle whose cracks string into a lone shot at the time of a round', () => {
  it('finds every round of the gun whose pattern repeats', () => {
    const { out, rounds, errorM } = locateSimAlert('simulated', 'network', 2);
    expect(rounds).toBe(5);
    expect(out.shots.filter((s) => errorM(s.local) < 25)).toHaveLength(5);
    expect(out.shots.filter((s) => errorM(s.local) > 50).length).toBeLessThanOrEqual(1);
  });
});
