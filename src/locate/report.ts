import type { PulsePick } from '../audio/pulses/pick.ts';
import type { Echo } from './adjudicate.ts';
import { coveringEllipse, mirrorLikelier, mirrorOf } from './ambiguity.ts';
import type { CrackSet } from './cracks.ts';
import type { Hypothesis } from './hypothesis.ts';
import { shotFromFix } from './model.ts';
import type { LateSensor } from './nlos.ts';
import type { OnLine } from './on-line.ts';
import { leaveOneOutSpread } from './spread.ts';
import type { Geometry, Track } from './tracks.ts';
import type { EchoCandidate, KnownSensor, LocatedShot, OnLineCandidate, PickedPulse, SensorPlace } from './types.ts';
import type { TimingPrior } from './uncertainty.ts';

/** The locator's answer, shaped: each shot with its ellipse, other solution and late sensors; every pulse with what it is; the echoes set aside. */

export interface ReportContext {
  sensors: readonly SensorPlace[];
  tracks: readonly Track[];
  picked: readonly PulsePick[][];
  refUs: number;
  c: number;
  prior: TimingPrior;
  geometry: Geometry & { gateS: number; silent?: readonly KnownSensor[] };
}

/**
 * One shot as reported. Three sensors: the other solution, where the rest of the alert does not
 * rule it out (ambiguity.ts), the likelier first and an ellipse that holds both; the sensors it
 * left out that heard it late.
 */
export function shotOut(h: Hypothesis, i: number, late: readonly LateSensor[], x: ReportContext): LocatedShot {
  if (h.atSpot) return atSpotOut(h, h.atSpot.lateSensor, i, late, x);
  const ids = h.order.map((k) => x.sensors[k]!.sensorId);
  const o = { index: i + 1, refUs: x.refUs, c: x.c, prior: x.prior };
  const nlos = late.length ? { nlos: late.map((f) => ({ sensorId: x.sensors[f.sensor]!.sensorId, lateMs: f.lateS * 1000 })) } : {};
  const mirror = mirrorOf(x.tracks, h, x.geometry);
  // The ellipse holds what leaving each sensor out shows, where one sensor errs far more than the rest (spread.ts).
  // The solution ruled out stays in the report, with why, for the reviewer to weigh.
  const setAside = (f: { x: number; y: number }, reason: string) => ({ setAside: { local: { x: f.x, y: f.y }, reason } });
  if (!mirror) return { ...shotFromFix(h.fix, ids, { ...o, spreadM2: leaveOneOutSpread(x.tracks, h, x.geometry) }), ...nlos };
  if (mirror.ruledOut?.which === 'mirror')
    return {
      ...shotFromFix(h.fix, ids, { ...o, spreadM2: leaveOneOutSpread(x.tracks, h, x.geometry) }),
      ...setAside(mirror.fix, mirror.ruledOut.why),
      ...nlos,
    };
  if (mirror.ruledOut?.which === 'given') return { ...shotFromFix(mirror.fix, ids, o), ...setAside(h.fix, mirror.ruledOut.why), ...nlos };
  const [first, second] = mirrorLikelier(x.tracks, h.picks, h.fix, mirror.fix, x.geometry.silent) ? [mirror.fix, h.fix] : [h.fix, mirror.fix];
  const shot = shotFromFix(first, ids, o);
  const other = shotFromFix(second, ids, o);
  return {
    ...shot,
    ellipse95: coveringEllipse(shot.ellipse95, other.ellipse95, other.local.x - shot.local.x, other.local.y - shot.local.y),
    alternative: { local: other.local, timeUs: other.timeUs, ellipse95: other.ellipse95 },
    ...nlos,
  };
}

/**
 * A round placed at its burst's spot (precursor.ts): reported on its sensors but the late one,
 * which is named late, its rms over the others. Its place, ellipse and other solution are still
 * those its three picks give, the late one included: the spot's own ellipse, which its rounds
 * share, held the truth less often on the simulator (seed check3), so that waits.
 */
function atSpotOut(h: Hypothesis, lateSensor: number, i: number, late: readonly LateSensor[], x: ReportContext): LocatedShot {
  const { atSpot: _, ...withPick } = h;
  const kept = h.order.flatMap((k, j) => (k === lateSensor ? [] : [j]));
  const own = shotFromFix(
    { ...h.fix, residualsS: kept.map((j) => h.fix.residualsS[j]!) },
    kept.map((j) => x.sensors[h.order[j]!]!.sensorId),
    { index: i + 1, refUs: x.refUs, c: x.c, prior: x.prior },
  );
  return { ...shotOut(withPick, i, late, x), sensorsUsed: own.sensorsUsed, residualRmsMs: own.residualRmsMs, residualsMs: own.residualsMs };
}

/** An echo set aside, as the reviewer reads it: the shot it echoes, its picks (those that are a shot's own arrival marked so), and why. */
export function rejectedOut(
  e: Echo,
  shots: readonly Hypothesis[],
  sensors: readonly SensorPlace[],
  picked: readonly PulsePick[][],
  refUs: number,
): EchoCandidate {
  const of = shots.indexOf(e.verdict.of) + 1;
  const picks = e.h.order.map((k) => ({
    sensorId: sensors[k]!.sensorId,
    offsetS: picked[k]![e.h.picks[k]!]!.offsetS,
    ...(e.verdict.explained.includes(k) ? { arrivalOf: shots.indexOf(e.verdict.explainedBy.get(k)!) + 1 } : {}),
  }));
  const ids = (ks: readonly number[]) => ks.map((k) => sensors[k]!.sensorId).join(', ');
  const strung = (e.verdict.strung ?? []).map((s) => shots.indexOf(s) + 1).filter((n) => n > 0);
  const why = e.verdict.strung
    ? `its picks on ${e.h.support} sensors all lie among the cracks and echoes of rounds ${Math.min(of, ...strung)}-${Math.max(of, ...strung)}, where so dense a clutter lines up somewhere by chance: echoes of those rounds strung together`
    : e.verdict.explained.length > 0
      ? `its picks on ${ids(e.verdict.explained)} are located shots' own arrivals, too few left for a source`
      : e.verdict.image
        ? `its ${e.h.support} arrivals fit the image of shot ${of} in a wall, fired with it, and come after shot ${of}'s on every sensor`
        : e.verdict.follows
          ? `it comes after shot ${of} on every sensor, and ${e.verdict.unheard.join(', ')}, which heard shot ${of}, would have heard a source there`
          : `it does not follow shot ${of} everywhere, but ${e.verdict.unheard.join(', ')}, which heard shot ${of}, would have heard a source there: ${e.verdict.unheard.length} silent against ${e.h.support} that heard it`;
  return {
    kind: 'echo',
    of,
    local: { x: e.h.fix.x, y: e.h.fix.y },
    timeUs: refUs + Math.round(e.h.fix.t0 * 1e6),
    image: e.verdict.image,
    picks,
    unheard: e.verdict.unheard,
    reason: `echo of shot ${of}: ${why}`,
  };
}

/** How far past its estimate the line is drawn: the estimate is rough, the line is what the times hold to. */
const LINE_BEYOND = 2;

/** Rounds whose times fit only a line, as the reviewer reads them: the line, its rounds, and why they are not located. */
export function onLineOut(
  line: OnLine,
  tracks: readonly Track[],
  sensors: readonly SensorPlace[],
  picked: readonly PulsePick[][],
  refUs: number,
): OnLineCandidate {
  const from = tracks[line.from]!,
    through = tracks[line.through]!;
  const beyond = LINE_BEYOND * line.distanceM;
  const others = line.sensors.filter((k) => k !== line.from && k !== line.through).map((k) => tracks[k]!.id);
  const n = line.rounds.length;
  return {
    kind: 'on-line',
    from: from.id,
    through: through.id,
    local: line.at,
    line: { from: { x: from.x, y: from.y }, to: { x: from.x + line.direction.x * beyond, y: from.y + line.direction.y * beyond } },
    rounds: n,
    timeUs: refUs + Math.round(line.t0 * 1e6),
    picks: line.rounds.flatMap((round, r) =>
      line.sensors.map((k) => ({ sensorId: sensors[k]!.sensorId, offsetS: picked[k]![round[k]!]!.offsetS, round: r + 1 })),
    ),
    reason:
      `${n === 1 ? 'a round' : `${n} rounds`} not located: the times fit no point, only the line from ${through.id} through ${from.id}, ` +
      `whose arrivals differ by all the ${Math.round(line.separationM)} m between them allows. The source lies near that line beyond ${from.id}; ` +
      `${others.join(', ')}'s time${others.length === 1 ? '' : 's'} put it roughly ${Math.round(line.distanceM)} m past ${from.id}.`,
  };
}

/** Every pulse picked, with the shot it belongs to, or the crack, echo or late arrival it is. */
export function pulsesOut(
  sensors: readonly SensorPlace[],
  picked: readonly PulsePick[][],
  shots: readonly Hypothesis[],
  cracks: readonly CrackSet[],
  crackOf: readonly number[],
  echoes: readonly Echo[],
  late: readonly (readonly LateSensor[])[],
): PickedPulse[] {
  const out: PickedPulse[] = [];
  sensors.forEach((s, k) => {
    picked[k]!.forEach((p, i) => {
      // A round placed at its burst's spot holds its late pick, which is late for it, not its arrival.
      const shot = shots.findIndex((h) => h.picks[k] === i && h.atSpot?.lateSensor !== k);
      const crack = cracks.findIndex((set) => set.picks[k] === i);
      const echo = shot < 0 ? echoes.find((e) => e.h.picks[k] === i) : undefined;
      const lateFor = shot < 0 ? late.findIndex((flags) => flags.some((f) => f.sensor === k && f.pick === i)) : -1;
      out.push({
        sensorId: s.sensorId,
        offsetS: p.offsetS,
        snrDb: p.snrDb,
        peakDbfs: p.peakDbfs,
        peakDbSpl: s.fullScaleDbSpl === null ? null : s.fullScaleDbSpl + p.peakDbfs,
        shotIndex: shot >= 0 ? shot + 1 : null,
        ...(crack >= 0 ? { crackOf: crackOf[crack]! >= 0 ? crackOf[crack]! + 1 : null } : {}),
        ...(echo ? { echoOf: shots.indexOf(echo.verdict.of) + 1 } : {}),
        ...(lateFor >= 0 ? { lateFor: lateFor + 1 } : {}),
        clipped: p.clipped,
      });
    });
  });
  return out;
}
