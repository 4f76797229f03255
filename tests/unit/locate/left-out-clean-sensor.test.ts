import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A semi-automatic rifle fired five rounds heard by six sensors (check2's fast string, 19th
 * alert). A wall blocks the straight path to two of them: one hears a weak sound round it and a
 * loud facade reflection 56 ms later, the other only the reflection. The search keeps the
 * reflection on the second and drops a clean sensor 505 m away instead, then takes the first's
 * weak sound: all five rounds stood 165 m off at 12 ms rms, the clean sensor's loud picks left
 * unexplained. Its picks repeat at one lead after every round: the rounds take them in place of
 * the late reflection, and stand where the gun is.
 */
describe('a burst that leaves out a clean sensor for a shielded one', () => {
  it('takes the clean sensor and drops the late reflection', () => {
    const { out, rounds, errorM } = locateSimAlert('check2', 'fast string', 19);
    expect(rounds).toBe(5);
    expect(out.shots).toHaveLength(5);
    for (const s of out.shots) {
      expect(errorM(s.local)).toBeLessThan(25);
      expect(s.sensorsUsed).toContain('KH-13');
      expect(s.sensorsUsed).not.toContain('KH-08');
    }
  });
});
