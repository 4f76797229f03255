import { geometryFor, shotFromFix } from './model.ts';
import { solveFix } from './solve.ts';
import { speedOfSound, type PlainShot } from './types.ts';

/** A pick as a reviewer leaves it: the machine's, dragged, or added on a sensor the picker missed. */
export interface ReviewerPick {
  sensorId: string;
  /** Arrival, integer microseconds UTC. */
  timeUs: number;
}

/**
 * Re-solves one shot from exactly the picks given (a dropped sensor is simply absent): no
 * association, no outlier removal, since the reviewer's choice is the point. Pure and cheap
 * (tens of microseconds), so the core can call it on every drag and the map follows the hand.
 * Returns null with fewer than three picks on distinct, known sensors or a degenerate layout.
 */
export function relocateShot(
  picks: readonly ReviewerPick[],
  sensors: readonly { sensorId: string; local: { x: number; y: number; z: number | null } }[],
  o: { temperatureC: number; mode?: '2d' | '2.5d'; index?: number },
): PlainShot | null {
  const byId = new Map(sensors.map((s) => [s.sensorId, s]));
  const used = picks.filter((p, i) => byId.has(p.sensorId) && picks.findIndex((q) => q.sensorId === p.sensorId) === i && Number.isFinite(p.timeUs));
  if (used.length < 3) return null;
  const refUs = Math.min(...used.map((p) => p.timeUs));
  const c = speedOfSound(o.temperatureC);
  const local = used.map((p) => byId.get(p.sensorId)!.local);
  const fix = solveFix(
    used.map((p, i) => ({ ...local[i]!, t: (p.timeUs - refUs) / 1e6 })),
    geometryFor(local, c, o.mode ?? '2d'),
  );
  if (!fix) return null;
  return shotFromFix(
    fix,
    used.map((p) => p.sensorId),
    { index: o.index ?? 1, refUs, c },
  );
}
