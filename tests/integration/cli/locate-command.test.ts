import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSimpleBundle } from '../../support/bundles.ts';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

/** The command in-process (tests/integration/cli/smoke.test.ts spawns the real one). */
const run = (...args: string[]) => cli(args);

describe('earwitness locate (the command, end to end)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp?.cleanup());

  it('prints exactly earwitness-locate/1 on stdout for a bundle, diagnostics on stderr, exit 0', async () => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'two-shots'), { sensors: 5, shotsS: [0.5, 1.2], spreading: true, durationS: 3 });
    const r = await run('locate', dir, '--json');
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/5 sensors, .* 2 rounds, 2 located/);
    const doc = JSON.parse(r.stdout) as Record<string, unknown> & {
      shots: Record<string, unknown>[];
      sensors: { id: string; pulses: Record<string, unknown>[] }[];
    };
    expect(Object.keys(doc)).toEqual(['format', 'coordinates', 'temperatureC', 'speedOfSoundMs', 'rounds', 'shots', 'sensors']);
    expect(doc).toMatchObject({ format: 'earwitness-locate/1', coordinates: 'wgs84', rounds: 2 });
    for (const s of doc.shots) {
      expect(Object.keys(s)).toEqual(['index', 'time', 'position', 'ellipse95', 'sensorsUsed', 'residualRmsMs']);
      expect(s.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      expect(Object.keys(s.position as object)).toEqual(['lat', 'lon']);
      expect(Object.keys(s.ellipse95 as object)).toEqual(['semiMajorM', 'semiMinorM', 'azimuthDeg']);
    }
    expect(doc.sensors).toHaveLength(5);
    for (const s of doc.sensors) for (const p of s.pulses) expect(Object.keys(p)).toEqual(['time', 'snrDb']);
  });

  it('reads a folder with no pulse at all: exit 0, no shot, rounds 0', async () => {
    // The shot is fired long after the clips end: they hold only the background.
    const { dir } = writeSimpleBundle(join(tmp.dir, 'silent'), { sensors: 4, shotsS: [60] });
    const r = await run('locate', dir, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ rounds: 0, shots: [] });
  });

  it('refuses what it cannot read with one line on stderr and exit 1, and a wrong command line with exit 2', async () => {
    const junk = join(tmp.dir, 'junk');
    mkdirSync(junk);
    writeFileSync(join(junk, 'notes.txt'), 'not an alert');
    for (const path of [junk, join(tmp.dir, 'missing')]) {
      const r = await run('locate', path, '--json');
      expect(r.status).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect((await run('locate')).status).toBe(2);
    expect((await run('locate', junk, '--default-temperature', 'warm')).status).toBe(2);
  });

  it('says which temperature it used when the alert has none', async () => {
    const { dir } = writeSimpleBundle(join(tmp.dir, 'no-weather'), {
      mutate: (a) => {
        delete a.weather;
      },
    });
    const r = await run('locate', dir, '--json', '--default-temperature=-1');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).temperatureC).toBe(-1);
    expect(r.stderr).toMatch(/default: the alert has none/);
  });
});
