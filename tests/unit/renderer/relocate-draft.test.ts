import { describe, expect, it } from 'vitest';
import type { AlertDetail, Pulse, Shot, Solution } from '../../../src/contract/index.ts';
import { compareFixes, formatShiftMs } from '../../../renderer/src/relocate/compare.ts';
import {
  addShot,
  baseDraft,
  draftInput,
  isDirty,
  isShotDirty,
  machineShot,
  nudgePick,
  pickOf,
  placePick,
  shotChanges,
  toggleSensor,
} from '../../../renderer/src/relocate/draft.ts';

let nextId = 1;
const pulse = (sensorId: string, offsetS: number, shotIndex: number | null, o: Partial<Pulse> = {}): Pulse => ({
  id: nextId++,
  sensorId,
  offsetS,
  timeUs: Math.round(offsetS * 1e6),
  snrDb: 20,
  peakDbfs: -6,
  peakDbSpl: null,
  shotIndex,
  origin: 'machine',
  ...o,
});
const shot = (index: number, sensorsUsed: string[], x = 0): Shot => ({
  index,
  timeUs: 0,
  position: { x, y: 0 },
  local: { x, y: 0 },
  ellipse95: { semiMajorM: 10, semiMinorM: 5, azimuthDeg: 0 },
  gdop: 1,
  sensorsUsed,
  residualRmsMs: 0.5,
  residualsMs: {},
});
const solution = (id: number, version: number, origin: Solution['origin'], shots: Shot[]): Solution => ({
  id,
  version,
  origin,
  createdBy: origin === 'machine' ? 'machine' : 'rita',
  createdUs: 0,
  temperatureC: 20,
  temperatureSource: 'weather',
  speedOfSoundMs: 343,
  rounds: shots.length,
  shots,
});

type Alert = Pick<AlertDetail, 'solutions' | 'pulses'>;

/** Two shots on four sensors; the fix of shot 1 left D out, though the machine associated a pulse of D with it. */
const machineAlert = (): Alert => ({
  solutions: [solution(1, 1, 'machine', [shot(1, ['A', 'B', 'C']), shot(2, ['A', 'B', 'C', 'D'])])],
  pulses: [
    pulse('A', 0.5, 1),
    pulse('B', 0.6, 1),
    pulse('C', 0.7, 1),
    pulse('D', 0.8, 1),
    pulse('A', 1.5, 2),
    pulse('B', 1.6, 2),
    pulse('C', 1.7, 2),
    pulse('D', 1.8, 2),
    pulse('E', 0.9, null), // heard, in no shot
  ],
});

describe('the re-location draft', () => {
  it('starts from the machine picks of each shot, offering the pulses the fix left out as dropped', () => {
    const d = baseDraft(machineAlert());
    expect(d.baseVersion).toBe(1);
    expect(d.shots.map((s) => s.index)).toEqual([1, 2]);
    expect(pickOf(d, 1, 'A')).toEqual({ offsetS: 0.5, used: true });
    expect(pickOf(d, 1, 'D')).toEqual({ offsetS: 0.8, used: false });
    expect(pickOf(d, 1, 'E')).toBeUndefined();
    expect(draftInput(d)).toEqual([
      {
        index: 1,
        picks: [
          { sensorId: 'A', offsetS: 0.5 },
          { sensorId: 'B', offsetS: 0.6 },
          { sensorId: 'C', offsetS: 0.7 },
        ],
      },
      { index: 2, picks: ['A', 'B', 'C', 'D'].map((sensorId, i) => ({ sensorId, offsetS: 1.5 + i / 10 })) },
    ]);
    expect(isDirty(d, d)).toBe(false);
  });

  it('starts from a reviewer version’s own picks once there is one', () => {
    const a = machineAlert();
    const reviewer: Alert = {
      solutions: [...a.solutions, solution(7, 2, 'reviewer', [shot(1, ['A', 'B', 'D'])])],
      pulses: [
        ...a.pulses,
        pulse('A', 0.51, 1, { origin: 'reviewer', solutionId: 7 }),
        pulse('B', 0.6, 1, { origin: 'reviewer', solutionId: 7 }),
        pulse('D', 0.8, 1, { origin: 'reviewer', solutionId: 7 }),
      ],
    };
    const d = baseDraft(reviewer);
    expect(d.baseVersion).toBe(2);
    expect(d.shots.map((s) => s.index)).toEqual([1]);
    expect(pickOf(d, 1, 'A')).toEqual({ offsetS: 0.51, used: true });
    // C is no longer used: the machine's pulse is offered, dropped.
    expect(pickOf(d, 1, 'C')).toEqual({ offsetS: 0.7, used: false });
  });

  it('moves, nudges (within the clip), adds, drops and takes back picks, and says what changed', () => {
    const base = baseDraft(machineAlert());
    let d = nudgePick(base, 1, 'A', 0.003, 2);
    expect(pickOf(d, 1, 'A')!.offsetS).toBeCloseTo(0.503, 12);
    expect(pickOf(base, 1, 'A')!.offsetS).toBe(0.5); // the base is never changed
    d = nudgePick(d, 1, 'E', 0.001, 2);
    expect(pickOf(d, 1, 'E')).toBeUndefined(); // no pick, nothing to nudge
    d = placePick(d, 1, 'E', 5, 2);
    expect(pickOf(d, 1, 'E')).toEqual({ offsetS: 2, used: true }); // clamped to the clip
    d = toggleSensor(d, 1, 'B');
    d = toggleSensor(d, 1, 'D'); // the pulse the fix left out, taken in
    expect(shotChanges(d, base, 1)).toEqual({ moved: ['A'], added: ['D', 'E'], removed: ['B'] });
    expect(isShotDirty(d, base, 1)).toBe(true);
    expect(isShotDirty(d, base, 2)).toBe(false);
    expect(
      draftInput(d)[0]!
        .picks.map((p) => p.sensorId)
        .sort(),
    ).toEqual(['A', 'C', 'D', 'E']);
    // Moving a pick back to where it was is no change.
    const back = nudgePick(nudgePick(base, 1, 'A', 0.004, 2), 1, 'A', -0.004, 2);
    expect(isDirty(back, base)).toBe(false);
    // A dropped pick dragged is used again.
    expect(pickOf(placePick(toggleSensor(base, 1, 'A'), 1, 'A', 0.4, 2), 1, 'A')).toEqual({ offsetS: 0.4, used: true });
  });

  it('adds a shot the machine did not locate after the last one', () => {
    const base = baseDraft(machineAlert());
    const { draft, index } = addShot(base);
    expect(index).toBe(3);
    expect(draft.shots.at(-1)).toEqual({ index: 3, picks: new Map() });
    expect(isDirty(draft, base)).toBe(true);
    expect(baseDraft({ solutions: [], pulses: [] })).toEqual({ baseVersion: null, shots: [] });
  });
});

describe('machine versus reviewer', () => {
  it('gives the shift, the sensors each side used, and the machine’s shot of that index', () => {
    const a = machineAlert();
    const m = machineShot(a, 1)!;
    const r = { ...shot(1, ['A', 'C', 'D'], 30), residualRmsMs: 2.5 };
    expect(r.local).toEqual({ x: 30, y: 0 });
    const c = compareFixes(m, { ...r, local: { x: 30, y: 40 } });
    expect(c.shiftM).toBe(50);
    expect(c.droppedSensors).toEqual(['B']);
    expect(c.addedSensors).toEqual(['D']);
    expect(c.reviewer!.residualRmsMs).toBe(2.5);
    expect(compareFixes(null, r)).toMatchObject({ shiftM: null, machine: null, addedSensors: ['A', 'C', 'D'] });
    expect(machineShot(a, 9)).toBeNull();
    expect(formatShiftMs(3.2)).toBe('+3.20 ms');
    expect(formatShiftMs(-0.0625)).toBe('\u22120.06 ms');
  });
});
