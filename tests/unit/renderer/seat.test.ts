import { describe, expect, it } from 'vitest';
import { heartbeatMs, IdleClock } from '../../../renderer/src/seat/idle.ts';
import { applyClaim, applyPending, formatCountdown, orderPending } from '../../../renderer/src/queue/queue-list.ts';
import { DEFAULT_SEAT_SETTINGS, type AlertSummary, type QueueEntry } from '../../../src/contract/index.ts';
import { ringRadii } from '../../../renderer/src/map/frame.ts';
import { waveformSource } from '../../../renderer/src/incident/waveform-source.ts';

describe('the idle clock', () => {
  it('is idle after the lock time without input, and reports activity once per period', () => {
    const c = new IdleClock(0);
    expect(c.isIdle(899_999, 900)).toBe(false);
    expect(c.isIdle(900_000, 900)).toBe(true);
    c.input(500_000);
    expect(c.isIdle(1_300_000, 900)).toBe(false);
    expect(c.takeReport(600_000)).toBe(true);
    expect(c.takeReport(700_000)).toBe(false);
    c.input(650_000); // an event stamped before the last report does not count again
    expect(c.takeReport(800_000)).toBe(false);
  });

  it('beats often enough for the lease and the lock', () => {
    expect(heartbeatMs(DEFAULT_SEAT_SETTINGS)).toBe(10_000);
    expect(heartbeatMs({ idleLockSeconds: 5, claimLeaseSeconds: 30 })).toBeCloseTo(1666.7, 0);
  });
});

describe('the pending queue', () => {
  const summary = (id: number, detectedUs: number, status: AlertSummary['status'] = 'pending'): AlertSummary => ({
    id,
    source: 'n',
    externalId: `A-${id}`,
    format: 'f',
    detectedUs,
    importedUs: detectedUs,
    sensorCount: 3,
    machine: null,
    status,
    decision: null,
    location: null,
    rounds: null,
  });
  const claim = { alertId: 1, by: 'rita', seat: 'x', claimedUs: 0, expiresUs: 10 };

  it("keeps an alert's claim across its own updates and drops decided ones", () => {
    let list: QueueEntry[] = [{ ...summary(1, 100), claim: null }];
    list = applyClaim(list, 1, claim);
    list = applyPending(list, summary(1, 100));
    expect(list[0]!.claim).toEqual(claim);
    list = applyPending(list, summary(2, 50));
    expect(orderPending(list, DEFAULT_SEAT_SETTINGS, 200).map((a) => a.id)).toEqual([2, 1]);
    expect(applyPending(list, summary(1, 100, 'decided')).map((a) => a.id)).toEqual([2]);
    expect(applyClaim(list, 99, claim)).toBe(list);
  });

  it('counts down to the deadline, then counts how late', () => {
    expect(formatCountdown(42_000_000)).toBe('0:42');
    expect(formatCountdown(41_200_000)).toBe('0:42');
    expect(formatCountdown(60_000_000)).toBe('1:00');
    expect(formatCountdown(0)).toBe('+0:00');
    expect(formatCountdown(-65_000_000)).toBe('+1:05');
    expect(formatCountdown(-3_725_000_000)).toBe('+1:02:05');
  });
});

describe("the map's distance rings and the waveform source", () => {
  it('rings at round distances out to the farthest sensor', () => {
    expect(ringRadii(440)).toEqual([200, 400]);
    expect(ringRadii(1300)).toEqual([500, 1000]);
    expect(ringRadii(0)).toEqual([]);
    expect(ringRadii(90).length).toBeLessThanOrEqual(5);
  });
  it('draws from peaks unless asked to decode', () => {
    expect(waveformSource('')).toBe('peaks');
    expect(waveformSource('?waveform=decode')).toBe('decode');
  });
});
