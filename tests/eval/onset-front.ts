/**
 * `npm run eval -- onset-front [--seed S,S2] [--case NAME] [--pittsburgh DIR]`: does the
 * sharpness of a pick's front (lib/front.ts) tell a straight-path arrival from a
 * wall's echo or a sound bent round a building, at equal distance? Over the simulated cases'
 * picks, each labelled by the sound path it fell on (every path of the alert's plan, echoes
 * included), and over the Pittsburgh dev set's picks of located shots (all straight paths, as
 * far as anyone knows): the front's rise by path, distance and sample rate, and per bin the
 * share of direct/echo pairs the rise orders rightly (AUC; 0.5: no separation).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pulseFront } from './lib/front.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { paToDb, peakPa } from '../../src/ingest/demo/propagation.ts';
import { readAlertFolder } from '../../src/ingest/readers.ts';
import { locateFromAudio } from '../../src/locate/index.ts';
import { audioOf } from './lib/audio.ts';
import { PITTSBURGH_TEMPERATURE_C } from './pittsburgh.ts';
import { isNotAShot } from './lib/score.ts';
import { casePlan, runCase, SIM_CASES, SIM_DEFAULTS, type SimRunOptions } from './lib/sim-cases.ts';

interface Row {
  kind: string;
  distanceM: number;
  sampleRate: number;
  riseUs: number;
  rise1090Us: number;
  snrDb: number;
  /** The simulator's rise time of the path the pick fell on (NaN: none, or real audio). */
  truthRiseUs: number;
  /** The pick placed a reported shot. */
  used: boolean;
  /** ...a reported shot that is not a shot, by the evals' rule (lib/score.ts). */
  notShot: boolean;
  /** The alert and shot the pick placed (empty: none). */
  shot: string;
}

/** A pick is on a path whose arrival lies this close (the picker's own timing error is far less). */
const MATCH_S = 0.001;
const LEAST_DB = 60;

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { seed: { type: 'string' }, case: { type: 'string' }, alerts: { type: 'string' }, pittsburgh: { type: 'string' } },
  });
  const seeds = (values.seed ?? 'simulated').split(',');
  const cases = SIM_CASES.filter((c) => !values.case || values.case.split(',').includes(c.name));
  const rows: Row[] = [];
  for (const seedName of seeds)
    for (const c of cases) {
      const o: SimRunOptions = { ...SIM_DEFAULTS, network: defaultNetwork(), seed: seedName, count: Number(values.alerts ?? '20') };
      runCase(c, o).forEach((a, i) => {
        const plan = casePlan(c, o, i + 1);
        const src0 = a.g.truth.sources.find((s) => s.round)!;
        const epochUs = src0.timeUs - Math.round(plan.scene.emissions.find((e) => e.round)!.tUs);
        for (const r of plan.reporting) {
          const ts = a.g.truth.sensors.find((t) => t.id === r.sensor.id)!;
          const aud = a.audio.find((x) => x.sensorId === r.sensor.id)!;
          const startS = (ts.clipStartUs - epochUs) / 1e6;
          const paths = r.paths.filter((p) => p.kind !== 'ground' && p.kind !== 'crack_ground' && paToDb(peakPa(p)) >= LEAST_DB);
          for (const p of a.out.pulses.filter((x) => x.sensorId === r.sensor.id)) {
            const near = paths.reduce<(typeof paths)[number] | null>((best, q) => {
              const d = Math.abs(q.arrivalS - startS - p.offsetS);
              return d <= MATCH_S && (!best || d < Math.abs(best.arrivalS - startS - p.offsetS)) ? q : best;
            }, null);
            const f = pulseFront(aud.samples, aud.sampleRate, p.offsetS);
            if (!f) continue;
            rows.push({
              kind: near?.kind ?? 'none',
              distanceM: near?.lengthM ?? NaN,
              sampleRate: aud.sampleRate,
              riseUs: f.slopeRiseS * 1e6,
              rise1090Us: f.rise1090S * 1e6,
              snrDb: p.snrDb ?? NaN,
              truthRiseUs: (near?.riseS ?? NaN) * 1e6,
              used: p.shotIndex !== null,
              notShot: p.shotIndex !== null && isNotAShot(a.score.shots[p.shotIndex - 1]!),
              shot: p.shotIndex !== null ? `${seedName}/${a.g.id}/${p.shotIndex}` : '',
            });
          }
        }
      });
    }
  const out: string[] = [`simulated, seeds ${seeds.join(', ')}, cases ${cases.map((c) => c.name).join(', ')}: ${rows.length} picks`];
  out.push(...table(rows), '', ...againstTruth(rows), '', ...pooled(rows));
  const dir = values.pittsburgh ?? '../shared/data/pittsburgh-2018/dev';
  if (existsSync(resolve(dir))) {
    const pgh = pittsburghRows(resolve(dir));
    out.push('', `Pittsburgh dev, picks of located shots (kind: direct, as surveyed): ${pgh.length} picks`, ...table(pgh), '', ...relative(rows, pgh));
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function pittsburghRows(root: string): Row[] {
  const rows: Row[] = [];
  for (const fp of readdirSync(root).filter((d) => /^FP\d+$/.test(d)))
    for (const test of readdirSync(join(root, fp)).filter((d) => /^test_\d+$/.test(d))) {
      const dir = join(root, fp, test);
      const sv = (JSON.parse(readFileSync(join(dir, `${test}.survey.json`), 'utf8')) as { survey_location: { x: number; y: number } }).survey_location;
      const incoming = readAlertFolder(dir);
      const { audio } = audioOf(incoming);
      const located = locateFromAudio(audio, {
        temperatureC: incoming.weather?.temperatureC ?? null,
        defaultTemperatureC: PITTSBURGH_TEMPERATURE_C,
        mode: '2d',
      });
      for (const p of located.pulses) {
        if (p.shotIndex === null) continue;
        const a = audio.find((x) => x.sensorId === p.sensorId)!;
        const f = pulseFront(a.samples, a.sampleRate, p.offsetS);
        if (!f) continue;
        rows.push({
          kind: 'direct',
          distanceM: Math.hypot(a.local.x - sv.x, a.local.y - sv.y),
          sampleRate: a.sampleRate,
          riseUs: f.slopeRiseS * 1e6,
          rise1090Us: f.rise1090S * 1e6,
          snrDb: p.snrDb ?? NaN,
          truthRiseUs: NaN,
          used: true,
          notShot: false,
          shot: `${fp}/${test}/${p.shotIndex}`,
        });
      }
    }
  return rows;
}

const BINS = [0, 150, 300, 600, 1e9];
const q = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(p * s.length))]! : NaN;
};
/** P(an echo's rise > a direct pick's rise), ties half. */
function auc(direct: number[], other: number[]): number {
  if (!direct.length || !other.length) return NaN;
  let w = 0;
  for (const o of other) for (const d of direct) w += o > d ? 1 : o === d ? 0.5 : 0;
  return w / (direct.length * other.length);
}

function table(rows: Row[]): string[] {
  const lines = ['  kind        rate  dist m     n  used | slope rise us p10/p50/p90 | 10-90 us p10/p50/p90 | snr p50'];
  const rates = [...new Set(rows.map((r) => r.sampleRate))].sort((a, b) => a - b);
  const kinds = [...new Set(rows.map((r) => r.kind))].sort();
  const f0 = (v: number) => v.toFixed(0).padStart(4);
  for (const rate of rates)
    for (let b = 0; b + 1 < BINS.length; b++) {
      const inBin = (r: Row) => r.sampleRate === rate && r.distanceM >= BINS[b]! && r.distanceM < BINS[b + 1]!;
      for (const kind of kinds) {
        const sel = rows.filter((r) => r.kind === kind && inBin(r));
        if (!sel.length) continue;
        const rise = sel.map((r) => r.riseUs),
          r1090 = sel.map((r) => r.rise1090Us);
        lines.push(
          `  ${kind.padEnd(11)} ${String(rate / 1000).padStart(4)}k ${`${BINS[b]}-${BINS[b + 1]! > 1e6 ? '' : BINS[b + 1]}`.padEnd(8)}${String(sel.length).padStart(5)} ${String(sel.filter((r) => r.used).length).padStart(5)} | ${f0(q(rise, 0.1))} ${f0(q(rise, 0.5))} ${f0(q(rise, 0.9))}              | ${f0(q(r1090, 0.1))} ${f0(q(r1090, 0.5))} ${f0(q(r1090, 0.9))}       | ${q(
            sel.map((r) => r.snrDb),
            0.5,
          ).toFixed(0)}`,
        );
      }
      const direct = rows.filter((r) => r.kind === 'direct' && inBin(r));
      for (const other of ['wall', 'diffracted', 'facade']) {
        const o = rows.filter((r) => r.kind === other && inBin(r));
        if (direct.length && o.length)
          lines.push(
            `    AUC direct vs ${other}: slope rise ${auc(
              direct.map((r) => r.riseUs),
              o.map((r) => r.riseUs),
            ).toFixed(2)}, 10-90 ${auc(
              direct.map((r) => r.rise1090Us),
              o.map((r) => r.rise1090Us),
            ).toFixed(2)}`,
          );
      }
    }
  return lines;
}

/** Does the measure follow the rise the simulator drew? Measured rise by the drawn one, per sample rate. */
function againstTruth(rows: Row[]): string[] {
  const lines = ['measured slope rise (p10/p50/p90 us) by the simulated path rise time:'];
  const edges = [0, 100, 200, 400, 800, 1e9];
  for (const rate of [...new Set(rows.map((r) => r.sampleRate))].sort((a, b) => a - b))
    for (let b = 0; b + 1 < edges.length; b++) {
      const rs = rows.filter((r) => r.sampleRate === rate && r.truthRiseUs >= edges[b]! && r.truthRiseUs < edges[b + 1]!);
      const sel = rs.map((r) => r.riseUs),
        s2 = rs.map((r) => r.rise1090Us);
      if (sel.length)
        lines.push(
          `  ${String(rate / 1000).padStart(4)}k drawn ${edges[b]}-${edges[b + 1]! > 1e6 ? '' : edges[b + 1]} us: n ${sel.length}, slope ${q(sel, 0.1).toFixed(0)} ${q(sel, 0.5).toFixed(0)} ${q(sel, 0.9).toFixed(0)}; 10-90 ${q(s2, 0.1).toFixed(0)} ${q(s2, 0.5).toFixed(0)} ${q(s2, 0.9).toFixed(0)}`,
        );
    }
  return lines;
}

/**
 * The figures that decide: over all bins of sample rate and distance, the share of pairs the
 * rise orders rightly (pairs taken within a bin only, so distance and rate cannot do the work):
 * every direct pick against every wall / diffracted / facade pick, and the picks of good shots
 * (all direct) against the off-path picks of not-shots, which is what the locator would act on.
 */
function pooled(rows: Row[]): string[] {
  const inBins = (a: Row, b: Row) => a.sampleRate === b.sampleRate && BINS.findIndex((e) => a.distanceM < e) === BINS.findIndex((e) => b.distanceM < e);
  const pairAuc = (xs: Row[], ys: Row[], key: (r: Row) => number) => {
    let w = 0,
      n = 0;
    for (const y of ys)
      for (const x of xs) {
        if (!inBins(x, y)) continue;
        n++;
        w += key(y) > key(x) ? 1 : key(y) === key(x) ? 0.5 : 0;
      }
    return `${n ? (w / n).toFixed(2) : '-'} (${n} pairs)`;
  };
  const direct = rows.filter((r) => r.kind === 'direct');
  const lines = ['pooled within bins, P(the off-path pick rises slower): slope rise | 10-90'];
  for (const k of ['wall', 'diffracted', 'facade']) {
    const o = rows.filter((r) => r.kind === k);
    lines.push(`  direct vs ${k.padEnd(10)} (${o.length}): ${pairAuc(direct, o, (r) => r.riseUs)} | ${pairAuc(direct, o, (r) => r.rise1090Us)}`);
  }
  const good = direct.filter((r) => r.used && !r.notShot);
  const bad = rows.filter((r) => r.notShot && r.kind !== 'direct');
  const kinds = [...new Set(rows.filter((r) => r.notShot).map((r) => r.kind))].map((k) => `${k} ${rows.filter((r) => r.notShot && r.kind === k).length}`);
  lines.push(`  picks of not-shots by path: ${kinds.join(', ')}`);
  const shots = new Map<string, Set<string>>();
  for (const r of rows.filter((x) => x.notShot)) shots.set(r.shot, (shots.get(r.shot) ?? new Set()).add(r.kind));
  const has = (k: string) => [...shots.values()].filter((ks) => ks.has(k)).length;
  lines.push(
    `  not-shots: ${shots.size}; with a wall echo's pick ${has('wall')}, a pick come round a building ${has('diffracted')}, a sensor-side facade's echo ${has('facade')}, only straight-path picks ${[...shots.values()].filter((ks) => ks.size === 1 && ks.has('direct')).length}`,
  );
  lines.push(
    `  good shots' picks vs not-shots' off-path picks (${bad.length}): ${pairAuc(good, bad, (r) => r.riseUs)} | ${pairAuc(good, bad, (r) => r.rise1090Us)}`,
  );
  return lines;
}

/**
 * Within one shot: each pick's rise over the median of that shot's picks, which takes out the
 * gun, the microphones' kind and the clip's rate. Could "one front much duller than its
 * shot's others" flag the not-shots' off-path picks without flagging Pittsburgh's picks?
 */
function relative(sim: Row[], pgh: Row[]): string[] {
  const ratios = (rows: Row[]) => {
    const by = new Map<string, Row[]>();
    for (const r of rows.filter((x) => x.shot)) by.set(r.shot, [...(by.get(r.shot) ?? []), r]);
    const out = new Map<Row, number>();
    for (const g of by.values()) {
      if (g.length < 3) continue;
      const m = q(
        g.map((r) => r.rise1090Us),
        0.5,
      );
      for (const r of g) out.set(r, r.rise1090Us / m);
    }
    return out;
  };
  const s = ratios(sim),
    p = ratios(pgh);
  const pick = (f: (r: Row) => boolean) => [...s].filter(([r]) => f(r)).map(([, v]) => v);
  const fmt = (xs: number[]) => `n ${xs.length}, p50 ${q(xs, 0.5).toFixed(2)} p90 ${q(xs, 0.9).toFixed(2)} p95 ${q(xs, 0.95).toFixed(2)}`;
  const pAll = [...p.values()];
  const limit = q(pAll, 0.95);
  const over = (xs: number[]) => `${xs.filter((v) => v > limit).length} of ${xs.length} above Pittsburgh's p95 (${limit.toFixed(2)})`;
  const good = pick((r) => r.used && !r.notShot && r.kind === 'direct'),
    bad = pick((r) => r.notShot && r.kind !== 'direct');
  return [
    "10-90 rise over its shot's median (shots of 3 picks or more):",
    `  Pittsburgh, every pick of a located shot: ${fmt(pAll)}`,
    `  simulated, good shots' straight-path picks: ${fmt(good)}; ${over(good)}`,
    `  simulated, not-shots' off-path picks: ${fmt(bad)}; ${over(bad)}`,
  ];
}
