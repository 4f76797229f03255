import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { startHost, type Host } from '../../../src/host/server.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { inlineWork, type IngestWork } from '../../../src/ingest/worker/pool.ts';
import { startLatencyProbe, worst, type LatencyProbe } from '../../support/latency.ts';
import { cpuWithin, longestHold, watchLoop } from '../../support/loop-watch.ts';
import { tempDir } from '../../support/temp.ts';
import { writeWideBundle } from '../../support/wide-bundle.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** An answer slower than this is a failure, unless the machine, not the host, was not running. */
const BUDGET_MS = 100;

/**
 * The real loopback host, and a seat calling it over real HTTP from another process every 10 ms,
 * while the host's process imports a 64-sensor alert: the reading, decoding, picking and
 * locating run on the ingest worker, so the host's event loop is never held and every call is
 * answered within 100 ms.
 *
 * The machine is shared (two cores, other test runs), and a stall of the whole machine delays
 * any answer, import or not. So the host's thread is watched too (loop-watch.ts): an answer over
 * 100 ms fails the test when the host's thread was busy meanwhile (holding its loop), and is
 * reported, not failed, when it was not even running. The same measurement with the audio work
 * on the host's thread fails, as it must.
 */
describe('a large import beside a serving host', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let host: Host;
  let probe: LatencyProbe;
  let n = 0;

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    mkdirSync(join(tmp.dir, 'renderer'));
    host = await startHost({ core, rendererDir: join(tmp.dir, 'renderer') });
    probe = await startLatencyProbe({ origin: host.url, token: host.token });
    // Warm: the worker started, the probe's connection and the host's code paths run once.
    expect((await importFolder(core, writeWideBundle(join(tmp.dir, 'warm'), { sensors: 4, clipSeconds: 1, id: 'WARM' }).dir, 'tester')).status).toBe(
      'imported',
    );
    while (probe.samples().length < 30) await sleep(20);
  }, 120_000);
  afterAll(async () => {
    await probe?.stop();
    await host?.close();
    await core?.close();
    tmp.cleanup();
  });

  /** Imports one new 64-sensor alert (3 s clips) on `work`, watching the answers and the host's loop. */
  async function measure(work?: IngestWork) {
    const dir = writeWideBundle(join(tmp.dir, `a${++n}`), { sensors: 64, clipSeconds: 3, id: `BIG-${n}` }).dir;
    const idleFrom = Date.now();
    await sleep(1000);
    const watch = watchLoop();
    const from = Date.now();
    const outcome = await importFolder(core, dir, 'tester', work);
    const to = Date.now();
    const gaps = watch.stop();
    await sleep(50);
    expect(outcome.status).toBe('imported');
    const during = probe.between(from, to);
    const slow = during.filter((c) => c.ms >= BUDGET_MS).map((c) => ({ ...c, hostCpuMs: cpuWithin(gaps, c.atMs, c.atMs + c.ms) }));
    // Busy: the host's thread ran for more than half the budget while the call waited.
    const blamed = slow.filter((c) => c.hostCpuMs > BUDGET_MS / 2);
    const r = {
      ms: to - from,
      calls: during.length,
      worstMs: worst(during),
      idleWorstMs: worst(probe.between(idleFrom, from)),
      holdMs: longestHold(gaps),
      slow: slow.length,
      blamed,
    };
    console.log(
      `${work ? "on the host's thread" : 'on the worker'}: import ${r.ms} ms; ${r.calls} calls answered meanwhile, the slowest in ${r.worstMs.toFixed(1)} ms ` +
        `(the idle second before: ${r.idleWorstMs.toFixed(1)} ms); the host's loop held at most ${r.holdMs.toFixed(1)} ms; ` +
        `${r.slow} answers over ${BUDGET_MS} ms, ${blamed.length} of them while the host's thread was busy`,
    );
    return r;
  }

  it('answers every call within 100 ms while a 64-sensor alert is imported', async () => {
    const r = await measure();
    expect(r.ms).toBeGreaterThan(300); // long enough to mean something
    expect(r.calls).toBeGreaterThanOrEqual(10); // and the seat kept calling through it
    expect(r.holdMs).toBeLessThan(BUDGET_MS);
    expect(r.blamed).toEqual([]);
  }, 120_000);

  it("(the same measurement fails an import that holds the event loop: its audio work on the host's thread)", async () => {
    const r = await measure(inlineWork);
    expect(r.holdMs).toBeGreaterThan(3 * BUDGET_MS);
    expect(r.blamed.length).toBeGreaterThan(0);
  }, 120_000);
});
