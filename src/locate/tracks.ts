import type { Observation, SolveOptions } from './solve.ts';

/**
 * One sensor's picks as the association sees them: arrival times on the alert's common
 * timeline (seconds from the earliest clip start), ascending, with the clip's extent so a
 * silence can be told from "the clip had ended".
 */
export interface Track {
  id: string;
  x: number;
  y: number;
  z: number | null;
  times: Float64Array;
  snrDb: Float64Array;
  /** Band level of each pick, dB full scale: for comparing picks on one sensor. */
  levelDb: Float64Array;
  /** dB SPL of the sensor's digital full scale, or null (uncalibrated: levels compare only between sensors of one kind). */
  calibrationDb: number | null;
  /** 1 where a pick is far quieter than one shortly before it on the same sensor (see maskedPicks). */
  masked: Uint8Array;
  /** 1 where another pick came shortly before on the same sensor (see precededPicks). */
  preceded: Uint8Array;
  startS: number;
  endS: number;
}

export interface Geometry {
  c: number;
  elevation: SolveOptions['elevation'];
}

/** Modelled travel time from a source to a track's sensor. */
export function travelS(t: Track, p: { x: number; y: number; z: number | null }, g: Geometry): number {
  const dz = g.elevation && p.z !== null && t.z !== null ? p.z - t.z : 0;
  return Math.sqrt((p.x - t.x) ** 2 + (p.y - t.y) ** 2 + dz * dz) / g.c;
}

/** Index of the first pick at or after `t` (binary search). */
export function firstAtOrAfter(times: Float64Array, t: number): number {
  let lo = 0,
    hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The free pick nearest a modelled arrival within the gate, or -1. */
export function nearestFree(track: Track, taken: Uint8Array, at: number, gateS: number): number {
  let best = -1;
  for (let i = firstAtOrAfter(track.times, at - gateS); i < track.times.length && track.times[i]! <= at + gateS; i++) {
    if (taken[i]) continue;
    if (best < 0 || Math.abs(track.times[i]! - at) < Math.abs(track.times[best]! - at)) best = i;
  }
  return best;
}

/** SNR of the weakest pick the picker keeps: a pick's strength counts from there. */
const SNR_BASE_DB = 10;
/** Chance that a sensor which heard a shot has a pick for it. */
const DETECTION_P = 0.9;

/**
 * What one pick says for a shot, as a log-likelihood ratio: a pick where the shot puts it
 * (probability density of the model error at zero, times the chance of a pick at all) against
 * a pick of clutter there by chance (the sensor's rate of picks: on a clip thick with echoes
 * an agreeing pick proves less), plus its loudness (the direct blast is usually the loudest
 * thing a sensor hears, echoes and noise are weaker). A pick that follows another closely is
 * most likely that one's echo and says nothing.
 */
export function pickStrength(t: Track, i: number, sigmaS: number): number {
  if (t.preceded[i]) return 0;
  const clutterPerS = Math.max(0.5, t.times.length / Math.max(1e-3, t.endS - t.startS));
  const agree = Math.max(0, Math.log(DETECTION_P / (clutterPerS * sigmaS * Math.sqrt(2 * Math.PI))));
  return agree + (t.snrDb[i]! - SNR_BASE_DB) / 10;
}

/** The longest detour round a building heard as one late arrival: some 25 m of path. */
export const MAX_LATE_S = 0.075;

/** What a sensor's silence says against a shot whose sound should have reached it inside its clip: no pick at all. */
export const MISSED_LOG_P = Math.log(1 - DETECTION_P);

/**
 * The free pick within the gate of a modelled arrival that best supports it: strength less the
 * misfit (gate = 3 sigma), so a clean first arrival a little off beats an echo right on time.
 */
export function bestFree(track: Track, taken: Uint8Array, at: number, gateS: number): number {
  const sigma = gateS / 3;
  let best = -1,
    bestValue = -Infinity;
  for (let i = firstAtOrAfter(track.times, at - gateS); i < track.times.length && track.times[i]! <= at + gateS; i++) {
    if (taken[i]) continue;
    const r = (track.times[i]! - at) / sigma;
    const value = pickStrength(track, i, sigma) - (r * r) / 2;
    if (value > bestValue) {
      bestValue = value;
      best = i;
    }
  }
  return best;
}

/** Whether any pick at all (taken or not) lies within the gate of a time. */
export function anyPickNear(track: Track, at: number, gateS: number): boolean {
  const i = firstAtOrAfter(track.times, at - gateS);
  return i < track.times.length && track.times[i]! <= at + gateS;
}

/** The observations of a set of picks (pick index per track, -1 for none), and which track each came from. */
export function observationsOf(tracks: readonly Track[], picks: Int32Array): { obs: Observation[]; order: number[] } {
  const obs: Observation[] = [];
  const order: number[] = [];
  for (let k = 0; k < tracks.length; k++) {
    const i = picks[k]!;
    if (i < 0) continue;
    const t = tracks[k]!;
    obs.push({ x: t.x, y: t.y, z: t.z, t: t.times[i]! });
    order.push(k);
  }
  return { obs, order };
}

/** Echoes off buildings and hills up to several hundred metres away arrive within about this long. */
export const ECHO_WINDOW_S = 4;
/** A pick this much quieter than an earlier one within the echo window is most likely its echo. */
export const MASKED_BELOW_DB = 10;

/**
 * Which picks are most likely echoes by level alone: quieter by MASKED_BELOW_DB or more than a
 * pick before them within the echo window. Rounds of one gun are about equally loud, so a
 * second round is rarely masked by the first; an echo stronger than its direct sound is not
 * masked either, but it comes after the direct one, which geometry then prefers.
 */
export function maskedPicks(times: Float64Array, levelDb: Float64Array, ignored?: Uint8Array): Uint8Array {
  const out = new Uint8Array(times.length);
  for (let i = 0; i < times.length; i++) {
    for (let j = i - 1; j >= 0 && times[i]! - times[j]! < ECHO_WINDOW_S; j--) {
      if (!ignored?.[j] && levelDb[j]! - levelDb[i]! >= MASKED_BELOW_DB) {
        out[i] = 1;
        break;
      }
    }
  }
  return out;
}

/** The reverberation right after a blast: echoes off the streets around arrive within this. */
export const FOLLOWER_WINDOW_S = 0.5;
/** A pick this much louder than everything shortly before it is no echo of those. */
const ABOVE_PRECEDING_DB = 10;

/**
 * Which picks follow, within the follower window, a pick on the same sensor that was not much
 * quieter. Such a pick is most often an echo of the sound before it, whatever its level (an
 * echo off a wall facing the sensor can be louder than the direct sound a building shields),
 * so it is weak evidence of a shot of its own: the direct sound comes first. (Further rounds
 * of a burst do follow the round before; they are found by repeating its arrival pattern.)
 */
export function precededPicks(times: Float64Array, levelDb: Float64Array, ignored?: Uint8Array): Uint8Array {
  const out = new Uint8Array(times.length);
  for (let i = 1; i < times.length; i++) if (isPreceded(times, levelDb, i, ignored)) out[i] = 1;
  return out;
}

/** Whether pick i follows, within the follower window, a pick not ignored and not much quieter (precededPicks, for one pick). */
export function isPreceded(times: Float64Array, levelDb: Float64Array, i: number, ignored?: Uint8Array): boolean {
  for (let j = i - 1; j >= 0 && times[i]! - times[j]! < FOLLOWER_WINDOW_S; j--) {
    if (!ignored?.[j] && levelDb[j]! > levelDb[i]! - ABOVE_PRECEDING_DB) return true;
  }
  return false;
}
