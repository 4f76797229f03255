/**
 * `npm run eval -- pittsburgh DIR [--mode 2d|2.5d] [--plot out.png] [--verbose]`: the locator on
 * the Pittsburgh live-fire tests in DIR (any folder of FPn/test_nnn folders; data: ShotSpotter,
 * Inc., CC BY 4.0), per firing position and overall, against the surveyed firing positions;
 * beside it, the same figures for ShotSpotter's own published pulse tuples re-fitted with our
 * solver on the sensors whose audio is present (the anchor). Then the figures the locator is
 * judged by, in one table (rounds within 25 m, median and 90th percentile error, tests with
 * every round and no more, reported shots more than 50 m off (an ambiguous fix's both solutions), ellipse coverage) beside the
 * goals, and each test whose reported rounds differ from those fired. Only this eval reads survey.json, allpulses.json and nlos-tuples.json;
 * the locator sees the audio, the sensor sidecars and weather.json, exactly as `earwitness
 * locate` does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readAlertFolder } from '../../src/ingest/readers.ts';
import { locateFromAudio, relocateShot, type LocatedShot } from '../../src/locate/index.ts';
import { audioOf } from './lib/audio.ts';
import { figureTable, insideEllipse, NOT_A_SHOT_RULE, summarise, SUMMARY_HEADER, summaryLine, type TestScore } from './lib/score.ts';

/** The data README: tests without weather.json ran at about -1 C (the others report -1.1 to 1 C). */
export const PITTSBURGH_TEMPERATURE_C = -1;

interface Survey {
  num_rounds: number;
  survey_location: { x: number; y: number; z: number };
}

export async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { mode: { type: 'string' }, plot: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  const root = resolve(positionals[0] ?? '../shared/data/pittsburgh-2018/dev');
  if (!existsSync(root)) {
    process.stderr.write(`pittsburgh: ${root} is absent (the dev set lives in ../shared/data/pittsburgh-2018/dev)\n`);
    return 2;
  }
  const mode = values.mode === '2.5d' ? '2.5d' : '2d';
  const ours: TestScore[] = [],
    anchor: TestScore[] = [],
    anchorSidecar: TestScore[] = [];
  const times: number[] = [];
  /** Per test, the rounds whose sound the clips hold on three sensors or more (the rest no locator can find). */
  const inAudio = new Map<string, number>();
  for (const fp of readdirSync(root)
    .filter((d) => /^FP\d+$/.test(d))
    .sort()) {
    for (const test of readdirSync(join(root, fp))
      .filter((d) => /^test_\d+$/.test(d))
      .sort()) {
      const dir = join(root, fp, test);
      const truth = JSON.parse(readFileSync(join(dir, `${test}.survey.json`), 'utf8')) as Survey;
      const incoming = readAlertFolder(dir);
      const { audio } = audioOf(incoming);
      const t0 = performance.now();
      const out = locateFromAudio(audio, { temperatureC: incoming.weather?.temperatureC ?? null, defaultTemperatureC: PITTSBURGH_TEMPERATURE_C, mode });
      times.push(performance.now() - t0);
      ours.push({ ...score(fp, truth, out.shots), name: `${fp}/${test}` });
      inAudio.set(`${fp}/${test}`, roundsInAudio(dir, test, audio));
      const withAudio = new Set(audio.map((a) => a.sensorId));
      const refit = refitShotSpotter(dir, test, withAudio, null, out.temperatureC, mode);
      anchor.push(score(fp, truth, refit));
      anchorSidecar.push(score(fp, truth, refitShotSpotter(dir, test, withAudio, audio, out.temperatureC, mode)));
      if (values.verbose) {
        const sv = truth.survey_location;
        process.stdout.write(
          `${fp} ${test} fired ${truth.num_rounds} located ${out.shots.length} | ${out.shots.map((s) => `${Math.hypot(s.local.x - sv.x, s.local.y - sv.y).toFixed(1)}m/${s.sensorsUsed.length}s/${s.residualRmsMs?.toFixed(1)}ms`).join(' ')} | anchor ${refit
            .map(
              (s) =>
                `${Math.hypot(s.local.x - sv.x, s.local.y - sv.y).toFixed(1)}m[${Object.values(s.residualsMs)
                  .map((r) => r.toFixed(0))
                  .join(',')}]`,
            )
            .join(' ')}\n`,
        );
      }
    }
  }
  const groups = [...new Set(ours.map((t) => t.group))];
  const lines = [
    `Pittsburgh live-fire dev set (${root}); data ShotSpotter, Inc., CC BY 4.0`,
    `mode ${mode}; temperature from weather.json where present, else ${PITTSBURGH_TEMPERATURE_C} C (the data README: those tests ran at about -1 C)`,
    `locate time per test: median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
    '',
    'OURS: located from the audio alone',
    SUMMARY_HEADER,
    ...groups.map((g) => summaryLine(g, summarise(ours.filter((t) => t.group === g)))),
    summaryLine('all', summarise(ours)),
    '',
    "ANCHOR: ShotSpotter's published pulse tuples, re-fitted with our solver on the sensors whose audio is present",
    '(at the sensor positions of allpulses.json)',
    SUMMARY_HEADER,
    ...groups.map((g) => summaryLine(g, summarise(anchor.filter((t) => t.group === g)))),
    summaryLine('all', summarise(anchor)),
    '',
    'the same tuples at the sensor positions of the audio sidecars, the only ones the locator may use (GPS, metres off)',
    SUMMARY_HEADER,
    ...groups.map((g) => summaryLine(g, summarise(anchorSidecar.filter((t) => t.group === g)))),
    summaryLine('all', summarise(anchorSidecar)),
    '',
    `THE FIGURES (issue 16's table), every test of ${root}`,
    ...figureTable(
      [
        { name: 'ours', s: summarise(ours) },
        { name: 'SS tuples, sidecar pos.', s: summarise(anchorSidecar) },
        { name: 'SS tuples, their pos.', s: summarise(anchor) },
      ],
      { within25: '>= 97 %', median: '<= 5.2 m', p90: '<= 8 m', exact: '>= 95 %', notShots: '0', ellipse: '90-98 %' },
    ),
    NOT_A_SHOT_RULE,
    '',
    'rounds per test, ours (tests where the rounds reported differ from those fired; "in the audio": the rounds whose',
    "arrival on three sensors or more, by ShotSpotter's tuples, falls on recorded audio rather than a clip's end or its digital silence):",
    ...roundsPerTest(ours, inAudio),
    `tests whose every fired round is in the audio: ${ours.filter((t) => inAudio.get(t.name!) === t.fired).length} of ${ours.length}; of those, rounds exact: ${ours.filter((t) => inAudio.get(t.name!) === t.fired && t.located === t.fired).length}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.plot) {
    const { plotPittsburgh } = await import('./lib/plot.ts');
    await plotPittsburgh(values.plot, [
      { name: 'ours, from the audio', color: '#c0392b', tests: ours },
      { name: 'ShotSpotter tuples, their sensor positions', color: '#2c3e50', tests: anchor },
      { name: 'ShotSpotter tuples, sidecar positions', color: '#7f8c8d', tests: anchorSidecar },
    ]);
    process.stdout.write(`plot: ${values.plot}\n`);
  }
  return 0;
}

/** The tests whose reported rounds differ from those fired, each with its shots' errors. */
function roundsPerTest(tests: readonly TestScore[], inAudio: ReadonlyMap<string, number>): string[] {
  const off = tests.filter((t) => t.located !== t.fired);
  if (off.length === 0) return ['  every test: rounds exact'];
  return off.map(
    (t) =>
      `  ${(t.name ?? t.group).padEnd(16)} fired ${t.fired} (in the audio ${inAudio.get(t.name ?? '') ?? '?'}) reported ${t.located}: ${t.shots.map((s) => `${s.errorM.toFixed(1)} m`).join(', ')}`,
  );
}

/** A pulse of ShotSpotter's lies on recorded audio where the clip holds samples there, not digital zero, within this. */
const HELD_S = 0.01;

/**
 * How many of a test's rounds (ShotSpotter's nlos tuples) the clips hold: those with an arrival
 * on three sensors or more (a fix needs three) inside a clip and on recorded samples. Some
 * released clips end, or fall to digital zero, before a burst's last round arrives.
 */
function roundsInAudio(
  dir: string,
  test: string,
  audio: readonly { sensorId: string; clipStartUs: number; sampleRate: number; samples: Float32Array }[],
): number {
  const pulses = new Map((JSON.parse(readFileSync(join(dir, `${test}.allpulses.json`), 'utf8')) as SsPulse[]).map((p) => [p.pulse_uuid, p]));
  const tuples = JSON.parse(readFileSync(join(dir, `${test}.nlos-tuples.json`), 'utf8')) as { pulse_uuids: string[] }[];
  let held = 0;
  for (const t of tuples) {
    let sensors = 0;
    for (const a of audio) {
      const arrivals = t.pulse_uuids.map((u) => pulses.get(u)).filter((p): p is SsPulse => !!p && p.serial_number === a.sensorId);
      if (arrivals.some((p) => recorded(a, (isoMicros(p.arrival_time_utc) - a.clipStartUs) / 1e6))) sensors++;
    }
    if (sensors >= 3) held++;
  }
  return held;
}

function recorded(a: { sampleRate: number; samples: Float32Array }, offsetS: number): boolean {
  const from = Math.round((offsetS - HELD_S) * a.sampleRate),
    to = Math.round((offsetS + HELD_S) * a.sampleRate);
  if (from < 0 || to > a.samples.length) return false;
  let nonZero = 0;
  for (let i = from; i < to; i++) if (a.samples[i] !== 0) nonZero++;
  return nonZero > (to - from) / 2;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? NaN;

function score(group: string, truth: Survey, shots: readonly LocatedShot[]): TestScore {
  const sv = truth.survey_location;
  return {
    group,
    fired: truth.num_rounds,
    located: shots.length,
    shots: shots.map((s) => ({
      errorM: Math.hypot(s.local.x - sv.x, s.local.y - sv.y),
      dx: s.local.x - sv.x,
      dy: s.local.y - sv.y,
      inEllipse: insideEllipse(sv.x - s.local.x, sv.y - s.local.y, s.ellipse95),
      alternativeErrorM: s.alternative ? Math.hypot(s.alternative.local.x - sv.x, s.alternative.local.y - sv.y) : undefined,
    })),
  };
}

interface SsPulse {
  pulse_uuid: string;
  serial_number: string;
  arrival_time_utc: string;
  location: { x: number; y: number; z: number };
}

/**
 * ShotSpotter's shots: each nlos tuple's pulses on sensors with audio here, solved by
 * relocateShot (our solver), at ShotSpotter's own sensor positions (allpulses.json) or, with
 * `audio` positions, at the positions the sidecars give, which our locator has to use.
 */
function refitShotSpotter(
  dir: string,
  test: string,
  withAudio: Set<string>,
  audio: { sensorId: string; local: { x: number; y: number; z: number | null } }[] | null,
  temperatureC: number,
  mode: '2d' | '2.5d',
): LocatedShot[] {
  const pulses = new Map((JSON.parse(readFileSync(join(dir, `${test}.allpulses.json`), 'utf8')) as SsPulse[]).map((p) => [p.pulse_uuid, p]));
  const tuples = JSON.parse(readFileSync(join(dir, `${test}.nlos-tuples.json`), 'utf8')) as { pulse_uuids: string[] }[];
  const out: LocatedShot[] = [];
  for (const t of tuples) {
    const picks = t.pulse_uuids
      .map((u) => pulses.get(u))
      .filter((p): p is SsPulse => !!p && withAudio.has(p.serial_number))
      .map((p) => ({ sensorId: p.serial_number, timeUs: isoMicros(p.arrival_time_utc) }));
    const sensors =
      audio ??
      t.pulse_uuids
        .map((u) => pulses.get(u))
        .filter((p): p is SsPulse => !!p)
        .map((p) => ({ sensorId: p.serial_number, local: p.location }));
    const shot = relocateShot(picks, sensors, { temperatureC, mode, index: out.length + 1 });
    if (shot) out.push(shot);
  }
  return out;
}

/** ShotSpotter writes milliseconds: 2018-12-19T00:49:27.467Z. */
function isoMicros(iso: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(iso);
  if (!m) throw new Error(`bad time ${iso}`);
  return Date.parse(`${m[1]}Z`) * 1000 + Math.round(Number(`0.${m[2] ?? '0'}`) * 1e6);
}
