import { closedFormStarts } from './solve.ts';
import { fitPicks, polish, settle, type Hypothesis, type SettleOptions } from './hypothesis.ts';
import { anyPickNear, ECHO_WINDOW_S, nearestFree, travelS, type Track } from './tracks.ts';

/**
 * Association: which picks on which sensors are one shot. Consensus search in time order:
 * take the earliest picks still free on every sensor, fit every triple of them from three
 * sensors (the closed form gives each triple's one or two sources), grow each into the largest
 * set of picks that agree within the gate, and accept the best if it passes the checks below.
 * Once a shot is found, later rounds from the same spot are looked for directly (a burst is
 * one shooter). When the earliest picks explain nothing, they are set aside as echoes or noise.
 *
 * Checks on a candidate shot:
 * - at least three sensors;
 * - its emission is at least `minRoundGapS` from every accepted shot's: two rounds of one gun
 *   cannot be closer, and a reflection off a wall near the shooter looks like a second source
 *   firing at the very same instant (its image in the wall);
 * - the sensors that should have heard it did: a shot near sensors that stayed quiet while
 *   farther ones heard it is more likely echoes that happen to line up.
 */

export interface AssociateOptions extends SettleOptions {
  minRoundGapS: number;
}

/** Picks per sensor tried as seeds, strongest first, in widening stages. */
const POOL_STAGES = [4, 8, 16];
/** Sensors whose picks seed the search (every sensor still verifies). */
const SEED_TRACKS = 8;

export function associate(tracks: readonly Track[], o: AssociateOptions): Hypothesis[] {
  const taken = tracks.map((t) => new Uint8Array(t.times.length));
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
      let top = 0;
      for (const s of starts) {
        if (top > 0 && s.count < top - 1) break;
        if (s.settled === undefined || (s.settled && s.settled.picks.some((i, k) => i >= 0 && taken[k]![i]))) s.settled = settle(tracks, taken, s, o);
        const h = s.settled;
        if (!h || seen.has(h.picks.join(',')) || !acceptable(tracks, shots, h, o)) continue;
        seen.add(h.picks.join(','));
        cands.push(h);
        top = Math.max(top, h.support);
      }
      const family = bestFamily(tracks, taken, shots, cands, o);
      if (!family) break;
      for (const h of family) accept(polish(tracks, taken, h, o), shots, taken);
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
function bestFamily(tracks: readonly Track[], taken: readonly Uint8Array[], shots: readonly Hypothesis[], cands: Hypothesis[], o: AssociateOptions): Hypothesis[] | null {
  if (cands.length === 0) return null;
  cands.sort((a, b) => b.score - a.score);
  let best: Hypothesis[] | null = null, bestScore = -Infinity;
  for (const h of cands.slice(0, FAMILY_CANDIDATES)) {
    if (h.score < cands[0]!.score - FAMILY_MARGIN) break;
    const trial = taken.map((t) => t.slice());
    const members = [h];
    const all = [...shots, h];
    h.picks.forEach((i, k) => { if (i >= 0) trial[k]![i] = 1; });
    for (let more = sameSpot(tracks, trial, h, all, o); more; more = sameSpot(tracks, trial, h, all, o)) {
      members.push(more);
      all.push(more);
      more.picks.forEach((i, k) => { if (i >= 0) trial[k]![i] = 1; });
    }
    const score = members.reduce((sum, m) => sum + m.score, 0);
    if (score > bestScore) { bestScore = score; best = members; }
  }
  return best;
}

function accept(h: Hypothesis, shots: Hypothesis[], taken: Uint8Array[]): void {
  shots.push(h);
  h.picks.forEach((i, k) => { if (i >= 0) taken[k]![i] = 1; });
}

/** Per track, its strongest free picks (indices), on the seed tracks only: those with the strongest picks. */
function seedPicks(tracks: readonly Track[], taken: readonly Uint8Array[], perTrack: number): number[][] {
  const free = tracks.map((t, k) => {
    const idx: number[] = [];
    for (let i = 0; i < t.times.length; i++) if (!taken[k]![i] && !t.masked[i] && !t.preceded[i]) idx.push(i);
    return idx.sort((a, b) => t.snrDb[b]! - t.snrDb[a]!).slice(0, perTrack);
  });
  const top = (k: number) => (free[k]!.length ? tracks[k]!.snrDb[free[k]![0]!]! : -Infinity);
  const seedTracks = new Set(tracks.map((_, k) => k).filter((k) => free[k]!.length > 0).sort((a, b) => top(b) - top(a)).slice(0, SEED_TRACKS));
  return free.map((f, k) => (seedTracks.has(k) ? f : []));
}

interface Start { x: number; y: number; z: number | null; t0: number; count: number; settled?: Hypothesis | null }

/** Every triple of seed picks on three sensors that sound could link, as the one or two sources it gives. */
function candidateStarts(tracks: readonly Track[], taken: readonly Uint8Array[], seeds: number[][], o: AssociateOptions): Start[] {
  const ks = seeds.map((p, k) => k).filter((k) => seeds[k]!.length > 0);
  const out: Start[] = [];
  const z = o.elevation?.priorZ ?? null;
  for (let a = 0; a < ks.length; a++) for (let b = a + 1; b < ks.length; b++) for (let c = b + 1; c < ks.length; c++) {
    const [ta, tb, tc] = [tracks[ks[a]!]!, tracks[ks[b]!]!, tracks[ks[c]!]!];
    const lab = pairSpan(ta, tb, o), lac = pairSpan(ta, tc, o), lbc = pairSpan(tb, tc, o);
    for (const i of seeds[ks[a]!]!) for (const j of seeds[ks[b]!]!) {
      if (Math.abs(ta.times[i]! - tb.times[j]!) > lab) continue;
      for (const k of seeds[ks[c]!]!) {
        if (Math.abs(ta.times[i]! - tc.times[k]!) > lac || Math.abs(tb.times[j]! - tc.times[k]!) > lbc) continue;
        const obs = [{ x: ta.x, y: ta.y, z: ta.z, t: ta.times[i]! }, { x: tb.x, y: tb.y, z: tb.z, t: tb.times[j]! }, { x: tc.x, y: tc.y, z: tc.z, t: tc.times[k]! }];
        for (const s of closedFormStarts(obs, o.c)) {
          if (nearestSensorM(tracks, s) > MAX_RANGE_M) continue;
          out.push({ ...s, z, count: 0 });
        }
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

/** Gunfire is not heard by a sensor further than this: a fix beyond it is echoes lining up by chance. */
const MAX_RANGE_M = 3000;

function nearestSensorM(tracks: readonly Track[], p: { x: number; y: number }): number {
  let d = Infinity;
  for (const t of tracks) d = Math.min(d, Math.hypot(t.x - p.x, t.y - p.y));
  return d;
}

const pairSpan = (a: Track, b: Track, o: AssociateOptions) => Math.hypot(a.x - b.x, a.y - b.y, (a.z ?? 0) - (b.z ?? 0)) / o.c + o.gateS;

/**
 * The better of candidate shots: the higher score (strong picks that fit). Between equally
 * supported explanations of one emission the earlier picks win (a direct path beats its echo).
 */
export function bestOf(hs: readonly Hypothesis[]): Hypothesis | null {
  let best: Hypothesis | null = null;
  for (const h of hs) if (!best || isBetter(h, best)) best = h;
  return best;
}

function isBetter(a: Hypothesis, b: Hypothesis): boolean {
  if (Math.abs(a.fix.t0 - b.fix.t0) < 0.045 && Math.abs(a.meanArrivalS - b.meanArrivalS) > 0.002 && a.support === b.support) return a.meanArrivalS < b.meanArrivalS;
  return a.score > b.score;
}

function acceptable(tracks: readonly Track[], shots: readonly Hypothesis[], h: Hypothesis, o: AssociateOptions): boolean {
  if (h.support < 3 || nearestSensorM(tracks, h.fix) > MAX_RANGE_M) return false;
  if (shots.some((s) => Math.abs(s.fix.t0 - h.fix.t0) < o.minRoundGapS)) return false;
  if (silentNearSensors(tracks, h, o) >= h.support - 1) return false;
  // At least three of its picks must stand out from what came before them on their sensor.
  if (h.order.filter((k) => !tracks[k]!.masked[h.picks[k]!] && !tracks[k]!.preceded[h.picks[k]!]).length < 3) return false;
  // Made of what earlier shots' echoes could be: not a shot of its own. Further rounds from an
  // accepted shot's spot repeat its arrival pattern and are found by it (sameSpot).
  if (echoMade(tracks, shots, h)) return false;
  return true;
}

/** A shooter moves a few metres between rounds; a fix error adds a few more. */
const SAME_SPOT_M = 25;

/**
 * Whether a hypothesis is made of what accepted shots' echoes could be: all its picks but one
 * come after an accepted shot's pick on their sensor, within the echo window, and on average
 * they are clearly quieter than those. Single echoes may be louder than the direct sound (a
 * wall facing the sensor, a building shielding the direct path); echoes as a whole are not,
 * while a second shooter's blasts are as loud as the first one's.
 */
function echoMade(tracks: readonly Track[], shots: readonly Hypothesis[], h: Hypothesis): boolean {
  let echoes = 0, deficit = 0;
  for (const k of h.order) {
    const t = tracks[k]!, i = h.picks[k]!;
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

function silentNearSensors(tracks: readonly Track[], h: Hypothesis, o: AssociateOptions): number {
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

/**
 * The next round from the spot of a shot just found. Whatever bends its paths (a building in
 * the way, a sensor's position a few metres off) bends the next round's the same way, so a
 * round from the same spot repeats the shot's arrival pattern, shifted in time: a template
 * match with a gate of a few milliseconds, where a search from scratch needs the model's full
 * gate. Echoes almost never repeat the pattern on three sensors.
 */
function sameSpot(tracks: readonly Track[], taken: readonly Uint8Array[], shot: Hypothesis, shots: readonly Hypothesis[], o: AssociateOptions): Hypothesis | null {
  const shifts: { dt: number; k: number }[] = [];
  for (const k of shot.order) {
    const t = tracks[k]!, at = t.times[shot.picks[k]!]!;
    t.times.forEach((time, i) => { if (!taken[k]![i] && Math.abs(time - at) >= o.minRoundGapS) shifts.push({ dt: time - at, k }); });
  }
  shifts.sort((a, b) => a.dt - b.dt);
  const need = Math.max(3, Math.ceil(shot.support / 2));
  let best: Hypothesis | null = null;
  for (let i = 0; i < shifts.length; i++) {
    const ks = new Set<number>();
    let sum = 0, m = 0;
    for (let j = i; j < shifts.length && shifts[j]!.dt <= shifts[i]!.dt + SAME_SPOT_GATE_S; j++) { ks.add(shifts[j]!.k); sum += shifts[j]!.dt; m++; }
    if (ks.size < need) continue;
    const dt = sum / m;
    const picks = new Int32Array(tracks.length).fill(-1);
    for (const k of shot.order) picks[k] = nearestFree(tracks[k]!, taken[k]!, tracks[k]!.times[shot.picks[k]!]! + dt, SAME_SPOT_GATE_S);
    const h = fitPicks(tracks, picks, o);
    if (!h || h.support < need || Math.hypot(h.fix.x - shot.fix.x, h.fix.y - shot.fix.y) > SAME_SPOT_M) continue;
    if (shots.some((s) => Math.abs(s.fix.t0 - h.fix.t0) < o.minRoundGapS)) continue;
    // The same gun at the same spot is about as loud again; echoes of it are not.
    let deficit = 0;
    for (const k of h.order) deficit += tracks[k]!.levelDb[shot.picks[k]!]! - tracks[k]!.levelDb[h.picks[k]!]!;
    if (deficit / h.support > ROUND_LEVEL_SPREAD_DB) continue;
    if (!best || h.support > best.support || (h.support === best.support && h.fix.t0 < best.fix.t0)) best = h;
  }
  return best;
}

/** How much quieter on average a further round may be than the one before (aim, clipping, a step aside). */
const ROUND_LEVEL_SPREAD_DB = 10;

/** How far a round from the same spot may stray from the pattern of the one before: picking jitter and a step of the shooter. */
const SAME_SPOT_GATE_S = 0.004;
