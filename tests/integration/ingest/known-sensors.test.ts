import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { tempDir } from '../../support/temp.ts';
import { openTestCore } from '../../support/test-core.ts';
import { HOUR_US, NETWORK_FRAME as FRAME, SHOT, writeNetworkAlert } from '../../support/three-sensor-network.ts';

const T0 = 1_763_600_000_000_000;

describe("import: the source's other sensors known alive weigh in a three-sensor fix", () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  /** Imports an alert K1 took part in, `beforeUs` before the three-sensor alert, then that alert; its newest solution's shot. */
  async function threeSensorShotAfter(beforeUs: number) {
    const earlier = await importFolder(
      core,
      writeNetworkAlert(join(tmp.dir, 'a'), { id: 'A-1', ids: ['T1', 'T2', 'T3', 'K1'], at: { x: -200, y: 100 }, startUs: T0 - beforeUs }),
      'tester',
    );
    expect(earlier.status).toBe('imported');
    const r = await importFolder(core, writeNetworkAlert(join(tmp.dir, 'b'), { id: 'B-1', ids: ['T1', 'T2', 'T3'], at: SHOT, startUs: T0 }), 'tester');
    expect(r.status).toBe('imported');
    const d = (await core.storePort.read((tx) => tx.alerts.detail(r.alertId!)))!;
    expect(d.solutions.at(-1)!.shots).toHaveLength(1);
    return d.solutions.at(-1)!.shots[0]!;
  }
  const error = (p: { lat: number; lon: number }) => {
    const e = FRAME.toLocal({ lat: p.lat, lon: p.lon, h: 0 });
    return Math.hypot(e.x - SHOT.x, e.y - SHOT.y);
  };

  it('reports it unambiguous where a sensor seen an hour earlier stands beside its other solution, and says why', async () => {
    const shot = await threeSensorShotAfter(HOUR_US);
    expect(shot.alternative).toBeUndefined();
    // Outside the three sensors the geometry is poor (its ellipse is kilometres long): metres, where the other solution is 300 m off.
    expect(error(shot.position as { lat: number; lon: number })).toBeLessThan(10);
    expect(shot.setAside?.reason).toMatch(/^sensor K1, \d+ m away, heard nothing$/);
  });

  it('leaves it ambiguous where that sensor was last seen three days before: not known to be alive', async () => {
    const shot = await threeSensorShotAfter(72 * HOUR_US);
    expect(shot.alternative).toBeDefined();
    expect(shot.setAside).toBeUndefined();
    const both = [shot.position, shot.alternative!.position] as { lat: number; lon: number }[];
    expect(Math.min(...both.map(error))).toBeLessThan(10);
    expect(Math.max(...both.map(error))).toBeGreaterThan(250);
  });
});
