import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GEOJSON_MAX_BYTES } from '../../../src/contract/index.ts';
import { cli } from '../../support/cli.ts';
import { tempDir } from '../../support/temp.ts';
import { CITY, SECRET, squareJurisdiction } from '../../support/publish-fixtures.ts';

describe('earwitness agency', () => {
  let tmp: ReturnType<typeof tempDir>;
  const outputs: string[] = [];
  /** `earwitness agency ARGS...` in-process (tests/integration/cli/smoke.test.ts spawns the real one). */
  const run = async (...args: string[]) => {
    const r = await cli(['agency', ...args, '--data', join(tmp.dir, 'data')]);
    outputs.push(r.stdout, r.stderr);
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const file = (name: string, text: string) => {
    const p = join(tmp.dir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => {
    // Whatever the command printed, it never printed a secret.
    expect(outputs.join('\n')).not.toContain(SECRET);
    tmp.cleanup();
  });

  it('adds, lists and removes an agency, taking the name from the GeoJSON', async () => {
    const geo = file('city.geojson', squareJurisdiction(CITY, 0.05, { name: 'Sacramento PD' }));
    const add = await run(
      'add',
      '--geojson',
      geo,
      '--url',
      'https://dispatch.example/cap',
      '--url',
      'http://127.0.0.1:8080/json',
      '--format',
      'cap',
      '--format',
      'json',
      '--secret',
      SECRET,
      '--classes',
      'gunfire_single,gunfire_multiple,probable_gunfire',
    );
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/Sacramento PD/);
    const list = await run('list', '--json');
    const { agencies } = JSON.parse(list.out) as { agencies: { name: string; classes: string[]; endpoints: { format: string }[] }[] };
    expect(agencies).toHaveLength(1);
    expect(agencies[0]).toMatchObject({
      name: 'Sacramento PD',
      classes: ['gunfire_single', 'gunfire_multiple', 'probable_gunfire'],
      endpoints: [{ format: 'cap' }, { format: 'json' }],
    });
    expect((await run('list')).out).toMatch(/endpoint \d+: CAP -> https:\/\/dispatch.example\/cap/);
    expect((await run('add', '--geojson', geo, '--url', 'https://x.example/', '--format', 'cap', '--secret', SECRET)).err).toMatch(
      /already an agency named "Sacramento PD"/,
    );
    const remove = await run('remove', 'sacramento pd');
    expect(remove.code).toBe(0);
    expect((await run('list')).out).toBe('no agencies\n');
  });

  it.each([
    [
      'a bow-tie polygon',
      () => [
        '--geojson',
        file(
          'bow.geojson',
          JSON.stringify({
            type: 'Polygon',
            coordinates: [
              [
                [0, 0],
                [2, 2],
                [2, 0],
                [0, 1],
                [0, 0],
              ],
            ],
          }),
        ),
        '--name',
        'X',
      ],
      /crosses itself/,
    ],
    ['a file that is not JSON', () => ['--geojson', file('bad.geojson', '<kml/>'), '--name', 'X'], /not JSON/],
    ['a missing file', () => ['--geojson', join(tmp.dir, 'nope.geojson'), '--name', 'X'], /cannot open .* ENOENT/],
    ['a folder', () => ['--geojson', tmp.dir, '--name', 'X'], /not a regular file/],
    [
      'a huge file (refused before reading)',
      () => {
        const p = join(tmp.dir, 'huge.geojson');
        const fd = openSync(p, 'w');
        ftruncateSync(fd, GEOJSON_MAX_BYTES * 100);
        closeSync(fd);
        return ['--geojson', p, '--name', 'X'];
      },
      /more than the \d+ allowed/,
    ],
  ])('refuses %s in one line and adds nothing', async (_name, args, pattern) => {
    const r = await run('add', ...args(), '--url', 'https://dispatch.example/', '--format', 'cap', '--secret', SECRET);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect((await run('list')).out).toBe('no agencies\n');
  });

  it.each([
    ['file://', ['--url', 'file:///etc/passwd', '--format', 'cap', '--secret', SECRET], /only http/],
    ['credentials in the URL', ['--url', 'https://user:pw@dispatch.example/', '--format', 'cap', '--secret', SECRET], /user name or password/],
    ['a short secret', ['--url', 'https://dispatch.example/', '--format', 'cap', '--secret', 'short'], /16 characters/],
    ['an unknown format', ['--url', 'https://dispatch.example/', '--format', 'xml', '--secret', SECRET], /cap or json/],
    [
      'an unknown class',
      ['--url', 'https://dispatch.example/', '--format', 'cap', '--secret', SECRET, '--classes', 'gunfire,fireworks'],
      /unknown class "gunfire"/,
    ],
  ])('refuses %s', async (_name, args, pattern) => {
    const geo = file('ok.geojson', squareJurisdiction(CITY, 0.05));
    const r = await run('add', '--geojson', geo, '--name', 'X', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect((await run('list')).out).toBe('no agencies\n');
  });

  it('updates an agency by name: jurisdiction, name and classes; keeps one endpoint, adds one; refuses a bad file with nothing changed', async () => {
    const geo = file('upd.geojson', squareJurisdiction(CITY, 0.05, { name: 'Update PD' }));
    expect(
      (await run('add', '--geojson', geo, '--url', 'https://a.example/cap', '--url', 'https://b.example/cap', '--format', 'cap', '--secret', SECRET)).code,
    ).toBe(0);
    const listed = async () =>
      (
        JSON.parse((await run('list', '--json')).out) as {
          agencies: { id: number; name: string; classes: string[]; endpoints: { id: number; url: string }[]; jurisdiction: { bbox: number[] } }[];
        }
      ).agencies;
    const [before] = await listed();
    const bow = file(
      'upd-bow.geojson',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 2],
            [2, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      }),
    );
    const refused = await run('update', 'update pd', '--geojson', bow, '--name', 'Renamed');
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/crosses itself/);
    expect(await listed()).toEqual([before]);

    const moved = file('upd-moved.geojson', squareJurisdiction({ lat: CITY.lat + 1, lon: CITY.lon }, 0.1));
    const r = await run(
      'update',
      'Update PD',
      '--geojson',
      moved,
      '--name',
      'Updated PD',
      '--classes',
      'gunfire_multiple',
      '--keep-endpoint',
      String(before!.endpoints[1]!.id),
      '--url',
      'https://c.example/json',
      '--format',
      'json',
      '--secret',
      SECRET,
    );
    expect(r.err).toBe('');
    expect(r.out).toMatch(/updated agency \(name, classes, endpoints, jurisdiction\)/);
    const [after] = await listed();
    expect(after).toMatchObject({ id: before!.id, name: 'Updated PD', classes: ['gunfire_multiple'] });
    expect(after!.endpoints.map((e) => e.url)).toEqual(['https://b.example/cap', 'https://c.example/json']);
    expect(after!.jurisdiction.bbox[1]).toBeCloseTo(CITY.lat + 0.9, 9);
    expect((await run('update', 'nobody', '--name', 'X')).err).toMatch(/no agency "nobody"/);
    expect((await run('remove', String(before!.id))).code).toBe(0);
  });
});
