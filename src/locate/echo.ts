import type { Hypothesis } from './hypothesis.ts';
import { SAME_SPOT_GATE_S, SAME_SPOT_M } from './same-spot.ts';
import { fitAtTime, type Fix } from './solve.ts';
import { MODEL } from './model.ts';
import { anyPickNear, ECHO_WINDOW_S, firstAtOrAfter, observationsOf, travelS, type Geometry, type Track } from './tracks.ts';

/**
 * Whether a candidate shot is an echo of a located one. A reflection off a building is an
 * image source: the shot mirrored in the wall, firing at the very instant the shot does. Its
 * sound reaches every sensor that hears it after the shot's own (the wall is the perpendicular
 * bisector of shot and image, and those sensors stand on the shot's side), and its arrivals,
 * strung together across sensors, fit a source of their own. So a candidate is the echo of a
 * shot when
 * - on every sensor it comes after the shot's sound there, within the echo window; and
 * - its arrivals fit the image hypothesis (emission time held at the shot's, the position
 *   free: two numbers instead of three) about as well as they fit a source of their own
 *   (chi-square, one degree of freedom, 99 %), the fitted image lies farther than the shot
 *   from every sensor that heard it, and apart from the shot; or
 * - it is unheard where it could not have been missed: sensors that heard the shot loud and
 *   clear, nearer the candidate than its own farthest sensor, picked nothing near the arrival
 *   it predicts (within what its fix allows), as many as or more than the sensors it stands
 *   on less one. Echoes off different walls strung together fit somewhere (three picks fit any
 *   source) but no wall sends a source's sound to only some of the sensors near it.
 * A candidate within the echo window of a better-heard shot that does not follow it everywhere
 * (reflections and noise strung together before the rounds) is no echo, but the shot's sensors
 * witness it all the same: it is set aside beside that shot where as many of them as its own
 * sensors less one (two at least) would have heard it and did not.
 */

export interface EchoVerdict {
  /** The located shot it echoes. */
  of: Hypothesis;
  /** Its picks that are located shots' own arrivals (sensor indices): what is left is too little for a source. */
  explained: number[];
  /** The shot whose own arrival each of those is. */
  explainedBy: Map<number, Hypothesis>;
  /** The image source's position where the image hypothesis holds. */
  image: { x: number; y: number } | null;
  /** Sensors that heard the shot and would have heard a source there, and picked nothing. */
  unheard: string[];
  /** Whether it comes after the shot on every sensor of its own (else it is set aside by the silence alone). */
  follows: boolean;
  /** Present where it is a burst's clutter strung together by chance (strung.ts): picks in the rounds' shadows, more such alignments expected than one. */
  strung?: readonly Hypothesis[];
}

/**
 * Sensors that heard the shot and would have heard a candidate that follows it everywhere, yet
 * did not, that make it an echo: each such silence is a one-in-ten chance for a real source.
 */
const UNHEARD_FOR_ECHO = 2;

/** Chi-square(1) 99th percentile: the image hypothesis gives up one parameter. */
const CHI2_1_99 = 6.635;
/** An image is at least this far from its shot (twice the distance to the wall). */
const MIN_IMAGE_M = 2 * SAME_SPOT_M;

export function echoOf(
  tracks: readonly Track[],
  h: Hypothesis,
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number },
  sigmaS: number,
): EchoVerdict | null {
  const explained = explainedPicks(tracks, h, shots, o);
  if (explained.by && h.support - explained.sensors.length < 3)
    return { of: explained.by, explained: explained.sensors, explainedBy: explained.shotOf, image: null, unheard: [], follows: true };
  let best: EchoVerdict | null = null,
    bestRss = Infinity,
    unheardOnly: EchoVerdict | null = null;
  for (const s of shots) {
    if (s === h) continue;
    if (Math.hypot(s.fix.x - h.fix.x, s.fix.y - h.fix.y) <= SAME_SPOT_M) {
      // At s's spot it claims to be another round, before or after s: it must repeat s's
      // pattern on s's sensors (s is the better heard of the two: shots come best first).
      const unheard = notRepeated(tracks, h, s, sigmaS);
      if (!best && unheard.length >= Math.max(2, Math.ceil(s.support / 2)))
        best = { of: s, explained: [], explainedBy: new Map(), image: null, unheard, follows: true };
      continue;
    }
    if (h.fix.t0 - s.fix.t0 > ECHO_WINDOW_S) continue;
    if (!followsEverywhere(tracks, h, s, o, sigmaS)) {
      // Before the shot, or after it on some sensors only: no echo of it, but where its sound
      // could not have been missed, the shot's sensors are as good witnesses (a pick string of
      // reflections and noise fits somewhere). A real source is better heard than that: all
      // its sensors but one outnumbered by those silent. Told beside the shot nearest in time.
      const nearer = !unheardOnly || Math.abs(s.fix.t0 - h.fix.t0) < Math.abs(unheardOnly.of.fix.t0 - h.fix.t0);
      if (nearer && s.support > h.support && s.fix.t0 - h.fix.t0 <= ECHO_WINDOW_S) {
        const unheard = unheardBy(tracks, h, s, shots, o, sigmaS);
        if (unheard.length >= Math.max(UNHEARD_FOR_ECHO, h.support - 1))
          unheardOnly = { of: s, explained: [], explainedBy: new Map(), image: null, unheard, follows: false };
      }
      continue;
    }
    const image = imageFit(tracks, h, s, o, sigmaS);
    const unheard = image ? [] : unheardBy(tracks, h, s, shots, o, sigmaS);
    if (!image && unheard.length < UNHEARD_FOR_ECHO) continue;
    const rss = image?.rss ?? Infinity;
    if (!best || rss < bestRss) {
      best = { of: s, explained: [], explainedBy: new Map(), image: image && { x: image.x, y: image.y }, unheard, follows: true };
      bestRss = rss;
    }
  }
  return best ?? unheardOnly;
}

/**
 * Sensors of s on which nothing repeats s's arrival shifted to h's emission time: a further
 * round from s's spot is heard where s was, at the same delays (same-spot.ts).
 */
function notRepeated(tracks: readonly Track[], h: Hypothesis, s: Hypothesis, sigmaS: number): string[] {
  // The shift of the pattern: the median over the sensors both have (the fixes' emission times
  // are a few ms off each other where the two fixes use different sensors).
  const shifts = s.order
    .filter((k) => h.picks[k]! >= 0)
    .map((k) => tracks[k]!.times[h.picks[k]!]! - tracks[k]!.times[s.picks[k]!]!)
    .sort((a, b) => a - b);
  const dt = shifts.length >= 2 ? shifts[shifts.length >> 1]! : h.fix.t0 - s.fix.t0;
  const gate = Math.max(SAME_SPOT_GATE_S, 3 * sigmaS);
  const out: string[] = [];
  for (const k of s.order) {
    const t = tracks[k]!,
      at = t.times[s.picks[k]!]! + dt;
    if (at > t.endS - 0.01 || at < t.startS + 0.01) continue;
    if (!anyPickNear(t, at, gate)) out.push(t.id);
  }
  return out;
}

/** Two picks this close on one sensor are one arrival picked twice (a blast and its ground reflection). */
const SAME_ARRIVAL_S = 0.002;

/**
 * Picks of h that are located shots' own arrivals: a shot's pick on that sensor picked twice,
 * or, where the shot has no pick there (its fix left the sensor out: a position a GPS fix put
 * metres off, a path round a building), the pick nearest the arrival it predicts there within
 * the model's gate. A burst's rounds alias: its rounds' arrivals on some sensors and their
 * echoes on others string together into a coherent source far off, made of what the located
 * rounds already explain. Shots at h's own spot are other rounds of it, not explanations.
 * Returns those sensors and the shot that explains most of them.
 */
function explainedPicks(
  tracks: readonly Track[],
  h: Hypothesis,
  shots: readonly Hypothesis[],
  o: Geometry,
): { sensors: number[]; by: Hypothesis | null; shotOf: Map<number, Hypothesis> } {
  const sensors: number[] = [];
  const shotOf = new Map<number, Hypothesis>();
  const count = new Map<Hypothesis, number>();
  for (const k of h.order) {
    const t = tracks[k]!,
      at = t.times[h.picks[k]!]!;
    for (const s of shots) {
      if (s === h || Math.hypot(s.fix.x - h.fix.x, s.fix.y - h.fix.y) <= SAME_SPOT_M) continue;
      const own = s.picks[k]!;
      const explains =
        own >= 0
          ? Math.abs(at - t.times[own]!) <= SAME_ARRIVAL_S
          : nearestTo(t, s.fix.t0 + travelS(t, { x: s.fix.x, y: s.fix.y, z: s.fix.z }, o), MODEL.gateS) === h.picks[k];
      if (explains) {
        sensors.push(k);
        shotOf.set(k, s);
        count.set(s, (count.get(s) ?? 0) + 1);
        break;
      }
    }
  }
  let by: Hypothesis | null = null;
  for (const [s, n] of count) if (!by || n > count.get(by)!) by = s;
  return { sensors, by, shotOf };
}

/** The pick of a track nearest a time within a gate, or -1. */
function nearestTo(t: Track, at: number, gateS: number): number {
  let best = -1;
  for (let i = firstAtOrAfter(t.times, at - gateS); i < t.times.length && t.times[i]! <= at + gateS; i++)
    if (best < 0 || Math.abs(t.times[i]! - at) < Math.abs(t.times[best]! - at)) best = i;
  return best;
}

/** Every pick of h comes after s's sound on its sensor: s's own pick there, or the arrival s's fix predicts. */
function followsEverywhere(tracks: readonly Track[], h: Hypothesis, s: Hypothesis, o: Geometry, sigmaS: number): boolean {
  const at = { x: s.fix.x, y: s.fix.y, z: s.fix.z };
  for (const k of h.order) {
    const t = tracks[k]!,
      mine = t.times[h.picks[k]!]!;
    const direct = s.picks[k]! >= 0 ? t.times[s.picks[k]!]! : s.fix.t0 + travelS(t, at, o) - 3 * sigmaS;
    if (mine <= direct || mine - direct > ECHO_WINDOW_S) return false;
  }
  return true;
}

/** The image of s that h's picks fit about as well as h's own fix, farther than s from every sensor of h; or null. */
function imageFit(tracks: readonly Track[], h: Hypothesis, s: Hypothesis, o: Geometry, sigmaS: number): { x: number; y: number; rss: number } | null {
  const { obs } = observationsOf(tracks, h.picks);
  let best: { x: number; y: number; rss: number } | null = null;
  // From h's own position, and from s's mirrored through h (the image is across a wall from s).
  for (const start of [
    { x: h.fix.x, y: h.fix.y },
    { x: 2 * h.fix.x - s.fix.x, y: 2 * h.fix.y - s.fix.y },
  ]) {
    const f = fitAtTime(obs, o.c, s.fix.t0, start);
    if (!best || f.rss < best.rss) best = f;
  }
  if (!best || best.rss - h.fix.rss > CHI2_1_99 * sigmaS * sigmaS) return null;
  if (Math.hypot(best.x - s.fix.x, best.y - s.fix.y) < MIN_IMAGE_M) return null;
  // The direct sound first: each sensor of h nearer s than the image (to within the timing's spread).
  const slack = 3 * sigmaS * o.c;
  for (const q of obs) if (Math.hypot(q.x - s.fix.x, q.y - s.fix.y) > Math.hypot(q.x - best.x, q.y - best.y) + slack) return null;
  return best;
}

/**
 * Sensors of s (it heard s) that h's sound would have reached inside their clip, no farther
 * than h's own farthest sensor, and that picked nothing within what h's fix allows of its
 * arrival, or only something far weaker than h would be there: h's level at its own sensors,
 * spread spherically, less what a muzzle's directivity and a building in the way can take.
 */
function unheardBy(tracks: readonly Track[], h: Hypothesis, s: Hypothesis, shots: readonly Hypothesis[], o: Geometry, sigmaS: number): string[] {
  const at = { x: h.fix.x, y: h.fix.y, z: h.fix.z };
  let farthest = 0;
  for (const k of h.order) farthest = Math.max(farthest, travelS(tracks[k]!, at, o));
  const source = sourceLevelDb(tracks, h);
  const out: string[] = [];
  for (const k of s.order) {
    if (h.picks[k]! >= 0) continue;
    const t = tracks[k]!;
    const tt = travelS(t, at, o);
    const arrival = h.fix.t0 + tt;
    if (tt > farthest || arrival < t.startS + 0.02 || arrival > t.endS - 0.01) continue;
    const gate = 3 * predictionSigmaS(h.fix, t, o, sigmaS);
    const expected = source === null ? null : source - 20 * Math.log10(Math.max(1, tt * o.c)) - LEVEL_MARGIN_DB;
    let heard = false;
    for (let i = firstAtOrAfter(t.times, arrival - gate); i < t.times.length && t.times[i]! <= arrival + gate && !heard; i++) {
      // A located shot's own arrival is that shot's sound, not h's, unless the two would have
      // come as one pulse (within the picker's least gap).
      if (Math.abs(t.times[i]! - arrival) > ONE_PULSE_S && shots.some((x) => x !== h && x.picks[k] === i)) continue;
      heard = expected === null || levelOf(t, i) >= expected;
    }
    if (!heard) out.push(t.id);
  }
  return out;
}

/** Arrivals this close on one sensor are picked as one pulse (the picker's least gap). */
const ONE_PULSE_S = 0.008;

/** How much quieter than spherical spreading predicts a source's sound may reach a sensor: directivity (14 dB front to back) and a building in the way. */
const LEVEL_MARGIN_DB = 20;

/** A pick's level in dB (SPL where the sensor is calibrated, else dB full scale: sensors of one kind compare). */
export const levelOf = (t: Track, i: number) => t.levelDb[i]! + (t.calibrationDb ?? 0);

/** The source level h's picks imply (median of level plus spherical spreading), or null where its sensors' levels do not compare. */
export function sourceLevelDb(tracks: readonly Track[], h: Hypothesis): number | null {
  const calibrated = tracks.map((t) => t.calibrationDb !== null);
  if (!calibrated.every((c) => c === calibrated[0])) return null;
  const xs = h.order
    .map((k) => levelOf(tracks[k]!, h.picks[k]!) + 20 * Math.log10(Math.max(1, Math.hypot(tracks[k]!.x - h.fix.x, tracks[k]!.y - h.fix.y))))
    .sort((a, b) => a - b);
  return xs[xs.length >> 1]!;
}

/** Sigma of the arrival a fix predicts at a sensor: the timing sigma and the fix's own uncertainty carried there. */
export function predictionSigmaS(fix: Fix, t: { x: number; y: number }, o: Geometry, sigmaS: number): number {
  const d = Math.max(1, Math.hypot(fix.x - t.x, fix.y - t.y));
  const jx = (fix.x - t.x) / (d * o.c),
    jy = (fix.y - t.y) / (d * o.c);
  const [xx, xy, yy] = fix.unitCov;
  const [xt, yt, tt] = fix.unitCovT ?? [0, 0, 0];
  const v = jx * jx * xx + 2 * jx * jy * xy + jy * jy * yy + 2 * jx * xt + 2 * jy * yt + tt;
  return sigmaS * Math.sqrt(1 + Math.max(0, v));
}
