import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EventName } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { MAP_SETTINGS_KEY } from '../../../src/maps/service.ts';
import { writeMbtiles } from '../../support/mbtiles.ts';
import { solidPng, tileColour } from '../../support/png.ts';
import { tempDir } from '../../support/temp.ts';

let dir: string;
let cleanup: () => void;
let core: Core;
let session: Session;
let seen: { event: EventName; payload: unknown }[];

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('earwitness-maps-'));
  core = await openTestCore({ dataDir: join(dir, 'data') });
  session = core.openSession('cli');
  seen = [];
  core.events.subscribe((event, payload) => seen.push({ event, payload }));
});
afterEach(async () => {
  await core.close();
  cleanup();
});

const auditActions = async () => await testSql(core).rows<{ action: string; payload_json: string }>('SELECT action, payload_json FROM audit_log ORDER BY seq');

describe('map settings and tiles through the contract', () => {
  it('starts plain: no tiles, nothing to fetch', async () => {
    const s = await core.call(session, 'getMapSettings', {});
    expect(s.baseLayer).toEqual({ kind: 'plain' });
    expect(s.source.available).toBe(true);
    expect(await core.call(session, 'getTile', { z: 0, x: 0, y: 0 })).toEqual({ tile: null });
  });

  it('serves tiles from a chosen MBTiles file, audits the change, tells open maps, and keeps it after a restart', async () => {
    const file = join(dir, 'city.mbtiles');
    writeMbtiles(file, { tiles: [{ z: 2, x: 1, y: 2, data: solidPng(tileColour(2, 1, 2), 16) }] });
    const s = await core.call(session, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: file } });
    expect(s.source).toMatchObject({ available: true, name: 'Test tiles', format: 'png', attribution: 'Test data' });
    const { tile } = await core.call(session, 'getTile', { z: 2, x: 1, y: 2 });
    expect(tile?.mime).toBe('image/png');
    expect(Buffer.from(tile!.dataBase64, 'base64').equals(solidPng(tileColour(2, 1, 2), 16))).toBe(true);
    expect((await core.call(session, 'getTile', { z: 2, x: 2, y: 1 })).tile).toBeNull();

    const audit = (await auditActions()).filter((a) => a.action === 'settings.map_changed');
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.payload_json)).toMatchObject({
      from: { kind: 'plain' },
      to: { kind: 'mbtiles', path: file },
      attested: [{ table: 'settings', key: 'map.baseLayer' }],
    });
    expect(seen.filter((e) => e.event === 'mapSettingsChanged')).toHaveLength(1);

    await core.close();
    core = await openTestCore({ dataDir: join(dir, 'data') });
    session = core.openSession('cli');
    expect((await core.call(session, 'getMapSettings', {})).baseLayer).toEqual({ kind: 'mbtiles', path: file });
    expect((await core.call(session, 'getTile', { z: 2, x: 1, y: 2 })).tile).not.toBeNull();
  });

  it('refuses a bad file or a relative path, and changes nothing', async () => {
    const junk = join(dir, 'junk.mbtiles');
    writeFileSync(junk, 'not sqlite'.repeat(500));
    const before = (await auditActions()).length;
    const r = await core.dispatch(session, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: junk } });
    expect(r).toMatchObject({ ok: false, error: { code: 'bad_file' } });
    const rel = await core.dispatch(session, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: 'maps/city.mbtiles' } });
    expect(rel).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect((await auditActions()).length).toBe(before);
    expect(await core.storePort.read((tx) => tx.settings.get(MAP_SETTINGS_KEY))).toBeUndefined();
    expect(seen.filter((e) => e.event === 'mapSettingsChanged')).toHaveLength(0);
  });

  it('validates tile coordinates and templates at the contract', async () => {
    for (const bad of [
      { z: 1, x: 2, y: 0 },
      { z: -1, x: 0, y: 0 },
      { z: 25, x: 0, y: 0 },
      { z: 1, x: 0.5, y: 0 },
      { z: '1', x: 0, y: 0 },
    ]) {
      expect(await core.dispatch(session, 'getTile', bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    for (const template of ['file:///etc/{z}/{x}/{y}', 'https://tiles.example/{z}/{x}.png', 'javascript:alert(1)//{z}{x}{y}']) {
      expect(await core.dispatch(session, 'setMapSettings', { baseLayer: { kind: 'url', template } })).toMatchObject({
        ok: false,
        error: { code: 'invalid_input' },
      });
    }
  });

  it('says the file is unavailable when it vanishes, and serves it again when it is back', async () => {
    const file = join(dir, 'usb.mbtiles');
    writeMbtiles(file);
    await core.call(session, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: file } });
    await core.close();
    rmSync(file);
    core = await openTestCore({ dataDir: join(dir, 'data') });
    session = core.openSession('cli');
    const s = await core.call(session, 'getMapSettings', {});
    expect(s.source.available).toBe(false);
    expect(s.source.problem).toMatch(/does not exist/);
    expect(await core.dispatch(session, 'getTile', { z: 0, x: 0, y: 0 })).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    writeMbtiles(file);
    expect((await core.call(session, 'getMapSettings', {})).source.available).toBe(true);
    expect((await core.call(session, 'getTile', { z: 0, x: 0, y: 0 })).tile).not.toBeNull();
  });

  it('falls back to plain when the stored setting is hostile or from a future version', async () => {
    await core.storePort.write((tx) => tx.settings.put(MAP_SETTINGS_KEY, { kind: 'url', template: 'file:///etc/passwd' }, 1));
    expect((await core.call(session, 'getMapSettings', {})).baseLayer).toEqual({ kind: 'plain' });
    await core.storePort.write((tx) => tx.settings.put(MAP_SETTINGS_KEY, { kind: 'vector', style: 'x' }, 2));
    expect((await core.call(session, 'getTile', { z: 0, x: 0, y: 0 })).tile).toBeNull();
  });

  it('needs the admin role to change the base layer', async () => {
    const reviewer: Session = { ...session, actor: { name: 'r', roles: ['reviewer'] } };
    expect(await core.dispatch(reviewer, 'setMapSettings', { baseLayer: { kind: 'plain' } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await core.dispatch(reviewer, 'getTile', { z: 0, x: 0, y: 0 })).toMatchObject({ ok: true });
  });
});

describe('tiles from a tile server (a real one on loopback)', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      const m = /^\/(\w+)\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
      if (!m) return void res.writeHead(404).end();
      const [, mode, z, x, y] = m;
      if (mode === 'ok') return void res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(tileColour(+z!, +x!, +y!), 8));
      if (mode === 'fail') return void res.writeHead(503).end('busy');
      if (mode === 'big') return void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(5 * 1024 * 1024));
      if (mode === 'html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>login</h1>');
      if (mode === 'redirect') return void res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const useTemplate = (mode: string, extra: Record<string, unknown> = {}) =>
    core.call(session, 'setMapSettings', { baseLayer: { kind: 'url', template: `${base}/${mode}/{z}/{x}/{y}.png`, attribution: 'City GIS', ...extra } });

  it('fetches tiles through the core and caches them', async () => {
    const s = await useTemplate('ok', { maxZoom: 5 });
    expect(s.source).toMatchObject({ available: true, attribution: 'City GIS', maxZoom: 5 });
    hits.length = 0;
    const a = await core.call(session, 'getTile', { z: 3, x: 2, y: 5 });
    const b = await core.call(session, 'getTile', { z: 3, x: 2, y: 5 });
    expect(Buffer.from(a.tile!.dataBase64, 'base64').equals(solidPng(tileColour(3, 2, 5), 8))).toBe(true);
    expect(b).toEqual(a);
    expect(hits).toEqual(['/ok/3/2/5.png']);
    expect((await core.call(session, 'getTile', { z: 6, x: 0, y: 0 })).tile).toBeNull();
  });

  it('fills {-y} for servers that count rows from the bottom', async () => {
    await core.call(session, 'setMapSettings', { baseLayer: { kind: 'url', template: `${base}/ok/{z}/{x}/{-y}.png` } });
    hits.length = 0;
    await core.call(session, 'getTile', { z: 2, x: 1, y: 0 });
    expect(hits).toEqual(['/ok/2/1/3.png']);
  });

  it('maps a missing tile to null and a failing server, a huge body, a non-image or a redirect to unavailable', async () => {
    await useTemplate('missing');
    expect((await core.call(session, 'getTile', { z: 1, x: 0, y: 0 })).tile).toBeNull();
    for (const mode of ['fail', 'big', 'html', 'redirect']) {
      await useTemplate(mode);
      const r = await core.dispatch(session, 'getTile', { z: 1, x: 0, y: 0 });
      expect(r, mode).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    }
  });
});
