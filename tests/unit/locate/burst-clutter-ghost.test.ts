import { describe, expect, it } from 'vitest';
import { locateSimAlert } from '../../support/sim-alert.ts';

/**
 * A rifle's burst of fifteen heard by ten sensors (the simulator's network case, as
 * `npm run eval -- simulated` draws its first alert), paused 1.2 s half way. Each sensor hears
 * every round's crack, blast and wall and facade echoes: so dense a clutter that picks of
 * different rounds on eight sensors line up 625 m from the shooter, in the pause, with 7.7 ms
 * rms. No one round is followed everywhere, so the echo test does not see it; every one of its
 * picks lies in a round's shadow, and chance expects such an alignment. It is set aside, in
 * view, as those rounds' echoes strung together; the fifteen rounds stand.
 */
describe('a ghost strung together from a dense burst\u2019s clutter', () => {
  it('is set aside as echoes of the rounds, not reported as a shot', () => {
    const { out, rounds, errorM } = locateSimAlert('simulated', 'network', 1);
    expect(rounds).toBe(15);
    for (const shot of out.shots) expect(errorM(shot.local)).toBeLessThan(50);
    expect(out.shots.length).toBe(15);
    const ghost = out.rejected!.filter((r) => r.kind === 'echo').find((r) => errorM(r.local) > 500);
    expect(ghost).toBeDefined();
    expect(ghost!.reason).toMatch(/^echo of shot \d+: its picks on 8 sensors all lie among the cracks and echoes of rounds \d+-\d+, .*strung together$/);
  });

  // check2's 6th: fourteen rounds 612 m from one sensor whose wall echoes come 1.1-1.5 s after
  // their direct sound; two ghosts (7 and 5 sensors, some 720 m off) stand on those late echoes.
  it('takes a round\u2019s far echoes, well after its street\u2019s reverberation, for its clutter too', () => {
    const { out, rounds, errorM } = locateSimAlert('check2', 'network', 6);
    expect(rounds).toBe(14);
    expect(out.shots.length).toBe(14);
    for (const shot of out.shots) expect(errorM(shot.local)).toBeLessThan(50);
    const ghosts = out.rejected!.filter((r) => r.kind === 'echo' && errorM(r.local) > 500);
    expect(ghosts.length).toBeGreaterThanOrEqual(2);
    for (const g of ghosts) expect(g.reason).toMatch(/strung together$/);
  });
});
