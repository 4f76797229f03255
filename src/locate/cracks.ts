import { crackArrival, fitCrack, type CrackFit, type CrackObservation } from './crack.ts';
import type { Hypothesis } from './hypothesis.ts';
import { SAME_SPOT_M } from './same-spot.ts';
import { firstAtOrAfter, type Geometry, type Track } from './tracks.ts';

/**
 * Which of the association's shots are a supersonic bullet's crack rather than a round. The
 * crack reaches the sensors inside the bullet's Mach cone before the muzzle blast, often
 * louder, and as arrival times across sensors it can pass for a shot of its own (crack.ts).
 * Its waveform does not give it away (real blasts look as two-sided as cracks); its geometry
 * does: a candidate is the crack of a shot when
 * - at every sensor that heard both it comes before the shot's blast, and after the shot;
 * - the shot's fix, emission time and one level trajectory with one bullet speed (Mach 1 to 4)
 *   explain its arrivals, every one inside the cone and within the gate of the model, with a
 *   misfit the timing sigma allows (chi-square, 99 %);
 * - that explanation beats the candidate's own (penalised like AIC, with the known timing
 *   sigma: the crack takes two numbers, a source anywhere takes three, a further round from
 *   the shot's spot takes one, its lead at every sensor the same).
 * A shot takes one trajectory: a second crack set of the same shot (sensors on the other side
 * of the path) is fitted together with the first.
 */

export interface CrackSet {
  /** The shot whose bullet made it. */
  blast: Hypothesis;
  /** Pick index per track, -1 where none: the crack as each sensor heard it. */
  picks: Int32Array;
  fit: CrackFit;
}

/** Two numbers fit any two arrivals: a crack set is tested on three or more. */
const MIN_CRACK_PICKS = 3;

/** Chi-square 99th percentiles for 1..10 degrees of freedom. */
const CHI2_99 = [6.635, 9.21, 11.345, 13.277, 15.086, 16.812, 18.475, 20.09, 21.666, 23.209];
const chi2_99 = (dof: number) => (dof <= CHI2_99.length ? CHI2_99[Math.max(1, dof) - 1]! : dof + 2.326 * Math.sqrt(2 * dof) + 1.7);

export function separateCracks(
  tracks: readonly Track[],
  found: readonly Hypothesis[],
  o: Geometry & { gateS: number },
): { shots: Hypothesis[]; cracks: CrackSet[] } {
  const sigma = o.gateS / 3;
  const cracks: CrackSet[] = [];
  const isCrack = new Set<Hypothesis>();
  for (;;) {
    let best: { h: Hypothesis; set: CrackSet; misfit: number } | null = null;
    for (const h of found) {
      if (isCrack.has(h) || cracks.some((c) => c.blast === h)) continue;
      for (const b of found) {
        if (b === h || isCrack.has(b)) continue;
        const earlier = cracks.find((c) => c.blast === b);
        const set = crackOf(tracks, h, b, earlier?.picks ?? null, o, sigma);
        if (!set) continue;
        const misfit = set.fit.rss / set.fit.residualsS.length;
        if (!best || misfit < best.misfit) best = { h, set, misfit };
      }
    }
    if (!best) break;
    isCrack.add(best.h);
    const at = cracks.findIndex((c) => c.blast === best.set.blast);
    if (at >= 0) cracks[at] = best.set;
    else cracks.push(best.set);
  }
  return { shots: found.filter((h) => !isCrack.has(h)), cracks };
}

/**
 * The crack set h would be of shot b (together with b's crack picks found before), or null. A
 * pick h shares with b is b's blast (a set strung together from a blast on one sensor and the
 * crack on others fits a far-off source as well as a crack set alone does). So may other
 * picks be strays: a far-off source has the freedom to take a pick or two more that happen to
 * fit, so the crack may explain most of h's picks (three at least), the rest then left free.
 */
export function crackOf(
  tracks: readonly Track[],
  h: Hypothesis,
  b: Hypothesis,
  earlier: Int32Array | null,
  o: Geometry & { gateS: number },
  sigma: number,
): CrackSet | null {
  // Picks out of order (not after the shot, or not before its blast there) are strays at once.
  let sensors = h.order.filter((k) => {
    if (b.picks[k] === h.picks[k]) return false;
    const t = tracks[k]!.times[h.picks[k]!]!;
    const blast = b.picks[k]!;
    return t > b.fix.t0 && (blast < 0 || tracks[k]!.times[blast]! > t) && !(earlier && earlier[k]! >= 0); // a sensor hears one crack per round
  });
  const shared = h.order.filter((k) => b.picks[k] === h.picks[k]).length;
  // The crack keeps most of h's picks that are not b's (three at least); strays go worst first.
  const keep = Math.max(MIN_CRACK_PICKS, Math.floor((h.support - shared) / 2) + 1);
  if (sensors.length < keep) return null;
  // A further round from b's spot (same lead everywhere) no crack can beat: no fit needed.
  const leads = sensors.filter((k) => b.picks[k]! >= 0).map((k) => tracks[k]!.times[b.picks[k]!]! - tracks[k]!.times[h.picks[k]!]!);
  if (leads.length >= 3 && spread(leads) <= 2 * sigma * sigma) return null;
  for (;;) {
    const trial = crackTrial(tracks, h, b, earlier, sensors, o, sigma);
    if (trial.set || sensors.length <= keep || !trial.fit) return trial.set;
    const miss = (k: number) => Math.abs(trial.fit!.residualsS[trial.ks.indexOf(k)]!);
    const worst = sensors.reduce((w, k) => (miss(k) > miss(w) ? k : w));
    sensors = sensors.filter((k) => k !== worst);
  }
}

/** The crack set of b made of h's picks on the given sensors (set null unless it passes the tests above), and its fit. */
function crackTrial(
  tracks: readonly Track[],
  h: Hypothesis,
  b: Hypothesis,
  earlier: Int32Array | null,
  own: readonly number[],
  o: Geometry & { gateS: number },
  sigma: number,
): { set: CrackSet | null; fit: CrackFit | null; ks: number[]; picks: Int32Array } {
  const picks = earlier ? earlier.slice() : new Int32Array(tracks.length).fill(-1);
  for (const k of own) picks[k] = h.picks[k]!;
  const ks: number[] = [];
  picks.forEach((i, k) => {
    if (i >= 0) ks.push(k);
  });
  const fit = fitCrack(
    muzzleOf(b, o),
    ks.map((k) => ({ x: tracks[k]!.x, y: tracks[k]!.y, z: tracks[k]!.z, t: tracks[k]!.times[picks[k]!]! })),
    o.c,
  );
  const out = { set: null, fit, ks, picks };
  if (!fit || !fits(fit, o.gateS, sigma)) return out;
  const s2 = sigma * sigma;
  const isOwn = new Set(own);
  // Against h's own explanation, a source anywhere, on h's picks alone: its crack picks by the
  // crack, those it shares with b by b's fix, a stray by nothing. Three picks fit a source
  // exactly, whatever they are: that says nothing for it, and the test above is all there is.
  let misfit = fit.residualsS.reduce((sum, r, i) => (isOwn.has(ks[i]!) ? sum + r * r : sum), 0);
  for (const k of h.order) if (b.picks[k] === h.picks[k]) misfit += b.fix.residualsS[b.order.indexOf(k)]! ** 2;
  if (h.support > 3 && misfit >= h.fix.rss + 2 * s2) return out;
  // Against a further round from b's spot, which leads b's blast by the same time everywhere:
  // on the sensors that heard both.
  const both = own.filter((k) => b.picks[k]! >= 0);
  if (both.length >= 3) {
    const sameSpot = spread(both.map((k) => tracks[k]!.times[b.picks[k]!]! - tracks[k]!.times[h.picks[k]!]!));
    if (both.reduce((a, k) => a + fit.residualsS[ks.indexOf(k)]! ** 2, 0) + 2 * s2 >= sameSpot) return out;
  }
  return { ...out, set: { blast: b, picks, fit } };
}

/**
 * The shot among those given whose bullet explains a crack set found before (in an earlier
 * search, with a blast that may since have changed): the crack set with that shot, or null.
 */
export function reexplain(
  tracks: readonly Track[],
  set: CrackSet,
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number },
  sigma: number,
): CrackSet | null {
  const ks: number[] = [];
  set.picks.forEach((i, k) => {
    if (i >= 0) ks.push(k);
  });
  const obs = ks.map((k) => ({ x: tracks[k]!.x, y: tracks[k]!.y, z: tracks[k]!.z, t: tracks[k]!.times[set.picks[k]!]! }));
  let best: CrackSet | null = null;
  for (const b of shots) {
    if (ks.some((k, j) => obs[j]!.t <= b.fix.t0 || (b.picks[k]! >= 0 && tracks[k]!.times[b.picks[k]!]! <= obs[j]!.t))) continue;
    const fit = fitCrack(muzzleOf(b, o), obs, o.c);
    if (fit && fits(fit, o.gateS, sigma) && (!best || fit.rss < best.fit.rss)) best = { blast: b, picks: set.picks, fit };
  }
  return best;
}

/**
 * The crack set of a shot made of given crack picks (two or more: a crack-and-blast mix,
 * crack-swap.ts), its trajectory fitted; null with fewer picks or none inside a cone that fits.
 */
export function crackSetOf(tracks: readonly Track[], blast: Hypothesis, picks: Int32Array, o: Geometry & { gateS: number }): CrackSet | null {
  const obs: CrackObservation[] = [];
  picks.forEach((i, k) => {
    if (i >= 0) obs.push({ x: tracks[k]!.x, y: tracks[k]!.y, z: tracks[k]!.z, t: tracks[k]!.times[i]! });
  });
  const fit = fitCrack(muzzleOf(blast, o), obs, o.c);
  return fit && fits(fit, o.gateS, o.gateS / 3) ? { blast, picks, fit } : null;
}

/** Sum of squared deviations from the mean. */
function spread(xs: readonly number[]): number {
  const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
  return xs.reduce((a, v) => a + (v - mean) ** 2, 0);
}

const muzzleOf = (b: Hypothesis, o: Geometry) => ({ x: b.fix.x, y: b.fix.y, z: o.elevation ? b.fix.z : null, t0: b.fix.t0 });

/** Every arrival inside the cone, within the gate of the model, and a misfit the timing sigma allows (chi-square, 99 %). */
function fits(fit: CrackFit, gateS: number, sigma: number): boolean {
  return (
    fit.inside === fit.residualsS.length && fit.residualsS.every((r) => Math.abs(r) <= gateS) && fit.rss <= chi2_99(fit.residualsS.length - 2) * sigma * sigma
  );
}

/**
 * A crack set with the crack as every other sensor inside the cone heard it: the pick (not
 * blocked) nearest the modelled crack, within the gate and before the blast there, when the
 * trajectory still fits with it.
 */
export function extendCrack(tracks: readonly Track[], blocked: readonly Uint8Array[], set: CrackSet, o: Geometry & { gateS: number }, sigma: number): CrackSet {
  const muzzle = muzzleOf(set.blast, o);
  const picks = set.picks.slice();
  let added = false;
  tracks.forEach((t, k) => {
    if (picks[k]! >= 0) return;
    const at = crackArrival(muzzle, set.fit, t, o.c);
    if (at === null) return;
    const best = pickBefore(t, blocked[k]!, set.blast.picks[k]!, at, o.gateS);
    if (best >= 0) {
      picks[k] = best;
      added = true;
    }
  });
  if (!added) return set;
  const obs: CrackObservation[] = [];
  picks.forEach((i, k) => {
    if (i >= 0) obs.push({ x: tracks[k]!.x, y: tracks[k]!.y, z: tracks[k]!.z, t: tracks[k]!.times[i]! });
  });
  const fit = fitCrack(muzzle, obs, o.c);
  return fit && fits(fit, o.gateS, sigma) ? { blast: set.blast, picks, fit } : set;
}

/**
 * The cracks of further rounds, predicted from a round's: a shooter's rounds from one spot
 * leave at the same speed in about the same direction (the aim wanders by a few degrees
 * between rounds), so where the crack of one round is known, the crack of a round fired from
 * the same spot is found by turning that trajectory: the direction that puts a pick (before
 * the round's blast) within the gate of the modelled crack on the most sensors, three at
 * least, to which the trajectory is then fitted. The nearest round in time is the template,
 * so a burst's slow swing is followed. Picks of the rounds whose cracks are known, and their
 * cracks, are not taken.
 */
export function propagateCracks(
  tracks: readonly Track[],
  sets: readonly CrackSet[],
  shots: readonly Hypothesis[],
  o: Geometry & { gateS: number },
  sigma: number,
): CrackSet[] {
  const blocked = tracks.map((t) => new Uint8Array(t.times.length));
  const block = (picks: Int32Array) =>
    picks.forEach((i, k) => {
      if (i >= 0) blocked[k]![i] = 1;
    });
  for (const set of sets) {
    block(set.picks);
    block(set.blast.picks);
  }
  // A pick a source with picks to spare explains is that source's (three picks fit any source).
  for (const s of shots) if (s.support > MIN_CRACK_PICKS) block(s.picks);
  const known = [...sets];
  const out: CrackSet[] = [];
  // Rounds nearest in time to a known crack first, so each template is the round before or after.
  const pending = shots.filter((s) => !sets.some((c) => c.blast === s));
  for (;;) {
    let next: { s: Hypothesis; template: CrackSet } | null = null;
    for (const s of pending)
      for (const c of known) {
        if (Math.hypot(c.blast.fix.x - s.fix.x, c.blast.fix.y - s.fix.y) > SAME_SPOT_M) continue;
        if (!next || Math.abs(c.blast.fix.t0 - s.fix.t0) < Math.abs(next.template.blast.fix.t0 - next.s.fix.t0)) next = { s, template: c };
      }
    if (!next) break;
    pending.splice(pending.indexOf(next.s), 1);
    const set = turnedCrack(tracks, blocked, next.s, next.template.fit, o, sigma);
    if (!set) continue;
    out.push(set);
    known.push(set);
    block(set.picks);
  }
  return out;
}

/** How far a shooter's aim may swing between two rounds, radians. */
const AIM_SWING_RAD = (15 * Math.PI) / 180;
const SWING_STEP_RAD = (0.25 * Math.PI) / 180;

/** The crack of shot s on a trajectory turned from a template's (see propagateCracks), or null. */
function turnedCrack(
  tracks: readonly Track[],
  blocked: readonly Uint8Array[],
  s: Hypothesis,
  template: CrackFit,
  o: Geometry & { gateS: number },
  sigma: number,
): CrackSet | null {
  const muzzle = muzzleOf(s, o);
  let best: { picks: Int32Array; count: number; rss: number } | null = null;
  for (let turn = -AIM_SWING_RAD; turn <= AIM_SWING_RAD + 1e-9; turn += SWING_STEP_RAD) {
    const fit = { azimuthRad: template.azimuthRad + turn, machAngleRad: template.machAngleRad };
    const picks = new Int32Array(tracks.length).fill(-1);
    let count = 0,
      rss = 0;
    tracks.forEach((t, k) => {
      const at = crackArrival(muzzle, fit, t, o.c);
      if (at === null) return;
      const i = pickBefore(t, blocked[k]!, s.picks[k]!, at, o.gateS);
      if (i < 0) return;
      picks[k] = i;
      count++;
      rss += (t.times[i]! - at) ** 2;
    });
    if (count >= MIN_CRACK_PICKS && (!best || count > best.count || (count === best.count && rss < best.rss))) best = { picks, count, rss };
  }
  if (!best) return null;
  const ks: number[] = [];
  best.picks.forEach((i, k) => {
    if (i >= 0) ks.push(k);
  });
  const fit = fitCrack(
    muzzle,
    ks.map((k) => ({ x: tracks[k]!.x, y: tracks[k]!.y, z: tracks[k]!.z, t: tracks[k]!.times[best.picks[k]!]! })),
    o.c,
  );
  return fit && fits(fit, o.gateS, sigma) ? extendCrack(tracks, blocked, { blast: s, picks: best.picks, fit }, o, sigma) : null;
}

/** The pick (not blocked, not the blast, before it) nearest a modelled crack within the gate, or -1. */
function pickBefore(t: Track, blocked: Uint8Array, blast: number, at: number, gateS: number): number {
  let best = -1;
  for (let i = firstAtOrAfter(t.times, at - gateS); i < t.times.length && t.times[i]! <= at + gateS; i++) {
    if (blocked[i] || i === blast || (blast >= 0 && t.times[i]! >= t.times[blast]!)) continue;
    if (best < 0 || Math.abs(t.times[i]! - at) < Math.abs(t.times[best]! - at)) best = i;
  }
  return best;
}
