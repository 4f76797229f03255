/**
 * `npm run eval -- simulated [--alerts N] [--seed S] [--jitter-ms 0.5]`: the locator on the demo
 * simulator's gunfire (single shots, semi-automatic, fully automatic bursts), with a known
 * timing noise added: every sensor's clock is off by a Gaussian draw of the given sigma, as GPS
 * time-stamping is. Prints per scenario the round count against the truth, the error of each
 * located shot to the nearest true round, the ratio of the median error to the median error the
 * Cramer-Rao bound predicts for that geometry and noise (an efficient solver sits near 1.0), and
 * the share of true positions inside the reported 95 % ellipse. Rifles' bullets are supersonic:
 * their cracks reach the sensors inside the Mach cone before the blast. The alerts whose cracks
 * were heard are then scored apart, beside the same scenes generated without bullets (the
 * subsonic baseline), with how many cracks the locator recognised as such.
 */
import { parseArgs } from 'node:util';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { toIncoming } from '../../src/ingest/demo/output.ts';
import { Rng } from '../../src/ingest/demo/rng.ts';
import type { TruthAlert } from '../../src/ingest/demo/truth.ts';
import { locateFromAudio, type LocateOutput } from '../../src/locate/index.ts';
import { parseIsoMicros } from '../../src/util/time.ts';
import { audioOf } from './lib/audio.ts';
import { insideEllipse, quantile } from './lib/score.ts';

const GUNFIRE = ['single_shot', 'semi_auto', 'full_auto'] as const;

interface Row { alerts: number; roundsExact: number; fired: number; located: number; errors: number[]; crbMedians: number[]; held: number }
const emptyRow = (): Row => ({ alerts: 0, roundsExact: 0, fired: 0, located: 0, errors: [], crbMedians: [], held: 0 });

/** One alert as scored, with what its bullets' cracks were and which of them the locator recognised. */
interface Scored {
  scenario: string;
  row: Row;
  /** Rounds whose crack at least three reporting sensors heard (enough to be told from a source). */
  crackRounds: number;
  /** Crack sets the locator reported, and those it tied to a located shot. */
  cracksReported: number;
  cracksTied: number;
  /** Crack arrivals in the clips (truth), those the locator marked as a crack, and pulses it marked that are none. */
  crackPulses: number;
  crackPulsesMarked: number;
  wronglyMarked: number;
  ms: number;
}

/** A pulse is the arrival of a path when it lies this close to it. */
const MATCH_S = 0.001;

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { alerts: { type: 'string' }, seed: { type: 'string' }, 'jitter-ms': { type: 'string' }, mode: { type: 'string' }, verbose: { type: 'boolean' }, subsonic: { type: 'boolean' } } });
  const mode = values.mode === '2.5d' ? '2.5d' : '2d';
  const count = Number(values.alerts ?? '30');
  const seed = values.seed ?? 'simulated';
  const jitterS = Number(values['jitter-ms'] ?? '0.5') / 1000;
  const network = defaultNetwork();
  const run = (supersonic: boolean) => runSeries({ network, seed, count, mode, jitterS, supersonic, verbose: values.verbose === true });
  const scored = run(!values.subsonic);
  const times = scored.map((a) => a.ms);
  const lines = [
    `simulated gunfire on the demo network ${network.spec.name}, seed ${seed}, ${count} alerts, clock jitter sigma ${(jitterS * 1000).toFixed(2)} ms, mode ${mode}${values.subsonic ? ', no supersonic bullets (--subsonic)' : ''}`,
    `locate time per alert: median ${quantile(times, 0.5).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    HEADER,
  ];
  for (const kind of GUNFIRE) {
    const of = scored.filter((a) => a.scenario === kind);
    if (of.length) lines.push(line(kind, sum(of)));
  }
  lines.push(line('all', sum(scored)));
  if (!values.subsonic) lines.push('', ...crackReport(scored, run(false)));
  lines.push('median/CRB: median error over the median error of a Gaussian with the Cramer-Rao covariance (sigma = the clock jitter) of each fix.');
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * The alerts whose bullets' cracks the sensors heard, beside the same scenes generated without
 * bullets (the subsonic baseline: what the locator makes of those shots when nothing but the
 * blasts is heard) and beside the alerts without cracks; then how many cracks were recognised.
 */
function crackReport(scored: readonly Scored[], subsonic: readonly Scored[]): string[] {
  const cracked = new Set(scored.flatMap((a, i) => (a.crackRounds > 0 ? [i] : [])));
  const withCracks = scored.filter((_, i) => cracked.has(i));
  const lines = [
    `alerts whose cracks three sensors or more heard: ${withCracks.length} of ${scored.length}; beside them the same scenes without bullets (subsonic baseline)`,
    HEADER,
    line('cracks heard', sum(withCracks)),
    line('  no bullets', sum(subsonic.filter((_, i) => cracked.has(i)))),
    line('no cracks', sum(scored.filter((_, i) => !cracked.has(i)))),
  ];
  const total = (f: (a: Scored) => number) => scored.reduce((n, a) => n + f(a), 0);
  const heard = total((a) => a.crackPulses), marked = total((a) => a.crackPulsesMarked);
  lines.push(
    `cracks recognised: ${total((a) => a.cracksReported)} crack sets reported (${total((a) => a.cracksTied)} tied to a located shot) for ${total((a) => a.crackRounds)} rounds whose crack three sensors or more heard`,
    `crack pulses: ${heard} in the clips, ${marked} marked as a crack (${((100 * marked) / Math.max(1, heard)).toFixed(0)}%), ${total((a) => a.wronglyMarked)} pulses marked as a crack that are none`,
  );
  return lines;
}

function runSeries(o: { network: ReturnType<typeof defaultNetwork>; seed: string; count: number; mode: '2d' | '2.5d'; jitterS: number; supersonic: boolean; verbose: boolean }): Scored[] {
  const out: Scored[] = [];
  for (const g of generateSeries({ network: o.network, seed: o.seed, count: o.count, scenarios: GUNFIRE, startUs: parseIsoMicros('2026-06-14T21:00:00Z'), ...(o.supersonic ? {} : { supersonic: false }) })) {
    const incoming = toIncoming(g);
    const { audio, frame } = audioOf(incoming);
    // The clocks' error: each sensor's clip is stamped off by a draw of the known sigma (per
    // alert, so a run without bullets draws the same errors for the same scene).
    const jitter = Rng.of('eval-simulated', o.seed, 'clock', g.id);
    for (const a of audio) a.clipStartUs += Math.round(jitter.normal(0, o.jitterS) * 1e6);
    const t0 = performance.now();
    const out1 = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: 15, mode: o.mode });
    const ms = performance.now() - t0;
    const row = emptyRow();
    row.alerts = 1;
    row.fired = g.truth.rounds;
    row.located = Math.min(out1.shots.length, g.truth.rounds);
    if (out1.rounds === g.truth.rounds) row.roundsExact = 1;
    const truths = g.truth.sources.filter((s) => s.round).map((s) => frame!.toLocal({ lat: s.position.lat, lon: s.position.lon, h: 0 }));
    for (const shot of out1.shots) {
      const nearest = truths.reduce((a, b) => (Math.hypot(b.x - shot.local.x, b.y - shot.local.y) < Math.hypot(a.x - shot.local.x, a.y - shot.local.y) ? b : a));
      row.errors.push(Math.hypot(nearest.x - shot.local.x, nearest.y - shot.local.y));
      if (insideEllipse(nearest.x - shot.local.x, nearest.y - shot.local.y, shot.ellipse95)) row.held++;
      const crb = crbOf(shot, audio, out1.speedOfSoundMs, o.jitterS);
      if (crb !== null) row.crbMedians.push(crb);
      if (o.verbose) process.stdout.write(`${g.truth.scenario} ${g.id} err ${row.errors.at(-1)!.toFixed(2)} crb ${crb?.toFixed(2)} sensors ${shot.sensorsUsed.length}/${audio.length} res ${Object.values(shot.residualsMs).map((r) => r.toFixed(2)).join(',')}\n`);
    }
    if (o.verbose) process.stdout.write(`${g.truth.scenario} ${g.id} rounds ${out1.rounds}/${g.truth.rounds} cracks ${out1.cracks?.length ?? 0}\n`);
    out.push({ scenario: g.truth.scenario, row, ms, ...crackCounts(g.truth, out1) });
  }
  return out;
}

/** The cracks an alert's truth holds and which of them the locator recognised. */
function crackCounts(truth: TruthAlert, out: LocateOutput): Pick<Scored, 'crackRounds' | 'cracksReported' | 'cracksTied' | 'crackPulses' | 'crackPulsesMarked' | 'wronglyMarked'> {
  const heardBy = new Map<number, number>();
  let crackPulses = 0, crackPulsesMarked = 0, wronglyMarked = 0;
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
    crackPulses, crackPulsesMarked, wronglyMarked,
  };
}

function sum(scored: readonly Scored[]): Row {
  const all = emptyRow();
  for (const { row: r } of scored) {
    all.alerts += r.alerts; all.roundsExact += r.roundsExact; all.fired += r.fired; all.located += r.located;
    all.errors.push(...r.errors); all.crbMedians.push(...r.crbMedians); all.held += r.held;
  }
  return all;
}

const HEADER = 'scenario      alerts  fired  located  rounds ok  median m    p90 m  median/CRB  in ellipse';

function line(name: string, r: Row): string {
  const ratio = quantile(r.errors, 0.5) / quantile(r.crbMedians, 0.5);
  return `${name.padEnd(13)} ${String(r.alerts).padStart(6)} ${String(r.fired).padStart(6)} ${String(r.located).padStart(8)} ${`${((100 * r.roundsExact) / Math.max(1, r.alerts)).toFixed(0)}%`.padStart(10)} ${quantile(r.errors, 0.5).toFixed(2).padStart(9)} ${quantile(r.errors, 0.9).toFixed(2).padStart(8)} ${ratio.toFixed(2).padStart(11)} ${`${((100 * r.held) / Math.max(1, r.errors.length)).toFixed(1)}%`.padStart(11)}`;
}

/**
 * The median horizontal error an efficient estimator would make for this shot's geometry at
 * the given timing sigma: the median radius of a Gaussian with the Cramer-Rao covariance,
 * found by integrating the radius distribution numerically over the covariance's eigenvalues.
 */
function crbOf(shot: { local: { x: number; y: number }; sensorsUsed: string[] }, audio: { sensorId: string; local: { x: number; y: number } }[], c: number, sigmaS: number): number | null {
  // Fisher information of (x, y, t0) for arrivals t_i = t0 + |p - s_i| / c.
  const F = [0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (const id of shot.sensorsUsed) {
    const s = audio.find((a) => a.sensorId === id)!;
    const d = Math.max(1e-6, Math.hypot(shot.local.x - s.local.x, shot.local.y - s.local.y));
    const j = [(shot.local.x - s.local.x) / (d * c), (shot.local.y - s.local.y) / (d * c), 1];
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) F[a * 3 + b]! += (j[a]! * j[b]!) / (sigmaS * sigmaS);
  }
  const cov = invert3(F);
  if (!cov) return null;
  const [xx, xy, yy] = [cov[0]!, cov[1]!, cov[4]!];
  const tr = xx + yy, det = xx * yy - xy * xy;
  const l1 = tr / 2 + Math.sqrt(Math.max(0, (tr * tr) / 4 - det)), l2 = Math.max(0, tr - l1);
  // Median of sqrt(l1 u^2 + l2 v^2) for standard normal u, v: bisection on its CDF, by quadrature over the angle.
  const m2 = Math.max(l2, l1 * 1e-9);
  const cdf = (r: number) => {
    // P(|e| <= r) = (1/2 pi) integral over the angle of (1 - exp(-r^2 q / 2)) / (q sqrt(l1 l2)).
    let p = 0;
    const steps = 360;
    for (let k = 0; k < steps; k++) {
      const th = ((k + 0.5) * 2 * Math.PI) / steps;
      const q = (Math.cos(th) ** 2) / l1 + (Math.sin(th) ** 2) / m2;
      p += (1 - Math.exp((-r * r * q) / 2)) / (q * Math.sqrt(l1 * m2)) / steps;
    }
    return p;
  };
  let lo = 0, hi = 10 * Math.sqrt(tr);
  for (let i = 0; i < 50; i++) { const mid = (lo + hi) / 2; if (cdf(mid) < 0.5) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

function invert3(m: number[]): number[] | null {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (!Number.isFinite(det) || Math.abs(det) < 1e-300) return null;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}
