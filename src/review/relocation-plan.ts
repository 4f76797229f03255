import type { Position, Pulse, RelocatedShotInput, RelocationPreview, Shot } from '../contract/index.ts';
import { LocalFrame } from '../locate/geodesy.ts';
import { relocateShot, speedOfSound } from '../locate/index.ts';
import type { SolutionBody } from '../store/alerts.ts';
import type { RelocationAlert, RelocationSensor, StoredSolution } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';

/**
 * The pure part of a re-location: check the reviewer's picks against the alert's clips, solve
 * each shot from exactly those picks, and say how they differ from the picks the reviewer
 * started from. No store, no clock: the handlers in relocate.ts do the reading and writing.
 */

export interface CheckedPick {
  sensorId: string;
  /** Seconds from the clip's first sample, as the reviewer set it. */
  offsetS: number;
  /** The same instant, integer microseconds UTC. */
  timeUs: number;
}

export interface CheckedShot {
  index: number;
  picks: CheckedPick[];
}

export interface SolveContext {
  sensors: ReadonlyMap<string, RelocationSensor>;
  temperatureC: number;
  toPosition(local: { x: number; y: number }): Position;
}

/** A name from the caller, quoted and cut short, for an error message. */
const named = (s: string) => JSON.stringify(s.length > 60 ? `${s.slice(0, 60)}…` : s);

/**
 * Every pick on a sensor of this alert, inside its clip, at most one per sensor and shot; shot
 * numbers distinct. Throws invalid_input naming the first fault, so nothing half-checked is used.
 */
export function checkShots(shots: readonly RelocatedShotInput[], sensors: ReadonlyMap<string, RelocationSensor>): CheckedShot[] {
  const seen = new Set<number>();
  return shots.map((shot) => {
    if (seen.has(shot.index)) throw new UserError('invalid_input', `shot ${shot.index} is given twice`);
    seen.add(shot.index);
    const onSensor = new Set<string>();
    const picks = shot.picks.map((p) => {
      const s = sensors.get(p.sensorId);
      if (!s) throw new UserError('invalid_input', `shot ${shot.index}: this alert has no sensor ${named(p.sensorId)}`);
      if (onSensor.has(p.sensorId))
        throw new UserError('invalid_input', `shot ${shot.index}: sensor ${named(p.sensorId)} has two picks; a shot arrives once at each sensor`);
      onSensor.add(p.sensorId);
      if (!Number.isFinite(p.offsetS) || p.offsetS < 0 || p.offsetS > s.durationS) {
        throw new UserError(
          'invalid_input',
          `shot ${shot.index}: the pick on ${named(p.sensorId)} at ${p.offsetS} s lies outside its clip (0 to ${s.durationS.toFixed(3)} s)`,
        );
      }
      return { sensorId: p.sensorId, offsetS: p.offsetS, timeUs: s.clipStartUs + Math.round(p.offsetS * 1e6) };
    });
    return { index: shot.index, picks };
  });
}

/** Positions in the alert's own frame: WGS84 through the tangent plane the import used, or the local metres themselves. */
export function solveContext(alert: RelocationAlert, temperatureC: number): SolveContext {
  const frame = alert.coordinates === 'wgs84' && alert.localOrigin ? new LocalFrame(alert.localOrigin) : null;
  return {
    sensors: new Map(alert.sensors.map((s) => [s.sensorId, s])),
    temperatureC,
    toPosition(local) {
      if (!frame) return { x: local.x, y: local.y };
      const g = frame.toGeo({ x: local.x, y: local.y, z: 0 });
      return { lat: g.lat, lon: g.lon };
    },
  };
}

const finite = (s: Shot): boolean =>
  [
    s.timeUs,
    s.local.x,
    s.local.y,
    s.gdop ?? 0,
    s.residualRmsMs ?? 0,
    ...Object.values(s.residualsMs),
    ...(s.ellipse95 ? Object.values(s.ellipse95) : []),
  ].every(Number.isFinite);

/** One shot from exactly its picks (a dropped sensor is simply absent), or why there is none. */
export function solveShot(shot: CheckedShot, ctx: SolveContext): RelocationPreview {
  if (shot.picks.length < 3) {
    return { index: shot.index, shot: null, problem: `shot ${shot.index} needs picks on at least three sensors to be located (${shot.picks.length} given)` };
  }
  const located = relocateShot(shot.picks, [...ctx.sensors.values()], { temperatureC: ctx.temperatureC, index: shot.index });
  const out: Shot | null = located ? { ...located, position: ctx.toPosition(located.local) } : null;
  if (!out || !finite(out)) {
    return { index: shot.index, shot: null, problem: `shot ${shot.index}: these picks give no fix (sensors in a line, or times no single source explains)` };
  }
  return { index: shot.index, shot: out, problem: null };
}

const key = (shotIndex: number, sensorId: string) => `${shotIndex}\u0000${sensorId}`;

/**
 * The picks a solution version stands on: a reviewer's version has its own; the machine's are
 * its pulses associated with each located shot, on the sensors the fix used.
 */
export function picksOfSolution(base: StoredSolution | null, machinePulses: readonly Pulse[], reviewerPicks: () => Pulse[]): Pulse[] {
  if (!base) return [];
  if (base.origin === 'reviewer') return reviewerPicks();
  const used = new Set(base.body.shots.flatMap((s) => s.sensorsUsed.map((id) => key(s.index, id))));
  return machinePulses.filter((p) => p.shotIndex !== null && used.has(key(p.shotIndex, p.sensorId)));
}

export interface PickChanges {
  moved: { from: Pulse; to: CheckedPick; shotIndex: number }[];
  added: { to: CheckedPick; shotIndex: number }[];
  removed: { from: Pulse; shotIndex: number }[];
  unchanged: { from: Pulse; to: CheckedPick; shotIndex: number }[];
}

/** A pick counts as moved when it moved by more than a tenth of a microsecond (floats that went through JSON come back exact). */
const MOVED_S = 1e-7;

export function diffPicks(base: readonly Pulse[], next: readonly CheckedShot[]): PickChanges {
  const before = new Map(base.map((p) => [key(p.shotIndex ?? 0, p.sensorId), p]));
  const out: PickChanges = { moved: [], added: [], removed: [], unchanged: [] };
  for (const shot of next) {
    for (const to of shot.picks) {
      const k = key(shot.index, to.sensorId);
      const from = before.get(k);
      before.delete(k);
      if (!from) out.added.push({ to, shotIndex: shot.index });
      else if (Math.abs(from.offsetS - to.offsetS) > MOVED_S) out.moved.push({ from, to, shotIndex: shot.index });
      else out.unchanged.push({ from, to, shotIndex: shot.index });
    }
  }
  for (const from of before.values()) out.removed.push({ from, shotIndex: from.shotIndex ?? 0 });
  return out;
}

/**
 * The new version's body: the base's temperature and speed of sound (the reviewer corrects
 * arrivals, not the weather), every shot solved from its picks, the round count kept except
 * for shots the reviewer added or left out.
 */
export function reviewerBody(
  base: StoredSolution | null,
  shots: readonly Shot[],
  ctx: SolveContext,
  temperatureSource: SolutionBody['temperatureSource'],
): SolutionBody {
  const before = new Set(base?.body.shots.map((s) => s.index) ?? []);
  const after = new Set(shots.map((s) => s.index));
  const added = [...after].filter((i) => !before.has(i)).length;
  const dropped = [...before].filter((i) => !after.has(i)).length;
  return {
    temperatureC: ctx.temperatureC,
    temperatureSource,
    speedOfSoundMs: speedOfSound(ctx.temperatureC),
    rounds: Math.max(shots.length, (base?.body.rounds ?? 0) + added - dropped),
    shots: [...shots].sort((a, b) => a.index - b.index),
  };
}
