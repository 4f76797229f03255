import { describe, expect, it } from 'vitest';
import { axisFor, axisFraction, shotBadgeLabels, ticksFor } from '../../../renderer/src/incident/axis.ts';

const clip = (startUs: number, durationS: number) => ({ clipStartUs: startUs, clip: { durationS } as never });

describe('the shared time axis', () => {
  it('spans every clip from its own start, with a small margin and a whole-millisecond start', () => {
    const t0 = 1_763_600_000_123_456;
    const axis = axisFor([clip(t0, 2), clip(t0 + 250_000, 2), clip(t0 - 100_000, 1)]);
    expect(axis.startUs % 1000).toBe(0);
    expect(axis.startUs).toBeLessThan(t0 - 100_000);
    expect(axis.endUs).toBeGreaterThan(t0 + 2_250_000);
    // The margin is small: under 5 % of the span on each side.
    expect(t0 - 100_000 - axis.startUs).toBeLessThan(0.05 * 2_350_000);
    // A later clip lands further right, by exactly its offset over the span.
    const a = axisFraction(axis, t0);
    const b = axisFraction(axis, t0 + 250_000);
    expect(b - a).toBeCloseTo(250_000 / (axis.endUs - axis.startUs), 9);
  });

  it('reaches out to a shot time that falls before every clip', () => {
    const t0 = 1_000_000_000_000;
    const axis = axisFor([clip(t0, 1)], [{ timeUs: t0 - 300_000 }]);
    expect(axis.startUs).toBeLessThanOrEqual(t0 - 300_000);
    expect(axisFraction(axis, t0 - 300_000)).toBeGreaterThanOrEqual(0);
  });

  it('keeps microsecond differences between clips (a JS Date would round them to milliseconds)', () => {
    const t0 = 1_763_600_000_000_000;
    const axis = axisFor([clip(t0, 2), clip(t0 + 1, 2)]);
    expect(axisFraction(axis, t0 + 1) - axisFraction(axis, t0)).toBeGreaterThan(0);
  });

  it('has a usable axis even with no tracks', () => {
    const axis = axisFor([]);
    expect(axis.endUs).toBeGreaterThan(axis.startUs);
  });
});

describe('ruler ticks', () => {
  const axis = { startUs: 0, endUs: 4_000_000 };

  it('chooses a round step that keeps labels apart, with four minor ticks between labels', () => {
    const ticks = ticksFor(axis, 800);
    const majors = ticks.filter((t) => t.major);
    expect(majors.map((t) => t.label)).toEqual(['0', '+0.5 s', '+1.0 s', '+1.5 s', '+2.0 s', '+2.5 s', '+3.0 s', '+3.5 s', '+4.0 s']);
    expect(ticks.length).toBe((majors.length - 1) * 5 + 1);
    for (let i = 1; i < majors.length; i++) expect((majors[i]!.fraction - majors[i - 1]!.fraction) * 800).toBeGreaterThanOrEqual(72);
  });

  it('counts from an origin inside the axis (the shot), negative before it', () => {
    const ticks = ticksFor(axis, 400, 1_000_000).filter((t) => t.major);
    expect(ticks.map((t) => t.label)).toEqual(['−1 s', '0', '+1 s', '+2 s', '+3 s']);
    expect(ticks[1]!.fraction).toBeCloseTo(0.25, 9);
  });

  it('gives nothing for a zero width (before layout)', () => {
    expect(ticksFor(axis, 0)).toEqual([]);
  });

  it('stays bounded for long spans on wide screens', () => {
    const ticks = ticksFor({ startUs: 0, endUs: 600_000_000 }, 3840);
    expect(ticks.length).toBeLessThan(1000);
  });
});

describe('shot badges on the ruler', () => {
  it('say "shot N" with room, the number alone when rounds come close, nothing when they touch', () => {
    expect(shotBadgeLabels([0.5], 600)).toEqual(['shot']);
    expect(shotBadgeLabels([0.1, 0.5, 0.9], 600)).toEqual(['shot 1', 'shot 2', 'shot 3']);
    // 0.05 of 600 px = 30 px apart: numbers only.
    expect(shotBadgeLabels([0.1, 0.15, 0.2], 600)).toEqual(['1', '2', '3']);
    // A third round 6 px after the second: both become plain marks, the first keeps its number.
    expect(shotBadgeLabels([0.1, 0.15, 0.16], 600)).toEqual(['1', '', '']);
  });
});
