import { fitPicks, type Hypothesis } from './hypothesis.ts';
import { SAME_SPOT_GATE_S, spots } from './same-spot.ts';
import { firstAtOrAfter, MAX_LATE_S, nearestFree, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * A burst's rounds that leave out a sensor which heard every one of them. A sensor a building
 * shields hears a facade's reflection, loud and late; the search and its last touches can keep
 * that pick and drop a clean sensor instead (the fit bends towards the reflection, and the clean
 * sensor is then the one the others predict worst). The rounds of one gun share every path, so
 * a clean sensor's own sound repeats at one lead after each round's emission, a pattern no
 * other sensor's reflections spoil: where a sensor the rounds leave out has such picks, free,
 * for every round, each round takes them in place of the one sensor whose picks, all late
 * against the new fit (a reflection never comes early), leave the rounds fitting best, when that
 * explains the burst better than its rounds did.
 */

/** Rounds from one spot a left-out sensor's pattern must repeat over: two already fix the gap between them to the same-spot gate. */
const MIN_ROUNDS = 2;
/** Sensors the rounds keep at the least after one is exchanged: a spare to judge the fit by. */
const MIN_SUPPORT = 4;

export function leftOutSensors(tracks: readonly Track[], shots: readonly Hypothesis[], o: Geometry & { gateS: number }): Hypothesis[] {
  let out = [...shots];
  for (const group of spots(out)) {
    if (group.length < MIN_ROUNDS || group.some((h) => h.support < MIN_SUPPORT)) continue;
    const taken = tracks.map((t, k) => {
      const mark = new Uint8Array(t.times.length);
      for (const h of out) if (h.picks[k]! >= 0) mark[h.picks[k]!] = 1;
      return mark;
    });
    let best: { rounds: Hypothesis[]; score: number } | null = null;
    for (let k = 0; k < tracks.length; k++) {
      if (group.some((h) => h.picks[k]! >= 0)) continue;
      for (const picks of repeatedPicks(tracks[k]!, group, taken[k]!)) {
        for (const j of group[0]!.order) {
          const rounds = exchanged(tracks, group, k, picks, j, o);
          const score = rounds?.reduce((sum, h) => sum + h.score, 0);
          if (rounds && score !== undefined && (!best || score > best.score)) best = { rounds, score };
        }
      }
    }
    const before = group.reduce((sum, h) => sum + h.score, 0);
    if (!best || best.score <= before) continue;
    const rounds = best.rounds;
    out = out.map((h) => (group.includes(h) ? rounds[group.indexOf(h)]! : h));
  }
  return out.sort((a, b) => a.fix.t0 - b.fix.t0);
}

/**
 * The rounds with sensor k on the given picks in place of sensor j, each refitted; null unless
 * every round still fits within the gate and every one of j's picks comes after the arrival
 * the new fit puts there (by more than the rounds' own scatter: a reflection is late).
 */
function exchanged(
  tracks: readonly Track[],
  group: readonly Hypothesis[],
  k: number,
  picks: readonly number[],
  j: number,
  o: Geometry & { gateS: number },
): Hypothesis[] | null {
  const out: Hypothesis[] = [];
  for (let r = 0; r < group.length; r++) {
    const h = group[r]!;
    if (h.picks[j]! < 0) return null;
    const p = h.picks.slice();
    p[k] = picks[r]!;
    p[j] = -1;
    const f = fitPicks(tracks, p, o);
    if (!f || f.fix.residualsS.some((x) => Math.abs(x) > o.gateS)) return null;
    const t = tracks[j]!;
    const late = t.times[h.picks[j]!]! - f.fix.t0 - travelS(t, { x: f.fix.x, y: f.fix.y, z: f.fix.z }, o);
    const scatter = Math.sqrt(f.fix.rss / Math.max(1, f.support - 3));
    if (late <= Math.max(3 * scatter, SAME_SPOT_GATE_S)) return null;
    out.push(f);
  }
  return out;
}

/**
 * Sets of free picks on a track, one per round, at one lead after each round's emission (to the
 * same-spot gate): the lead taken from each of the first round's free picks within earshot.
 */
function repeatedPicks(t: Track, group: readonly Hypothesis[], taken: Uint8Array): number[][] {
  const out: number[][] = [];
  const first = group[0]!.fix.t0;
  for (let i = firstAtOrAfter(t.times, first); i < t.times.length && t.times[i]! - first <= MAX_LEAD_S; i++) {
    if (taken[i] || t.preceded[i] || t.masked[i]) continue;
    const lead = t.times[i]! - first;
    const picks = group.map((h) => nearestFree(t, taken, h.fix.t0 + lead, SAME_SPOT_GATE_S));
    if (picks.every((p) => p >= 0)) out.push(picks);
  }
  return out;
}

/** The longest travel a left-out sensor's lead may stand for: gunfire's earshot, plus a building's detour. */
const MAX_LEAD_S = 3000 / 330 + MAX_LATE_S;
