import { grow, polish, settle, type Hypothesis, type SettleOptions } from './hypothesis.ts';
import { acceptable, MAX_RANGE_M, nearestSensorM } from './plausible.ts';
import { sameSpot } from './same-spot.ts';
import { crackSwap } from './crack-swap.ts';
import { echoOf, type EchoVerdict } from './echo.ts';
import { closedFormStarts } from './solve.ts';
import { isPreceded, maskedPicks, MISSED_LOG_P, nearestFree, precededPicks, travelS, type Track } from './tracks.ts';

/**
 * Association: which picks on which sensors are one shot. A consensus search: every triple of
 * strong picks on three sensors that sound could link gives one or two sources (closed form);
 * each grows into the largest set of picks that agree within the gate (hypothesis.ts). The
 * best supported are weighed together with the further rounds that repeat their arrival
 * pattern (same-spot.ts), the best such family is accepted if plausible (plausible.ts), its
 * picks are taken, and the search goes on with what is left, widening the seeds in stages.
 * Picks that follow a not-much-quieter pick closely, or are far quieter than one before, are
 * likely echoes: they may support a shot but never seed one (tracks.ts).
 */

export interface AssociateOptions extends SettleOptions {
  minRoundGapS: number;
  /** Per track, 1 where a pick is known to be no source's sound (a bullet's crack): never used. */
  excluded?: readonly Uint8Array[];
  /** Where given, candidates found to be echoes of accepted shots (images in a wall) are put here. */
  echoes?: SetAside[];
  /** Where given, accepted shots found on the blast behind a mix of cracks and blasts, with those cracks (crack-swap.ts). */
  swapped?: Swapped[];
}

/** A shot found on the blast behind a mix of cracks and blasts, and the cracks (pick per track, -1 where none). */
export interface Swapped {
  shot: Hypothesis;
  cracks: Int32Array;
}

/** A candidate set aside as the echo of a shot, with why (echo.ts). */
export interface SetAside {
  h: Hypothesis;
  verdict: EchoVerdict;
}

/** Picks per sensor tried as seeds, strongest first, in widening stages. */
const POOL_STAGES = [4, 8, 16];
/** Sensors whose picks seed the search (every sensor still verifies). */
const SEED_TRACKS = 8;
/** Most starts one stage of the search tries. */
const MAX_STARTS = 20_000;

export function associate(tracks: readonly Track[], o: AssociateOptions): Hypothesis[] {
  const taken = tracks.map((t, k) => (o.excluded ? o.excluded[k]!.slice() : new Uint8Array(t.times.length)));
  const shots: Hypothesis[] = [];
  for (const perTrack of POOL_STAGES) {
    const seeds = seedPicks(tracks, taken, perTrack);
    if (seeds.filter((p) => p.length > 0).length < 3) break;
    let starts = candidateStarts(tracks, taken, seeds, o);
    // Best supported first: the shots every sensor heard claim their picks before echoes
    // and noise can be strung together from them. A start's quick count (sensors near its
    // modelled arrivals) only orders the work: its settled support decides.
    for (;;) {
      starts = starts.filter((s) => (s.count = quickSupport(tracks, taken, s, o)) >= 3).sort((a, b) => b.count - a.count);
      const seen = new Set<string>();
      const cands: Hypothesis[] = [];
      let swap: { source: Hypothesis; image: Hypothesis; verdict: EchoVerdict } | null = null;
      let top = 0;
      for (const s of starts) {
        if (top > 0 && s.count < top - 1) break;
        if (s.settled === undefined || (s.settled && s.settled.picks.some((i, k) => i >= 0 && taken[k]![i]))) s.settled = settle(tracks, taken, s, o);
        const h = s.settled;
        if (!h || seen.has(h.picks.join(','))) continue;
        seen.add(h.picks.join(','));
        if (!acceptable(tracks, shots, h, o)) {
          swap ??= imageSwap(tracks, shots, h, o);
          continue;
        }
        cands.push(h);
        top = Math.max(top, h.support);
      }
      // An accepted shot that is the image of a candidate firing with it gives way to it.
      if (swap) {
        release(swap.image, shots, taken);
        o.echoes?.push({ h: swap.image, verdict: swap.verdict });
        accept(polish(tracks, taken, grow(tracks, taken, swap.source, o), o), shots, taken);
        continue;
      }
      const family = bestFamily(tracks, taken, shots, cands, o);
      if (!family) break;
      for (const h of family) acceptBlast(tracks, polish(tracks, taken, grow(tracks, taken, h, o), o), shots, taken, o);
    }
  }
  return shots.sort((a, b) => a.fix.t0 - b.fix.t0);
}

/** Candidates within this score of the best are weighed with the rounds that repeat them. */
const FAMILY_MARGIN = 8;
const FAMILY_CANDIDATES = 6;

/**
 * The best candidate together with the further rounds that repeat its arrival pattern (a
 * shooter's rounds share every bend of their paths): of two explanations of one blast, the
 * one whose pattern recurs explains the alert better than a chance mix of rounds and echoes
 * that fits as well alone.
 */
function bestFamily(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  shots: readonly Hypothesis[],
  cands: Hypothesis[],
  o: AssociateOptions,
): Hypothesis[] | null {
  if (cands.length === 0) return null;
  cands.sort((a, b) => b.score - a.score);
  let best: Hypothesis[] | null = null,
    bestScore = -Infinity;
  for (const h of cands.slice(0, FAMILY_CANDIDATES)) {
    if (h.score < cands[0]!.score - FAMILY_MARGIN) break;
    const trial = taken.map((t) => t.slice());
    const members = [h];
    const all = [...shots, h];
    h.picks.forEach((i, k) => {
      if (i >= 0) trial[k]![i] = 1;
    });
    for (let more = sameSpot(tracks, trial, h, all, o); more; more = sameSpot(tracks, trial, h, all, o)) {
      members.push(more);
      all.push(more);
      more.picks.forEach((i, k) => {
        if (i >= 0) trial[k]![i] = 1;
      });
    }
    // Further rounds add what they say for the family, never less than nothing: a round made of
    // picks that each follow the round before says little by itself (tracks.ts), and a sensor
    // silent for them all would otherwise count the same silence once per round.
    const score = members.reduce((sum, m, i) => sum + (i === 0 ? m.score : Math.max(0, m.score)), 0) + heardFirstLogP(tracks, taken, shots, h, o);
    if (score > bestScore) {
      bestScore = score;
      best = members;
    }
  }
  return best;
}

/**
 * What the alert's first family says against itself where its first round, on some sensor,
 * takes a pick that closely follows a free one not much quieter: the gun's sound reached that
 * sensor before the round the family starts with, and nothing explains it. That first round is
 * a reflection or a later round taken for the first (a sensor a building shields hears a wall's
 * echo loud and late, and the search strings it with a later round's direct sound elsewhere),
 * counted as the sensor's silence is. Only the first family of the search (every free pick
 * then is still the alert's own), and only with two spare sensors or more: fewer fit any picks
 * exactly, and the penalty would trade a family that a clean fix holds for a chance triple.
 */
function heardFirstLogP(tracks: readonly Track[], taken: readonly Uint8Array[], shots: readonly Hypothesis[], h: Hypothesis, o: AssociateOptions): number {
  if (shots.length > 0 || o.excluded || h.support < HEARD_FIRST_MIN_SUPPORT) return 0;
  const n = h.order.filter((k) => isPreceded(tracks[k]!.times, tracks[k]!.levelDb, h.picks[k]!, taken[k])).length;
  return MISSED_LOG_P * n;
}
/** Sensors a first family stands on before what came before its first round counts against it. */
const HEARD_FIRST_MIN_SUPPORT = 5;

function accept(h: Hypothesis, shots: Hypothesis[], taken: Uint8Array[]): void {
  shots.push(h);
  h.picks.forEach((i, k) => {
    if (i >= 0) taken[k]![i] = 1;
  });
}

/** Accepts a shot, or the blast behind it where it mixes cracks and blasts (crack-swap.ts): the cracks are then taken too. */
function acceptBlast(tracks: readonly Track[], h: Hypothesis, shots: Hypothesis[], taken: Uint8Array[], o: AssociateOptions): void {
  const swap = crackSwap(tracks, taken, h, o);
  if (!swap || !acceptable(withoutCracks(tracks, swap.cracks, o.excluded), shots, swap.shot, o)) return accept(h, shots, taken);
  swap.cracks.forEach((i, k) => {
    if (i >= 0) taken[k]![i] = 1;
  });
  const shot = polish(tracks, taken, swap.shot, o);
  accept(shot, shots, taken);
  o.swapped?.push({ shot, cracks: swap.cracks });
}

/** The tracks with their level rules redone as if the given cracks were not there: the blast after a crack is no echo of it. */
function withoutCracks(tracks: readonly Track[], cracks: Int32Array, excluded: readonly Uint8Array[] | undefined): Track[] {
  return tracks.map((t, k) => {
    if (cracks[k]! < 0) return t;
    const ignored = excluded ? excluded[k]!.slice() : new Uint8Array(t.times.length);
    ignored[cracks[k]!] = 1;
    return { ...t, masked: maskedPicks(t.times, t.levelDb, ignored), preceded: precededPicks(t.times, t.levelDb, ignored) };
  });
}

function release(h: Hypothesis, shots: Hypothesis[], taken: Uint8Array[]): void {
  shots.splice(shots.indexOf(h), 1);
  h.picks.forEach((i, k) => {
    if (i >= 0) taken[k]![i] = 0;
  });
}

/**
 * A candidate refused for firing with an accepted shot (two rounds are never that close): the
 * one may be the other's image in a wall (echo.ts). Where the candidate is, it is set aside as
 * that shot's echo (o.echoes); where the accepted shot is the candidate's image, the two
 * change places. Else null.
 */
function imageSwap(
  tracks: readonly Track[],
  shots: readonly Hypothesis[],
  h: Hypothesis,
  o: AssociateOptions,
): { source: Hypothesis; image: Hypothesis; verdict: EchoVerdict } | null {
  const rivals = shots.filter((s) => Math.abs(s.fix.t0 - h.fix.t0) < o.minRoundGapS);
  if (
    rivals.length !== 1 ||
    !acceptable(
      tracks,
      shots.filter((s) => s !== rivals[0]),
      h,
      o,
      true,
    )
  )
    return null;
  const sigma = o.gateS / 3;
  const mine = echoOf(tracks, h, rivals, o, sigma);
  if (mine?.image) {
    if (o.echoes && !o.echoes.some((e) => e.h.picks.join(',') === h.picks.join(','))) o.echoes.push({ h, verdict: mine });
    return null;
  }
  const theirs = echoOf(tracks, rivals[0]!, [h], o, sigma);
  return theirs?.image ? { source: h, image: rivals[0]!, verdict: { ...theirs, of: h } } : null;
}

/** Per track, its strongest free picks (indices), on the seed tracks only: those with the strongest picks. */
function seedPicks(tracks: readonly Track[], taken: readonly Uint8Array[], perTrack: number): number[][] {
  const free = tracks.map((t, k) => {
    const idx: number[] = [];
    for (let i = 0; i < t.times.length; i++) if (!taken[k]![i] && !t.masked[i] && !t.preceded[i]) idx.push(i);
    return idx.sort((a, b) => t.snrDb[b]! - t.snrDb[a]!).slice(0, perTrack);
  });
  const top = (k: number) => (free[k]!.length ? tracks[k]!.snrDb[free[k]![0]!]! : -Infinity);
  const seedTracks = new Set(
    tracks
      .map((_, k) => k)
      .filter((k) => free[k]!.length > 0)
      .sort((a, b) => top(b) - top(a))
      .slice(0, SEED_TRACKS),
  );
  return free.map((f, k) => (seedTracks.has(k) ? f : []));
}

interface Start {
  x: number;
  y: number;
  z: number | null;
  t0: number;
  count: number;
  settled?: Hypothesis | null;
}

/** Every triple of seed picks on three sensors that sound could link, as the one or two sources it gives. */
function candidateStarts(tracks: readonly Track[], taken: readonly Uint8Array[], seeds: number[][], o: AssociateOptions): Start[] {
  // Sensors with the strongest seed first: triples of them are tried before weaker ones.
  const ks = seeds
    .map((p, k) => k)
    .filter((k) => seeds[k]!.length > 0)
    .sort((a, b) => tracks[b]!.snrDb[seeds[b]![0]!]! - tracks[a]!.snrDb[seeds[a]![0]!]!);
  const out: Start[] = [];
  const z = o.elevation?.priorZ ?? null;
  for (let a = 0; a < ks.length; a++)
    for (let b = a + 1; b < ks.length; b++)
      for (let c = b + 1; c < ks.length; c++) {
        const [ta, tb, tc] = [tracks[ks[a]!]!, tracks[ks[b]!]!, tracks[ks[c]!]!];
        const lab = pairSpan(ta, tb, o),
          lac = pairSpan(ta, tc, o),
          lbc = pairSpan(tb, tc, o);
        for (const i of seeds[ks[a]!]!)
          for (const j of seeds[ks[b]!]!) {
            if (Math.abs(ta.times[i]! - tb.times[j]!) > lab) continue;
            for (const k of seeds[ks[c]!]!) {
              if (Math.abs(ta.times[i]! - tc.times[k]!) > lac || Math.abs(tb.times[j]! - tc.times[k]!) > lbc) continue;
              const obs = [
                { x: ta.x, y: ta.y, z: ta.z, t: ta.times[i]! },
                { x: tb.x, y: tb.y, z: tb.z, t: tb.times[j]! },
                { x: tc.x, y: tc.y, z: tc.z, t: tc.times[k]! },
              ];
              for (const s of closedFormStarts(obs, o.c)) {
                if (nearestSensorM(tracks, s) > MAX_RANGE_M) continue;
                out.push({ ...s, z, count: 0 });
              }
              // A bound on the work for clips thick with pulses on many sensors: what is cut is the
              // triples of the sensors with the weakest seeds.
              if (out.length >= MAX_STARTS) return out;
            }
          }
      }
  return out;
}

/** Sensors with a free pick within the gate of a start's modelled arrival. */
function quickSupport(tracks: readonly Track[], taken: readonly Uint8Array[], s: Start, o: AssociateOptions): number {
  let n = 0;
  for (let k = 0; k < tracks.length; k++) if (nearestFree(tracks[k]!, taken[k]!, s.t0 + travelS(tracks[k]!, s, o), o.gateS) >= 0) n++;
  return n;
}

const pairSpan = (a: Track, b: Track, o: AssociateOptions) => Math.hypot(a.x - b.x, a.y - b.y, (a.z ?? 0) - (b.z ?? 0)) / o.c + o.gateS;
