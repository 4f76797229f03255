import { describe, expect, it } from 'vitest';
import { locateFromAudio, type OnLineCandidate } from '../../../src/locate/index.ts';
import { gunfireAudio, type GunfireScene } from '../../support/gunfire.ts';
import { locateSimAlert } from '../../support/sim-alert.ts';

const OPTS = { temperatureC: 15, defaultTemperatureC: 15 };
/** A north of B, 500 m apart; C off to the east. */
const SENSORS: GunfireScene['sensors'] = [
  { id: 'A', x: 0, y: 0 },
  { id: 'B', x: 0, y: -500 },
  { id: 'C', x: 400, y: 300 },
];
/** 200 m north of A, on the line from B through A. */
const SOURCE = { x: 0, y: 200 };
const burst = (at: { x: number; y: number }) => [0.5, 0.65, 0.8].map((tS) => ({ ...at, tS }));
const offLine = (c: OnLineCandidate, p: { x: number; y: number }) => {
  const dx = c.line.to.x - c.line.from.x,
    dy = c.line.to.y - c.line.from.y;
  return Math.abs((p.x - c.line.from.x) * dy - (p.y - c.line.from.y) * dx) / Math.hypot(dx, dy);
};
const onLineOf = (rejected: readonly { kind: string }[] | undefined) => (rejected ?? []).filter((r): r is OnLineCandidate => r.kind === 'on-line');

describe('rounds whose times fit no point, only a line', () => {
  it('are counted and shown on the line from B through A when B\u2019s clock makes their difference exceed the 500 m between them', () => {
    // B stamped 20 ms late: A and B then differ by 7 m more than their separation allows.
    const sensors = SENSORS.map((s) => (s.id === 'B' ? { ...s, clockErrorS: -0.02 } : s));
    const out = locateFromAudio(gunfireAudio({ sensors, shots: burst(SOURCE) }), OPTS);
    expect(out.shots).toHaveLength(0);
    expect(out.rounds).toBe(3);
    const [line, ...more] = onLineOf(out.rejected);
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({ from: 'A', through: 'B', rounds: 3 });
    expect(offLine(line!, SOURCE)).toBeLessThan(5);
    // Beyond A, away from B, and the line drawn reaches past the source.
    expect(line!.local.y).toBeGreaterThan(0);
    expect(line!.line.to.y).toBeGreaterThan(SOURCE.y);
    expect(line!.picks).toHaveLength(9);
    expect(new Set(line!.picks.map((p) => p.round))).toEqual(new Set([1, 2, 3]));
    expect(line!.reason).toMatch(/^3 rounds not located: the times fit no point, only the line from B through A/);
  });

  it('are not looked for where a point fits: the same burst a little off the line is located', () => {
    const out = locateFromAudio(gunfireAudio({ sensors: SENSORS, shots: burst({ x: 60, y: 200 }) }), OPTS);
    expect(out.shots).toHaveLength(3);
    expect(onLineOf(out.rejected)).toHaveLength(0);
  });

  it('are not made up from picks no line fits: C stamped 1.5 s late, 500 m of sound more than it is from A', () => {
    const skewed = SENSORS.map((s) => (s.id === 'C' ? { ...s, clockErrorS: -1.5 } : s));
    const out = locateFromAudio(gunfireAudio({ sensors: skewed, shots: burst(SOURCE) }), OPTS);
    expect(out.shots).toHaveLength(0);
    expect(onLineOf(out.rejected)).toHaveLength(0);
    expect(out.rounds).toBe(0);
  });

  it('simulated network alert 9: 11 rounds from three sensors nearly in line with the shooter, on a line that passes it', () => {
    const { out, rounds, errorM } = locateSimAlert('simulated', 'network', 9);
    expect(out.shots).toHaveLength(0);
    expect(out.rounds).toBe(rounds);
    const [line] = onLineOf(out.rejected);
    expect(line).toMatchObject({ from: 'KH-01', through: 'KH-04', rounds: 11 });
    expect(errorM(line!.local)).toBeLessThan(50);
  });
});
