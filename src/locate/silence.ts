import type { Track } from './tracks.ts';
import type { KnownSensor } from './types.ts';

/**
 * A known sensor's silence as evidence against a candidate source. The alert lists only the
 * sensors that heard the shot; the network's others, known to be alive, heard nothing. A source
 * standing far nearer one of them than to every sensor that heard it, where spherical spreading
 * from the levels heard puts it well above what the quietest of those sensors heard, would have
 * been heard there: such a candidate (one of a three-sensor fix's two solutions) is unlikely.
 */

/** How much nearer the silent sensor must be than the nearest that heard it. */
const NEARER = 2;
/**
 * How far above the quietest level heard the source must arrive at the silent sensor: a muzzle's
 * directivity (up to 14 dB front to back, though the sensors that heard it sample several
 * directions), buildings in the way, a noisier street there.
 */
const MARGIN_DB = 12;

/** The silent known sensor that rules a source at `at` out, as a reason for the reviewer, or null. */
export function silentWitness(tracks: readonly Track[], picks: Int32Array, at: { x: number; y: number }, silent: readonly KnownSensor[]): string | null {
  if (!silent.length) return null;
  const heard = tracks.flatMap((t, k) => (picks[k]! >= 0 ? [{ t, level: t.levelDb[picks[k]!]! + (t.calibrationDb ?? 0) }] : []));
  if (!heard.length) return null;
  const dist = (p: { x: number; y: number }) => Math.max(1, Math.hypot(p.x - at.x, p.y - at.y));
  const nearest = Math.min(...heard.map((h) => dist(h.t)));
  const range = detectionRangeM(heard, dist);
  let witness: { id: string; d: number } | null = null;
  for (const s of silent) {
    const d = dist(s.local);
    if (d * NEARER <= nearest && d <= range && (!witness || d < witness.d)) witness = { id: s.sensorId, d };
  }
  return witness ? `sensor ${witness.id}, ${Math.round(witness.d)} m away, heard nothing` : null;
}

/** Chance that a sensor within earshot, nearer the source than any that heard it, picked nothing: a building in the way, the muzzle turned from it. */
const MISSED_P = 0.1;

/**
 * Log-likelihood of the known sensors' silence for a source at `at`: each silent sensor nearer
 * it than every sensor that heard it missed it, at one chance in ten each. Spherical spreading
 * would have brought the sound there louder than to any sensor that picked it, so only a
 * building or the muzzle's direction could hide it. The soft form of silentWitness, for weighing
 * a three-sensor fix's two solutions where neither is ruled out: the first sensors to hear a
 * shot are its nearest, so a solution with silent sensors nearer it than those is the less likely.
 */
export function silenceLogLikelihood(tracks: readonly Track[], picks: Int32Array, at: { x: number; y: number }, silent: readonly KnownSensor[]): number {
  const heard = tracks.filter((_, k) => picks[k]! >= 0);
  if (!heard.length) return 0;
  const dist = (p: { x: number; y: number }) => Math.hypot(p.x - at.x, p.y - at.y);
  const nearest = Math.min(...heard.map(dist));
  const missed = silent.filter((s) => dist(s.local) < nearest).length;
  return missed ? missed * Math.log(MISSED_P) : 0;
}

/**
 * Where a source at the candidate would still arrive MARGIN_DB above the quietest level heard,
 * by spherical spreading from the levels heard (the least source level they give, so the range
 * errs short). Levels that do not compare (calibrated and uncalibrated mixed) give the farthest
 * sensor that heard it, as if it heard it at its threshold, less the margin.
 */
function detectionRangeM(heard: readonly { t: Track; level: number }[], dist: (p: { x: number; y: number }) => number): number {
  const calibrated = heard.every((h) => h.t.calibrationDb !== null);
  const uncalibrated = heard.every((h) => h.t.calibrationDb === null);
  const levels = heard.map((h) => h.level);
  if ((calibrated || uncalibrated) && levels.every(Number.isFinite)) {
    const source = Math.min(...heard.map((h) => h.level + 20 * Math.log10(dist(h.t))));
    return 10 ** ((source - Math.min(...levels) - MARGIN_DB) / 20);
  }
  return Math.max(...heard.map((h) => dist(h.t))) * 10 ** (-MARGIN_DB / 20);
}
