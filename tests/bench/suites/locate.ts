/**
 * Locator speed, on the import bench's alert: one shot heard by six sensors, 4 s clips at 48 kHz.
 *
 * - locate.alert_ms: median time of locateFromAudio on the decoded clips (pick every sensor,
 *   associate, solve, ellipse). Baseline: the foundation locator it replaced (strongest onset per
 *   sensor, one Gauss-Newton fix), on the same clips, interleaved.
 * - locate.burst_alert_ms: the same for a fully automatic burst heard by six sensors, the
 *   association's hardest common case. Same baseline (which cannot tell the rounds apart).
 * - locate.solver_us_per_shot: median time of one fix (closed-form start, Levenberg-Marquardt,
 *   covariance) from six arrivals. Baseline: the foundation's Gauss-Newton on the same arrivals.
 */
import { decodeChannel, parseWav } from '../../../src/audio/wav.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import { renderAlert, toIncoming } from '../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../src/ingest/demo/plan.ts';
import type { ScenarioKind } from '../../../src/ingest/demo/scenarios.ts';
import { frameFor, loadClip } from '../../../src/ingest/prepare.ts';
import { locateFromAudio, type SensorAudio } from '../../../src/locate/index.ts';
import { solveFix } from '../../../src/locate/solve.ts';
import { parseIsoMicros } from '../../../src/util/time.ts';
import { foundationLocate, solveTdoa } from '../baselines/foundation-locator.ts';
import type { BenchSuite, Figure } from '../types.ts';

function alertAudio(scenario: ScenarioKind): SensorAudio[] {
  const plan = planAlert({
    network: defaultNetwork(),
    seed: 'bench-import',
    index: 1,
    scenario,
    minSensors: 6,
    maxSensors: 6,
    durationS: 4,
    sampleRate: 48_000,
    encoding: 'pcm16',
  });
  const incoming = toIncoming(renderAlert(plan, { epochUs: parseIsoMicros('2026-06-14T21:00:00Z'), id: 'BENCH-LOCATE' }));
  const frame = frameFor(incoming)!;
  return incoming.sensors.map((s) => {
    const bytes = loadClip(s.clip, s.clipName);
    const info = parseWav(bytes);
    const p = s.position as { lat: number; lon: number; elevationM?: number };
    const e = frame.toLocal({ lat: p.lat, lon: p.lon, h: p.elevationM ?? 0 });
    return {
      sensorId: s.sensorId,
      local: { x: e.x, y: e.y, z: e.z },
      clipStartUs: s.clipStartUs,
      sampleRate: info.sampleRate,
      samples: decodeChannel(bytes, info, 0),
      fullScaleDbSpl: s.fullScaleDbSpl,
    };
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Median ms of each of two functions, run alternately so neither always has the warmer cache. */
function interleaved(runs: number, a: () => unknown, b: () => unknown): [number, number] {
  const ta: number[] = [],
    tb: number[] = [];
  for (let i = 0; i < runs; i++) {
    for (const [f, out] of (i % 2
      ? [
          [a, ta],
          [b, tb],
        ]
      : [
          [b, tb],
          [a, ta],
        ]) as [() => unknown, number[]][]) {
      const t = performance.now();
      f();
      out.push(performance.now() - t);
    }
  }
  return [median(ta), median(tb)];
}

export const suite: BenchSuite = {
  name: 'locate',
  async run(ctx) {
    const runs = ctx.quick ? 5 : 60;
    const options = { temperatureC: 15, defaultTemperatureC: 15 };
    const single = alertAudio('single_shot');
    const burst = alertAudio('full_auto');
    const [alertMs, baseMs] = interleaved(
      runs,
      () => locateFromAudio(single, options),
      () => foundationLocate(single, options),
    );
    ctx.log(`single shot: ${alertMs.toFixed(1)} ms (foundation ${baseMs.toFixed(1)} ms)`);
    const [burstMs, burstBaseMs] = interleaved(
      runs,
      () => locateFromAudio(burst, options),
      () => foundationLocate(burst, options),
    );
    const rounds = locateFromAudio(burst, options).rounds;
    ctx.log(`burst: ${burstMs.toFixed(1)} ms, ${rounds} rounds (foundation ${burstBaseMs.toFixed(1)} ms)`);

    // Six arrivals of the single shot, from its own fix: the solver's everyday input.
    const shot = locateFromAudio(single, options);
    const c = shot.speedOfSoundMs;
    const fix = shot.shots[0]!;
    const obs = single
      .filter((s) => fix.sensorsUsed.includes(s.sensorId))
      .map((s) => ({
        id: s.sensorId,
        x: s.local.x,
        y: s.local.y,
        z: s.local.z,
        t:
          (fix.timeUs - single[0]!.clipStartUs) / 1e6 +
          Math.hypot(s.local.x - fix.local.x, s.local.y - fix.local.y) / c +
          (fix.residualsMs[s.sensorId] ?? 0) / 1000,
      }));
    const reps = ctx.quick ? 200 : 5000;
    const [solveMs, gnMs] = interleaved(
      20,
      () => {
        for (let i = 0; i < reps; i++) solveFix(obs, { c, elevation: null });
      },
      () => {
        for (let i = 0; i < reps; i++) solveTdoa(obs, c);
      },
    );
    const label = 'the foundation locator it replaced (strongest onset per sensor, one Gauss-Newton fix)';
    const figures: Figure[] = [
      { name: 'locate.alert_ms', value: alertMs, unit: 'ms', baseline: baseMs, baselineLabel: label, higherIsBetter: false },
      {
        name: 'locate.burst_alert_ms',
        value: burstMs,
        unit: 'ms',
        baseline: burstBaseMs,
        baselineLabel: `${label}; ${rounds} rounds found by ours`,
        higherIsBetter: false,
      },
      {
        name: 'locate.solver_us_per_shot',
        value: (solveMs * 1000) / reps,
        unit: 'us',
        baseline: (gnMs * 1000) / reps,
        baselineLabel: "the foundation's Gauss-Newton from the centroid, same six arrivals",
        higherIsBetter: false,
      },
    ];
    return figures;
  },
};
