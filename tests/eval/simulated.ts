/**
 * `npm run eval -- simulated [--alerts N] [--seed S] [--jitter-ms 0.5] [--gps-m 2.5] [--case NAME]... [--mode 2d|2.5d] [--known network|none] [--cracks] [--verbose]`:
 * the locator on the demo simulator's gunfire, case by case (lib/sim-cases.ts: the network as
 * it is, three, four and six sensors, a strong echo, a late sensor behind a building, fast
 * strings), with known errors added: every sensor's clock off by a Gaussian draw of the given
 * sigma, its reported position off by a GPS error. Prints per case the figures the locator is
 * judged by on the Pittsburgh tests (rounds within 25 m, median and 90th percentile error,
 * alerts with every round and no more, reported shots more than 50 m from every round, by cause), beside
 * the median error the Cramer-Rao bound allows for each fix's geometry at the errors' sigma,
 * and the share of true positions inside the reported 95 % ellipse.
 *
 * --known: the network's sensors the locator is told of besides the alert's (lib/sim-cases.ts):
 * 'network' (default) every sensor of the simulated network, 'none' only the alert's own.
 *
 * --cracks: rifles' bullets are supersonic, their cracks reaching the sensors inside the Mach
 * cone before the blast; the network case's alerts whose cracks were heard are then scored
 * apart, beside the same scenes generated without bullets, with how many cracks were recognised.
 */
import { parseArgs } from 'node:util';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import type { TruthAlert } from '../../src/ingest/demo/truth.ts';
import type { LocateOutput } from '../../src/locate/index.ts';
import { notShotCauseLine } from './lib/not-shot-causes.ts';
import { isNotAShot, NOT_A_SHOT_M, NOT_A_SHOT_RULE, quantile, summarise } from './lib/score.ts';
import { effectiveSigmaS, runCase, SIM_CASES, SIM_DEFAULTS, type SimAlert, type SimRunOptions } from './lib/sim-cases.ts';

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      alerts: { type: 'string' },
      seed: { type: 'string' },
      'jitter-ms': { type: 'string' },
      'gps-m': { type: 'string' },
      mode: { type: 'string' },
      known: { type: 'string' },
      case: { type: 'string', multiple: true },
      verbose: { type: 'boolean' },
      cracks: { type: 'boolean' },
    },
  });
  const o: SimRunOptions = {
    network: defaultNetwork(),
    seed: values.seed ?? 'simulated',
    count: Number(values.alerts ?? '20'),
    mode: values.mode === '2.5d' ? '2.5d' : SIM_DEFAULTS.mode,
    jitterS: values['jitter-ms'] === undefined ? SIM_DEFAULTS.jitterS : Number(values['jitter-ms']) / 1000,
    gpsM: values['gps-m'] === undefined ? SIM_DEFAULTS.gpsM : Number(values['gps-m']),
    verbose: values.verbose === true,
    known: values.known === 'none' ? 'none' : 'network',
  };
  if (values.known !== undefined && values.known !== 'none' && values.known !== 'network') {
    process.stderr.write(`simulated: --known is network or none, not ${JSON.stringify(values.known)}\n`);
    return 2;
  }
  const unknown = (values.case ?? []).filter((n) => !SIM_CASES.some((c) => c.name === n));
  if (unknown.length) {
    process.stderr.write(
      `simulated: no case ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the cases are ${SIM_CASES.map((c) => JSON.stringify(c.name)).join(', ')}\n`,
    );
    return 2;
  }
  const cases = values.case ? SIM_CASES.filter((c) => values.case!.includes(c.name)) : SIM_CASES;
  const c0 = 331.3;
  const lines = [
    `simulated gunfire on the demo network ${o.network.spec.name}, seed ${o.seed}, ${o.count} alerts per case, mode ${o.mode}, known sensors: ${o.known === 'none' ? "the alert's own only" : 'the whole network'}`,
    `errors added: clock sigma ${(o.jitterS * 1000).toFixed(2)} ms; GPS position sigma ${o.gpsM} m per axis (one sensor in ten 4x): about ${(effectiveSigmaS(o, c0) * 1000).toFixed(1)} ms of timing in all, the sigma of the CRB`,
    '',
    HEADER,
  ];
  const all: SimAlert[] = [];
  let network: SimAlert[] = [];
  for (const c of cases) {
    const run = runCase(c, o);
    all.push(...run);
    if (c.name === 'network') network = run;
    lines.push(line(c.name, run));
    process.stderr.write(`${lines.at(-1)}\n`);
  }
  lines.push(line('all', all));
  const times = all.map((a) => a.ms);
  const late = (run: readonly SimAlert[]) =>
    run.reduce((n, a) => ({ truth: n.truth + a.late.truth, flagged: n.flagged + a.late.flagged, wrong: n.wrong + a.late.wrong }), {
      truth: 0,
      flagged: 0,
      wrong: 0,
    });
  const l = late(all);
  const rejected = all.reduce((n, a) => n + (a.out.rejected?.filter((r) => r.kind === 'echo').length ?? 0), 0);
  const ambiguous = all.reduce((n, a) => n + a.out.shots.filter((s) => s.alternative).length, 0);
  const bySilence = all.flatMap((a) => a.out.shots.filter((s) => s.setAside?.reason.endsWith('heard nothing')));
  lines.push(
    '',
    `locate time per alert: median ${quantile(times, 0.5).toFixed(1)} ms, p90 ${quantile(times, 0.9).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    `sensors heard only round a building (truth): ${l.truth}; late arrivals flagged (NLOS): ${l.flagged} that came by no straight path (round a building or off a wall), ${l.wrong} that were a straight path's (a sensor's GPS fix metres off)`,
    `candidates set aside as echoes: ${rejected}; shots reported with two solutions (three sensors): ${ambiguous}; with one, the other ruled out by a known sensor that heard nothing: ${bySilence.length}`,
    unlocatedLine(all),
    notShotsByKind(all),
    'not shots by cause (the truth path of each of their picks: a crack, a reflection or noise no path of a round explains, rounds mixed, a diffracted arrival of one round; else a GPS-off sensor):',
    ...cases.map((c) => `  ${c.name.padEnd(12)} ${notShotCauseLine(all.filter((a) => a.score.group === c.name))}`),
    'rounds missed (no reported shot within 25 m) by the alert they are in: a sensor whose reported (GPS) position is 10 m or more off / else three sensors only / else the rest',
    ...cases.map((c) => `  ${c.name.padEnd(12)} ${missesByAlert(all.filter((a) => a.score.group === c.name))}`),
    `within 25 m: rounds with a reported shot within 25 m of the truth; ${NOT_A_SHOT_RULE};`,
    'CRB: the median error of a Gaussian with the Cramer-Rao covariance of each fix at the sigma above; ellipse: true positions inside the reported 95 % ellipse; ellipse a: its median semi-major axis.',
    'goals (issue 16): within 25 m >= 97 %, rounds exact >= 95 %, not shots 0, ellipse 90-98 % in every case.',
    ...cases.map((c) => `  ${c.name.padEnd(12)} ${c.about}`),
  );
  if (values.cracks && network.length) {
    const subsonic = runCase(
      cases.find((c) => c.name === 'network')!,
      o,
      { supersonic: false },
    );
    lines.push('', ...crackReport(network, subsonic));
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

const HEADER = 'case          alerts  rounds  reported  within 25 m  median m  p90 m  CRB median m  rounds exact  not shots  in ellipse  ellipse a m';

function line(name: string, run: readonly SimAlert[]): string {
  const s = summarise(run.map((a) => a.score));
  const crb = run.flatMap((a) => a.crbM.filter((v): v is number => v !== null));
  const f = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '-');
  // Coverage is bought with size: the median semi-major axis says what it cost.
  const major = run.flatMap((a) => a.out.shots.flatMap((shot) => (shot.ellipse95 ? [shot.ellipse95.semiMajorM] : [])));
  return `${name.padEnd(13)} ${String(s.tests).padStart(6)} ${String(s.fired).padStart(7)} ${String(s.reported).padStart(9)} ${`${f(s.within25, 1)} %`.padStart(12)} ${f(s.medianM).padStart(9)} ${f(s.p90M).padStart(6)} ${f(quantile(crb, 0.5)).padStart(13)} ${`${f(s.roundsExact, 0)} %`.padStart(13)} ${String(s.notShots).padStart(10)} ${`${f(s.inEllipse, 1)} %`.padStart(11)} ${f(quantile(major, 0.5), 1).padStart(12)}`;
}

/**
 * The not shots told apart: one placed with a single solution and an ellipse that misses every
 * round (a ghost, or a round strung together wrongly) is what the seat must never show; a fix
 * reported with both its solutions, or whose ellipse holds the truth, is a real round placed as
 * well as its geometry allows, and says so. The goal counts them all.
 */
function notShotsByKind(run: readonly SimAlert[]): string {
  let ambiguous = 0,
    held = 0,
    ghosts = 0,
    otherRight = 0;
  for (const a of run)
    a.score.shots.forEach((s, i) => {
      if (!isNotAShot(s)) {
        if (s.errorM > NOT_A_SHOT_M) otherRight++;
        return;
      }
      if (a.out.shots[i]!.alternative) ambiguous++;
      else if (s.inEllipse) held++;
      else ghosts++;
    });
  return `not shots by kind: ${ambiguous} reported with two solutions (neither right), ${held} with the truth inside the 95 % ellipse, ${ghosts} neither (an ellipse that misses every round: ghosts and wrong associations); not counted: ${otherRight} reported with two solutions, the first more than ${NOT_A_SHOT_M} m off and the other right`;
}

/** A GPS fix this far off its sensor's true position is an outlier of the simulated error mixture (one sensor in ten at four times the sigma). */
const GPS_OUTLIER_M = 10;

/**
 * Missed rounds split by what their alert holds: a sensor placed 10 m or more off by its GPS
 * fix (three or four sensors cannot outvote it), else only three sensors (two solutions, no
 * residual), else neither: what is left for association and picking to answer for.
 */
function missesByAlert(run: readonly SimAlert[]): string {
  const n = { gps: 0, three: 0, rest: 0 };
  for (const a of run) {
    const best = [...a.score.shots].sort((x, y) => x.errorM - y.errorM).slice(0, a.score.fired);
    const missed = a.score.fired - best.filter((s) => s.errorM <= 25).length;
    const heard = new Set(a.audio.map((s) => s.sensorId));
    const gps = a.g.truth.sensors.some((t) => heard.has(t.id) && t.gpsErrorM && Math.hypot(t.gpsErrorM.x, t.gpsErrorM.y) >= GPS_OUTLIER_M);
    n[gps ? 'gps' : heard.size <= 3 ? 'three' : 'rest'] += missed;
  }
  return `${n.gps + n.three + n.rest} missed: ${n.gps} / ${n.three} / ${n.rest}`;
}

/** A pulse is the arrival of a path when it lies this close to it. */
const MATCH_S = 0.001;

/**
 * The alerts whose bullets' cracks three sensors or more heard, beside the same scenes generated
 * without bullets (what the locator makes of those shots when nothing but the blasts is heard)
 * and beside the alerts without cracks; then how many cracks were recognised.
 */
function crackReport(scored: readonly SimAlert[], subsonic: readonly SimAlert[]): string[] {
  const counts = scored.map((a) => crackCounts(a.g.truth, a.out));
  const cracked = new Set(counts.flatMap((c, i) => (c.crackRounds > 0 ? [i] : [])));
  const lines = [
    `network case, alerts whose cracks three sensors or more heard: ${cracked.size} of ${scored.length}; beside them the same scenes without bullets`,
    HEADER,
    line(
      'cracks heard',
      scored.filter((_, i) => cracked.has(i)),
    ),
    line(
      '  no bullets',
      subsonic.filter((_, i) => cracked.has(i)),
    ),
    line(
      'no cracks',
      scored.filter((_, i) => !cracked.has(i)),
    ),
  ];
  const total = (f: (c: (typeof counts)[number]) => number) => counts.reduce((n, c) => n + f(c), 0);
  const heard = total((c) => c.crackPulses),
    marked = total((c) => c.crackPulsesMarked);
  lines.push(
    `cracks recognised: ${total((c) => c.cracksReported)} crack sets reported (${total((c) => c.cracksTied)} tied to a located shot) for ${total((c) => c.crackRounds)} rounds whose crack three sensors or more heard`,
    `crack pulses: ${heard} in the clips, ${marked} marked as a crack (${((100 * marked) / Math.max(1, heard)).toFixed(0)}%), ${total((c) => c.wronglyMarked)} pulses marked as a crack that are none`,
  );
  return lines;
}

/** The cracks an alert's truth holds and which of them the locator recognised. */
function crackCounts(truth: TruthAlert, out: LocateOutput) {
  const heardBy = new Map<number, number>();
  let crackPulses = 0,
    crackPulsesMarked = 0,
    wronglyMarked = 0;
  for (const s of truth.sensors) {
    const pulses = out.pulses.filter((p) => p.sensorId === s.id);
    const cracks = s.arrivals.filter((a) => a.path === 'crack');
    for (const a of cracks) {
      heardBy.set(a.source, (heardBy.get(a.source) ?? 0) + 1);
      crackPulses++;
      if (pulses.some((p) => p.crackOf !== undefined && Math.abs(p.offsetS - a.clipOffsetS) <= MATCH_S)) crackPulsesMarked++;
    }
    for (const p of pulses) if (p.crackOf !== undefined && !cracks.some((a) => Math.abs(p.offsetS - a.clipOffsetS) <= MATCH_S)) wronglyMarked++;
  }
  const reported = out.cracks ?? [];
  return {
    crackRounds: [...heardBy.values()].filter((n) => n >= 3).length,
    cracksReported: reported.length,
    cracksTied: reported.filter((c) => c.shotIndex !== null).length,
    crackPulses,
    crackPulsesMarked,
    wronglyMarked,
  };
}

/**
 * The alerts where nothing was located, and of them those shown as rounds on the line their
 * times fit (on-line.ts): how many, whether the line passes within 50 m of the shooter, and
 * whether they hold as many rounds as were fired.
 */
function unlocatedLine(all: readonly SimAlert[]): string {
  const none = all.filter((a) => a.out.shots.length === 0);
  const shown = none.flatMap((a) => (a.out.rejected ?? []).filter((r) => r.kind === 'on-line').map((r) => ({ a, r })));
  const passes = shown.filter(({ a, r }) => a.truths.some((t) => distanceToSegment(t, r.line.from, r.line.to) <= 50));
  const exact = shown.filter(({ a, r }) => r.rounds === a.g.truth.rounds);
  const rounds = shown.reduce((n, { r }) => n + r.rounds, 0);
  return `alerts with nothing located: ${none.length}; of them shown as rounds on the line their times fit: ${shown.length} (${rounds} rounds; the line within 50 m of the shooter: ${passes.length}; as many rounds as fired: ${exact.length})`;
}

function distanceToSegment(p: { x: number; y: number }, a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = b.x - a.x,
    dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(p.x - a.x - t * dx, p.y - a.y - t * dy);
}
