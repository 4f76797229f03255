import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { generateSeries } from '../../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../../src/ingest/demo/network.ts';
import { writeBundle, type GeneratedAlert } from '../../../src/ingest/demo/output.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { parseIsoMicros } from '../../../src/util/time.ts';
import { tempDir } from '../../support/temp.ts';
import { SIM_CASES } from '../../eval/lib/sim-cases.ts';

/** The first simulated alert of an evaluation case (a strong echo, three sensors) at an index. */
function simulated(caseName: string, index: number): GeneratedAlert {
  const c = SIM_CASES.find((k) => k.name === caseName)!;
  const all = [
    ...generateSeries({
      network: defaultNetwork(),
      seed: `simulated-${c.name.replace(/\W+/g, '-')}`,
      count: index,
      scenarios: c.scenarios,
      startUs: parseIsoMicros('2026-06-14T21:00:00Z'),
      gpsErrorM: 2.5,
      ...c.plan,
    }),
  ];
  return all[index - 1]!;
}

describe('what the locator set aside, through the importer and the store', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    // A single shot beside a long glass front (its echo set aside) and a three-sensor shot with two solutions.
    for (const [name, g] of [
      ['echo', simulated('echo', 10)],
      ['three', simulated('3 sensors', 6)],
    ] as const) {
      const outcome = await importFolder(core, writeBundle(join(tmp.dir, 'bundles'), g), 'tester');
      expect(outcome.status).toBe('imported');
      ids.set(name, outcome.alertId!);
    }
  }, 120_000);
  afterAll(async () => {
    await core?.close();
    tmp?.cleanup();
  });

  it('keeps an echo set aside in the machine solution, its picks among the alert\u2019s pulses, none of them a shot\u2019s', async () => {
    const d = (await core.storePort.read((tx) => tx.alerts.detail(ids.get('echo')!)))!;
    const machine = d.solutions.find((s) => s.origin === 'machine')!;
    expect(machine.rounds).toBe(1);
    expect(machine.rejected!.length).toBeGreaterThanOrEqual(1);
    for (const r of machine.rejected!) {
      if (r.kind !== 'echo') throw new Error(`set aside as ${r.kind}, not as an echo`);
      expect(r.of).toBe(1);
      expect(r.reason).toMatch(/^echo of shot 1: /);
      for (const p of r.picks) {
        const pulse = d.pulses.find((q) => q.sensorId === p.sensorId && Math.abs(q.timeUs - p.timeUs) <= 1);
        expect(pulse, `${p.sensorId} ${p.timeUs}`).toBeDefined();
        expect(pulse!.shotIndex).toBeNull();
      }
    }
  });

  it('keeps both solutions of a three-sensor fix, the ellipse holding the other', async () => {
    const shot = (await core.storePort.read((tx) => tx.alerts.detail(ids.get('three')!)))!.solutions.at(-1)!.shots[0]!;
    expect(shot.sensorsUsed).toHaveLength(3);
    const alt = shot.alternative!;
    expect('lat' in alt.position).toBe(true);
    const d = Math.hypot(alt.local.x - shot.local.x, alt.local.y - shot.local.y);
    expect(d).toBeGreaterThan(50);
    expect(shot.ellipse95!.semiMajorM).toBeGreaterThanOrEqual(d);
  });
});
