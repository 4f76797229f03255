import { pickPulses, type PulsePick } from '../audio/pulses/pick.ts';
import { adjudicate } from './adjudicate.ts';
import { associate, type SetAside, type Swapped } from './associate.ts';
import { bulletSpeedMs } from './crack.ts';
import { crackSetOf, propagateCracks, reexplain, separateCracks, type CrackSet } from './cracks.ts';
import { hiddenBlast } from './hidden-blast.ts';
import { leftOutSensors } from './left-out.ts';
import { lostRoundPicks } from './lost-rounds.ts';
import type { Hypothesis } from './hypothesis.ts';
import { MODEL, geometryFor } from './model.ts';
import { onLine } from './on-line.ts';
import { firstArrivals } from './precursor.ts';
import { onLineOut, pulsesOut, rejectedOut, shotOut } from './report.ts';
import { SAME_SPOT_M } from './same-spot.ts';
import { maskedPicks, precededPicks, type Geometry, type Track } from './tracks.ts';
import type { LocatedShot, LocateOptions, LocateOutput, SensorAudio, SensorPicks, SensorPlace } from './types.ts';
import { speedOfSound } from './types.ts';

export * from './types.ts';
export { relocateShot, type ReviewerPick } from './relocate.ts';

/**
 * From the sensors' audio to shots: pick every impulse on every sensor, associate them across
 * sensors into shots by geometry (echoes and pulses that fit no consistent set left out),
 * locate each shot with its 95 % ellipse. Pure: the same audio gives the same answer.
 */
export function locateFromAudio(sensors: readonly SensorAudio[], options: LocateOptions): LocateOutput {
  return locateFromPicks(
    sensors.map((s) => ({
      sensorId: s.sensorId,
      local: s.local,
      clipStartUs: s.clipStartUs,
      fullScaleDbSpl: s.fullScaleDbSpl,
      durationS: s.samples.length / s.sampleRate,
      picks: pickPulses(s.samples, s.sampleRate),
      audio: () => s,
    })),
    options,
  );
}

/** locateFromAudio from picks already made (pickPulses on each sensor's samples): the same answer. */
export function locateFromPicks(sensors: readonly SensorPicks[], options: LocateOptions): LocateOutput {
  const picked = sensors.map((s) => s.picks);
  const first = locatePicked(sensors, picked, options);
  // Rounds of a burst the picker lost in its reverberation, picked again where a located
  // round's pattern puts them (lost-rounds.ts). The search again stands only where it keeps
  // every shot and what it adds are rounds at a located shot's spot, each standing on a pick
  // found again: nothing elsewhere, and no candidate the first search set aside.
  if (!sensors.every((s) => s.audio)) return first;
  const more = lostRoundPicks(sensors as readonly Required<SensorPicks>[], picked, first);
  if (!more) return first;
  const again = locatePicked(sensors, more.picked, options);
  return keepsAndAdds(first, again, sensors, more.added) ? again : first;
}

/** Whether a search again keeps every shot of the first (same spot, same time) and each shot it adds is a round at a located shot's spot on a pick found again. */
function keepsAndAdds(first: LocateOutput, again: LocateOutput, sensors: readonly SensorPlace[], added: readonly PulsePick[][]): boolean {
  const same = (a: LocatedShot, b: LocatedShot) =>
    Math.abs(a.timeUs - b.timeUs) < MODEL.minRoundGapS * 1e6 && Math.hypot(a.local.x - b.local.x, a.local.y - b.local.y) <= SAME_SPOT_M;
  if (again.shots.length <= first.shots.length) return false;
  if (!first.shots.every((f) => again.shots.some((a) => same(f, a)))) return false;
  const ids = sensors.map((s) => s.sensorId);
  const onAdded = (a: LocatedShot) => again.pulses.some((p) => p.shotIndex === a.index && added[ids.indexOf(p.sensorId)]!.some((q) => q.offsetS === p.offsetS));
  return again.shots.every(
    (a) =>
      first.shots.some((f) => same(f, a)) || (onAdded(a) && first.shots.some((f) => Math.hypot(a.local.x - f.local.x, a.local.y - f.local.y) <= SAME_SPOT_M)),
  );
}

/** The locator from given picks per sensor (clip-relative, in time order). */
function locatePicked(sensors: readonly SensorPicks[], picked: readonly PulsePick[][], options: LocateOptions): LocateOutput {
  const temperatureC = options.temperatureC ?? options.defaultTemperatureC;
  const c = speedOfSound(temperatureC);
  const geometry = geometryFor(
    sensors.map((s) => s.local),
    c,
    options.mode ?? '2d',
  );
  const refUs = sensors.length ? Math.min(...sensors.map((s) => s.clipStartUs)) : 0;
  const base: Track[] = sensors.map((s, k) => {
    const startS = (s.clipStartUs - refUs) / 1e6;
    const times = Float64Array.from(picked[k]!, (p) => startS + p.offsetS);
    const snrDb = Float64Array.from(picked[k]!, (p) => p.snrDb);
    const levelDb = Float64Array.from(picked[k]!, (p) => p.bandDb);
    return {
      id: s.sensorId,
      x: s.local.x,
      y: s.local.y,
      z: s.local.z,
      times,
      snrDb,
      levelDb,
      calibrationDb: s.fullScaleDbSpl,
      masked: maskedPicks(times, levelDb),
      preceded: precededPicks(times, levelDb),
      startS,
      endS: startS + s.durationS,
    };
  });
  // A supersonic bullet's crack can pass for a shot of its own, and the blast after it for its
  // echo: the shots are searched again without the picks found to be cracks (cracks.ts), which
  // then neither count as rounds nor hide the blasts that follow them.
  // Each search's shots with the crack sets that hold against them (a crack set is kept while a
  // shot found explains it as its bullet's crack; one that none does, its blast only a candidate
  // of the search, hidden-blast.ts, or a crack carried to a round that is not one, gives its
  // picks back for good). A search is kept only while it explains as many picks as the one
  // before: taking picks out changes which echoes stand out, and the search must not get worse;
  // and only while one of the crack sets it was made without holds against it.
  const refused = new Set<string>();
  let pass = associateAlert(base, geometry, null, null);
  let cracks = pass.cracks;
  for (let round = 1; round < MAX_PASSES; round++) {
    const more = propagateCracks(base, cracks, pass.shots, { ...geometry, gateS: 3 * pass.sigmaS }, pass.sigmaS).filter(
      (set) => !refused.has(set.picks.join(',')),
    );
    if (pass.cracks.length === 0 && more.length === 0) break;
    const excludedSets = [...cracks, ...more];
    const excluded = base.map((t) => new Uint8Array(t.times.length));
    for (const set of excludedSets)
      set.picks.forEach((i, k) => {
        if (i >= 0) excluded[k]![i] = 1;
      });
    const next = associateAlert(base, geometry, excluded, pass.sigmaS < MODEL.sigmaS ? pass.sigmaS : null);
    const kept = confirmed(base, excludedSets, next, geometry);
    // No shot of the search without them explains any of the crack sets: they were no cracks,
    // and the search stood on picks taken out for nothing (what it found there is echoes strung
    // together). The search before stands, with the shots it took for cracks given back.
    if (kept.length === 0) {
      const back = excludedSets.flatMap((set) => pass.suspects.get(set) ?? []);
      pass = { ...pass, shots: [...pass.shots, ...back].sort((a, b) => a.fix.t0 - b.fix.t0) };
      cracks = cracks.filter((set) => !pass.suspects.has(set));
      break;
    }
    if (explained([...next.shots], [...kept, ...next.cracks]) < explained(pass.shots, cracks)) break;
    for (const set of excludedSets) if (!kept.some((k) => k.picks === set.picks)) refused.add(set.picks.join(','));
    pass = next;
    cracks = [...kept, ...next.cracks];
  }
  const sigmaS = pass.sigmaS;
  // What the physics says of what the search found: echoes set aside, sensors heard round a building.
  // A burst's rounds take, on a sensor a building shields, the weaker sound that comes first
  // before every one of them (precursor.ts), and a clean sensor they left out in place of one
  // whose picks are all late reflections (left-out.ts).
  const gated = { ...geometry, gateS: 3 * sigmaS };
  const rounds = leftOutSensors(base, firstArrivals(base, pass.shots, gated, cracks), gated);
  const { found, late, echoes } = adjudicate(base, { ...pass, shots: rounds }, geometry);
  // The ellipse's prior is the model's, whatever gate the search narrowed to: a burst's rounds
  // agree among themselves because they share every sensor's position error (a GPS fix metres
  // off moves them all alike), which their scatter cannot show.
  // The network's sensors known alive that are not in the alert: their silence weighs against a source beside them.
  const inAlert = new Set(sensors.map((s) => s.sensorId));
  const silent = (options.knownSensors ?? []).filter((s) => !inAlert.has(s.sensorId));
  const report = { sensors, tracks: base, picked, refUs, c, prior: MODEL.prior, geometry: { ...geometry, gateS: 3 * sigmaS, silent } };
  const shots: LocatedShot[] = found.map((h, i) => shotOut(h, i, late[i]!, report));
  const crackOf = cracks.map((set) => found.indexOf(set.blast));
  // Nothing located: rounds whose times fit no point but a line are shown as such (on-line.ts).
  const line = found.length === 0 && cracks.length === 0 ? onLine(base, gated) : null;
  return {
    temperatureC,
    temperatureSource: options.temperatureC === null ? 'default' : 'weather',
    speedOfSoundMs: c,
    rounds: shots.length + (line?.rounds.length ?? 0),
    shots,
    pulses: pulsesOut(sensors, picked, found, cracks, crackOf, echoes, late),
    rejected: [...echoes.map((e) => rejectedOut(e, found, sensors, picked, refUs)), ...(line ? [onLineOut(line, base, sensors, picked, refUs)] : [])],
    cracks: cracks.map((set, j) => ({
      shotIndex: crackOf[j]! >= 0 ? crackOf[j]! + 1 : null,
      sensors: [...set.picks].flatMap((i, k) => (i >= 0 ? [sensors[k]!.sensorId] : [])),
      azimuthDeg: (set.fit.azimuthRad * 180) / Math.PI,
      bulletSpeedMs: bulletSpeedMs(set.fit.machAngleRad, c),
    })),
  };
}

/** Searches of one alert at most: the first, then one more while they find cracks or lose a crack's blast. */
const MAX_PASSES = 4;

/**
 * One association of the alert's picks (less those excluded), with the gate its own shots
 * allow, and the cracks among what it found; suspects: the shot each hidden blast's crack set
 * was, before it was taken for a crack.
 */
function associateAlert(
  tracks: readonly Track[],
  geometry: Geometry,
  excluded: readonly Uint8Array[] | null,
  alertSigma: number | null,
): { shots: Hypothesis[]; cracks: CrackSet[]; sigmaS: number; echoes: SetAside[]; suspects: Map<CrackSet, Hypothesis> } {
  const ts = excluded
    ? tracks.map((t, k) => ({ ...t, masked: maskedPicks(t.times, t.levelDb, excluded[k]), preceded: precededPicks(t.times, t.levelDb, excluded[k]) }))
    : tracks;
  const o = { ...geometry, minRoundGapS: MODEL.minRoundGapS, ...(excluded ? { excluded } : {}) };
  // Where the alert's own well-determined shots agree far better than the model allows for
  // (sensors placed by survey, not by a GPS fix), search again with the gate they show: a
  // bullet's crack or an echo a few ms off then no longer passes for the muzzle blast. That
  // is the alert's sensors' precision: a search again without its cracks keeps it.
  let sigmaS = alertSigma ?? MODEL.sigmaS;
  let echoes: SetAside[] = [];
  let swapped: Swapped[] = [];
  let found = associate(ts, { ...o, gateS: 3 * sigmaS, echoes, swapped });
  let own = alertSigma === null ? alertSigmaS(found) : null;
  // A rifle's cracks can leave no such shot: at the model's gate, the crack on some sensors
  // and the blast on others string together into shots that fit badly. A search at a narrow
  // gate then finds the blasts apart, and one heard well by six sensors or more shows the
  // alert's precision as well (the Pittsburgh recordings, GPS-placed, locate as before).
  // Only a narrow shot that is one of the model's shots tells the alert's precision: in a burst
  // heard by many sensors, some set of picks from different rounds and echoes lines up within
  // a narrow gate by chance, somewhere else.
  if (alertSigma === null && (own === null || own >= sigmaS / 2)) {
    own = alertSigmaS(
      associate(ts, { ...o, gateS: 3 * PROBE_SIGMA_S }).filter((n) => found.some((f) => Math.hypot(f.fix.x - n.fix.x, f.fix.y - n.fix.y) <= SAME_SPOT_M)),
      PROBE_MIN_SUPPORT,
    );
  }
  // The narrow search stands only where it explains as many picks as the model's: where the
  // sensors' positions are GPS fixes, the rounds that happened to agree best set a gate the
  // others miss, and the picks they leave string together elsewhere.
  if (own !== null && own < sigmaS / 2) {
    const narrowEchoes: SetAside[] = [];
    const narrowSwapped: Swapped[] = [];
    const narrow = associate(ts, { ...o, gateS: 3 * own, echoes: narrowEchoes, swapped: narrowSwapped });
    if (supportOf(narrow) >= supportOf(found)) {
      sigmaS = own;
      found = narrow;
      echoes = narrowEchoes;
      swapped = narrowSwapped;
    }
  }
  const g = { ...geometry, gateS: 3 * sigmaS };
  const { shots, cracks } = separateCracks(ts, found, g);
  // The cracks of the crack-and-blast mixes the search took apart, where they fit a trajectory
  // of their shot (a single crack has none: it is only kept from seeding a shot again).
  for (const s of swapped) {
    const set = shots.includes(s.shot) && !cracks.some((c) => c.blast === s.shot) ? crackSetOf(ts, s.shot, s.cracks, g) : null;
    if (set) cracks.push(set);
  }
  // Shots that may be cracks whose blast the crack itself hid: the search again, without them,
  // finds it. Searching for a blast that explains a given shot tries many combinations of later
  // picks; at the model's sigma (sensor positions from GPS) some set of echoes passes by chance,
  // so there it is searched at a narrow gate and taken only where blast and crack each fit far
  // better than the shot they replace (muchTighter).
  const coarse = sigmaS >= MODEL.sigmaS;
  const trial = coarse ? PROBE_SIGMA_S : sigmaS;
  const taken = ts.map((t, k) => {
    const used = excluded ? excluded[k]!.slice() : new Uint8Array(t.times.length);
    for (const h of found) if (h.picks[k]! >= 0) used[h.picks[k]!] = 1;
    return used;
  });
  // Rounds from one spot are searched by the first of them: the first crack of a burst hides
  // the first blast, and the cracks of the rounds after it follow from it (propagateCracks).
  const kept: Hypothesis[] = [];
  const suspects = new Map<CrackSet, Hypothesis>();
  for (const h of shots) {
    const later = shots.some((f) => f.fix.t0 < h.fix.t0 && Math.hypot(f.fix.x - h.fix.x, f.fix.y - h.fix.y) <= SAME_SPOT_M);
    const set =
      later || cracks.some((c) => c.blast === h)
        ? null
        : hiddenBlast(
            ts,
            taken,
            excluded ?? ts.map((t) => new Uint8Array(t.times.length)),
            h,
            found.filter((f) => f !== h),
            { ...geometry, gateS: 3 * trial, minRoundGapS: MODEL.minRoundGapS },
            trial,
          );
    if (set && (!coarse || muchTighter(h, set))) {
      cracks.push(set);
      suspects.set(set, h);
    } else kept.push(h);
  }
  return { shots: kept, cracks, sigmaS, echoes, suspects };
}

/**
 * At the model's sigma a hidden blast is taken only where it and its crack each scatter far
 * less than the shot they replace: a shot strung together from blasts on some sensors and the
 * crack on others fits badly, its two parts apart fit well.
 */
function muchTighter(h: Hypothesis, set: CrackSet): boolean {
  const scale = (rss: number, dof: number) => (dof > 0 ? Math.sqrt(rss / dof) : Infinity);
  const own = scale(h.fix.rss, h.support - 3);
  const blast = scale(set.blast.fix.rss, set.blast.support - 3);
  const crack = scale(set.fit.rss, set.fit.residualsS.length - 2);
  return set.blast.support >= MIN_HIDDEN_BLAST && Math.max(blast, crack) * TIGHTER < own;
}
/** A blast found at the model's sigma stands on five sensors or more (two degrees of freedom). */
const MIN_HIDDEN_BLAST = 5;
/** How many times less than the shot blast and crack must each scatter. */
const TIGHTER = 3;
/** The narrow search's sigma (the least the model allows) and the support of a shot of it that shows the alert's precision. */
const PROBE_SIGMA_S = MODEL.minSigmaS;
const PROBE_MIN_SUPPORT = 6;

/** Picks a set of shots uses. */
const supportOf = (shots: readonly Hypothesis[]) => shots.reduce((n, h) => n + h.support, 0);

/** Picks a search explains: its shots' and its cracks'. */
function explained(shots: readonly Hypothesis[], cracks: readonly CrackSet[]): number {
  let n = 0;
  for (const h of shots) n += h.support;
  for (const set of cracks) for (const i of set.picks) if (i >= 0) n++;
  return n;
}

/** Crack sets of earlier searches, each with the shot of this one that explains it, where one does. */
function confirmed(tracks: readonly Track[], cracks: readonly CrackSet[], pass: { shots: Hypothesis[]; sigmaS: number }, geometry: Geometry): CrackSet[] {
  const out: CrackSet[] = [];
  for (const set of cracks) {
    const again = reexplain(tracks, set, pass.shots, { ...geometry, gateS: 3 * pass.sigmaS }, pass.sigmaS);
    if (again) out.push(again);
  }
  return out;
}

/**
 * The timing scatter the alert's best-determined shot shows (fitted with two degrees of freedom
 * or more: the network and the streets allow that much precision, and a set of picks that
 * scatters far more is suspect), doubled for safety and never under the floor picks are timed
 * to; null without such a shot.
 */
function alertSigmaS(shots: readonly Hypothesis[], minSupport = 5): number | null {
  let best: number | null = null;
  for (const h of shots) {
    if (h.support < minSupport) continue;
    const scale = Math.sqrt(h.fix.rss / (h.support - 3));
    if (best === null || scale < best) best = scale;
  }
  return best === null ? null : Math.max(MODEL.minSigmaS, 2 * best);
}
