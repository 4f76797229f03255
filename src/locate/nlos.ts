import { levelOf, predictionSigmaS, sourceLevelDb } from './echo.ts';
import { fitPicks, type Hypothesis } from './hypothesis.ts';
import { firstAtOrAfter, MAX_LATE_S, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * Sensors that heard a shot only round a building. Where the straight path is blocked, the
 * first sound to arrive is diffracted round the building's edge or over its roof: later than
 * the straight line allows, never earlier, and weaker. The fit drops such a sensor (a pick the
 * others predict badly: hypothesis.ts, polish) and the sensor's pick stays behind; this finds
 * it again and names it. A sensor of the alert left out of a shot is late for it (NLOS) when
 * its first pick after the arrival the shot's fix predicts there comes later than the fix and
 * the shot's own scatter allow (a drop-one test: the prediction is the other sensors'), by no
 * more than a building's detour, weaker than spherical spreading from the shot's other
 * sensors predicts (a screen takes 5 dB at grazing and more beyond; a straight path to a
 * sensor its GPS fix placed metres off comes late at full level), and no other shot claims it.
 */

export interface LateSensor {
  /** Track index. */
  sensor: number;
  /** Its pick. */
  pick: number;
  /** How much later than the straight path the pick came, seconds. */
  lateS: number;
}

/** A shot's own scatter is not trusted below what picks are timed to. */
const MIN_SCATTER_S = 0.002;
/** A shot's scatter is learnt from two spare sensors or more. */
const MIN_DOF = 2;
/** How much weaker than spreading predicts a late pick must be to have come round a building: Maekawa's 5 dB at grazing, less the directivity's scatter. */
const MIN_LOSS_DB = 3;

export function lateSensors(tracks: readonly Track[], h: Hypothesis, shots: readonly Hypothesis[], o: Geometry, modelSigmaS: number): LateSensor[] {
  const dof = h.support - 3;
  // The drop-one threshold: the shot's own scatter where it has spare sensors, else the model's.
  const sigma = dof >= MIN_DOF ? Math.max(MIN_SCATTER_S, Math.sqrt(h.fix.rss / dof)) : modelSigmaS;
  const at = { x: h.fix.x, y: h.fix.y, z: h.fix.z };
  const source = sourceLevelDb(tracks, h);
  const out: LateSensor[] = [];
  tracks.forEach((t, k) => {
    if (h.picks[k]! >= 0 || t.times.length === 0) return;
    const predicted = h.fix.t0 + travelS(t, at, o);
    const spread = 3 * predictionSigmaS(h.fix, t, o, sigma);
    const i = firstAtOrAfter(t.times, predicted - spread);
    if (i >= t.times.length) return;
    const late = t.times[i]! - predicted;
    if (late <= spread || late > MAX_LATE_S) return;
    if (shots.some((s) => s.picks[k] === i)) return;
    if (source !== null && source - 20 * Math.log10(Math.max(1, Math.hypot(t.x - h.fix.x, t.y - h.fix.y))) - levelOf(t, i) < MIN_LOSS_DB) return;
    out.push({ sensor: k, pick: i, lateS: late });
  });
  return out;
}

/** Late by this many times the other sensors' scatter (and weak), a sensor in a fix is taken for one heard round a building. */
const DROP_SIGMAS = 3;
/** A sensor dropped from a fix as late must be this much weaker than spreading predicts: beyond Maekawa's least, plus the directivity's scatter. */
const DROP_LOSS_DB = 6;
/** A fix keeps four sensors at the least when late ones are dropped: one spare to see the next. */
const KEEP_AT_LEAST = 5;

/**
 * The drop-one test on a shot's own sensors: each sensor's pick against the arrival the others
 * predict without it. A pick late by more than DROP_SIGMAS times the others' scatter (and 4
 * ms), and weaker than spherical spreading from the others predicts by DROP_LOSS_DB, came round
 * a building: it is dropped from the fix (the latest first, one at a time, while five sensors
 * are left) and returned as late. GPS errors scatter arrivals both ways at full level; a path
 * round a building only delays and weakens.
 */
export function dropLate(tracks: readonly Track[], h: Hypothesis, o: Geometry & { gateS: number }): { h: Hypothesis; late: LateSensor[] } {
  let cur = h;
  const late: LateSensor[] = [];
  while (cur.support > KEEP_AT_LEAST) {
    let worst: { k: number; miss: number; without: Hypothesis } | null = null;
    for (const k of cur.order) {
      const without = cur.picks.slice();
      without[k] = -1;
      const f = fitPicks(tracks, without, o);
      if (!f) continue;
      const t = tracks[k]!,
        i = cur.picks[k]!;
      const miss = t.times[i]! - f.fix.t0 - travelS(t, { x: f.fix.x, y: f.fix.y, z: f.fix.z }, o);
      const scatter = Math.max(MIN_SCATTER_S, Math.sqrt(f.fix.rss / Math.max(1, f.support - 3)));
      if (miss <= Math.max(4 * PICK_FLOOR_S, DROP_SIGMAS * predictionSigmaS(f.fix, t, o, scatter))) continue;
      const source = sourceLevelDb(tracks, f);
      if (source === null || source - 20 * Math.log10(Math.max(1, Math.hypot(t.x - f.fix.x, t.y - f.fix.y))) - levelOf(t, i) < DROP_LOSS_DB) continue;
      if (!worst || miss > worst.miss) worst = { k, miss, without: f };
    }
    if (!worst) break;
    late.push({ sensor: worst.k, pick: cur.picks[worst.k]!, lateS: worst.miss });
    cur = worst.without;
  }
  return { h: cur, late };
}

/** What a pick is timed to at best. */
const PICK_FLOOR_S = 0.001;
