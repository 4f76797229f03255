import { describe, expect, it } from 'vitest';
import {
  claimActive,
  compareUrgency,
  DEFAULT_SEAT_SETTINGS,
  gunfireHeadStartUs,
  gunfireLikelihood,
  urgencyOf,
  clockAheadUs,
  waitingSinceUs,
  type QueueOrder,
} from '../../../src/contract/index.ts';

const S = 1_000_000;

describe("the queue's urgency", () => {
  const now = 1_800_000_000 * S;
  const alerts = [200, 50, 30, 10, 70].map((age, i) => ({ id: i + 1, detectedUs: now - age * S, importedUs: now - age * S + 2 * S }));
  const settings = (queueOrder: QueueOrder, gunfireHeadStartSeconds = 7200) => ({ queueOrder, deadlineSeconds: 60, gunfireHeadStartSeconds });
  const order = (o: QueueOrder) => [...alerts].sort(compareUrgency(settings(o), now)).map((a) => a.id);

  it('puts alerts that can still make their deadline first, least time left first, then the late ones, oldest first', () => {
    expect(order('within_budget_oldest_first')).toEqual([2, 3, 4, 1, 5]);
    expect(order('oldest_first')).toEqual([1, 5, 2, 3, 4]);
    expect(order('newest_first')).toEqual([4, 3, 2, 5, 1]);
  });

  it('puts likely gunfire first by its head start, and every other alert by its wait', () => {
    const mixed = [
      { id: 1, detectedUs: now - 900 * S, importedUs: now - 900 * S, machine: { label: 'fireworks' } }, // waited 15 min
      { id: 2, detectedUs: now - 5 * S, importedUs: now - 5 * S, machine: { label: 'fireworks' } }, // fresh
      { id: 3, detectedUs: now - 120 * S, importedUs: now - 120 * S, machine: { label: 'gunshot' } }, // late gunshot
      { id: 4, detectedUs: now - 1 * S, importedUs: now - 1 * S, machine: { label: 'Probable_Gunshot' } },
      { id: 5, detectedUs: now - 3 * S, importedUs: now - 3 * S, machine: null },
    ];
    const sorted = (headStart: number) => [...mixed].sort(compareUrgency(settings('likely_gunfire_first', headStart), now)).map((a) => a.id);
    expect(sorted(7200)).toEqual([3, 4, 1, 2, 5]);
    // A head start of 10 min: the fireworks that waited 15 min now comes first; its wait is bounded.
    expect(sorted(600)).toEqual([1, 3, 4, 2, 5]);
    // No head start: first come, first served.
    expect(sorted(0)).toEqual([1, 3, 2, 5, 4]);
    expect(gunfireLikelihood('gunshot')).toBe(1);
    expect(gunfireLikelihood('possible gunfire')).toBe(0.5);
    expect(gunfireLikelihood('fireworks')).toBe(0);
    expect(gunfireHeadStartUs('probable_gunshot', 7201)).toBe(3_600_500_000);
  });

  it("counts an alert's wait from its arrival where its network's clock runs ahead, so the lie does not push it back", () => {
    // Alert 2's network stamped it an hour ahead of the centre's clock; it arrived 100 s ago, before alert 1.
    const ahead = [
      { id: 1, detectedUs: now - 50 * S, importedUs: now - 49 * S, machine: { label: 'fireworks' } },
      { id: 2, detectedUs: now + 3500 * S, importedUs: now - 100 * S, machine: { label: 'fireworks' } },
    ];
    expect(waitingSinceUs(ahead[1]!)).toBe(now - 100 * S);
    expect(clockAheadUs(ahead[1]!)).toBe(3600 * S);
    expect(clockAheadUs(ahead[0]!)).toBe(0);
    const sorted = (o: QueueOrder) => [...ahead].sort(compareUrgency(settings(o), now)).map((a) => a.id);
    expect(sorted('likely_gunfire_first')).toEqual([2, 1]);
    expect(sorted('oldest_first')).toEqual([2, 1]);
    // Within budget first: alert 2 is already late (100 s of a 60 s budget), not an hour from its deadline.
    expect(sorted('within_budget_oldest_first')).toEqual([1, 2]);
    // Its countdown has run out, as an alert that waited 100 s of a 60 s budget has.
    expect(urgencyOf(waitingSinceUs(ahead[1]!), now, DEFAULT_SEAT_SETTINGS)).toBe('red');
    // A clock a few seconds ahead is within tolerance: not flagged.
    expect(clockAheadUs({ detectedUs: now + 10 * S, importedUs: now })).toBe(0);
  });

  it('turns amber when little time is left and red once the deadline passed', () => {
    const s = DEFAULT_SEAT_SETTINGS;
    expect(urgencyOf(now - 10 * S, now, s)).toBe('ok');
    expect(urgencyOf(now - 40 * S, now, s)).toBe('amber');
    expect(urgencyOf(now - 60 * S, now, s)).toBe('red');
    expect(claimActive({ expiresUs: now + 1 }, now)).toBe(true);
    expect(claimActive({ expiresUs: now }, now)).toBe(false);
    expect(claimActive(null, now)).toBe(false);
  });
});
