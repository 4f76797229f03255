/**
 * The simulator's hard cases, each a series of gunfire alerts with exact truth, located and
 * scored like the Pittsburgh tests (every fired round a row, every reported shot scored by its
 * distance to the nearest true round), beside the Cramer-Rao bound of each fix and whether its
 * 95 % ellipse holds the truth.
 */
import { generateSeries, seriesScenarios, type SeriesOptions } from '../../../src/ingest/demo/generate.ts';
import type { DemoNetwork } from '../../../src/ingest/demo/network.ts';
import { toIncoming, type GeneratedAlert } from '../../../src/ingest/demo/output.ts';
import { planAlert, type AlertPlan, type PlanOptions } from '../../../src/ingest/demo/plan.ts';
import { Rng } from '../../../src/ingest/demo/rng.ts';
import type { ScenarioKind } from '../../../src/ingest/demo/scenarios.ts';
import { locateFromAudio, type LocateOutput, type SensorAudio } from '../../../src/locate/index.ts';
import { parseIsoMicros } from '../../../src/util/time.ts';
import { audioOf } from './audio.ts';
import { insideEllipse, type TestScore } from './score.ts';

export const GUNFIRE = ['single_shot', 'semi_auto', 'full_auto'] as const satisfies readonly ScenarioKind[];

export interface SimCase {
  name: string;
  /** What this case is about, one line. */
  about: string;
  scenarios: readonly ScenarioKind[];
  plan: Partial<Pick<PlanOptions, 'maxSensors' | 'minSensors' | 'conditions' | 'supersonic'>>;
}

/**
 * The cases of issue 16: the network as it is (rifles' supersonic cracks included), then, with
 * subsonic rounds as the Pittsburgh tests' handguns fire them, sparse geometries, a strong
 * echo, a late sensor, fast strings.
 */
export const SIM_CASES: readonly SimCase[] = [
  { name: 'network', about: "the demo network as it is: every sensor that triggered, rifles' cracks included", scenarios: GUNFIRE, plan: {} },
  {
    name: '3 sensors',
    about: 'the first three sensors to trigger only: two solutions for every shot',
    scenarios: GUNFIRE,
    plan: { maxSensors: 3, supersonic: false },
  },
  { name: '4 sensors', about: 'the first four sensors to trigger', scenarios: GUNFIRE, plan: { maxSensors: 4, minSensors: 4, supersonic: false } },
  { name: '6 sensors', about: 'the first six sensors to trigger', scenarios: GUNFIRE, plan: { maxSensors: 6, minSensors: 6, supersonic: false } },
  {
    name: 'echo',
    about: 'a large hard facade 40-150 m from the shooter, whose echo most sensors hear',
    scenarios: GUNFIRE,
    plan: { conditions: { echo: true }, supersonic: false },
  },
  {
    name: 'nlos',
    about: 'a building between the shooter and one sensor: its first arrival comes round it, late',
    scenarios: GUNFIRE,
    plan: { conditions: { nlos: true }, minSensors: 5, supersonic: false },
  },
  {
    name: 'fast string',
    about: 'semi-automatic rounds 0.1-0.3 s apart',
    scenarios: ['semi_auto'],
    plan: { conditions: { fastString: true }, supersonic: false },
  },
];

export interface SimRunOptions {
  network: DemoNetwork;
  seed: string;
  count: number;
  mode: '2d' | '2.5d';
  /** Sigma of each sensor's clock error, seconds. */
  jitterS: number;
  /** Sigma of each sensor's GPS position error per horizontal axis, metres (one in ten four times that). */
  gpsM: number;
  verbose?: boolean;
  /**
   * 'network' (default): the locator is told every sensor of the simulated network, as a store
   * that has seen each of them report would tell it, so a sensor that heard nothing weighs
   * against a source beside it. 'none': only the alert's own sensors.
   */
  known?: 'network' | 'none';
}

/** One located alert with its truth and its score. */
export interface SimAlert {
  g: GeneratedAlert;
  out: LocateOutput;
  audio: SensorAudio[];
  /** Every fired round's true position, in the locator's frame. */
  truths: { x: number; y: number }[];
  score: TestScore;
  /** Per reported shot: the median error an efficient estimator reaches for its geometry (null: degenerate). */
  crbM: (number | null)[];
  /** Sensors whose first arrival came round a building (truth), and the late arrivals the locator flagged (NLOS): rightly (no straight path), wrongly (a straight path's). */
  late: { truth: number; flagged: number; wrong: number };
  ms: number;
}

/** The errors and mode `npm run eval -- simulated` adds and locates with unless told otherwise. */
export const SIM_DEFAULTS = { mode: '2d', jitterS: 0.0005, gpsM: 2.5 } as const satisfies Partial<SimRunOptions>;

/** The simulator's seed of a case's series under an eval seed. */
export const caseSeed = (c: SimCase, evalSeed: string): string => `${evalSeed}-${c.name.replace(/\W+/g, '-')}`;

/**
 * The plan behind a case's alert `index` (1-based), as runCase's series draws it: for the paths the
 * truth file leaves out (echoes).
 */
export function casePlan(c: SimCase, o: Pick<SimRunOptions, 'network' | 'seed' | 'gpsM'>, index: number): AlertPlan {
  const seed = caseSeed(c, o.seed);
  return planAlert({ network: o.network, seed, index, scenario: seriesScenarios(seed, index, c.scenarios)[index - 1]!, gpsErrorM: o.gpsM, ...c.plan });
}

/** Runs one case: generates its alerts, locates each from its audio with clock errors added, scores it. */
export function runCase(c: SimCase, o: SimRunOptions, extra: Partial<PlanOptions> & Pick<SeriesOptions, 'from'> = {}): SimAlert[] {
  const out: SimAlert[] = [];
  const seed = caseSeed(c, o.seed);
  for (const g of generateSeries({
    network: o.network,
    seed,
    count: o.count,
    scenarios: c.scenarios,
    startUs: parseIsoMicros('2026-06-14T21:00:00Z'),
    gpsErrorM: o.gpsM,
    ...c.plan,
    ...extra,
  })) {
    const incoming = toIncoming(g);
    const { audio, frame } = audioOf(incoming);
    // Each sensor's clip is stamped off by a draw of the clock's sigma (per alert, so a run
    // without bullets draws the same errors for the same scene).
    const jitter = Rng.of('eval-simulated', o.seed, 'clock', g.id);
    for (const a of audio) a.clipStartUs += Math.round(jitter.normal(0, o.jitterS) * 1e6);
    const t0 = performance.now();
    const knownSensors =
      o.known === 'none' ? [] : o.network.sensors.map((s) => ({ sensorId: s.id, local: frame!.toLocal({ lat: s.lat, lon: s.lon, h: s.elevationM }) }));
    const located = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: 15, mode: o.mode, knownSensors });
    const ms = performance.now() - t0;
    const truths = g.truth.sources.filter((s) => s.round).map((s) => frame!.toLocal({ lat: s.position.lat, lon: s.position.lon, h: 0 }));
    const shots = located.shots.map((shot) => {
      const nearestTo = (p: { x: number; y: number }) => truths.reduce((a, b) => (Math.hypot(b.x - p.x, b.y - p.y) < Math.hypot(a.x - p.x, a.y - p.y) ? b : a));
      const nearest = nearestTo(shot.local);
      const dx = shot.local.x - nearest.x,
        dy = shot.local.y - nearest.y;
      const other = shot.alternative?.local;
      const alternativeErrorM = other ? Math.hypot(other.x - nearestTo(other).x, other.y - nearestTo(other).y) : undefined;
      const aside = shot.setAside?.local;
      const setAsideErrorM = aside ? Math.hypot(aside.x - nearestTo(aside).x, aside.y - nearestTo(aside).y) : undefined;
      return { errorM: Math.hypot(dx, dy), dx, dy, inEllipse: insideEllipse(-dx, -dy, shot.ellipse95), alternativeErrorM, setAsideErrorM };
    });
    const sigmaS = effectiveSigmaS(o, located.speedOfSoundMs);
    const crbM = located.shots.map((shot) => crbMedianM(shot, audio, located.speedOfSoundMs, sigmaS));
    // A flag is right where the flagged pulse is no round's straight-path arrival (it came round a building, or off a wall).
    const diffracted = new Set(g.truth.sensors.filter((t) => t.arrivals.some((x) => x.path === 'diffracted')).map((t) => t.id));
    const late = { truth: diffracted.size, flagged: 0, wrong: 0 };
    for (const p of located.pulses) {
      if (p.lateFor === undefined) continue;
      const direct = g.truth.sensors
        .find((t) => t.id === p.sensorId)!
        .arrivals.some((x) => x.path === 'direct' && Math.abs(x.clipOffsetS - p.offsetS) <= 0.001);
      if (direct) late.wrong++;
      else late.flagged++;
    }
    out.push({
      g,
      out: located,
      audio,
      truths,
      ms,
      crbM,
      late,
      score: { group: c.name, name: g.id, fired: g.truth.rounds, located: located.shots.length, shots },
    });
    if (o.verbose) {
      process.stdout.write(
        `${c.name.padEnd(11)} ${g.id} ${g.truth.scenario.padEnd(11)} sensors ${audio.length} rounds ${located.rounds}/${g.truth.rounds} | ${shots.map((s, i) => `${s.errorM.toFixed(1)}m/${located.shots[i]!.sensorsUsed.length}s${s.inEllipse ? '' : '!'}`).join(' ')}\n`,
      );
    }
  }
  return out;
}

/**
 * The timing sigma the truth's errors amount to: the clocks' and, projected on the range, the
 * GPS errors' (a mixture: nine sensors in ten at sigma, one at four times it, 2.5 sigma^2 on
 * average).
 */
export function effectiveSigmaS(o: Pick<SimRunOptions, 'jitterS' | 'gpsM'>, c: number): number {
  return Math.sqrt(o.jitterS ** 2 + (2.5 * o.gpsM ** 2) / (c * c));
}

/**
 * The median horizontal error an efficient estimator would make for a shot's geometry at a
 * timing sigma: the median radius of a Gaussian with the Cramer-Rao covariance, found by
 * integrating the radius distribution numerically over the covariance's eigenvalues.
 */
export function crbMedianM(
  shot: { local: { x: number; y: number }; sensorsUsed: string[]; nlos?: { sensorId: string }[] },
  audio: readonly { sensorId: string; local: { x: number; y: number } }[],
  c: number,
  sigmaS: number,
): number | null {
  // A round placed at its burst's spot is fitted on two sensors, its late one named (nlos): the
  // spot was fitted on all three, the late one's first arrival with them, and they bound its place.
  const ids = shot.sensorsUsed.length < 3 ? [...shot.sensorsUsed, ...(shot.nlos ?? []).map((n) => n.sensorId)] : shot.sensorsUsed;
  if (ids.length < 3) return null;
  // Fisher information of (x, y, t0) for arrivals t_i = t0 + |p - s_i| / c.
  const F = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const id of ids) {
    const s = audio.find((a) => a.sensorId === id)!;
    const d = Math.max(1e-6, Math.hypot(shot.local.x - s.local.x, shot.local.y - s.local.y));
    const j = [(shot.local.x - s.local.x) / (d * c), (shot.local.y - s.local.y) / (d * c), 1];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) F[a * 3 + b]! += (j[a]! * j[b]!) / (sigmaS * sigmaS);
  }
  const cov = invert3(F);
  if (!cov) return null;
  const [xx, xy, yy] = [cov[0]!, cov[1]!, cov[4]!];
  const tr = xx + yy,
    det = xx * yy - xy * xy;
  const l1 = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det)),
    l2 = Math.max(0, tr - l1);
  const m2 = Math.max(l2, l1 * 1e-9);
  // P(|e| <= r) = (1/2 pi) integral over the angle of (1 - exp(-r^2 q / 2)) / (q sqrt(l1 l2)).
  const cdf = (r: number) => {
    let p = 0;
    const steps = 360;
    for (let k = 0; k < steps; k++) {
      const th = ((k + 0.5) * 2 * Math.PI) / steps;
      const q = Math.cos(th) ** 2 / l1 + Math.sin(th) ** 2 / m2;
      p += (1 - Math.exp((-r * r * q) / 2)) / (q * Math.sqrt(l1 * m2)) / steps;
    }
    return p;
  };
  let lo = 0,
    hi = 10 * Math.sqrt(tr);
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < 0.5) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function invert3(m: number[]): number[] | null {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h,
    B = -(d * i - f * g),
    C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-300) return null;
  return [
    A / det,
    -(b * i - c * h) / det,
    (b * f - c * e) / det,
    B / det,
    (a * i - c * g) / det,
    -(a * f - c * d) / det,
    C / det,
    -(a * h - b * g) / det,
    (a * e - b * d) / det,
  ];
}
