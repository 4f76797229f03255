import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { closeSync, ftruncateSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GEOJSON_MAX_BYTES } from '../../../src/contract/index.ts';
import { tempDir } from '../../support/temp.ts';
import { CITY, SECRET, squareJurisdiction } from '../../support/publish-fixtures.ts';

const BIN = fileURLToPath(new URL('../../../bin/earwitness.mjs', import.meta.url));

describe('earwitness agency', () => {
  let tmp: ReturnType<typeof tempDir>;
  const outputs: string[] = [];
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'agency', ...args, '--data', join(tmp.dir, 'data')], { encoding: 'utf8' });
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

  it('adds, lists and removes an agency, taking the name from the GeoJSON', () => {
    const geo = file('city.geojson', squareJurisdiction(CITY, 0.05, { name: 'Sacramento PD' }));
    const add = run('add', '--geojson', geo, '--url', 'https://dispatch.example/cap', '--url', 'http://127.0.0.1:8080/json', '--format', 'cap', '--format', 'json',
      '--secret', SECRET, '--classes', 'gunfire_single,gunfire_multiple,probable_gunfire');
    expect(add.err).toBe('');
    expect(add.code).toBe(0);
    expect(add.out).toMatch(/Sacramento PD/);
    const list = run('list', '--json');
    const { agencies } = JSON.parse(list.out) as { agencies: { name: string; classes: string[]; endpoints: { format: string }[] }[] };
    expect(agencies).toHaveLength(1);
    expect(agencies[0]).toMatchObject({ name: 'Sacramento PD', classes: ['gunfire_single', 'gunfire_multiple', 'probable_gunfire'], endpoints: [{ format: 'cap' }, { format: 'json' }] });
    expect(run('list').out).toMatch(/endpoint \d+: CAP -> https:\/\/dispatch.example\/cap/);
    expect(run('add', '--geojson', geo, '--url', 'https://x.example/', '--format', 'cap', '--secret', SECRET).err).toMatch(/already an agency named "Sacramento PD"/);
    const remove = run('remove', 'sacramento pd');
    expect(remove.code).toBe(0);
    expect(run('list').out).toBe('no agencies\n');
  });

  it.each([
    ['a bow-tie polygon', () => ['--geojson', file('bow.geojson', JSON.stringify({ type: 'Polygon', coordinates: [[[0, 0], [2, 2], [2, 0], [0, 1], [0, 0]]] })), '--name', 'X'], /crosses itself/],
    ['a file that is not JSON', () => ['--geojson', file('bad.geojson', '<kml/>'), '--name', 'X'], /not JSON/],
    ['a missing file', () => ['--geojson', join(tmp.dir, 'nope.geojson'), '--name', 'X'], /cannot open .* ENOENT/],
    ['a folder', () => ['--geojson', tmp.dir, '--name', 'X'], /not a regular file/],
    ['a huge file (refused before reading)', () => {
      const p = join(tmp.dir, 'huge.geojson');
      const fd = openSync(p, 'w');
      ftruncateSync(fd, GEOJSON_MAX_BYTES * 100);
      closeSync(fd);
      return ['--geojson', p, '--name', 'X'];
    }, /more than the \d+ allowed/],
  ])('refuses %s in one line and adds nothing', (_name, args, pattern) => {
    const r = run('add', ...args(), '--url', 'https://dispatch.example/', '--format', 'cap', '--secret', SECRET);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(run('list').out).toBe('no agencies\n');
  });

  it.each([
    ['file://', ['--url', 'file:///etc/passwd', '--format', 'cap', '--secret', SECRET], /only http/],
    ['credentials in the URL', ['--url', 'https://user:pw@dispatch.example/', '--format', 'cap', '--secret', SECRET], /user name or password/],
    ['a short secret', ['--url', 'https://dispatch.example/', '--format', 'cap', '--secret', 'short'], /16 characters/],
    ['an unknown format', ['--url', 'https://dispatch.example/', '--format', 'xml', '--secret', SECRET], /cap or json/],
    ['an unknown class', ['--url', 'https://dispatch.example/', '--format', 'cap', '--secret', SECRET, '--classes', 'gunfire,fireworks'], /unknown class "gunfire"/],
  ])('refuses %s', (_name, args, pattern) => {
    const geo = file('ok.geojson', squareJurisdiction(CITY, 0.05));
    const r = run('add', '--geojson', geo, '--name', 'X', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(pattern);
    expect(run('list').out).toBe('no agencies\n');
  });
});
