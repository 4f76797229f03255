import { fitPicks, settle, type Hypothesis, type SettleOptions } from './hypothesis.ts';
import { MASKED_BELOW_DB, travelS, type Track } from './tracks.ts';

/**
 * A shot strung together from a rifle's cracks on some sensors and the muzzle blast on others.
 * Where a sensor is inside the bullet's Mach cone, the crack comes first, far louder than the
 * blast a few tens of ms after it, which the level rules then take for the crack's echo (it
 * earns nothing and seeds nothing, tracks.ts): the association finds the loud mix, which fits a
 * point somewhere else, and never the blast. Cracks are recognised as such only in sets of three
 * (cracks.ts); this catches the mix with fewer. For an accepted shot, each sensor's pick is
 * tried against the later, much quieter picks on that sensor within a crack's lead over its
 * blast; where swapping some of them gives a set that fits and that grows over the other
 * sensors to more sensors agreeing, that set is the shot and the picks it replaced
 * are its bullet's cracks.
 */

/**
 * How long a crack can lead its own blast at a sensor: the bullet's flight advantage over the
 * sound before it slows, tens of ms for a rifle heard at up to a kilometre or so.
 */
export const CRACK_LEAD_S = 0.06;
/** Later picks per sensor tried as the blast (the nearest in time). */
const PER_SENSOR = 2;
/** Sensors whose picks are tried (the loudest first): 3^6 combinations at most. */
const MAX_SENSORS = 6;

export interface CrackSwap {
  /** The shot on the blast picks, settled over every sensor. */
  shot: Hypothesis;
  /** Pick index per track, -1 where none: the picks it replaced, the bullet's cracks. */
  cracks: Int32Array;
}

export function crackSwap(tracks: readonly Track[], taken: readonly Uint8Array[], h: Hypothesis, o: SettleOptions): CrackSwap | null {
  const options = h.order
    .map((k) => ({ k, later: blastsAfter(tracks[k]!, taken[k]!, h.picks[k]!) }))
    .filter((s) => s.later.length > 0)
    .sort((a, b) => tracks[b.k]!.levelDb[h.picks[b.k]!]! - tracks[a.k]!.levelDb[h.picks[a.k]!]!)
    .slice(0, MAX_SENSORS);
  if (options.length === 0) return null;
  let best: CrackSwap | null = null;
  // Every combination of (keep, or one of the later picks) per sensor, less "keep all".
  const choice = new Array<number>(options.length).fill(0);
  for (;;) {
    let j = 0;
    while (j < options.length && ++choice[j]! > options[j]!.later.length) choice[j++] = 0;
    if (j === options.length) break;
    const trial = tryPicks(tracks, taken, h, options, choice, o);
    if (trial && (!best || better(trial.shot, best.shot))) best = trial;
  }
  return best;
}

/** The later picks a sensor's pick may be the crack of: free, within the crack's lead, far quieter. */
function blastsAfter(t: Track, taken: Uint8Array, i: number): number[] {
  const out: number[] = [];
  for (let j = i + 1; j < t.times.length && t.times[j]! - t.times[i]! <= CRACK_LEAD_S && out.length < PER_SENSOR; j++)
    if (!taken[j] && t.levelDb[i]! - t.levelDb[j]! >= MASKED_BELOW_DB) out.push(j);
  return out;
}

function tryPicks(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  h: Hypothesis,
  options: readonly { k: number; later: number[] }[],
  choice: readonly number[],
  o: SettleOptions,
): CrackSwap | null {
  const picks = h.picks.slice();
  const cracks = new Int32Array(tracks.length).fill(-1);
  options.forEach((s, j) => {
    if (choice[j] === 0) return;
    cracks[s.k] = h.picks[s.k]!;
    picks[s.k] = s.later[choice[j]! - 1]!;
  });
  const fit = fitPicks(tracks, picks, o);
  if (!fit || fit.fix.residualsS.some((r) => Math.abs(r) > o.gateS)) return null;
  // Grown over every sensor, the cracks not to be taken again for the blast.
  const blocked = taken.map((t, k) => {
    if (cracks[k]! < 0) return t;
    const b = t.slice();
    b[cracks[k]!] = 1;
    return b;
  });
  const shot = settle(tracks, blocked, { x: fit.fix.x, y: fit.fix.y, z: fit.fix.z, t0: fit.fix.t0 }, o);
  // More sensors must agree: at equal support a shot and its echo off a wall beside the
  // shooter (an image source, 10 dB down everywhere) fit as well as each other.
  if (!shot || shot.support <= h.support) return null;
  // The blasts that replaced the cracks must stay the shot's, each nearer its modelled arrival
  // than the crack it replaced: a pick that fits as well as the later one is the blast (with a
  // wide gate, a blast's echo off a facade 40 ms on can take its place and win a sensor).
  const at = { x: shot.fix.x, y: shot.fix.y, z: shot.fix.z };
  for (let k = 0; k < tracks.length; k++) {
    if (cracks[k]! < 0) continue;
    if (shot.picks[k] !== picks[k]) return null;
    const t = tracks[k]!;
    const modelled = shot.fix.t0 + travelS(t, at, o);
    if (Math.abs(t.times[cracks[k]!]! - modelled) <= Math.abs(t.times[picks[k]!]! - modelled)) return null;
  }
  return { shot, cracks };
}

/** More sensors agreeing, then the smaller misfit. */
const better = (a: Hypothesis, b: Hypothesis) => a.support > b.support || (a.support === b.support && a.fix.rss < b.fix.rss);
