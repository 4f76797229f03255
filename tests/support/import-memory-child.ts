/**
 * What one import costs in memory, measured in a fresh process so nothing earlier in a test run
 * or a bench hides or inflates it: `node --expose-gc --import tsx import-memory-child.ts DATA WARM_BUNDLE BUNDLE`.
 * Opens a core on DATA, imports WARM_BUNDLE (code loaded, worker started), then imports BUNDLE
 * while sampling the process's resident memory every 2 ms (worker threads included: they live
 * in this process) and prints `{"status", "baselineMiB", "peakMiB", "growthMiB", "ms"}`.
 */
import { openCore } from '../../src/core/core.ts';
import { importFolder } from '../../src/ingest/import.ts';
import type { ImportMemory } from './import-memory.ts';

const [data, warm, bundle] = process.argv.slice(2);
if (!data || !warm || !bundle) throw new Error('usage: import-memory-child.ts DATA WARM_BUNDLE BUNDLE');
const MiB = 2 ** 20;
const core = openCore({ dataDir: data });
const warmed = await importFolder(core, warm, 'memory');
if (warmed.status !== 'imported') throw new Error(`warm-up: ${warmed.message}`);
(globalThis as { gc?: () => void }).gc?.();
await new Promise((r) => setTimeout(r, 50));
const baseline = process.memoryUsage.rss();
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 2);
const t = performance.now();
const outcome = await importFolder(core, bundle, 'memory');
const ms = performance.now() - t;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage.rss());
await core.close();
const result: ImportMemory = {
  status: `${outcome.status}: ${outcome.message}`,
  baselineMiB: baseline / MiB,
  peakMiB: peak / MiB,
  growthMiB: (peak - baseline) / MiB,
  ms,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
