import { test, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { openCore, type Core } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { addHarnessPerson, signHarnessIn } from '../support/harness-seat.ts';
import { tempDir } from '../support/temp.ts';
import { addAgency, CITY, seedAlert, SECRET, session } from '../support/publish-fixtures.ts';

// The agencies desk on the real core through the loopback host (the publish harness page), in Debian's Chromium.
const HARNESS = fileURLToPath(new URL('./publish/harness/', import.meta.url));
const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'agency-draw');
const OUTSIDE = { lat: CITY.lat + 0.02, lon: CITY.lon + 0.16 };

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let host: Host;
let alertId = 0;

test.beforeAll(async () => {
  tmp = tempDir();
  mkdirSync(SHOTS, { recursive: true });
  const outDir = join(tmp.dir, 'ui');
  await build({ root: HARNESS, base: './', logLevel: 'warn', plugins: [react()], build: { outDir, emptyOutDir: true, target: 'es2023' } });
  core = openCore({ dataDir: join(tmp.dir, 'data') });
  await addAgency(core, { name: 'City Police', url: 'http://127.0.0.1:9/city', half: 0.05 });
  await addAgency(core, { name: 'County Sheriff', url: 'http://127.0.0.1:9/county', at: { lat: CITY.lat - 0.05, lon: CITY.lon + 0.05 }, half: 0.08 });
  // An alert outside both jurisdictions: its sensors mark the spot on the map.
  alertId = await seedAlert(core, { at: OUTSIDE });
  await addHarnessPerson(core);
  host = await startHost({ core, rendererDir: outDir });
});

test.beforeEach(({ page }) => signHarnessIn(page));

test.afterAll(async () => {
  await host?.close();
  await core?.close();
  tmp?.cleanup();
});

/** The middle, on screen, of the sensors the alert placed. */
async function sensorsCentre(page: Page) {
  const boxes = await page
    .locator('path.juris-sensor')
    .evaluateAll((els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.x + r.width / 2, r.y + r.height / 2]));
  expect(boxes.length).toBe(4);
  return { x: boxes.reduce((s, b) => s + b[0]!, 0) / boxes.length, y: boxes.reduce((s, b) => s + b[1]!, 0) / boxes.length };
}

test('an admin draws a triangle around an alert, saves the agency, and the alert routes to it', async ({ page }) => {
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${host.url}?view=admin#token=${host.token}`);
  const admin = page.getByTestId('agencies-admin');
  const map = admin.getByTestId('jurisdiction-map');
  await expect(map.locator('.juris-label', { hasText: 'City Police' })).toBeVisible();
  await expect(map.locator('.juris-label', { hasText: 'County Sheriff' })).toBeVisible();
  await expect(map.locator('path.juris-sensor')).toHaveCount(4);
  expect((await core.call(session(core), 'previewRoute', { alertId, class: 'gunfire_multiple' })).outcome).toBe('unrouted');

  const form = admin.getByTestId('add-agency');
  await form.getByLabel('draw on the map').check();
  await expect(map).toHaveAttribute('data-drawing', 'true');
  const c = await sensorsCentre(page);
  await page.mouse.click(c.x - 70, c.y + 50);
  await page.mouse.click(c.x + 70, c.y + 50);
  // A misplaced vertex, removed by right-click, then the real one.
  await page.mouse.click(c.x + 160, c.y);
  await expect(admin.getByTestId('draw-summary')).toContainText('3 vertices');
  await map.locator('.juris-vertex').nth(2).click({ button: 'right' });
  await expect(admin.getByTestId('draw-summary')).toContainText('2 vertices');
  await page.mouse.click(c.x, c.y - 80);
  await expect(admin.getByRole('button', { name: 'Add agency' })).toBeDisabled();
  await map.locator('.juris-vertex-first').click();
  await expect(admin.getByTestId('draw-summary')).toContainText('1 polygon, 3 vertices');
  await expect(admin.getByTestId('draw-problems')).toHaveCount(0);

  await form.getByLabel('Name').fill('Harbor Police');
  await form.getByLabel('URL').fill('http://127.0.0.1:9/harbor');
  await form.getByLabel('Signing secret').fill(SECRET);
  await page.screenshot({ path: join(SHOTS, 'drawing.png'), fullPage: true });
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(admin.getByRole('status').first()).toContainText('Harbor Police added: 1 polygon(s), 4 vertices');
  await expect(map.locator('.juris-label', { hasText: 'Harbor Police' })).toBeVisible();
  await expect(admin.getByRole('cell', { name: /^Harbor Police/ })).toBeVisible();

  const { agencies } = await core.call(session(core), 'listAgencies', {});
  expect(agencies.find((a) => a.name === 'Harbor Police')?.jurisdiction).toMatchObject({ polygons: 1, vertices: 4, holes: 0 });
  expect(await core.call(session(core), 'previewRoute', { alertId, class: 'gunfire_multiple' })).toMatchObject({
    outcome: 'routed',
    agencies: [{ name: 'Harbor Police' }],
  });
  await page.screenshot({ path: join(SHOTS, 'drawn.png'), fullPage: true });
});

test('an admin redraws an existing jurisdiction by dragging a vertex; the note says incidents already sent keep their agencies', async ({ page }) => {
  await page.goto(`${host.url}?view=admin#token=${host.token}`);
  const admin = page.getByTestId('agencies-admin');
  const row = admin.getByRole('row', { name: /City Police/ });
  await row.getByRole('button', { name: 'Edit…' }).click();
  const form = admin.getByTestId('edit-agency');
  await form.getByLabel('draw on the map').check();
  await expect(form.getByTestId('routing-note')).toContainText('keep the agencies they went to');
  const map = admin.getByTestId('jurisdiction-map');
  await expect(map.locator('.juris-vertex')).toHaveCount(4);
  // Drag the north-east corner of the square well to the east, past the County outline.
  const corner = map.locator('.juris-vertex').nth(2);
  const box = (await corner.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y - 40, { steps: 6 });
  await page.mouse.up();
  await expect(admin.getByTestId('draw-problems')).toHaveCount(0);
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(admin.getByRole('status').first()).toContainText('City Police saved (jurisdiction)');
  const after = (await core.call(session(core), 'listAgencies', {})).agencies.find((a) => a.name === 'City Police')!;
  expect(after.jurisdiction.bbox[2]).toBeGreaterThan(CITY.lon + 0.06);
  expect(after.updatedBy).toBe('harness');
  expect(after.jurisdiction).toMatchObject({ polygons: 1, vertices: 5 });
  await expect(admin.getByRole('row', { name: /City Police/ })).toContainText('changed');
});
