import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import type { ImportOutcome } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { startBackgroundWork } from '../../../src/core/background.ts';
import { DEMO_ACTOR, startDemoFeed } from '../../../src/ingest/demo/feed.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import { inlineWork } from '../../../src/ingest/worker/pool.ts';
import { testBackend } from '../../support/database.ts';
import { missing } from '../../support/skip.ts';
import { tempDir } from '../../support/temp.ts';

describe('embedded demo network', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await core?.close();
    tmp.cleanup();
  });

  // Timed with fake timers: PostgreSQL's leadership and writes wait on the network, which advancing fake time does not move.
  const paced = 'produces its first alert within 3 s of start, then one every 20 to 40 s, and stops with the core';
  it.skipIf(missing(testBackend() === 'sqlite', paced, 'fake timers do not move PostgreSQL round trips'))(paced, async () => {
    vi.useFakeTimers({ now: new Date('2026-11-21T05:00:00Z') });
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock: { nowUs: () => Date.now() * 1000 } });
    const at: number[] = [];
    startBackgroundWork(core, {
      demo: true,
      inbox: false,
      demoOptions: { seed: 'fake-time', work: inlineWork, onImported: (o) => o.status === 'imported' && at.push(Date.now()) },
    });
    expect(core.demoRunning).toBe(true);
    const t0 = Date.now();
    await vi.advanceTimersByTimeAsync(3000);
    expect(at).toHaveLength(1);
    expect(at[0]! - t0).toBeLessThanOrEqual(3000);
    await vi.advanceTimersByTimeAsync(200_000);
    expect(at.length).toBeGreaterThanOrEqual(1 + Math.floor(200_000 / 40_000));
    for (let i = 1; i < at.length; i++) {
      expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(20_000);
      expect(at[i]! - at[i - 1]!).toBeLessThanOrEqual(40_000);
    }
    const pending = await core.storePort.read((tx) => tx.alerts.list('pending', 100));
    expect(pending).toHaveLength(at.length);
    const first = pending.at(-1)!;
    expect(first.source).toBe(defaultNetwork().spec.source);
    expect(first.sensorCount).toBeGreaterThanOrEqual(3);
    expect(first.detectedUs).toBeGreaterThan(t0 * 1000);
    expect(first.detectedUs).toBeLessThanOrEqual(at[0]! * 1000); // detected when made, imported just after
    const detail = (await core.storePort.read((tx) => tx.alerts.detail(first.id)))!;
    for (const t of detail.tracks) expect(t.clipStartUs + t.clip.durationS * 1e6).toBeLessThanOrEqual(first.detectedUs);
    const audit = (await testSql(core).rows("SELECT actor FROM audit_log WHERE action = 'alert.imported'")) as { actor: string }[];
    expect(new Set(audit.map((a) => a.actor))).toEqual(new Set([DEMO_ACTOR]));

    await core.close();
    expect(core.demoRunning).toBe(false);
    const before = at.length;
    await vi.advanceTimersByTimeAsync(120_000);
    expect(at).toHaveLength(before);
  });

  it('runs on a tiny interval with real timers and pauses while its own alerts pile up unreviewed', async () => {
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    const outcomes: ImportOutcome[] = [];
    const feed = startDemoFeed(core, { seed: 'tiny', firstDelayMs: 1, intervalMs: [5, 10], maxPending: 3, onImported: (o) => outcomes.push(o) });
    core.addWorker(feed);
    const deadline = Date.now() + 20_000;
    while (outcomes.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
    expect(await feed.tick()).toBeNull(); // three pending: paused
    await new Promise((r) => setTimeout(r, 100));
    expect(await core.storePort.read((tx) => tx.alerts.list('pending', 10))).toHaveLength(3);
    expect(new Set(outcomes.map((o) => o.alertId)).size).toBe(3);
  });

  it('abandons an alert in the making when stopped, and writes nothing after', async () => {
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    const feed = startDemoFeed(core, { seed: 'stop', firstDelayMs: 3_600_000, maxPending: 0 });
    const making = feed.tick();
    await feed.stop();
    expect(await making).toBeNull();
    expect(await feed.tick()).toBeNull();
    expect(await core.storePort.read((tx) => tx.alerts.list('all', 10))).toHaveLength(0);
  });
});
