/**
 * What pushing costs over importing: the bench alert of suite `import` (six sensors, 4 s clips at
 * 48 kHz, 16-bit: 2.3 MB) pushed by the reference sender's own code (src/cli/push-request.ts) to
 * POST /intake/v1/alerts of a loopback host, with an intake key: multipart over HTTP, streamed to
 * a work folder, the key checked, then the importer, and the answer back.
 *
 * - intake.push_ms / intake.push_p95_ms: the median and 95th percentile of one push, request to answer.
 * - intake.duplicate_ms: the median of a repeat push, answered from alert.json before the clips are read.
 *
 * Baseline, in the same run and interleaved: importFolder of the very same bundle into another
 * core (what `earwitness import` and the inbox do), from its folder on disk.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { bundleParts, sendPush } from '../../../src/cli/push-request.ts';
import { openCore } from '../../../src/core/core.ts';
import { startHost } from '../../../src/host/server.ts';
import { writeBundle } from '../../../src/ingest/demo/output.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { REPO } from '../../support/host.ts';
import type { BenchSuite, Figure } from '../types.ts';
import { baseAlert, variant } from './import.ts';

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export const suite: BenchSuite = {
  name: 'intake',
  async run(ctx) {
    const count = ctx.quick ? 10 : 100;
    const base = baseAlert();
    const core = openCore({ dataDir: join(ctx.workDir, 'intake') });
    const host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer') });
    const baselineCore = openCore({ dataDir: join(ctx.workDir, 'baseline') });
    const issued = await core.dispatch(core.cliSession(), 'issueIntakeKey', { source: String(base.alert.source) });
    if (!issued.ok) throw new Error(issued.error.message);
    const key = (issued.value as { secret: string }).secret;
    const url = new URL('/intake/v1/alerts', host.url);
    const pushMs: number[] = [];
    const duplicateMs: number[] = [];
    const importMs: number[] = [];
    const bundles = join(ctx.workDir, 'bundles');
    try {
      // One of each untimed first: the ingest workers start on first use, and the first request opens the connection.
      const warm = writeBundle(bundles, variant(base, 0));
      if ((await sendPush(url, key, bundleParts(warm), undefined)).status !== 201) throw new Error('bench warm-up push refused');
      await importFolder(baselineCore, warm, 'bench');
      rmSync(warm, { recursive: true, force: true });
      for (let i = 1; i <= count; i++) {
        const dir = writeBundle(bundles, variant(base, i));
        const timePush = async () => {
          const t = performance.now();
          const a = await sendPush(url, key, bundleParts(dir), undefined);
          pushMs.push(performance.now() - t);
          if (a.status !== 201) throw new Error(`bench push ${i}: ${a.status} ${a.text}`);
          const d = performance.now();
          const again = await sendPush(url, key, bundleParts(dir), undefined);
          duplicateMs.push(performance.now() - d);
          if (again.status !== 200) throw new Error(`bench repeat ${i}: ${again.status} ${again.text}`);
        };
        const timeImport = async () => {
          const t = performance.now();
          const o = await importFolder(baselineCore, dir, 'bench');
          importMs.push(performance.now() - t);
          if (o.status !== 'imported') throw new Error(`bench import ${i}: ${o.status}: ${o.message}`);
        };
        // Alternate the order so neither side always runs with a warmer cache.
        if (i % 2) {
          await timePush();
          await timeImport();
        } else {
          await timeImport();
          await timePush();
        }
        rmSync(dir, { recursive: true, force: true });
        if (i % 25 === 0 || i === count)
          ctx.log(`${i}/${count}: push median ${quantile(pushMs, 0.5).toFixed(1)} ms, import ${quantile(importMs, 0.5).toFixed(1)} ms`);
      }
    } finally {
      await host.close();
      await core.close();
      await baselineCore.close();
    }
    const label = 'importFolder of the same bundle from disk';
    const figures: Figure[] = [
      { name: 'intake.push_ms', value: quantile(pushMs, 0.5), unit: 'ms', baseline: quantile(importMs, 0.5), baselineLabel: label, higherIsBetter: false },
      {
        name: 'intake.push_p95_ms',
        value: quantile(pushMs, 0.95),
        unit: 'ms',
        baseline: quantile(importMs, 0.95),
        baselineLabel: label,
        higherIsBetter: false,
      },
      {
        name: 'intake.duplicate_ms',
        value: quantile(duplicateMs, 0.5),
        unit: 'ms',
        baseline: quantile(importMs, 0.5),
        baselineLabel: label,
        higherIsBetter: false,
      },
    ];
    return figures;
  },
};
