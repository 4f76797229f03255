import { describe, expect, it } from 'vitest';
import { claimActive, compareUrgency, DEFAULT_SEAT_SETTINGS, urgencyOf } from '../../../src/contract/index.ts';

const S = 1_000_000;

describe('the queue\'s urgency', () => {
  const now = 1_800_000_000 * S;
  const alerts = [200, 50, 30, 10, 70].map((age, i) => ({ id: i + 1, detectedUs: now - age * S }));
  const order = (o: Parameters<typeof compareUrgency>[0]) => [...alerts].sort(compareUrgency(o, 60 * S, now)).map((a) => a.id);

  it('puts alerts that can still make their deadline first, least time left first, then the late ones, oldest first', () => {
    expect(order('within_budget_oldest_first')).toEqual([2, 3, 4, 1, 5]);
    expect(order('oldest_first')).toEqual([1, 5, 2, 3, 4]);
    expect(order('newest_first')).toEqual([4, 3, 2, 5, 1]);
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
