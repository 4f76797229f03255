import { fitPicks, type Hypothesis } from './hypothesis.ts';
import { SAME_SPOT_GATE_S, SAME_SPOT_M } from './same-spot.ts';
import type { Geometry, Track } from './tracks.ts';

/**
 * The first arrival of a burst's rounds on a sensor a building shields. Nothing a source sends
 * reaches a sensor before its first arrival; an echo off a wall facing the sensor can be far
 * louder than the sound that came round the building, and be taken for the round (on three
 * sensors any three picks fit a source, so the fix cannot object). A weaker pulse that comes
 * before a located round's pick on one sensor, at the same lead before every round of the burst
 * there, is no chance clutter: it repeats with each round, so it is each round's own sound, and
 * it comes first. Those rounds take it on that sensor, and are fitted again.
 */

/** Rounds from one spot a lead must repeat over before it is taken as theirs. */
const MIN_ROUNDS = 3;
/**
 * The longest lead taken: the echo a round's pick may be comes off a wall near the shielded
 * sensor, not only round the building's detour (MAX_LATE_S); a facade up to some 80 m behind
 * it sends each round back this much after the sound that came round. Nothing before the
 * burst's first round repeats at a steady lead before every round save the bullets' cracks,
 * which are set aside, so a longer lead than the detour cannot find what is not there.
 */
const MAX_LEAD_S = 0.5;

/**
 * The rounds, each with its first arrival where a burst's repeats before it; `cracks`: the picks
 * found to be bullets' cracks, which also come before every round at a steady lead, and are not
 * the blast's sound.
 */
export function firstArrivals(
  tracks: readonly Track[],
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number },
  cracks: readonly { picks: Int32Array }[] = [],
): Hypothesis[] {
  let out = [...shots];
  for (const group of spots(out)) {
    if (group.length < MIN_ROUNDS) continue;
    for (let k = 0; k < tracks.length; k++) {
      const t = tracks[k]!;
      const rounds = group.filter((h) => h.picks[k]! >= 0);
      if (rounds.length < MIN_ROUNDS) continue;
      const taken = new Set([...out, ...cracks].map((h) => h.picks[k]!).filter((i) => i >= 0));
      const lead = repeatedLead(
        t,
        rounds.map((h) => h.picks[k]!),
        taken,
      );
      if (lead === null) continue;
      out = out.map((h) => {
        if (!rounds.includes(h)) return h;
        const i = h.picks[k]!,
          want = t.times[i]! - lead;
        const j = precursor(t, i, want, taken);
        if (j < 0) return h;
        const picks = h.picks.slice();
        picks[k] = j;
        const again = fitPicks(tracks, picks, o);
        return again && again.fix.residualsS.every((r) => Math.abs(r) <= o.gateS) ? again : h;
      });
    }
  }
  return out;
}

/** Shots grouped by spot (within SAME_SPOT_M of the group's first). */
function spots(shots: readonly Hypothesis[]): Hypothesis[][] {
  const groups: Hypothesis[][] = [];
  for (const h of shots) {
    const g = groups.find((x) => Math.hypot(x[0]!.fix.x - h.fix.x, x[0]!.fix.y - h.fix.y) <= SAME_SPOT_M);
    if (g) g.push(h);
    else groups.push([h]);
  }
  return groups;
}

/** The free, weaker pick at a lead before pick i (within the same-spot gate), or -1. */
function precursor(t: Track, i: number, want: number, taken: ReadonlySet<number>): number {
  let best = -1;
  for (let j = i - 1; j >= 0 && t.times[j]! >= want - SAME_SPOT_GATE_S; j--) {
    if (taken.has(j) || t.times[j]! > want + SAME_SPOT_GATE_S || t.levelDb[j]! >= t.levelDb[i]!) continue;
    if (best < 0 || Math.abs(t.times[j]! - want) < Math.abs(t.times[best]! - want)) best = j;
  }
  return best;
}

/**
 * A lead (seconds, up to MAX_LEAD_S) at which every one of the rounds' picks has a
 * free, weaker pick before it, to within the same-spot gate, or null. Every one, the first
 * included: in a steady burst the echoes of each round precede the next at a steady lead, but
 * nothing precedes the first round save its own sound.
 */
function repeatedLead(t: Track, picks: readonly number[], taken: ReadonlySet<number>): number | null {
  let best: { lead: number; n: number } | null = null;
  for (const i of picks) {
    for (let j = i - 1; j >= 0 && t.times[i]! - t.times[j]! <= MAX_LEAD_S; j--) {
      if (taken.has(j) || t.levelDb[j]! >= t.levelDb[i]!) continue;
      const lead = t.times[i]! - t.times[j]!;
      const n = picks.filter((p) => precursor(t, p, t.times[p]! - lead, taken) >= 0).length;
      if (n === picks.length && (!best || lead > best.lead)) best = { lead, n };
    }
  }
  return best?.lead ?? null;
}
