import { describe, expect, it } from 'vitest';
import { formatIsoMicros, parseIsoMicros } from '../../../src/util/time.ts';
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
