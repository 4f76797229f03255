/**
 * Import speed: a 6-sensor alert of 4 s clips at 48 kHz (16-bit), from the demo simulator.
 *
 * - import.alert_ms: the median time of importFolder (on the ingest worker: read and parse
 *   alert.json and the WAVs, hash, peaks, pick and locate; then store the clips and commit the rows).
 * - import.alerts_per_s: alerts per second sustained over 500 imports into one growing store.
 *
 * Baseline, measured in the same run, interleaved: the store's own limit, committing the very
 * same clip bytes (content-addressed, copied and fsynced by ClipStore.putFile) and the very same rows (alert,
 * sensors with peaks, pulses, solution, audit chain) with the processing done beforehand.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openCore } from '../../../src/core/core.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import { renderAlert, writeBundle, type GeneratedAlert } from '../../../src/ingest/demo/output.ts';
import { planAlert } from '../../../src/ingest/demo/plan.ts';
import { commitAlert } from '../../../src/ingest/commit.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { prepareAlert } from '../../../src/ingest/prepare.ts';
import { readAlertFolder } from '../../../src/ingest/readers.ts';
import { ClipStore } from '../../../src/store/clip-store.ts';
import { Store } from '../../../src/store/store.ts';
import { parseIsoMicros } from '../../../src/util/time.ts';
import type { BenchSuite, Figure } from '../types.ts';

const SENSORS = 6;
const SAMPLE_RATE = 48_000;
const DURATION_S = 4;

/** The base alert: a single shot heard by six sensors, every clip 4 s at 48 kHz. */
export function baseAlert(): GeneratedAlert {
  const plan = planAlert({
    network: defaultNetwork(),
    seed: 'bench-import',
    index: 1,
    scenario: 'single_shot',
    minSensors: SENSORS,
    maxSensors: SENSORS,
    durationS: DURATION_S,
    sampleRate: SAMPLE_RATE,
    encoding: 'pcm16',
  });
  return renderAlert(plan, { epochUs: parseIsoMicros('2026-06-14T21:00:00Z'), id: 'BENCH-0' });
}

/**
 * The i-th alert: the base one with a new id and the last samples of each clip changed, so
 * every clip has new bytes and a new hash (the clip store cannot skip it) but the same work.
 */
export function variant(base: GeneratedAlert, i: number): GeneratedAlert {
  const clips = base.clips.map((c, k) => {
    const bytes = Buffer.from(c.bytes);
    for (let s = 1; s <= 4; s++) bytes.writeInt16LE(((i * 7 + k * 13 + s) % 64) - 32, bytes.length - 2 * s);
    return { name: c.name, bytes };
  });
  return { ...base, id: `BENCH-${i}`, alert: { ...base.alert, id: `BENCH-${i}` }, clips };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export const suite: BenchSuite = {
  name: 'import',
  async run(ctx) {
    const count = ctx.quick ? 20 : 500;
    const base = baseAlert();
    if (base.clips.length !== SENSORS) throw new Error(`the bench alert has ${base.clips.length} sensors, not ${SENSORS}`);
    const core = openCore({ dataDir: join(ctx.workDir, 'import') });
    mkdirSync(join(ctx.workDir, 'baseline'), { recursive: true });
    const store = Store.open(join(ctx.workDir, 'baseline', 'earwitness.sqlite'));
    const clips = new ClipStore(join(ctx.workDir, 'baseline', 'clips'));
    const bundles = join(ctx.workDir, 'bundles');
    const importMs: number[] = [];
    const storeMs: number[] = [];
    try {
      for (let i = 1; i <= count; i++) {
        const dir = writeBundle(bundles, variant(base, i));
        // The baseline's input: everything computed before the clock starts.
        const prepared = prepareAlert(readAlertFolder(dir), { defaultTemperatureC: core.config.defaultTemperatureC, nowUs: core.clock.nowUs() });
        const timeImport = async () => {
          const t = performance.now();
          const outcome = await importFolder(core, dir, 'bench');
          importMs.push(performance.now() - t);
          if (outcome.status !== 'imported') throw new Error(`bench alert ${i}: ${outcome.status}: ${outcome.message}`);
        };
        const timeStore = async () => {
          const t = performance.now();
          await commitAlert(store.port(), clips, prepared, 'bench');
          storeMs.push(performance.now() - t);
        };
        // Alternate the order so neither side always runs with a warmer cache.
        if (i % 2) {
          await timeImport();
          await timeStore();
        } else {
          await timeStore();
          await timeImport();
        }
        rmSync(dir, { recursive: true, force: true });
        if (i % 50 === 0 || i === count)
          ctx.log(`${i}/${count} alerts: import median ${median(importMs).toFixed(1)} ms, store alone ${median(storeMs).toFixed(1)} ms`);
      }
    } finally {
      await core.close();
      await store.port().close();
      store.close();
    }
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const label = "the store's own limit: the same clip bytes (fsynced) and rows, no processing";
    const figures: Figure[] = [
      { name: 'import.alert_ms', value: median(importMs), unit: 'ms', baseline: median(storeMs), baselineLabel: label, higherIsBetter: false },
      {
        name: 'import.alerts_per_s',
        value: (count * 1000) / sum(importMs),
        unit: 'alerts/s',
        baseline: (count * 1000) / sum(storeMs),
        baselineLabel: label,
        higherIsBetter: true,
      },
    ];
    return figures;
  },
};
