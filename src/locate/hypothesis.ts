import { solveFix, type Fix } from './solve.ts';
import { anyPickNear, MAX_LATE_S, bestFree, firstAtOrAfter, MISSED_LOG_P, observationsOf, pickStrength, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * One candidate shot: a pick per sensor (or none), the fix they give, and how well they agree.
 * `settle` grows a start (a fix from three picks, or a known spot and emission time) into the
 * largest mutually consistent set of picks: every free pick within the gate of its modelled
 * arrival joins, the fit is redone, and a sensor whose pick the others predict badly (leave one
 * out) is dropped, until the set stops changing.
 */
export interface Hypothesis {
  picks: Int32Array;
  support: number;
  fix: Fix;
  /** Track index of each residual of the fix. */
  order: number[];
  /**
   * How much the picks say it is a shot: each pick's strength (a direct blast is the loudest
   * thing its sensor hears; echoes and noise are weaker) less the misfit of its arrival, less
   * what the silence of sensors it should have reached says against it (a sensor with no
   * pick at all near the arrival it predicts inside that sensor's clip).
   */
  score: number;
  /**
   * Present where the round was placed at a burst's spot fitted from other rounds because its
   * first arrival on one sensor went unpicked (precursor.ts): that sensor's pick came late by
   * lateS. The pick stays the round's, so no later step takes it for free or for an echo, and
   * fix.rss leaves it out; the report leaves it out of the fix and names it late (NLOS).
   */
  atSpot?: { lateSensor: number; lateS: number };
}

export interface SettleOptions extends Geometry {
  /** A pick within this of its modelled arrival supports the shot. */
  gateS: number;
}

const MAX_ROUNDS = 5;

export function settle(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  start: { x: number; y: number; z: number | null; t0: number },
  o: SettleOptions,
): Hypothesis | null {
  const excluded = new Uint8Array(tracks.length);
  let picks = supportAt(tracks, taken, excluded, start, o);
  let last: Hypothesis | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const h = fitPicks(tracks, picks, o);
    if (!h) return last;
    const outlier = worstLeaveOneOut(tracks, h, o);
    if (outlier >= 0) {
      excluded[outlier] = 1;
      picks = h.picks.slice();
      picks[outlier] = -1;
      continue;
    }
    const next = supportAt(tracks, taken, excluded, { x: h.fix.x, y: h.fix.y, z: h.fix.z, t0: h.fix.t0 }, o);
    last = h;
    if (sameSet(next, h.picks)) return h;
    picks = next;
  }
  return last;
}

function supportAt(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  excluded: Uint8Array,
  p: { x: number; y: number; z: number | null; t0: number },
  o: SettleOptions,
): Int32Array {
  const picks = new Int32Array(tracks.length).fill(-1);
  for (let k = 0; k < tracks.length; k++) {
    if (excluded[k]) continue;
    picks[k] = bestFree(tracks[k]!, taken[k]!, p.t0 + travelS(tracks[k]!, p, o), o.gateS);
  }
  return picks;
}

export function fitPicks(tracks: readonly Track[], picks: Int32Array, o: Geometry & { gateS: number }): Hypothesis | null {
  const { obs, order } = observationsOf(tracks, picks);
  if (obs.length < 3) return null;
  const fix = solveFix(obs, o);
  return fix && scored(tracks, picks, order, fix, o);
}

/**
 * A further round from a located shot's spot, fitted there: its emission time alone, the
 * position (and its uncertainty) the spot's. For a round whose own sensors cannot place it:
 * three of them nearly in one direction from it leave its range open (the times then fit no
 * point, or any along a line), while the round's pattern, the spot's shifted in time, says
 * where it came from.
 */
export function fitPicksAt(tracks: readonly Track[], picks: Int32Array, o: Geometry & { gateS: number }, spot: Fix): Hypothesis | null {
  const { obs, order } = observationsOf(tracks, picks);
  if (obs.length < 3) return null;
  const at = { x: spot.x, y: spot.y, z: spot.z };
  const travel = order.map((k) => travelS(tracks[k]!, at, o));
  const t0 = obs.reduce((sum, q, i) => sum + q.t - travel[i]!, 0) / obs.length;
  const residualsS = obs.map((q, i) => q.t - t0 - travel[i]!);
  const rss = residualsS.reduce((sum, r) => sum + r * r, 0);
  const fix: Fix = { ...spot, t0, residualsS, rss, converged: true };
  return scored(tracks, picks, order, fix, o);
}

/** A hypothesis of picks and their fix, with its score. */
function scored(tracks: readonly Track[], picks: Int32Array, order: number[], fix: Fix, o: Geometry & { gateS: number }): Hypothesis {
  const sigma = o.gateS / 3;
  let strength = 0;
  for (const k of order) strength += pickStrength(tracks[k]!, picks[k]!, sigma);
  return {
    picks,
    support: order.length,
    fix,
    order,
    score: strength - fix.rss / (2 * sigma * sigma) + MISSED_LOG_P * silentSensors(tracks, picks, fix, o),
  };
}

/**
 * Sensors without a pick of the shot whose clip holds its modelled arrival and that picked
 * nothing near it, nor heard a first sound in the time after it that a path round a building
 * can take.
 */
function silentSensors(tracks: readonly Track[], picks: Int32Array, fix: Fix, o: Geometry & { gateS: number }): number {
  let n = 0;
  const at = { x: fix.x, y: fix.y, z: fix.z };
  for (let k = 0; k < tracks.length; k++) {
    const t = tracks[k]!;
    // A clip with no pick at all says nothing about any one shot (a sensor that failed, a clip cut short).
    if (picks[k]! >= 0 || t.times.length === 0) continue;
    const arrival = fix.t0 + travelS(t, at, o);
    if (arrival > t.startS + 0.02 && arrival < t.endS - 0.01 && !anyPickNear(t, arrival, o.gateS) && !heardLate(t, arrival + o.gateS)) n++;
  }
  return n;
}

/**
 * The track whose pick the other sensors' fix predicts worst, when that miss exceeds the gate;
 * else -1. With four sensors the three left always fit exactly, so the test is then the plain
 * residual of the joint fit against the gate.
 */
function worstLeaveOneOut(tracks: readonly Track[], h: Hypothesis, o: SettleOptions): number {
  if (h.support <= 3) return -1;
  let worst = -1,
    worstMiss = o.gateS;
  if (h.support === 4) {
    h.fix.residualsS.forEach((r, i) => {
      if (Math.abs(r) > worstMiss) {
        worstMiss = Math.abs(r);
        worst = h.order[i]!;
      }
    });
    return worst;
  }
  // Only sensors the joint fit already strains are worth a refit without them.
  const suspects = h.order.filter((_, i) => Math.abs(h.fix.residualsS[i]!) > o.gateS / 4);
  for (const k of suspects) {
    const without = h.picks.slice();
    without[k] = -1;
    const f = fitPicks(tracks, without, o);
    if (!f) continue;
    const t = tracks[k]!;
    const miss = Math.abs(t.times[h.picks[k]!]! - f.fix.t0 - travelS(t, { x: f.fix.x, y: f.fix.y, z: f.fix.z }, o));
    if (miss > worstMiss) {
      worstMiss = miss;
      worst = k;
    }
  }
  return worst;
}

/**
 * A first sound (one no other closely precedes) within a building's detour after a time: a
 * sensor that heard a shot only round a building heard it, late. In a burst, the next round's
 * pick follows the round before and says nothing of this one.
 */
function heardLate(t: Track, from: number): boolean {
  for (let i = firstAtOrAfter(t.times, from); i < t.times.length && t.times[i]! <= from + MAX_LATE_S; i++) if (!t.preceded[i]) return true;
  return false;
}

function sameSet(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Timing a pick can be trusted to, whatever the fit: a fraction of a millisecond. */
const PICK_FLOOR_S = 0.001;
/** Student-t 99.5th percentiles for 1..12 degrees of freedom, then about the normal's. */
const T995 = [63.66, 9.925, 5.841, 4.604, 4.032, 3.707, 3.499, 3.355, 3.25, 3.169, 3.106, 3.055, 2.576];

/**
 * Final touch on an accepted shot: each sensor's pick is checked against the arrival the other
 * sensors predict for it (leave one out). Where the pick misses by far more than the others
 * scatter (a bullet's crack picked a few ms before its muzzle blast, an echo taken for the
 * direct sound), the free pick nearest that prediction takes its place if it fits much better;
 * a sensor nothing fits is dropped, while at least four remain. The gate of the search has
 * to allow for the worst real data; this step holds each shot to its own scatter.
 */
export function polish(tracks: readonly Track[], taken: readonly Uint8Array[], h: Hypothesis, o: SettleOptions): Hypothesis {
  let cur = h;
  for (let round = 0; round < tracks.length && cur.support >= 5; round++) {
    // The sensor the others predict worst, and how tightly those others agree among themselves.
    let worst: { k: number; predicted: number; miss: number; scale: number; limit: number } | null = null;
    for (const k of cur.order) {
      const without = cur.picks.slice();
      without[k] = -1;
      const f = fitPicks(tracks, without, o);
      if (!f) continue;
      const predicted = f.fix.t0 + travelS(tracks[k]!, { x: f.fix.x, y: f.fix.y, z: f.fix.z }, o);
      const miss = tracks[k]!.times[cur.picks[k]!]! - predicted;
      if (!worst || Math.abs(miss) > Math.abs(worst.miss)) {
        // An outlier beyond the 99 % two-sided Student-t bound of the others' own scatter, or
        // four times the pick floor where they agree better than picks can be timed.
        const dof = f.support - 3;
        const scatter = Math.sqrt(f.fix.rss / dof);
        worst = {
          k,
          predicted,
          miss,
          scale: Math.max(PICK_FLOOR_S, scatter),
          limit: Math.max(4 * PICK_FLOOR_S, T995[Math.min(dof, T995.length) - 1]! * scatter),
        };
      }
    }
    if (!worst || Math.abs(worst.miss) <= worst.limit) break;
    const t = tracks[worst.k]!;
    let swap = -1;
    for (let i = firstAtOrAfter(t.times, worst.predicted - o.gateS); i < t.times.length && t.times[i]! <= worst.predicted + o.gateS; i++) {
      if (taken[worst.k]![i] || i === cur.picks[worst.k]) continue;
      if (swap < 0 || Math.abs(t.times[i]! - worst.predicted) < Math.abs(t.times[swap]! - worst.predicted)) swap = i;
    }
    const picks = cur.picks.slice();
    picks[worst.k] = swap >= 0 && Math.abs(t.times[swap]! - worst.predicted) <= 2 * worst.scale ? swap : -1;
    const next = fitPicks(tracks, picks, o);
    if (!next) break;
    cur = next;
  }
  return cur;
}

/**
 * A shot found by its pattern on some sensors takes, on each other sensor, the free pick that
 * best supports its fix within the gate (a sensor whose pick for the template shot was off
 * still heard this round): every pick that fits is the shot's, not left for echoes to use.
 */
export function grow(tracks: readonly Track[], taken: readonly Uint8Array[], h: Hypothesis, o: SettleOptions): Hypothesis {
  const picks = h.picks.slice();
  let added = false;
  tracks.forEach((t, k) => {
    if (picks[k]! >= 0) return;
    const i = bestFree(t, taken[k]!, h.fix.t0 + travelS(t, { x: h.fix.x, y: h.fix.y, z: h.fix.z }, o), o.gateS);
    if (i >= 0) {
      picks[k] = i;
      added = true;
    }
  });
  return (added && fitPicks(tracks, picks, o)) || h;
}
