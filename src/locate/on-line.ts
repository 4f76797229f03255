import { fitPicks } from './hypothesis.ts';
import { MODEL } from './model.ts';
import { MAX_RANGE_M, nearestSensorM } from './plausible.ts';
import { SAME_SPOT_GATE_S } from './same-spot.ts';
import { nearestFree, type Geometry, type Track } from './tracks.ts';

/**
 * Sounds whose times fit no point, only a line. Where a source lies nearly on the line through
 * two sensors, beyond one of them, their time difference is all their separation allows, and a
 * GPS fix a few metres off makes it more: no point fits, the least-squares minimum runs off
 * along the line where the fit's curvature vanishes, and the search forms no candidate at all.
 * The sound still came along that line, from beyond the sensor that heard it first, and the
 * other sensors' times say roughly how far. Looked for only where nothing was located, so the
 * reviewer is shown which way to look and how many rounds the audio holds, instead of nothing.
 */
export interface OnLine {
  /** Track indices of the sensors that heard it, in the order of their first arrivals. */
  sensors: number[];
  /** The pair whose time difference sets the line: it runs from `through` on past `from`. */
  from: number;
  through: number;
  /** Per round, in time order: a pick per track, -1 on tracks not among `sensors`. */
  rounds: Int32Array[];
  /** The pair's separation, metres, and the line's direction from `through` on past `from` (a unit vector). */
  separationM: number;
  direction: { x: number; y: number };
  /** Where along the line, metres past `from`, the other sensors' times fit best; that point, and when the first round would have left it (seconds on the tracks' timeline). */
  distanceM: number;
  at: { x: number; y: number };
  t0: number;
  /** The first round's misfit there, seconds (every sensor within the gate). */
  maxResidualS: number;
}

/** Sensors whose every subset is tried: 2^8 subsets at most. */
const MAX_SENSORS = 8;
/** The line is searched in steps of this many metres: far finer than its picks can place it. */
const STEP_M = 1;

/**
 * The rounds a line explains on three sensors or more, where the alert located nothing: the
 * first unmasked pick of each sensor seeds the first round (no point in earshot fits it, and a
 * point on the line beyond its first sensor does, within the gate, every sensor), and each later
 * round repeats its pattern. Null when no set of sensors holds such a round.
 */
export function onLine(tracks: readonly Track[], o: Geometry & { gateS: number }): OnLine | null {
  const heard = tracks.flatMap((t, k) => (firstUnmasked(t) >= 0 ? [k] : []));
  if (heard.length < 3 || heard.length > MAX_SENSORS) return null;
  for (const subset of subsetsLargestFirst(heard)) {
    const seed = new Int32Array(tracks.length).fill(-1);
    for (const k of subset) seed[k] = firstUnmasked(tracks[k]!);
    // A point in earshot that fits is the search's to find or set aside.
    const point = fitPicks(tracks, seed, o);
    if (point && point.fix.residualsS.every((r) => Math.abs(r) <= o.gateS) && nearestSensorM(tracks, point.fix) <= MAX_RANGE_M) continue;
    const line = bestLine(tracks, seed, subset, o);
    if (!line) continue;
    const sensors = [...subset].sort((a, b) => tracks[a]!.times[seed[a]!]! - tracks[b]!.times[seed[b]!]!);
    return { sensors, ...line, rounds: repeats(tracks, seed, sensors) };
  }
  return null;
}

/** A sensor's first pick not masked as an echo by level, or -1. */
function firstUnmasked(t: Track): number {
  for (let i = 0; i < t.times.length; i++) if (!t.masked[i]) return i;
  return -1;
}

function subsetsLargestFirst(ks: readonly number[]): number[][] {
  const all: number[][] = [];
  for (let mask = 0; mask < 1 << ks.length; mask++) {
    const s = ks.filter((_, i) => mask & (1 << i));
    if (s.length >= 3) all.push(s);
  }
  return all.sort((a, b) => b.length - a.length);
}

/**
 * Of the lines through a pair whose time difference is within the gate of all their separation
 * allows (no more: sound cannot take longer between them than the straight path), the one a
 * point on which, past the earlier sensor and in earshot, fits every pick best; null when none
 * fits every pick within the gate.
 */
function bestLine(
  tracks: readonly Track[],
  picks: Int32Array,
  ks: readonly number[],
  o: Geometry & { gateS: number },
): Omit<OnLine, 'sensors' | 'rounds'> | null {
  const at = (k: number) => tracks[k]!.times[picks[k]!]!;
  let best: (Omit<OnLine, 'sensors' | 'rounds'> & { rss: number }) | null = null;
  for (const a of ks)
    for (const b of ks) {
      const ta = tracks[a]!,
        tb = tracks[b]!;
      const separation = Math.hypot(ta.x - tb.x, ta.y - tb.y);
      // Their difference is all their separation allows, to within what the gate allows either way.
      if (a === b || separation === 0 || Math.abs((at(b) - at(a)) * o.c - separation) > o.gateS * o.c) continue;
      const ux = (ta.x - tb.x) / separation,
        uy = (ta.y - tb.y) / separation;
      for (let s = STEP_M; s <= MAX_RANGE_M; s += STEP_M) {
        const px = ta.x + ux * s,
          py = ta.y + uy * s;
        const lead = ks.map((k) => at(k) - Math.hypot(px - tracks[k]!.x, py - tracks[k]!.y) / o.c);
        const mean = lead.reduce((x, v) => x + v, 0) / lead.length;
        const rss = lead.reduce((x, v) => x + (v - mean) ** 2, 0);
        if (best && rss >= best.rss) continue;
        const maxResidualS = Math.max(...lead.map((v) => Math.abs(v - mean)));
        best = { from: a, through: b, separationM: separation, direction: { x: ux, y: uy }, distanceM: s, at: { x: px, y: py }, t0: mean, maxResidualS, rss };
      }
    }
  if (!best || best.maxResidualS > o.gateS) return null;
  const { rss: _rss, ...line } = best;
  return line;
}

/**
 * The first round and each later one that repeats its pattern: a free pick on every sensor at
 * the first round's offsets from the first sensor's pick (to within a shooter's step), at
 * least a round's gap after the round before.
 */
function repeats(tracks: readonly Track[], seed: Int32Array, sensors: readonly number[]): Int32Array[] {
  const taken = tracks.map((t) => new Uint8Array(t.times.length));
  const first = sensors[0]!;
  const at = (k: number, i: number) => tracks[k]!.times[i]!;
  const offsets = sensors.map((k) => at(k, seed[k]!) - at(first, seed[first]!));
  const rounds: Int32Array[] = [];
  let last = -Infinity;
  for (let i = seed[first]!; i < tracks[first]!.times.length; i++) {
    if (tracks[first]!.masked[i] || at(first, i) - last < MODEL.minRoundGapS) continue;
    const round = new Int32Array(tracks.length).fill(-1);
    const found = sensors.every((k, j) => (round[k] = nearestFree(tracks[k]!, taken[k]!, at(first, i) + offsets[j]!, SAME_SPOT_GATE_S)) >= 0);
    if (!found) continue;
    for (const k of sensors) taken[k]![round[k]!] = 1;
    rounds.push(round);
    last = at(first, i);
  }
  return rounds;
}
