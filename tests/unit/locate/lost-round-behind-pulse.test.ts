import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A rifle fired four times, semi-automatic, heard by five sensors (the "fast string" case, as
 * `npm run eval -- simulated` draws its 1st alert). On KH-13 the third round's blast arrives a
 * few milliseconds after another pulse about as loud: the picker takes the two for one pulse, and
 * the round, short of that sensor, was lost. The pattern of the rounds located at the spot puts
 * it there, where a second onset rises out of the first pulse's tail: every round is found.
 */
describe("a round whose blast follows another pulse within the picker's least gap", () => {
  it("is picked again behind that pulse where a located round's pattern puts it", () => {
    const { out, rounds, errorM } = locateSimAlert('simulated', 'fast string', 1);
    expect(rounds).toBe(4);
    expect(out.shots).toHaveLength(4);
    expect(out.shots.every((s) => errorM(s.local) < 25)).toBe(true);
  });
});
