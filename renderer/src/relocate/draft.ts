import type { AlertDetail, Pulse, RelocatedShotInput, Shot, Solution } from '../../../src/contract/index.ts';

/**
 * The picks a reviewer is editing, before they are saved: per shot, one pick per sensor, used in
 * the fix or dropped from it. It starts from the picks of the newest solution (the machine's
 * associated pulses, or a reviewer's saved picks) and offers, as dropped picks, the machine's
 * pulses of that shot the fix left out. Pure, so every rule is tested without a browser.
 */
export interface DraftPick {
  /** Seconds from the first sample of the sensor's clip. */
  offsetS: number;
  /** Used in the fix; a dropped pick keeps its place so it can be taken back. */
  used: boolean;
}

export interface DraftShot {
  index: number;
  picks: ReadonlyMap<string, DraftPick>;
}

export interface RelocationDraft {
  /** The solution version the picks started from (null: the alert had none). */
  baseVersion: number | null;
  shots: readonly DraftShot[];
}

/** A pick moved by less than this (a tenth of a microsecond) has not moved: JSON keeps doubles exact, so only real moves count. */
const SAME_S = 1e-7;

/** The picks a stored solution version was solved from. */
export function picksOfSolution(solution: Solution | undefined, pulses: readonly Pulse[]): Pulse[] {
  if (!solution) return [];
  if (solution.origin === 'reviewer') return pulses.filter((p) => p.origin === 'reviewer' && p.solutionId === solution.id);
  return pulses.filter(
    (p) => p.origin === 'machine' && p.shotIndex !== null && solution.shots.some((s) => s.index === p.shotIndex && s.sensorsUsed.includes(p.sensorId)),
  );
}

export function baseDraft(alert: Pick<AlertDetail, 'solutions' | 'pulses'>): RelocationDraft {
  const base = alert.solutions.at(-1);
  const used = picksOfSolution(base, alert.pulses);
  const shots = (base?.shots ?? []).map((s): DraftShot => {
    const picks = new Map<string, DraftPick>();
    // The machine heard the shot here too, but the fix left it out: offered, dropped.
    for (const p of alert.pulses) if (p.origin === 'machine' && p.shotIndex === s.index) picks.set(p.sensorId, { offsetS: p.offsetS, used: false });
    for (const p of used) if (p.shotIndex === s.index) picks.set(p.sensorId, { offsetS: p.offsetS, used: true });
    return { index: s.index, picks };
  });
  return { baseVersion: base?.version ?? null, shots };
}

const withShot = (d: RelocationDraft, index: number, f: (picks: Map<string, DraftPick>) => void): RelocationDraft => ({
  ...d,
  shots: d.shots.map((s) => {
    if (s.index !== index) return s;
    const picks = new Map(s.picks);
    f(picks);
    return { index, picks };
  }),
});

const clamp = (s: number, durationS: number) => Math.min(Math.max(0, s), durationS);

/** Puts a sensor's pick for a shot at a time (adding it if the sensor had none): a pick placed by hand is used. */
export const placePick = (d: RelocationDraft, index: number, sensorId: string, offsetS: number, durationS: number): RelocationDraft =>
  withShot(d, index, (picks) => picks.set(sensorId, { offsetS: clamp(offsetS, durationS), used: true }));

/** Moves a pick by a time; nothing when the sensor has no pick for the shot. */
export function nudgePick(d: RelocationDraft, index: number, sensorId: string, byS: number, durationS: number): RelocationDraft {
  const p = pickOf(d, index, sensorId);
  return p ? placePick(d, index, sensorId, p.offsetS + byS, durationS) : d;
}

/** Drops a sensor from a shot, or takes it back; nothing when it has no pick. */
export function toggleSensor(d: RelocationDraft, index: number, sensorId: string): RelocationDraft {
  const p = pickOf(d, index, sensorId);
  return p ? withShot(d, index, (picks) => picks.set(sensorId, { ...p, used: !p.used })) : d;
}

/** A new shot after the last, with no picks yet: a round the machine did not locate. */
export function addShot(d: RelocationDraft): { draft: RelocationDraft; index: number } {
  const index = Math.max(0, ...d.shots.map((s) => s.index)) + 1;
  return { draft: { ...d, shots: [...d.shots, { index, picks: new Map() }] }, index };
}

export const pickOf = (d: RelocationDraft, index: number, sensorId: string): DraftPick | undefined =>
  d.shots.find((s) => s.index === index)?.picks.get(sensorId);

const usedPicks = (s: DraftShot) => [...s.picks].filter(([, p]) => p.used);

export interface ShotChanges {
  moved: string[];
  added: string[];
  removed: string[];
}

/** How a shot's used picks differ from the base's: what the save will record, sensor by sensor. */
export function shotChanges(draft: RelocationDraft, base: RelocationDraft, index: number): ShotChanges {
  const now = draft.shots.find((s) => s.index === index);
  const was = base.shots.find((s) => s.index === index);
  const before = new Map(was ? usedPicks(was) : []);
  const after = new Map(now ? usedPicks(now) : []);
  const out: ShotChanges = { moved: [], added: [], removed: [] };
  for (const [id, p] of after) {
    const b = before.get(id);
    if (!b) out.added.push(id);
    else if (Math.abs(b.offsetS - p.offsetS) > SAME_S) out.moved.push(id);
  }
  for (const id of before.keys()) if (!after.has(id)) out.removed.push(id);
  return out;
}

export const isShotDirty = (draft: RelocationDraft, base: RelocationDraft, index: number): boolean => {
  const c = shotChanges(draft, base, index);
  return c.moved.length + c.added.length + c.removed.length > 0;
};

export const isDirty = (draft: RelocationDraft, base: RelocationDraft): boolean =>
  draft.shots.length !== base.shots.length || draft.shots.some((s) => isShotDirty(draft, base, s.index));

/** The picks of the shots given, as the core takes them: used picks only (a dropped sensor is absent). */
export const shotInput = (s: DraftShot): RelocatedShotInput => ({
  index: s.index,
  picks: usedPicks(s).map(([sensorId, p]) => ({ sensorId, offsetS: p.offsetS })),
});

export const draftInput = (d: RelocationDraft): RelocatedShotInput[] => d.shots.map(shotInput);

/** The newest solution the machine made, and its shot with this index. */
export function machineShot(alert: Pick<AlertDetail, 'solutions'>, index: number): Shot | null {
  return (
    alert.solutions
      .filter((s) => s.origin === 'machine')
      .at(-1)
      ?.shots.find((s) => s.index === index) ?? null
  );
}
