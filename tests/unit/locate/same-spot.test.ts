import { describe, expect, it } from 'vitest';
import { fitPicks } from '../../../src/locate/hypothesis.ts';
import { speedOfSound } from '../../../src/locate/index.ts';
import { sameSpot } from '../../../src/locate/same-spot.ts';
import { maskedPicks, precededPicks, type Track } from '../../../src/locate/tracks.ts';

const C = speedOfSound(15);
const O = { c: C, elevation: null, gateS: 0.045, minRoundGapS: 0.045 };
// Seen from the shooter at the origin, A and B stand in about one direction: without D, the
// range is barely told by the times.
const SENSORS = [
  { id: 'A', x: 200, y: 230 },
  { id: 'B', x: 480, y: 500 },
  { id: 'C', x: -120, y: 550 },
  { id: 'D', x: -400, y: -300 },
];
const arrival = (k: number, t0: number) => t0 + Math.hypot(SENSORS[k]!.x, SENSORS[k]!.y) / C;

function tracksOf(times: number[][]): Track[] {
  return SENSORS.map((s, k) => {
    const t = Float64Array.from(times[k]!);
    const levelDb = new Float64Array(t.length).fill(-20);
    return {
      ...s,
      z: null,
      times: t,
      snrDb: new Float64Array(t.length).fill(30),
      levelDb,
      calibrationDb: null,
      masked: maskedPicks(t, levelDb),
      preceded: precededPicks(t, levelDb),
      startS: 0,
      endS: 5,
    };
  });
}

describe('sameSpot', () => {
  it('takes a further round on three sensors that cannot place it by themselves, at the spot whose pattern it repeats', () => {
    // Round 1 on all four sensors; round 2, 0.15 s later, missed by D, and B's pick 2 ms late
    // (a GPS fix metres off): A, B and C alone fit no point.
    const times = [0, 1, 2, 3].map((k) => (k === 3 ? [arrival(k, 1)] : [arrival(k, 1), arrival(k, 1.15) + (k === 1 ? 0.002 : 0)]));
    const tracks = tracksOf(times);
    expect(fitPicks(tracks, Int32Array.from([1, 1, 1, -1]), O)).toBeNull();
    const first = fitPicks(tracks, Int32Array.from([0, 0, 0, 0]), O)!;
    expect(Math.hypot(first.fix.x, first.fix.y)).toBeLessThan(1);
    const taken = tracks.map((t) => Uint8Array.from(t.times, (_, i) => (i === 0 ? 1 : 0)));
    const next = sameSpot(tracks, taken, first, [first], O);
    expect(next).not.toBeNull();
    expect([...next!.picks]).toEqual([1, 1, 1, -1]);
    expect(Math.hypot(next!.fix.x, next!.fix.y)).toBeLessThan(1);
    expect(next!.fix.t0).toBeCloseTo(1.15, 2);
  });
});
