import { describe, expect, it } from 'vitest';
import { formatAge, formatConfidence, formatDuration, formatLabel, formatMetres, formatUtcDateTime, formatUtcTime } from '../../../renderer/src/ui/format.ts';

describe('display formats', () => {
  it('ages read at a glance at every scale', () => {
    expect(formatAge(0)).toBe('0 s');
    expect(formatAge(-500)).toBe('0 s'); // a clock a little ahead never shows a negative age
    expect(formatAge(59_999)).toBe('59 s');
    expect(formatAge(184_000)).toBe('3 min 04 s');
    expect(formatAge(2 * 3600_000 + 5 * 60_000)).toBe('2 h 05 min');
    expect(formatAge(76 * 3600_000)).toBe('3 d 4 h');
    expect(formatAge(Number.NaN)).toBe('—');
  });

  it('confidence as a whole percentage, a dash when absent', () => {
    expect(formatConfidence(0.934)).toBe('93 %');
    expect(formatConfidence(null)).toBe('—');
    expect(formatConfidence(undefined)).toBe('—');
  });

  it('UTC times from integer microseconds, without losing them to Date', () => {
    const us = Date.UTC(2026, 10, 20, 3, 14, 15) * 1000 + 926_535;
    expect(formatUtcTime(us)).toBe('03:14:15.926');
    expect(formatUtcTime(us, 6)).toBe('03:14:15.926535');
    expect(formatUtcTime(us, 0)).toBe('03:14:15');
    expect(formatUtcDateTime(us)).toBe('2026-11-20 03:14:15 UTC');
  });

  it('durations, distances and labels', () => {
    expect(formatDuration(4_230)).toBe('4.2 s');
    expect(formatDuration(72_000)).toBe('1 min 12 s');
    expect(formatMetres(3.44)).toBe('3.4 m');
    expect(formatMetres(41.4)).toBe('41 m');
    expect(formatMetres(1250)).toBe('1.25 km');
    expect(formatMetres(12_345)).toBe('12.3 km');
    expect(formatLabel('vehicle_backfire')).toBe('Vehicle backfire');
    expect(formatLabel('')).toBe('');
  });
});
