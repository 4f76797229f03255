import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * Bursts whose first family started on a round that was not the first one heard. check4's fast
 * string, 15th alert: four rounds heard by five sensors, two of them behind a building hearing
 * only facade reflections; the search's best first round took, on one of those, a reflection
 * that follows a louder one still unexplained, and put every round some 155 m off. check4's
 * echo, 5th alert: a shielded sensor's loud reflections and a later round on another sensor
 * made a six-sensor fix 128 m off for 14 of 16 rounds. A first round whose pick on a sensor
 * follows a free sound of about its level there is not the gun's first: that counts against it
 * as a silence would. The fast string then stands where the gun is; the echo's burst comes out
 * with every round, 44-52 m off (the shielded sensor's reflections are still in its fit: not
 * yet right, asserted as it stands so that a change for the worse shows).
 */
describe('a burst whose first round is heard first on every sensor', () => {
  it('places a fast string with two shielded sensors at the gun', () => {
    const { out, rounds, errorM } = locateSimAlert('check4', 'fast string', 15);
    expect(rounds).toBe(4);
    expect(out.shots).toHaveLength(4);
    for (const s of out.shots) expect(errorM(s.local)).toBeLessThan(25);
  });

  it('keeps every round of a full-automatic burst beside a facade near the gun, not 128 m off', () => {
    const { out, rounds, errorM } = locateSimAlert('check4', 'echo', 5);
    expect(rounds).toBe(16);
    expect(out.shots).toHaveLength(16);
    for (const s of out.shots) expect(errorM(s.local)).toBeLessThan(60);
  });
});
