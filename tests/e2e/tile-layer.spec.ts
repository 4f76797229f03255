import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCore, type Core } from '../../src/core/core.ts';
import type { Session } from '../../src/kernel/session.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { colouredTiles, writeMbtiles } from '../support/mbtiles.ts';
import { solidPng, tileColour } from '../support/png.ts';
import { addHarnessPerson, signHarnessIn } from '../support/harness-seat.ts';
import { tempDir } from '../support/temp.ts';

/**
 * The renderer's contract tile layer (renderer/src/map/tile-layer.ts) in Debian's Chromium, with
 * real Leaflet, on the real core through the loopback host: tiles from an MBTiles file reach the
 * map in the right places, and a settings change swaps the layer live.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let cleanup: () => void;
let core: Core;
let session: Session;
let host: Host;

test.beforeAll(async () => {
  ({ dir, cleanup } = tempDir('earwitness-tile-layer-'));
  const mbtiles = join(dir, 'world.mbtiles');
  writeMbtiles(mbtiles, { tiles: colouredTiles(2) });
  core = openCore({ dataDir: join(dir, 'data') });
  session = core.openSession('cli');
  await core.call(session, 'setMapSettings', { baseLayer: { kind: 'mbtiles', path: mbtiles } });

  const page = join(dir, 'page');
  mkdirSync(page);
  await build({
    entryPoints: [join(ROOT, 'tests/e2e/harness/tile-harness.ts')],
    outfile: join(page, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    logLevel: 'warning',
  });
  copyFileSync(join(ROOT, 'node_modules/leaflet/dist/leaflet.css'), join(page, 'leaflet.css'));
  writeFileSync(
    join(page, 'index.html'),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="./leaflet.css"><style>body{margin:0;background:#20242b}#map{width:512px;height:512px;background:#20242b}</style></head><body><div id="map"></div><script type="module" src="./app.js"></script></body></html>',
  );
  await addHarnessPerson(core);
  host = await startHost({ core, rendererDir: page });
});

test.beforeEach(({ page }) => signHarnessIn(page));

test.afterAll(async () => {
  await host?.close();
  await core?.close();
  cleanup?.();
});

type Harness = { settings: { source: { attribution: string } } | null; layers: number; errors: string[]; loads: number };
const harness = (p: import('@playwright/test').Page) => p.evaluate(() => (globalThis as unknown as { harness: Harness }).harness);

test('draws MBTiles tiles through the contract, and swaps the layer when the settings change', async ({ page }, info) => {
  await page.goto(`${host.url}#token=${host.token}`);
  await expect.poll(async () => (await harness(page)).loads, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
  expect((await harness(page)).errors).toEqual([]);

  // At zoom 1 the 512-pixel map shows the four tiles of level 1, each in its place.
  const tiles = await page.$$eval('img.leaflet-tile', (imgs) =>
    imgs.map((i) => {
      const r = i.getBoundingClientRect();
      return { src: (i as unknown as { src: string }).src, left: Math.round(r.left), top: Math.round(r.top) };
    }),
  );
  const expected = (x: number, y: number) => `data:image/png;base64,${solidPng(tileColour(1, x, y)).toString('base64')}`;
  const at = (left: number, top: number) => tiles.find((t) => t.left === left && t.top === top)?.src;
  expect(at(0, 0)).toBe(expected(0, 0));
  expect(at(256, 0)).toBe(expected(1, 0));
  expect(at(0, 256)).toBe(expected(0, 1));
  expect(at(256, 256)).toBe(expected(1, 1));
  // The file's attribution is shown as text, never as HTML.
  await expect(page.locator('.leaflet-control-attribution')).toContainText('Test data');
  await page.screenshot({ path: info.outputPath('tile-layer.png') });

  await core.call(session, 'setMapSettings', { baseLayer: { kind: 'plain' } });
  await expect.poll(async () => (await harness(page)).layers).toBe(0);
  await expect(page.locator('img.leaflet-tile')).toHaveCount(0);
});

test('shows the plain background, with an error per tile, when the core cannot serve tiles', async ({ page }) => {
  // A tile server on a closed port: every tile fails, the map itself keeps working.
  await core.call(session, 'setMapSettings', { baseLayer: { kind: 'url', template: 'http://127.0.0.1:9/{z}/{x}/{y}.png' } });
  await page.goto(`${host.url}#token=${host.token}`);
  await expect.poll(async () => (await harness(page)).errors.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(4);
  expect((await harness(page)).errors[0]).toMatch(/tile server did not answer/);
  expect((await harness(page)).loads).toBe(0);
});
