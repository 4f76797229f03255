import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { cli } from '../../support/cli.ts';
import { writeResearchTest } from '../../support/sensor-folders.ts';
import { tempDir } from '../../support/temp.ts';

interface Outcome {
  path: string;
  status: string;
  message: string;
}

describe('earwitness import (in-process; smoke.test.ts spawns the real one)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let data: string;
  beforeEach(() => {
    tmp = tempDir();
    data = join(tmp.dir, 'data');
  });
  afterEach(() => tmp.cleanup());

  const alertCount = async () => {
    const core = await openTestCore({ dataDir: data });
    try {
      return (await testSql(core).value('SELECT count(*) FROM alerts')) as number;
    } finally {
      await core.close();
    }
  };

  it('imports every bundle of a folder of bundles, reporting each, and counts them; a second run finds them all there', async () => {
    const out = join(tmp.dir, 'bundles');
    for (const id of ['B-2', 'B-1', 'B-3']) writeSimpleBundle(join(out, id), { id });
    writeFileSync(join(out, 'ground-truth.json'), '{}'); // beside the bundles, as `earwitness demo` leaves it
    const r = await cli(['import', out, '--data', data]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3).map((l) => l.split(/\s+/)[0])).toEqual(['imported', 'imported', 'imported']);
    expect(lines.slice(0, 3).map((l) => l.split(/\s+/)[1])).toEqual(['B-1', 'B-2', 'B-3'].map((b) => `${join(out, b)}:`));
    expect(lines[3]).toBe(`${out}: 3 alert folders, 3 imported, 0 already there, 0 refused`);
    expect(await alertCount()).toBe(3);
    const again = await cli(['import', out, '--data', data, '--json']);
    expect((JSON.parse(again.stdout) as { outcomes: Outcome[] }).outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('imports a folder of research tests two levels down (firing positions, then tests)', async () => {
    const dev = join(tmp.dir, 'dev');
    writeResearchTest(join(dev, 'FP1', 'test_001'), { test: 'test_001' });
    writeResearchTest(join(dev, 'FP2', 'test_002'), { test: 'test_002' });
    mkdirSync(join(dev, 'FP2', 'notes'));
    const r = await cli(['import', dev, '--data', data, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const { outcomes } = JSON.parse(r.stdout) as { outcomes: Outcome[] };
    expect(outcomes.map((o) => [o.path, o.status])).toEqual([
      [join(dev, 'FP1', 'test_001'), 'imported'],
      [join(dev, 'FP2', 'test_002'), 'imported'],
    ]);
  });

  it('reports a broken alert among good ones, imports the good ones, and exits 1', async () => {
    const out = join(tmp.dir, 'mixed');
    writeSimpleBundle(join(out, 'good'), { id: 'GOOD-1' });
    writeSimpleBundle(join(out, 'bad'), {
      id: 'BAD-1',
      mutate: (a) => {
        a.format = 'acoustic-alert/9';
      },
    });
    const r = await cli(['import', out, '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^refused +.*bad: /m);
    expect(r.stdout).toMatch(/^imported +.*good: /m);
    expect(r.stdout).toMatch(/2 alert folders, 1 imported, 0 already there, 1 refused/);
    expect(await alertCount()).toBe(1);
  });

  it('refuses a folder with no alert anywhere in it, saying what an alert is, and writes nothing', async () => {
    const empty = join(tmp.dir, 'nothing', 'here');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(tmp.dir, 'nothing', 'notes.txt'), 'no alert');
    const r = await cli(['import', join(tmp.dir, 'nothing'), '--data', data]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/is not an alert: no alert\.json.*, and no folder below it is one either/);
    expect(await alertCount()).toBe(0);
    expect((await cli(['import', '--data', data])).status).toBe(2);
  });
});
