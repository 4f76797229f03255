import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRUTH_FORMAT, type TruthFile } from '../../../src/ingest/demo/truth.ts';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';

/** The command in-process (tests/integration/cli/smoke.test.ts spawns the real one). */
const run = (...args: string[]) => cli(args);

describe('earwitness demo (the command, end to end)', () => {
  let tmp: ReturnType<typeof tempDir>;
  let out: string;
  let first: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    tmp = tempDir();
    out = join(tmp.dir, 'out');
    first = await run('demo', '--out', out, '--alerts', '3', '--seed', '42');
  }, 120_000);
  afterAll(() => tmp?.cleanup());

  it('writes the bundles and a ground-truth file that describes them', async () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout.trim().split('\n')).toHaveLength(4);
    expect(readdirSync(out).sort()).toEqual(['KH-S42-0001', 'KH-S42-0002', 'KH-S42-0003', 'ground-truth.json']);
    const truth = JSON.parse(readFileSync(join(out, 'ground-truth.json'), 'utf8')) as TruthFile;
    expect(truth).toMatchObject({ format: TRUTH_FORMAT, seed: '42', network: { source: 'demo-kellan-heights' } });
    expect(truth.alerts).toHaveLength(3);
    for (const a of truth.alerts) {
      const alert = JSON.parse(readFileSync(join(out, a.bundle, 'alert.json'), 'utf8'));
      expect(alert.id).toBe(a.id);
      expect(alert.sensors.map((s: { id: string }) => s.id)).toEqual(a.sensors.map((s) => s.id));
      expect(a.sources.filter((s) => s.round)).toHaveLength(a.rounds);
      for (const s of a.sensors) {
        expect(Number.isInteger(s.clipStartUs)).toBe(true);
        for (const arr of s.arrivals) expect(arr.timeUs).toBeGreaterThan(s.clipStartUs);
        expect(statSync(join(out, a.bundle, `${s.id}.wav`)).size).toBeGreaterThan(1000);
      }
    }
  });

  it('writes bundles that `earwitness import` takes, and a second import is a duplicate', async () => {
    const data = join(tmp.dir, 'data');
    const bundles = ['KH-S42-0001', 'KH-S42-0002', 'KH-S42-0003'].map((b) => join(out, b));
    const r = await run('import', '--data', data, '--json', ...bundles);
    expect(r.status, r.stderr).toBe(0);
    const { outcomes } = JSON.parse(r.stdout) as { outcomes: { status: string }[] };
    expect(outcomes.map((o) => o.status)).toEqual(['imported', 'imported', 'imported']);
    const again = JSON.parse((await run('import', '--data', data, '--json', ...bundles)).stdout) as { outcomes: { status: string }[] };
    expect(again.outcomes.map((o) => o.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
  });

  it('imports the whole output folder one bundle at a time, a line for each as it is done, then the count', async () => {
    const r = await run('import', '--data', join(tmp.dir, 'data-folder'), out);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual(
      ['KH-S42-0001', 'KH-S42-0002', 'KH-S42-0003'].map((b) =>
        expect.stringMatching(new RegExp(`^imported  ${join(out, b).replaceAll('/', '\\/')}: imported demo-kellan-heights/${b} with \\d+ sensors$`)),
      ),
    );
    expect(lines[3]).toBe(`${out}: 3 alert folders, 3 imported, 0 already there, 0 refused`);
  });

  it('gives the same bytes for the same seed', async () => {
    const out2 = join(tmp.dir, 'out2');
    expect((await run('demo', '--out', out2, '--alerts', '3', '--seed', '42', '--quiet')).status).toBe(0);
    for (const b of readdirSync(out)) {
      if (b === 'ground-truth.json') {
        expect(readFileSync(join(out2, b))).toEqual(readFileSync(join(out, b)));
        continue;
      }
      for (const f of readdirSync(join(out, b))) expect(readFileSync(join(out2, b, f)).equals(readFileSync(join(out, b, f))), `${b}/${f}`).toBe(true);
    }
  });

  it.each([
    [['--alerts', '2'], /--out DIR is required/],
    [['--out', 'X', '--alerts', '0'], /--alerts must be a whole number/],
    [['--out', 'X', '--alerts', '2.5'], /--alerts must be a whole number/],
    [['--out', 'X', '--seed', '../etc'], /--seed must be/],
    [['--out', 'X', '--start', 'yesterday'], /--start must be/],
    [['--out', 'X', '--scenario', 'tank'], /no scenario "tank"/],
    [['--out', 'X', '--bogus'], /Unknown option/],
  ])('refuses %j with one clear line and exit status 2, writing nothing', async (args, message) => {
    const r = await run('demo', ...args.map((a) => (a === 'X' ? join(tmp.dir, 'never') : a)));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
    expect(existsSync(join(tmp.dir, 'never'))).toBe(false);
  });

  it('never overwrites an earlier run', async () => {
    const before = readFileSync(join(out, 'ground-truth.json'));
    const r = await run('demo', '--out', out, '--alerts', '1', '--seed', '42');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/already exists/);
    expect(readFileSync(join(out, 'ground-truth.json'))).toEqual(before);
  });

  it('takes a network file and refuses a malformed one', async () => {
    const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../../resources/demo-network.json', import.meta.url)), 'utf8'));
    const good = join(tmp.dir, 'other-network.json');
    writeFileSync(good, JSON.stringify({ ...spec, idPrefix: 'OTHER', source: 'demo-other-city' }));
    const ok = await run('demo', '--out', join(tmp.dir, 'other'), '--network', good, '--alerts', '1', '--quiet');
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(tmp.dir, 'other', 'OTHER-S1-0001', 'alert.json'), 'utf8')).source).toBe('demo-other-city');

    // A simulated network must say it is one: its alerts are never published as live.
    const posing = join(tmp.dir, 'posing.json');
    writeFileSync(posing, JSON.stringify({ ...spec, source: 'north-sacramento' }));
    const refused = await run('demo', '--out', join(tmp.dir, 'posing'), '--network', posing);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/source starts with "demo-"/);

    const bad = join(tmp.dir, 'net.json');
    writeFileSync(bad, JSON.stringify({ ...spec, sensors: spec.sensors.slice(0, 2) }));
    const r = await run('demo', '--out', join(tmp.dir, 'never'), '--network', bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/net\.json: sensors/);
    expect(existsSync(join(tmp.dir, 'never'))).toBe(false);
  });
});
