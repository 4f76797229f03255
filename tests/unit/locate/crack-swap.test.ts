import { describe, expect, it } from 'vitest';
import type { PulsePick } from '../../../src/audio/pulses/pick.ts';
import { locateFromPicks, speedOfSound } from '../../../src/locate/index.ts';

/**
 * A rifle's crack heard by two sensors only, far louder than the muzzle blast that follows it
 * there (the level rules take that blast for the crack's echo), with the blast alone on three
 * others: the two cracks and three blasts string together into a "shot" hundreds of metres
 * off, on four sensors, while the blasts fit the shooter on all five. Picks as the picker
 * gives them, exact times: the locator from its picks on.
 */
const C = speedOfSound(15);
const SENSORS = [
  { id: 'A', x: 0, y: -1250 },
  { id: 'B', x: 0, y: -750 },
  { id: 'C', x: -600, y: -300 },
  { id: 'D', x: -400, y: 300 },
  { id: 'E', x: -380, y: -80 },
];
const SHOOTER = { x: 200, y: 500 };
/** The crack's lead over the blast at A and B: those of a check2 network alert (36 and 15 ms). */
const LEAD_S = [0.036, 0.015, 0, 0, 0];

const pick = (offsetS: number, bandDb: number): PulsePick => ({ offsetS, snrDb: bandDb + 70, bandDb, peakDbfs: bandDb, clipped: false });

const arrival = (s: { x: number; y: number }, at: { x: number; y: number }) => 1 + Math.hypot(s.x - at.x, s.y - at.y) / C;

function sensorsHearing() {
  return SENSORS.map((s, k) => {
    const blast = arrival(s, SHOOTER);
    const lead = LEAD_S[k]!;
    return {
      sensorId: s.id,
      local: { x: s.x, y: s.y, z: null },
      clipStartUs: 0,
      fullScaleDbSpl: null,
      durationS: 8,
      // The crack 22 dB above the blast, as a rifle's is at a sensor near its path.
      picks: lead > 0 ? [pick(blast - lead, -20), pick(blast, -42)] : [pick(blast, -35)],
    };
  });
}

describe('a crack-and-blast mix', () => {
  it('is taken apart: the shot stands on the blasts of all five sensors, the two cracks are no part of it', () => {
    const out = locateFromPicks(sensorsHearing(), { temperatureC: 15, defaultTemperatureC: 15 });
    expect(out.rounds).toBe(1);
    expect(Math.hypot(out.shots[0]!.local.x - SHOOTER.x, out.shots[0]!.local.y - SHOOTER.y)).toBeLessThan(1);
    const inShot = out.pulses.filter((p) => p.shotIndex === 1);
    expect(inShot.map((p) => p.sensorId).sort()).toEqual(['A', 'B', 'C', 'D', 'E']);
    // On A and B the shot holds the later, quieter pick: the blast, not the crack before it.
    for (const id of ['A', 'B']) {
      const offsets = out.pulses.filter((p) => p.sensorId === id).map((p) => p.offsetS);
      expect(inShot.find((p) => p.sensorId === id)!.offsetS).toBe(Math.max(...offsets));
    }
  });

  it('leaves a shot on its direct sound where a wall beside the shooter echoes it 12 dB down on every sensor', () => {
    // The wall 6 m east of the shooter: its echo is the image 12 m east, within a crack's lead
    // of the blast everywhere, and as a source it fits on all five sensors exactly as the shot does.
    const image = { x: SHOOTER.x + 12, y: SHOOTER.y };
    const sensors = SENSORS.map((s) => ({
      sensorId: s.id,
      local: { x: s.x, y: s.y, z: null },
      clipStartUs: 0,
      fullScaleDbSpl: null,
      durationS: 8,
      picks: [pick(arrival(s, SHOOTER), -30), pick(arrival(s, image), -42)],
    }));
    expect(sensors.every((s) => s.picks[1]!.offsetS - s.picks[0]!.offsetS < 0.06)).toBe(true);
    const out = locateFromPicks(sensors, { temperatureC: 15, defaultTemperatureC: 15 });
    expect(out.rounds).toBe(1);
    expect(Math.hypot(out.shots[0]!.local.x - SHOOTER.x, out.shots[0]!.local.y - SHOOTER.y)).toBeLessThan(1);
    expect(out.cracks ?? []).toHaveLength(0);
  });
});
