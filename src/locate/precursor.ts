import { fitPicks, type Hypothesis } from './hypothesis.ts';
import { SAME_SPOT_GATE_S, spots } from './same-spot.ts';
import type { Fix } from './solve.ts';
import { observationsOf, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * The first arrival of a burst's rounds on a sensor a building shields. Nothing a source sends
 * reaches a sensor before its first arrival; an echo off a wall facing the sensor can be far
 * louder than the sound that came round the building, and be taken for the round (on three
 * sensors any three picks fit a source, so the fix cannot object). A weaker pulse that comes
 * before a located round's pick on one sensor, at the same lead before every round of the burst
 * there, is no chance clutter: it repeats with each round, so it is each round's own sound, and
 * it comes first. Those rounds take it on that sensor, and are fitted again.
 * In a fast burst heard by three sensors the first arrival of a round can fall in the coda of
 * the round before's echo and go unpicked: there the lead need repeat only before the first
 * round and MIN_ROUNDS in all, and the rounds without it are placed where those with it moved.
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
 * How far, in metres per metre of path the lead is worth, a round a lead moves may go: an
 * arrival earlier by the lead moves a three-sensor fix some c * lead, times the geometry's
 * dilution; a fix that goes much farther has flipped to its other solution or lost its footing.
 */
const MAX_SHIFT = 3;

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
      const three = rounds.every((h) => h.support === 3);
      const found = repeatedLead(
        t,
        rounds.map((h) => h.picks[k]!),
        taken,
        three,
      );
      if (found === null) continue;
      const { lead } = found,
        partial = found.n < rounds.length;
      let spot: Hypothesis | null = null;
      const moved = new Map<Hypothesis, Hypothesis>();
      for (const h of rounds) {
        const i = h.picks[k]!,
          want = t.times[i]! - lead;
        const j = precursor(t, i, want, taken);
        if (j < 0) continue;
        const picks = h.picks.slice();
        picks[k] = j;
        const again = fitPicks(tracks, picks, o);
        if (!again || !again.fix.residualsS.every((r) => Math.abs(r) <= o.gateS)) continue;
        if (partial && Math.hypot(again.fix.x - h.fix.x, again.fix.y - h.fix.y) > MAX_SHIFT * o.c * lead) continue;
        moved.set(h, again);
        spot ??= again;
      }
      // Rounds whose first arrival there went unpicked (in the coda of the round before): the
      // spot the others moved to, their pick on this sensor late by the lead.
      if (spot && partial) for (const h of rounds) if (!moved.has(h)) moved.set(h, lateAtSpot(tracks, h, k, spot.fix, o));
      out = out.map((h) => moved.get(h) ?? h);
    }
  }
  return out;
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
 * nothing precedes the first round save its own sound. `partial` (rounds heard by three
 * sensors only): the first round and MIN_ROUNDS in all will do, the lead most rounds share.
 */
function repeatedLead(t: Track, picks: readonly number[], taken: ReadonlySet<number>, partial: boolean): { lead: number; n: number } | null {
  let best: { lead: number; n: number } | null = null;
  const first = picks.reduce((a, p) => (t.times[p]! < t.times[a]! ? p : a), picks[0]!);
  for (const i of picks) {
    for (let j = i - 1; j >= 0 && t.times[i]! - t.times[j]! <= MAX_LEAD_S; j--) {
      if (taken.has(j) || t.levelDb[j]! >= t.levelDb[i]!) continue;
      const lead = t.times[i]! - t.times[j]!;
      const n = picks.filter((p) => precursor(t, p, t.times[p]! - lead, taken) >= 0).length;
      if (
        (n === picks.length || (partial && n >= MIN_ROUNDS && precursor(t, first, t.times[first]! - lead, taken) >= 0)) &&
        (!best || n > best.n || (n === best.n && lead > best.lead))
      )
        best = { lead, n };
    }
  }
  return best;
}

/**
 * A round placed at a spot, its emission time from the sensors but k, whose pick is late: kept
 * on the round (no other candidate may claim it) and marked so the report leaves it out.
 */
function lateAtSpot(tracks: readonly Track[], h: Hypothesis, k: number, spot: Fix, o: Geometry): Hypothesis {
  const at = { x: spot.x, y: spot.y, z: spot.z };
  const { obs, order } = observationsOf(tracks, h.picks);
  const travel = order.map((m) => travelS(tracks[m]!, at, o));
  const others = order.flatMap((m, i) => (m === k ? [] : [obs[i]!.t - travel[i]!]));
  const t0 = others.reduce((a, v) => a + v, 0) / others.length;
  const residualsS = obs.map((q, i) => q.t - t0 - travel[i]!);
  const rss = residualsS.reduce((a, r, i) => a + (order[i] === k ? 0 : r * r), 0);
  const lateS = residualsS[order.indexOf(k)]!;
  return { ...h, fix: { ...spot, t0, residualsS, rss, converged: true }, atSpot: { lateSensor: k, lateS } };
}
