import { pickPulses, type PulsePick } from '../audio/pulses/pick.ts';
import { secondOnset } from '../audio/pulses/second-onset.ts';
import { MODEL } from './model.ts';
import { ROUND_LEVEL_SPREAD_DB, SAME_SPOT_GATE_S, SAME_SPOT_M } from './same-spot.ts';
import type { LocateOutput, SensorPicks } from './types.ts';

/**
 * Rounds the picker lost in a burst's reverberation. The picker's thresholds (an SNR over the
 * local floor, a sharp rise) are set for a search over a whole clip, where a lower threshold
 * would bring a flood of clutter; the floor round a burst is the burst's own reverberation, so
 * a later round on a sensor near the shooter can rise well above the quiet before it yet fall
 * short of the SNR (Pittsburgh FP3/test_044: the second round on a sensor 88 m away, 17 dB over
 * the 10 ms before it, 11 dB over a floor the first round's echoes raised). Where a located
 * round's arrival pattern, shifted in time, is repeated by free picks on two of its sensors, a
 * further round from that spot is where the pattern puts it on the others, to within the
 * same-spot gate of a few milliseconds: a window a thousandth of the clip, in which a weaker
 * rise is evidence enough at the same false-alarm rate. Those sensors are picked again at the
 * lower thresholds there only, and the picks found are returned for a search again. Where the
 * sensor already has a pick a few ms before that window (a facade's echo of the round before,
 * about as loud, which the picker takes together with this round's onset), a second onset
 * rising after it in the window is picked (second-onset.ts).
 */

/** The thresholds of the picker within a window a located round's pattern predicts. */
const WINDOW_PICK = { minSnrDb: 6, minRiseDb: 6 } as const;
/** Free picks on this many of a round's sensors must repeat its pattern before the others are picked again. */
const MIN_REPEATING = 2;
/** A located round whose pattern is searched for a lost one stands on this many sensors (a residual to check it by), or passes threeSensorTemplate. */
const MIN_TEMPLATE_SENSORS = 4;
/** A pick this close to one already there is the same pulse, unless a second one rises after it. */
const SAME_PULSE_S = 0.008;
/** A second pulse rises this far over the quiet after the first: the picker's own least rise. */
const SECOND_RISE_DB = 8;

/** Every sensor's picks with those picked again (clip-relative, in time order), and the latter alone; null where no round was lost. */
export function lostRoundPicks(
  sensors: readonly Required<SensorPicks>[],
  picked: readonly PulsePick[][],
  out: LocateOutput,
): { picked: PulsePick[][]; added: PulsePick[][] } | null {
  const index = new Map(sensors.map((s, k) => [s.sensorId, k]));
  const free = sensors.map(() => [] as { at: number; db: number }[]);
  const arrivals = out.shots.map(() => new Map<number, { at: number; db: number }>());
  for (const p of out.pulses) {
    const k = index.get(p.sensorId)!;
    const pulse = { at: p.offsetS, db: p.peakDbfs ?? -Infinity };
    if (p.shotIndex !== null) arrivals[p.shotIndex - 1]!.set(k, pulse);
    // A located round's late arrival on a sensor left out of its fix is its sound, no lost round's.
    else if (p.crackOf === undefined && p.lateFor === undefined) free[k]!.push(pulse);
  }
  const relaxed: (PulsePick[] | null)[] = sensors.map(() => null);
  const windowPicks = (k: number) => {
    if (relaxed[k]) return relaxed[k];
    const audio = sensors[k]!.audio();
    return (relaxed[k] = pickPulses(audio.samples, audio.sampleRate, WINDOW_PICK));
  };
  const added = sensors.map(() => [] as PulsePick[]);
  let any = false;
  out.shots.forEach((shot, s) => {
    // A three-sensor fix fits any three picks exactly: its place is unchecked (it may be the
    // other solution, or picks of different sounds), and rounds added at it would multiply
    // its error. The pattern of a fix a fourth sensor confirms is a source's; a three-sensor
    // one must pass the checks of threeSensorTemplate.
    const pattern = arrivals[s]!;
    if (shot.sensorsUsed.length < MIN_TEMPLATE_SENSORS && !threeSensorTemplate(shot, out, pattern, (k) => [...picked[k]!, ...added[k]!, ...windowPicks(k)]))
      return;
    for (const dt of repeatedShifts(pattern, free)) {
      // A round already located from this spot at that time is no lost one.
      const t = shot.timeUs + dt * 1e6;
      if (
        out.shots.some(
          (o) => Math.abs(o.timeUs - t) < MODEL.minRoundGapS * 1e6 && Math.hypot(o.local.x - shot.local.x, o.local.y - shot.local.y) <= SAME_SPOT_M,
        )
      )
        continue;
      const found: { k: number; pick: PulsePick }[] = [];
      const deficits: number[] = [];
      let repeating = 0,
        behind = 0;
      for (const [k, { at, db }] of pattern) {
        const want = at + dt;
        const again = free[k]!.find((f) => Math.abs(f.at - want) <= SAME_SPOT_GATE_S);
        if (again) {
          repeating++;
          deficits.push(db - again.db);
          continue;
        }
        const close = [...picked[k]!, ...added[k]!].filter((p) => Math.abs(p.offsetS - want) <= SAME_PULSE_S);
        if (close.length === 0) {
          const near = windowPicks(k)
            .filter((p) => Math.abs(p.offsetS - want) <= SAME_SPOT_GATE_S)
            .sort((a, b) => Math.abs(a.offsetS - want) - Math.abs(b.offsetS - want))[0];
          if (near) {
            found.push({ k, pick: near });
            deficits.push(db - near.peakDbfs);
          }
          continue;
        }
        // A pick a few ms before the window may be an echo of the round before, which hides
        // this round's onset from the picker (second-onset.ts); one in it or after is this pulse.
        if (!close.every((p) => p.offsetS < want - SAME_SPOT_GATE_S)) continue;
        const second = secondOnsetAfter(sensors[k]!, Math.max(...close.map((p) => p.offsetS)), want);
        if (second) {
          found.push({ k, pick: second });
          deficits.push(db - second.peakDbfs);
          behind++;
        }
      }
      // A tail's wavering can pass for an onset hidden in it: such a pick only completes a
      // round every other sensor of the pattern already holds with a pick of its own.
      if (behind > 0 && repeating < pattern.size - 1) continue;
      if (repeating < MIN_REPEATING || found.length === 0 || repeating + found.length < 3) continue;
      // The same gun at the same spot is about as loud again; an echo off a wall beside the
      // shooter repeats the pattern too, but weaker. Picked at lower thresholds, the round
      // must be as loud on every sensor it stands on, not only on most.
      if (Math.max(...deficits) > ROUND_LEVEL_SPREAD_DB) continue;
      for (const f of found) added[f.k]!.push(f.pick);
      any = true;
    }
  });
  if (!any) return null;
  return { picked: picked.map((own, k) => [...own, ...added[k]!].sort((a, b) => a.offsetS - b.offsetS)), added };
}

/**
 * Whether a three-sensor round's pattern may stand as a template. Three things are asked of it:
 * - another round located at its spot (its place is then not one fix's alone);
 * - a geometry that holds a place to the same-spot distance: the template's GDOP times c times
 *   the same-spot gate, the error a pick off by that gate makes, within SAME_SPOT_M (a network
 *   alert with every sensor to one side has a GDOP of 30 and more);
 * - a burst that starts together on its three sensors. A burst's rounds are evenly spaced, so
 *   picks of round n on one sensor and round n + 1 on another repeat at the burst's rhythm as
 *   well as a true round's (simulated eval, seed check3, network alert 19: 13 rounds added
 *   147 m off). Counted back from the template's pick on each sensor at the rhythm, such a
 *   mixed pattern has one sensor with a round more before it than another; a true one has as
 *   many on every sensor. Counted at the window's thresholds (as a lost round is picked): the
 *   mixed pattern of alert 19 hides behind a first round the picker lost on the sensor ahead.
 *   Rounds after the template are not counted: a facade's echoes of a burst keep its rhythm
 *   for a while after its last round, on some sensors and not others.
 */
function threeSensorTemplate(
  shot: LocateOutput['shots'][number],
  out: LocateOutput,
  pattern: ReadonlyMap<number, { at: number }>,
  picksOn: (k: number) => readonly PulsePick[],
): boolean {
  const atSpot = out.shots.filter((o) => Math.hypot(o.local.x - shot.local.x, o.local.y - shot.local.y) <= SAME_SPOT_M).map((o) => o.timeUs / 1e6);
  if (atSpot.length < 2 || shot.gdop === null) return false;
  if (shot.gdop * out.speedOfSoundMs * SAME_SPOT_GATE_S > SAME_SPOT_M) return false;
  // The burst's rhythm: the gaps between rounds located at the spot, a missed round's double left out.
  atSpot.sort((x, y) => x - y);
  const gaps = atSpot.slice(1).map((t, i) => t - atSpot[i]!);
  const least = Math.min(...gaps);
  if (least < MODEL.minRoundGapS) return false;
  const near = gaps.filter((g) => g < 1.5 * least).sort((x, y) => x - y);
  const rhythm = near[near.length >> 1]!;
  // A burst's gaps waver by a little: each next round is looked for within that wavering too.
  const tolerance = SAME_SPOT_GATE_S + Math.max(...near.map((g) => Math.abs(g - rhythm)));
  const before = [...pattern].map(([k, { at }]) => roundsAtRhythm(picksOn(k), at, -rhythm, tolerance));
  return before.every((n) => n === before[0]);
}

/** How many rounds a sensor's picks hold from `at` on at steps of `step` (one missed round bridged), the last one's index. */
function roundsAtRhythm(picks: readonly PulsePick[], at: number, step: number, tolerance: number): number {
  let last = 0,
    t = at;
  for (let j = 1; j - last <= 2; j++) {
    const want = t + (j - last) * step;
    const hit = picks.find((p) => Math.abs(p.offsetS - want) <= tolerance * (j - last));
    if (!hit) continue;
    last = j;
    t = hit.offsetS;
  }
  return last;
}

/** A distinct onset within the same-spot gate of `want`, after the pick at `afterS` (none there: undefined). */
function secondOnsetAfter(sensor: Required<SensorPicks>, afterS: number, want: number): PulsePick | undefined {
  const audio = sensor.audio();
  return secondOnset(audio.samples, audio.sampleRate, afterS, want - SAME_SPOT_GATE_S, want + SAME_SPOT_GATE_S, SECOND_RISE_DB) ?? undefined;
}

/**
 * Time shifts at which free picks on at least MIN_REPEATING sensors of a round repeat its
 * arrivals there (each within the same-spot gate of their mean), at least a round's least gap
 * away from it.
 */
function repeatedShifts(pattern: ReadonlyMap<number, { at: number }>, free: readonly { at: number }[][]): number[] {
  const shifts: { dt: number; k: number }[] = [];
  for (const [k, { at }] of pattern) for (const f of free[k]!) if (Math.abs(f.at - at) >= MODEL.minRoundGapS) shifts.push({ dt: f.at - at, k });
  shifts.sort((a, b) => a.dt - b.dt);
  const out: number[] = [];
  for (let i = 0; i < shifts.length; i++) {
    const ks = new Set<number>();
    let sum = 0,
      m = 0;
    for (let j = i; j < shifts.length && shifts[j]!.dt <= shifts[i]!.dt + SAME_SPOT_GATE_S; j++) {
      ks.add(shifts[j]!.k);
      sum += shifts[j]!.dt;
      m++;
    }
    if (ks.size < MIN_REPEATING) continue;
    const dt = sum / m;
    if (out.every((o) => Math.abs(o - dt) > SAME_SPOT_GATE_S)) out.push(dt);
  }
  return out;
}
