import { fitPicks, fitPicksAt, type Hypothesis } from './hypothesis.ts';
import { bestFree, nearestFree, type Geometry, type Track } from './tracks.ts';

/** A shooter moves a few metres between rounds; a fix error adds a few more. */
export const SAME_SPOT_M = 25;

/**
 * The next round from the spot of a shot just found. Whatever bends its paths (a building in
 * the way, a sensor's position a few metres off) bends the next round's the same way, so a
 * round from the same spot repeats the shot's arrival pattern, shifted in time: a template
 * match with a gate of a few milliseconds, where a search from scratch needs the model's full
 * gate. Echoes almost never repeat the pattern on three sensors.
 */
export function sameSpot(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  shot: Hypothesis,
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number; minRoundGapS: number },
): Hypothesis | null {
  const shifts: { dt: number; k: number }[] = [];
  for (const k of shot.order) {
    const t = tracks[k]!,
      at = t.times[shot.picks[k]!]!;
    t.times.forEach((time, i) => {
      if (!taken[k]![i] && Math.abs(time - at) >= o.minRoundGapS) shifts.push({ dt: time - at, k });
    });
  }
  shifts.sort((a, b) => a.dt - b.dt);
  const need = Math.max(3, Math.ceil(shot.support / 2));
  let best: Hypothesis | null = null;
  for (let i = 0; i < shifts.length; i++) {
    const ks = new Set<number>();
    let sum = 0,
      m = 0;
    for (let j = i; j < shifts.length && shifts[j]!.dt <= shifts[i]!.dt + SAME_SPOT_GATE_S; j++) {
      ks.add(shifts[j]!.k);
      sum += shifts[j]!.dt;
      m++;
    }
    if (ks.size < need) continue;
    const dt = sum / m;
    const picks = new Int32Array(tracks.length).fill(-1);
    for (const k of shot.order) picks[k] = nearestFree(tracks[k]!, taken[k]!, tracks[k]!.times[shot.picks[k]!]! + dt, SAME_SPOT_GATE_S);
    // Where its own sensors cannot place it at all (three in about one direction from it), the
    // round is placed at the spot whose pattern it repeats.
    const h = fitPicks(tracks, picks, o) ?? fitPicksAt(tracks, picks, o, shot.fix);
    if (!h || h.support < need || Math.hypot(h.fix.x - shot.fix.x, h.fix.y - shot.fix.y) > SAME_SPOT_M) continue;
    if (shots.some((s) => Math.abs(s.fix.t0 - h.fix.t0) < o.minRoundGapS && !lone(s, shot, shots))) continue;
    // The same gun at the same spot is about as loud again on most sensors; echoes of it are not.
    const deficits = h.order.map((k) => tracks[k]!.levelDb[shot.picks[k]!]! - tracks[k]!.levelDb[h.picks[k]!]!).sort((a, b) => a - b);
    if (deficits[deficits.length >> 1]! > ROUND_LEVEL_SPREAD_DB) continue;
    const full = fillTemplate(tracks, taken, shot, h, dt, o);
    if (!best || full.support > best.support || (full.support === best.support && full.fix.t0 < best.fix.t0)) best = full;
  }
  return best;
}

/**
 * Whether an accepted shot that fires within a round's gap of a further round from the
 * template's spot refuses that round nothing: two rounds of one gun are never that close, but
 * a shot elsewhere that no further round repeats is no round of that gun (a rifle's cracks,
 * loud and first on most sensors, string with a stray blast into such a "shot"; a second gun
 * may fire at the same instant). A shot with company at its spot is a gun's: it still refuses.
 */
function lone(s: Hypothesis, template: Hypothesis, shots: readonly Hypothesis[]): boolean {
  const near = (a: Hypothesis, b: Hypothesis) => Math.hypot(a.fix.x - b.fix.x, a.fix.y - b.fix.y) <= SAME_SPOT_M;
  return !near(s, template) && !shots.some((f) => f !== s && near(f, s));
}

/**
 * A round matched on part of the template takes, on the template's other sensors, the free pick
 * that best supports the shifted template time within the model's gate: that sensor's pick for
 * the template shot may itself have been a few ms off (noise just before the blast), so the
 * tight gate missed it, but it heard this round as well.
 */
function fillTemplate(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  shot: Hypothesis,
  h: Hypothesis,
  dt: number,
  o: Geometry & { gateS: number },
): Hypothesis {
  const picks = h.picks.slice();
  let added = false;
  for (const k of shot.order) {
    if (picks[k]! >= 0) continue;
    const i = bestFree(tracks[k]!, taken[k]!, tracks[k]!.times[shot.picks[k]!]! + dt, o.gateS);
    if (i >= 0) {
      picks[k] = i;
      added = true;
    }
  }
  if (!added) return h;
  const f = fitPicks(tracks, picks, o);
  return f && f.fix.residualsS.every((r) => Math.abs(r) <= o.gateS) ? f : h;
}

/** How much quieter on most sensors a further round may be than the one before (aim, clipping, a step aside). */
export const ROUND_LEVEL_SPREAD_DB = 10;

/** How far a round from the same spot may stray from the pattern of the one before: picking jitter and a step of the shooter. */
export const SAME_SPOT_GATE_S = 0.004;

/** Shots grouped by spot (within SAME_SPOT_M of the group's first). */
export function spots(shots: readonly Hypothesis[]): Hypothesis[][] {
  const groups: Hypothesis[][] = [];
  for (const h of shots) {
    const g = groups.find((x) => Math.hypot(x[0]!.fix.x - h.fix.x, x[0]!.fix.y - h.fix.y) <= SAME_SPOT_M);
    if (g) g.push(h);
    else groups.push([h]);
  }
  return groups;
}
