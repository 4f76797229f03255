import { describe, expect, it } from 'vitest';
import { dayStartUs, localTime, nightOf } from '../../../src/outcomes/figures/zone.ts';

/** Intl's own answer, instant by instant: what the day-offset shortcut must agree with. */
const formats = new Map<string, Intl.DateTimeFormat>();
function intlLocal(ms: number, timeZone: string): { day: string; hour: number } {
  if (!formats.has(timeZone))
    formats.set(timeZone, new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' }));
  const p = Object.fromEntries(
    formats
      .get(timeZone)!
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return { day: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour) % 24 };
}

describe('local days and hours of the programme', () => {
  // Zones with daylight saving both ways, half- and quarter-hour offsets, and Lord Howe's half-hour DST.
  const ZONES = ['UTC', 'America/Chicago', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/St_Johns', 'Pacific/Chatham'];

  it('agrees with Intl for every zone, every 7 minutes through the days around each change of offset, and at random through a year', () => {
    const year = Date.parse('2026-01-01T00:00:00Z');
    const instants: number[] = [];
    for (let i = 0; i < 3000; i++) instants.push(year + Math.floor((((i * 2654435761) % 2 ** 32) / 2 ** 32) * 365 * 86_400_000));
    for (const tz of ZONES) {
      // Find each change of offset in the year (hour by hour) and walk the two days around it.
      const changes: number[] = [];
      let prev = intlLocal(year, tz);
      for (let ms = year + 3_600_000; ms < year + 365 * 86_400_000; ms += 3_600_000) {
        const cur = intlLocal(ms, tz);
        const expected = (prev.hour + 1) % 24;
        if (cur.hour !== expected) changes.push(ms);
        prev = cur;
      }
      const around = changes.flatMap((c) => Array.from({ length: Math.ceil((2 * 86_400_000) / 420_000) }, (_, k) => c - 86_400_000 + k * 420_000));
      for (const ms of [...instants, ...around]) expect(localTime(ms * 1000, tz), `${tz} ${new Date(ms).toISOString()}`).toEqual(intlLocal(ms, tz));
      if (tz !== 'UTC' && tz !== 'Asia/Kathmandu') expect(changes.length, tz).toBeGreaterThan(0);
    }
  });

  it('names a night by its evening and starts a day at local midnight', () => {
    expect(nightOf(Date.parse('2026-03-08T07:30:00Z') * 1000, 'America/Chicago')).toBe('2026-03-07');
    expect(nightOf(Date.parse('2026-03-08T19:30:00Z') * 1000, 'America/Chicago')).toBe('2026-03-08');
    expect(dayStartUs('2026-07-01', 'America/Chicago')).toBe(Date.parse('2026-07-01T05:00:00Z') * 1000);
    expect(dayStartUs('2026-01-01', 'Asia/Kathmandu')).toBe(Date.parse('2025-12-31T18:15:00Z') * 1000);
  });
});
