import type { Hypothesis } from './hypothesis.ts';
import { anyPickNear, ECHO_WINDOW_S, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * Whether a candidate shot may be accepted beside those already accepted:
 * - at least three sensors, and not beyond earshot of every one of them;
 * - its emission at least `minRoundGapS` from every accepted shot's: two rounds of one gun
 *   cannot be closer, and a reflection off a wall near the shooter looks like a second source
 *   firing at the very same instant (its image in the wall);
 * - the sensors that should have heard it did: a shot near sensors that stayed quiet while
 *   farther ones heard it is more likely echoes that happen to line up;
 * - at least three of its picks stand out from what came before them on their sensor;
 * - it is not made of what accepted shots' echoes could be (further rounds from an accepted
 *   shot's spot repeat its arrival pattern and are found by it, in same-spot.ts).
 * anyTime: all but the emission-time rule (a candidate that fires with an accepted shot may be
 * its image in a wall, or the shot the accepted one is an image of: associate.ts tells).
 */
export function acceptable(
  tracks: readonly Track[],
  shots: readonly Hypothesis[],
  h: Hypothesis,
  o: Geometry & { gateS: number; minRoundGapS: number },
  anyTime = false,
): boolean {
  if (h.support < 3 || nearestSensorM(tracks, h.fix) > MAX_RANGE_M) return false;
  if (!anyTime && shots.some((s) => Math.abs(s.fix.t0 - h.fix.t0) < o.minRoundGapS)) return false;
  if (silentNearSensors(tracks, h, o) >= h.support - 1) return false;
  if (h.order.filter((k) => !tracks[k]!.masked[h.picks[k]!] && !tracks[k]!.preceded[h.picks[k]!]).length < 3) return false;
  if (echoMade(tracks, shots, h)) return false;
  return true;
}

/**
 * Whether a hypothesis is made of what accepted shots' echoes could be: all its picks but one
 * come after an accepted shot's pick on their sensor, within the echo window, and on average
 * they are clearly quieter than those. Single echoes may be louder than the direct sound (a
 * wall facing the sensor, a building shielding the direct path); echoes as a whole are not,
 * while a second shooter's blasts are as loud as the first one's.
 */
function echoMade(tracks: readonly Track[], shots: readonly Hypothesis[], h: Hypothesis): boolean {
  let echoes = 0,
    deficit = 0;
  for (const k of h.order) {
    const t = tracks[k]!,
      i = h.picks[k]!;
    let parent = -1;
    for (const s of shots) {
      const p = s.picks[k]!;
      if (p < 0) continue;
      const dt = t.times[i]! - t.times[p]!;
      if (dt > 0 && dt < ECHO_WINDOW_S && (parent < 0 || t.times[p]! > t.times[parent]!)) parent = p;
    }
    if (parent < 0) continue;
    echoes++;
    deficit += t.levelDb[parent]! - t.levelDb[i]!;
  }
  return echoes >= h.support - 1 && deficit / Math.max(1, echoes) >= ECHO_DEFICIT_DB;
}

/** How much quieter echoes are on average than the sounds they follow, at the least. */
const ECHO_DEFICIT_DB = 6;

/**
 * Sensors not in the shot that lie nearer the fix than its farthest supporting sensor, whose clip
 * covers the modelled arrival, and that recorded no pulse at all near it.
 */
function silentNearSensors(tracks: readonly Track[], h: Hypothesis, o: Geometry & { gateS: number }): number {
  const at = { x: h.fix.x, y: h.fix.y, z: h.fix.z };
  let farthest = 0;
  for (const k of h.order) farthest = Math.max(farthest, travelS(tracks[k]!, at, o));
  let silent = 0;
  tracks.forEach((t, k) => {
    if (h.picks[k]! >= 0) return;
    const tt = travelS(t, at, o);
    const arrival = h.fix.t0 + tt;
    if (tt < farthest && arrival > t.startS + 0.02 && arrival < t.endS - 0.01 && !anyPickNear(t, arrival, o.gateS)) silent++;
  });
  return silent;
}

/** Gunfire is not heard by a sensor further than this: a fix beyond it is echoes lining up by chance. */
export const MAX_RANGE_M = 3000;

export function nearestSensorM(tracks: readonly Track[], p: { x: number; y: number }): number {
  let d = Infinity;
  for (const t of tracks) d = Math.min(d, Math.hypot(t.x - p.x, t.y - p.y));
  return d;
}
