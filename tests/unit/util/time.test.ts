import { describe, expect, it } from 'vitest';
import { formatIsoMicros, FUTURE_SLACK_US, implausibleInstant, parseIsoMicros } from '../../../src/util/time.ts';
import { canonicalJson } from '../../../src/util/canonical.ts';

describe('microsecond times', () => {
  it('keeps microseconds that a Date would lose', () => {
    expect(parseIsoMicros('2026-11-20T03:14:14.500001Z') - parseIsoMicros('2026-11-20T03:14:14.500000Z')).toBe(1);
    expect(parseIsoMicros('2018-12-19T00:49:27.123456789Z') % 1_000_000).toBe(123457);
  });
  it('honours numeric offsets', () => {
    expect(parseIsoMicros('2026-11-20T04:14:14.5+01:00')).toBe(parseIsoMicros('2026-11-20T03:14:14.500Z'));
    expect(parseIsoMicros('2026-11-19T22:14:14-0500')).toBe(parseIsoMicros('2026-11-20T03:14:14Z'));
  });
  it('round-trips through the six-digit format', () => {
    const us = parseIsoMicros('2026-11-20T03:14:14.000042Z');
    expect(formatIsoMicros(us)).toBe('2026-11-20T03:14:14.000042Z');
    expect(parseIsoMicros(formatIsoMicros(us))).toBe(us);
  });
  it.each(['2026-02-31T00:00:00Z', '2026-11-20 03:14:14Z', '2026-11-20T03:14:14', 'yesterday', '2026-11-20T25:00:00Z', '2026-11-20T03:14:14.1234567890Z'])(
    'refuses %s',
    (s) => expect(() => parseIsoMicros(s)).toThrow(RangeError),
  );
  it('reads four-digit years as written, never as 19xx (a JS Date maps years 0-99 to 1900-1999)', () => {
    expect(() => parseIsoMicros('0022-11-20T03:14:14Z')).toThrow(/year 0022 is before 1970/);
    expect(() => parseIsoMicros('0026-01-01T00:00:00.5Z')).toThrow(/year 0026 is before 1970/);
    expect(() => parseIsoMicros('0018-12-19T00:49:26.000Z')).toThrow(/year 0018 is before 1970/);
    expect(() => parseIsoMicros('1969-12-31T23:59:59.999999Z')).toThrow(/year 1969 is before 1970/);
    expect(() => parseIsoMicros('1970-01-01T00:30:00+01:00')).toThrow(/before 1970-01-01T00:00:00Z/);
    expect(parseIsoMicros('1970-01-01T00:00:00Z')).toBe(0);
    expect(() => parseIsoMicros('2255-01-01T00:00:00Z')).toThrow(/year 2255 is after 2254/);
  });
  it('agrees with Date.UTC to the microsecond over four centuries of calendar', () => {
    for (let day = 0; day < 365 * 284; day += 97) {
      const ms = day * 86_400_000 + 12_345_678;
      const iso = new Date(ms).toISOString().replace('Z', '789Z');
      expect(parseIsoMicros(iso)).toBe(ms * 1000 + 789);
    }
    expect(parseIsoMicros('2000-02-29T00:00:00Z')).toBe(Date.UTC(2000, 1, 29) * 1000);
    expect(parseIsoMicros('2254-12-31T23:59:59.999999Z')).toBe(Date.UTC(2254, 11, 31, 23, 59, 59) * 1000 + 999_999);
  });
  it.each([
    ['2026-02-29T00:00:00Z', /day 29 does not exist in 2026-02/],
    ['2100-02-29T00:00:00Z', /day 29 does not exist in 2100-02/],
    ['2026-04-31T00:00:00Z', /day 31 does not exist in 2026-04/],
    ['2026-13-01T00:00:00Z', /month 13 does not exist/],
    ['2026-00-10T00:00:00Z', /month 00 does not exist/],
    ['2026-11-00T00:00:00Z', /day 00 does not exist/],
    ['2026-11-20T24:00:00Z', /hour 24 does not exist/],
    ['2026-11-20T24:00:01Z', /hour 24 does not exist/],
    ['2026-11-20T03:60:00Z', /minute 60 does not exist/],
    ['2016-12-31T23:59:60Z', /leap second 60 is refused/],
    ['2026-11-20T03:14:61Z', /second 61 does not exist/],
    ['2026-11-20T03:14:14+99:99', /UTC offset \+99:99 is not within ±14:00/],
    ['2026-11-20T03:14:14-14:01', /UTC offset -14:01 is not within ±14:00/],
    ['2026-11-20T03:14:14+05:60', /UTC offset \+05:60 is not within ±14:00/],
    ['2026-11-20t03:14:14z', /not an ISO 8601 time with a zone/],
    [' 2026-11-20T03:14:14Z', /not an ISO 8601 time with a zone/],
    ['2026-11-20T03:14:14Z\n', /not an ISO 8601 time with a zone/],
    ['+02026-11-20T03:14:14Z', /not an ISO 8601 time with a zone/],
    ['26-11-20T03:14:14Z', /not an ISO 8601 time with a zone/],
  ])('refuses %s, saying which part is wrong', (s, message) => expect(() => parseIsoMicros(s)).toThrow(message));
  it('takes offsets up to ±14:00 and nine fractional digits, kept as integer µs', () => {
    expect(parseIsoMicros('2026-11-20T17:14:14+14:00')).toBe(parseIsoMicros('2026-11-20T03:14:14Z'));
    expect(parseIsoMicros('2026-11-19T13:14:14-14:00')).toBe(parseIsoMicros('2026-11-20T03:14:14Z'));
    expect(parseIsoMicros('2026-11-20T03:14:14.000000499Z') % 1_000_000).toBe(0);
    expect(parseIsoMicros('2026-11-20T03:14:14.000000500Z') % 1_000_000).toBe(1);
    expect(parseIsoMicros('2026-11-20T03:14:59.9999995Z')).toBe(parseIsoMicros('2026-11-20T03:15:00Z'));
  });
  it('calls a time more than a day after the clock implausible, and one within the day fine', () => {
    const now = parseIsoMicros('2026-11-20T03:14:14Z');
    expect(implausibleInstant(now + FUTURE_SLACK_US, now)).toBeNull();
    expect(implausibleInstant(now - 1e12, now)).toBeNull();
    expect(implausibleInstant(now + FUTURE_SLACK_US + 1, now)).toMatch(/is more than a day after now \(2026-11-20T03:14:14\.000000Z\)/);
  });
});

describe('canonical JSON', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: null }], c: undefined } })).toBe('{"a":{"d":[1,{"y":null,"z":0}]},"b":1}');
  });
  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ x: NaN })).toThrow();
    expect(() => canonicalJson({ x: 1n })).toThrow();
  });
});
