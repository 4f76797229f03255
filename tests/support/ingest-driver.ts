/**
 * A tiny program on the ingest pool, for the test that the worker starts from a compiled build:
 * bundled with the worker entry by esbuild and run by plain node (no tsx), it reads and
 * prepares one alert folder (argv[2]) and prints what happened as JSON.
 */
import { IngestPool, ingestWork, workerEntry } from '../../src/ingest/worker/pool.ts';

async function main(): Promise<void> {
  const entry = workerEntry();
  const work = ingestWork();
  const incoming = await work.scan(process.argv[2]!, { nowUs: Date.now() * 1000 });
  const prepared = await work.prepare(incoming, { defaultTemperatureC: 15, nowUs: 0 });
  process.stdout.write(
    `${JSON.stringify({
      how: entry?.how ?? null,
      pooled: work instanceof IngestPool,
      started: work instanceof IngestPool ? work.started : 0,
      stats: prepared.stats,
      shots: prepared.located.shots.map((s) => s.local),
    })}\n`,
  );
  process.exit(0);
}
void main();
