import { describe, expect, it } from 'vitest';
import type { AlertDetail, Pulse, Solution, Track } from '../../../src/contract/index.ts';
import { peakDbfs, toEnvelope } from '../../../renderer/src/incident/peaks.ts';
import { trackRows } from '../../../renderer/src/incident/track-layout.ts';

const track = (sensorId: string, x: number, y: number): Track => ({
  sensorId,
  position: { x, y },
  local: { x, y, z: null },
  participating: true,
  clip: { sha256: '0'.repeat(64), bytes: 1, format: 'pcm16', sampleRate: 16000, channels: 1, frames: 32000, durationS: 2 },
  channel: 0,
  clipStartUs: 0,
  clipStartIso: '',
  fullScaleDbSpl: null,
});
const pulse = (sensorId: string, timeUs: number): Pulse => ({
  id: 1,
  sensorId,
  offsetS: timeUs / 1e6,
  timeUs,
  snrDb: 20,
  peakDbfs: -6,
  peakDbSpl: null,
  shotIndex: 1,
  origin: 'machine',
});
const solution = (timeUs: number): Solution => ({
  id: 1,
  version: 1,
  origin: 'machine',
  createdBy: 'locator',
  createdUs: 0,
  temperatureC: 20,
  temperatureSource: 'weather',
  speedOfSoundMs: 343,
  rounds: 1,
  shots: [
    { index: 1, timeUs, position: { x: 0, y: 0 }, local: { x: 0, y: 0 }, ellipse95: null, gdop: null, sensorsUsed: [], residualRmsMs: null, residualsMs: {} },
  ],
});

describe('track rows', () => {
  const alert = {
    tracks: [track('S-FAR', 686, 0), track('S-NEAR', 0, 343), track('S-QUIET', 100, 0)],
    pulses: [pulse('S-FAR', 2_100_000), pulse('S-NEAR', 1_100_000)],
    solutions: [solution(100_000)],
  } satisfies Pick<AlertDetail, 'tracks' | 'pulses' | 'solutions'>;

  it('come in order of first arrival, sensors with no pulse last', () => {
    expect(trackRows(alert).map((r) => r.track.sensorId)).toEqual(['S-NEAR', 'S-FAR', 'S-QUIET']);
  });

  it('mark the pulses, the shot time and where the fix predicts the arrival', () => {
    const near = trackRows(alert)[0]!;
    expect(near.distanceM).toBeCloseTo(343, 9);
    const byKind = Object.fromEntries(near.marks.map((m) => [m.kind, m.timeUs]));
    expect(byKind).toEqual({ pulse: 1_100_000, shot: 100_000, predicted: 1_100_000 });
  });

  it('mark only the picker\u2019s pulses: a reviewer\u2019s picks are drawn as handles by the re-location', () => {
    const rows = trackRows({ ...alert, pulses: [...alert.pulses, { ...pulse('S-NEAR', 1_000_000), origin: 'reviewer', solutionId: 2 }] });
    expect(rows[0]!.marks.filter((m) => m.kind === 'pulse').map((m) => m.timeUs)).toEqual([1_100_000]);
    expect(rows[0]!.firstArrivalUs).toBe(1_100_000);
  });

  it('write on the tracks what the locator set aside: an echo of a shot, and a shot\u2019s late arrival round a building', () => {
    const machine: Solution = {
      ...solution(100_000),
      shots: [{ ...solution(100_000).shots[0]!, nlos: [{ sensorId: 'S-FAR', lateMs: 12 }] }],
      rejected: [
        {
          kind: 'echo',
          of: 1,
          position: { x: 300, y: 0 },
          local: { x: 300, y: 0 },
          timeUs: 150_000,
          picks: [{ sensorId: 'S-NEAR', timeUs: 1_400_000 }],
          reason: 'echo of shot 1: its arrivals fit the image of shot 1 in a wall',
        },
      ],
    };
    const unassigned = (sensorId: string, timeUs: number): Pulse => ({ ...pulse(sensorId, timeUs), shotIndex: null });
    const rows = trackRows({
      ...alert,
      pulses: [...alert.pulses, unassigned('S-NEAR', 1_400_000), unassigned('S-FAR', 2_112_000), unassigned('S-FAR', 2_500_000)],
      solutions: [machine],
    });
    const near = rows.find((r) => r.track.sensorId === 'S-NEAR')!;
    expect(near.marks.find((m) => m.timeUs === 1_400_000)!.tag).toEqual({ kind: 'echo', label: 'echo of shot 1' });
    expect(near.marks.find((m) => m.timeUs === 1_400_000)!.title).toContain('image of shot 1');
    const far = rows.find((r) => r.track.sensorId === 'S-FAR')!;
    expect(far.marks.find((m) => m.timeUs === 2_112_000)!.tag).toEqual({ kind: 'late', label: 'late for shot 1' });
    expect(far.marks.find((m) => m.timeUs === 2_112_000)!.title).toMatch(
      /^heard late, by no straight path \(round a building, or off a wall\): 12\.0 ms later/,
    );
    expect(far.marks.find((m) => m.timeUs === 2_500_000)!.tag).toBeUndefined();
    // A reviewer's version carries no set-aside candidates: the machine's stay on the tracks.
    const reviewed = trackRows({
      ...alert,
      pulses: [...alert.pulses, unassigned('S-NEAR', 1_400_000)],
      solutions: [machine, { ...solution(100_000), id: 2, version: 2, origin: 'reviewer' }],
    });
    expect(reviewed.find((r) => r.track.sensorId === 'S-NEAR')!.marks.find((m) => m.timeUs === 1_400_000)!.tag?.label).toBe('echo of shot 1');
  });

  it('write on the tracks the rounds the locator heard but could not place, round by round', () => {
    const place = (x: number, y: number) => ({ position: { x, y }, local: { x, y } });
    const machine: Solution = {
      ...solution(100_000),
      rounds: 2,
      shots: [],
      rejected: [
        {
          kind: 'on-line',
          from: 'S-NEAR',
          through: 'S-FAR',
          ...place(0, 200),
          line: { from: place(0, 0), to: place(0, 400) },
          rounds: 2,
          timeUs: 100_000,
          picks: [
            { sensorId: 'S-NEAR', timeUs: 1_400_000, round: 1 },
            { sensorId: 'S-NEAR', timeUs: 1_600_000, round: 2 },
          ],
          reason: '2 rounds not located: the times fit no point, only the line from S-FAR through S-NEAR',
        },
      ],
    };
    const unassigned = (timeUs: number): Pulse => ({ ...pulse('S-NEAR', timeUs), shotIndex: null });
    const rows = trackRows({ ...alert, pulses: [unassigned(1_400_000), unassigned(1_600_000), unassigned(1_800_000)], solutions: [machine] });
    const near = rows.find((r) => r.track.sensorId === 'S-NEAR')!;
    const tagAt = (t: number) => near.marks.find((m) => m.timeUs === t)!.tag;
    expect(tagAt(1_400_000)).toEqual({ kind: 'unlocated', label: 'round 1, not located' });
    expect(tagAt(1_600_000)).toEqual({ kind: 'unlocated', label: 'round 2, not located' });
    expect(tagAt(1_800_000)).toBeUndefined();
    expect(near.marks.find((m) => m.timeUs === 1_400_000)!.title).toContain('only the line from S-FAR through S-NEAR');
  });

  it('have no distance or prediction without a solution', () => {
    const rows = trackRows({ ...alert, solutions: [] });
    expect(rows.every((r) => r.distanceM === null && r.marks.every((m) => m.kind === 'pulse'))).toBe(true);
  });
});

describe('peaks for wavesurfer', () => {
  it('split interleaved (max, min) pairs into the upper and lower envelope', () => {
    const [max, min] = toEnvelope([0.5, -0.25, 0.1, -0.9, 0.3]);
    expect(Array.from(max)).toEqual([0.5, Math.fround(0.1)]);
    expect(Array.from(min)).toEqual([-0.25, Math.fround(-0.9)]);
  });

  it('give the peak level in dBFS, or null for silence', () => {
    expect(peakDbfs([0.5, -1])).toBeCloseTo(0, 9);
    expect(peakDbfs([0.1, -0.05])).toBeCloseTo(-20, 9);
    expect(peakDbfs([0, 0])).toBeNull();
  });
});
