/**
 * What a large import costs the rest of the process: memory, and the seats' answers.
 *
 * - import.peak_mib_per_entry: peak resident memory (worker included) over the resident memory
 *   before, while one alert of 64 sensor entries is imported (each its own clip of 2 MiB,
 *   21.8 s at 48 kHz), divided by 64. Baseline: the same for an alert of one such entry: what
 *   an entry costs alone. Equal values would mean memory grows with the entries; a 64th of
 *   the baseline means it does not grow at all. Each measured in a fresh process.
 * - import.peak_mib: the 64-entry import's peak growth itself, beside the one-entry alert's.
 * - import.host_worst_answer_ms: the loopback host (src/host) in the importing process, a seat
 *   in another process calling getSeat over HTTP every 10 ms; the slowest answer during the
 *   64-entry import. Baseline: the slowest answer of the same host over an equally long idle
 *   stretch right after.
 * - import.host_loop_held_ms: the most CPU the host's thread spent without returning to its
 *   event loop (a watchdog every 5 ms) during the import, beside the idle stretch's. On a shared
 *   machine an answer can be slow because the machine did not run the host; this one says
 *   whether the host itself was busy.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openCore } from '../../../src/core/core.ts';
import { startHost } from '../../../src/host/server.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { measureImportMemory } from '../../support/import-memory.ts';
import { startLatencyProbe, worst } from '../../support/latency.ts';
import { longestHold, watchLoop } from '../../support/loop-watch.ts';
import { writeWideBundle } from '../../support/wide-bundle.ts';
import type { BenchSuite, Figure } from '../types.ts';

const ENTRIES = 64;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const suite: BenchSuite = {
  name: 'import-load',
  async run(ctx) {
    const clipSeconds = ctx.quick ? 2.7 : 21.8; // 0.25 MiB or 2 MiB of 16-bit audio
    const w = ctx.workDir;
    const warm = writeWideBundle(join(w, 'warm'), { sensors: 4, clipSeconds: 1, id: 'WARM' }).dir;
    const one = writeWideBundle(join(w, 'one'), { sensors: 1, clipSeconds, id: 'ONE' });
    const many = writeWideBundle(join(w, 'many'), { sensors: ENTRIES, clipSeconds, id: 'MANY' });
    ctx.log(`clips of ${(many.clipBytes / 2 ** 20).toFixed(2)} MiB; measuring peak memory in fresh processes`);
    const alone = await measureImportMemory(join(w, 'data-one'), warm, one.dir);
    const wide = await measureImportMemory(join(w, 'data-many'), warm, many.dir);
    for (const m of [alone, wide]) if (!m.status.startsWith('imported')) throw new Error(`bench import: ${m.status}`);
    ctx.log(
      `1 entry: +${alone.growthMiB.toFixed(1)} MiB in ${alone.ms.toFixed(0)} ms; ${ENTRIES} entries: +${wide.growthMiB.toFixed(1)} MiB in ${wide.ms.toFixed(0)} ms`,
    );

    const core = openCore({ dataDir: join(w, 'data-host') });
    mkdirSync(join(w, 'renderer'));
    const host = await startHost({ core, rendererDir: join(w, 'renderer') });
    const probe = await startLatencyProbe({ origin: host.url, token: host.token });
    let answers: { idle: number; during: number; idleHold: number; duringHold: number; ms: number };
    try {
      const warmed = await importFolder(core, warm, 'bench');
      if (warmed.status !== 'imported') throw new Error(`bench warm-up: ${warmed.message}`);
      while (probe.samples().length < 30) await sleep(20);
      const watch = watchLoop();
      const from = Date.now();
      const outcome = await importFolder(core, many.dir, 'bench');
      const to = Date.now();
      const gaps = watch.stop();
      // The same host idle for as long, right after.
      await sleep(200);
      const idleWatch = watchLoop();
      const idleFrom = Date.now();
      await sleep(to - from);
      const idleTo = Date.now();
      const idleGaps = idleWatch.stop();
      if (outcome.status !== 'imported') throw new Error(`bench import: ${outcome.message}`);
      await sleep(50);
      const during = probe.between(from, to);
      const idle = probe.between(idleFrom, idleTo);
      answers = { idle: worst(idle), during: worst(during), idleHold: longestHold(idleGaps), duringHold: longestHold(gaps), ms: to - from };
      ctx.log(
        `host: ${during.length} answers during a ${answers.ms} ms import, the slowest ${answers.during.toFixed(1)} ms; ${idle.length} idle, the slowest ${answers.idle.toFixed(1)} ms`,
      );
    } finally {
      await probe.stop();
      await host.close();
      await core.close();
    }
    const figures: Figure[] = [
      {
        name: 'import.peak_mib_per_entry',
        value: wide.growthMiB / ENTRIES,
        unit: 'MiB',
        baseline: alone.growthMiB,
        baselineLabel: 'an alert of one such entry: its whole peak',
        higherIsBetter: false,
      },
      {
        name: 'import.peak_mib',
        value: wide.growthMiB,
        unit: 'MiB',
        baseline: alone.growthMiB,
        baselineLabel: `the ${ENTRIES}-entry import's peak beside the one-entry alert's`,
        higherIsBetter: false,
      },
      {
        name: 'import.host_worst_answer_ms',
        value: answers.during,
        unit: 'ms',
        baseline: answers.idle,
        baselineLabel: 'the idle host over as long a stretch',
        higherIsBetter: false,
      },
      {
        name: 'import.host_loop_held_ms',
        value: answers.duringHold,
        unit: 'ms',
        baseline: answers.idleHold,
        baselineLabel: "the idle host's thread over as long a stretch",
        higherIsBetter: false,
      },
    ];
    return figures;
  },
};
