import { crackOf, extendCrack, type CrackSet } from './cracks.ts';
import { settle, type Hypothesis } from './hypothesis.ts';
import { acceptable, MAX_RANGE_M, nearestSensorM } from './plausible.ts';
import { closedFormStarts } from './solve.ts';
import { firstAtOrAfter, ECHO_WINDOW_S, maskedPicks, precededPicks, type Geometry, type Track } from './tracks.ts';

/**
 * The muzzle blast a crack can hide. Where most sensors are inside a bullet's Mach cone (a
 * rifle fired across the network), the loud crack comes first everywhere and the blast after
 * it looks like its echo (tracks.ts: masked, preceded), so the association finds the crack as
 * a shot and never the blast. For a shot suspected of being a crack, the blast is searched
 * among what its sensors heard after it: three of its sensors' later picks give a source
 * (closed form), which grows over every sensor into the largest consistent set; that set is
 * the hidden blast when it explains the shot as its bullet's crack (cracks.ts).
 */

/** Sensors whose picks seed the search: the suspect's loudest first. */
const SEED_SENSORS = 5;
/** Later picks per seed sensor tried as its blast (the strongest). */
const PER_SENSOR = 2;
/** On the suspect's sensors, also the picks right after its own. */
const FIRST_AFTER = 2;
/**
 * A blast found to explain a given shot must stand as a source on its own: with three sensors
 * any three picks make one, and among the many combinations the search tries, some set of
 * echoes would pass.
 */
const MIN_BLAST_SUPPORT = 4;

export function hiddenBlast(
  tracks: readonly Track[],
  taken: readonly Uint8Array[],
  excluded: readonly Uint8Array[],
  h: Hypothesis,
  others: readonly Hypothesis[],
  o: Geometry & { gateS: number; minRoundGapS: number },
  sigma: number,
): CrackSet | null {
  // The blast may take picks of h (h may be a blast on one sensor strung to the crack on others).
  const blocked = taken.map((t, k) => {
    const b = t.slice();
    if (h.picks[k]! >= 0) b[h.picks[k]!] = 0;
    return b;
  });
  // Seeds: on the suspect's sensors the strongest picks after its own, on the others the
  // strongest of the time the blast can reach them (the crack may be missing or not in h there).
  const times = h.order.map((k) => tracks[k]!.times[h.picks[k]!]!);
  const from = Math.min(...times) - apertureS(tracks, o.c),
    to = Math.max(...times) + ECHO_WINDOW_S;
  const candidates = tracks.map((t, k) => (h.picks[k]! >= 0 ? blastCandidates(t, blocked[k]!, h.picks[k]!) : strongestFree(t, blocked[k]!, from, to)));
  const rank = (k: number) => (h.picks[k]! >= 0 ? 1000 + tracks[k]!.snrDb[h.picks[k]!]! : tracks[k]!.snrDb[candidates[k]![0]!]!);
  const sensors = tracks
    .map((_, k) => ({ k, later: candidates[k]! }))
    .filter((s) => s.later.length > 0)
    .sort((a, b) => rank(b.k) - rank(a.k))
    .slice(0, SEED_SENSORS);
  if (sensors.length < 3) return null;
  const z = o.elevation?.priorZ ?? null;
  const seen = new Set<string>();
  let best: CrackSet | null = null,
    bestBlast: Hypothesis | null = null;
  for (let a = 0; a < sensors.length; a++)
    for (let b = a + 1; b < sensors.length; b++)
      for (let c = b + 1; c < sensors.length; c++) {
        const trio = [sensors[a]!, sensors[b]!, sensors[c]!];
        for (const i of trio[0]!.later)
          for (const j of trio[1]!.later)
            for (const l of trio[2]!.later) {
              const obs = [
                [trio[0]!.k, i],
                [trio[1]!.k, j],
                [trio[2]!.k, l],
              ].map(([k, p]) => {
                const t = tracks[k!]!;
                return { x: t.x, y: t.y, z: t.z, t: t.times[p!]! };
              });
              for (const s of closedFormStarts(obs, o.c)) {
                if (nearestSensorM(tracks, s) > MAX_RANGE_M) continue;
                const blast = settle(tracks, blocked, { ...s, z }, o);
                if (!blast || blast.support < MIN_BLAST_SUPPORT) continue;
                const key = blast.picks.join(',');
                if (seen.has(key)) continue;
                seen.add(key);
                if (bestBlast && (blast.support < bestBlast.support || (blast.support === bestBlast.support && blast.score <= bestBlast.score))) continue;
                const set = crackOf(tracks, h, blast, null, o, sigma);
                if (!set) continue;
                const full = extendCrack(tracks, excluded, set, o, sigma);
                const ok = standsAlone(tracks, full, others, o);
                if (ok) {
                  best = full;
                  bestBlast = blast;
                }
              }
            }
      }
  return best;
}

/**
 * Whether the blast would be accepted as a shot were its crack known: what came before it on
 * its sensors no longer makes it look like an echo, and shots made partly of its crack's
 * picks are not shots to compare it with.
 */
function standsAlone(tracks: readonly Track[], set: CrackSet, others: readonly Hypothesis[], o: Geometry & { gateS: number; minRoundGapS: number }): boolean {
  const unhidden = tracks.map((t, k) => {
    if (set.picks[k]! < 0) return t;
    const ignored = new Uint8Array(t.times.length);
    ignored[set.picks[k]!] = 1;
    return { ...t, masked: maskedPicks(t.times, t.levelDb, ignored), preceded: precededPicks(t.times, t.levelDb, ignored) };
  });
  const rest = others.filter((f) => !f.order.some((k) => f.picks[k] === set.picks[k]));
  return acceptable(unhidden, rest, set.blast, o);
}

/**
 * Where h has a pick: that pick itself (a sensor outside the Mach cone hears no crack, and one
 * near the line of fire behind the muzzle hears crack and blast as one pulse: there h's pick
 * is the blast), the first free picks after it (the blast follows its crack closely, before
 * the echoes of both; the strongest later picks of a burst are the other rounds' cracks) and
 * the strongest free picks after it within the echo window.
 */
function blastCandidates(t: Track, blocked: Uint8Array, own: number): number[] {
  const from = t.times[own]! + 1e-6;
  const out: number[] = [own];
  for (let i = firstAtOrAfter(t.times, from), n = 0; i < t.times.length && n < FIRST_AFTER; i++)
    if (!blocked[i]) {
      out.push(i);
      n++;
    }
  for (const i of strongestFree(t, blocked, from, from + ECHO_WINDOW_S)) if (!out.includes(i)) out.push(i);
  return out;
}

/** The strongest free picks of one track within a time span. */
function strongestFree(t: Track, blocked: Uint8Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = firstAtOrAfter(t.times, from); i < t.times.length && t.times[i]! <= to; i++) if (!blocked[i]) out.push(i);
  return out.sort((a, b) => t.snrDb[b]! - t.snrDb[a]!).slice(0, PER_SENSOR);
}

/** Longest time sound takes between two sensors. */
function apertureS(tracks: readonly Track[], c: number): number {
  let d = 0;
  for (let a = 0; a < tracks.length; a++)
    for (let b = a + 1; b < tracks.length; b++) d = Math.max(d, Math.hypot(tracks[a]!.x - tracks[b]!.x, tracks[a]!.y - tracks[b]!.y));
  return d / c;
}
