import { test, expect } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { openCore, type Core } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { startDeliveryWorker } from '../../src/publish/worker.ts';
import { addHarnessPerson, signHarnessIn } from '../support/harness-seat.ts';
import { tempDir } from '../support/temp.ts';
import { startReceiver, type Receiver } from '../support/receiver-process.ts';
import { addAgency, CITY, decide, SECRET, seedAlert, squareJurisdiction } from '../support/publish-fixtures.ts';

const HARNESS = fileURLToPath(new URL('./publish/harness/', import.meta.url));
const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'publish');

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let host: Host;
let receiver: Receiver;
let routedIncident = 0;

test.beforeAll(async () => {
  tmp = tempDir();
  mkdirSync(SHOTS, { recursive: true });
  const outDir = join(tmp.dir, 'ui');
  await build({ root: HARNESS, base: './', logLevel: 'warn', plugins: [react()], build: { outDir, emptyOutDir: true, target: 'es2023' } });
  receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
  core = openCore({ dataDir: join(tmp.dir, 'data') });
  await addAgency(core, { name: 'City Police', url: receiver.url('/city'), half: 0.05 });
  await addAgency(core, { name: 'County Sheriff', url: receiver.url('/county'), format: 'json', half: 0.3 });
  startDeliveryWorker(core, { config: { baseDelayMs: 300, maxDelayMs: 2000, pollMs: 50, requestTimeoutMs: 2000 } });
  await receiver.control({ status: 503 });
  const routed = seedAlert(core);
  await decide(core, routed);
  routedIncident = core.store.incidents.byAlert(routed)!.id;
  await decide(core, seedAlert(core, { at: { lat: CITY.lat + 2, lon: CITY.lon } }), 'gunfire_single', 1);
  await addHarnessPerson(core);
  host = await startHost({ core, rendererDir: outDir });
});

test.beforeEach(({ page }) => signHarnessIn(page));

test.afterAll(async () => {
  await host?.close();
  await core?.close();
  await receiver?.stop();
  tmp?.cleanup();
});

test('delivery status shows each agency live, why one fails, and an admin retry', async ({ page }) => {
  await page.goto(`${host.url}?incident=${routedIncident}&admin=1#token=${host.token}`);
  const panel = page.getByTestId('delivery-status');
  await expect(panel.getByText('retrying', { exact: false }).first()).toBeVisible({ timeout: 15_000 });
  await expect(panel.getByText('City Police')).toBeVisible();
  await expect(panel.getByText('County Sheriff')).toBeVisible();
  await panel.getByRole('button', { name: 'Why?' }).first().click();
  await expect(panel.getByTestId('delivery-why').first()).toContainText('HTTP 503');
  await expect(panel.getByTestId('delivery-why').first()).toContainText('receiver says 503');
  await page.screenshot({ path: join(SHOTS, 'delivery-status-failing.png'), fullPage: true });

  await receiver.control({ status: 200 });
  // One by hand; the other comes through on its own next backoff.
  await panel.getByRole('button', { name: 'Retry now' }).first().click();
  await expect(panel.getByText('2 of 2 delivered')).toBeVisible({ timeout: 15_000 });
  await expect(panel.locator('.badge', { hasText: /^delivered$/ })).toHaveCount(2);
  await page.screenshot({ path: join(SHOTS, 'delivery-status-delivered.png'), fullPage: true });
});

test('agencies admin lists, adds from a GeoJSON file, refuses a bad one, and routes the unrouted queue', async ({ page }) => {
  await page.goto(`${host.url}?view=admin#token=${host.token}`);
  const admin = page.getByTestId('agencies-admin');
  await expect(admin.getByRole('cell', { name: /^City Police/ })).toBeVisible();
  const queue = admin.getByTestId('unrouted-queue');
  await expect(queue.getByText(/no agency's jurisdiction holds/)).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'agencies-admin.png'), fullPage: true });

  const form = admin.getByTestId('add-agency');
  const bad = join(tmp.dir, 'bow.geojson');
  writeFileSync(
    bad,
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
  await form.locator('input[type=file]').setInputFiles(bad);
  await form.getByLabel('Name').fill('Bow Tie PD');
  await form.getByLabel('URL').fill(receiver.url('/bow'));
  await form.getByLabel('Signing secret').fill(SECRET);
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(form.getByRole('alert')).toContainText('crosses itself');

  const good = join(tmp.dir, 'state.geojson');
  writeFileSync(good, squareJurisdiction({ lat: CITY.lat + 2, lon: CITY.lon }, 0.5, { name: 'State Patrol' }));
  await form.getByLabel('Name').fill('');
  await form.locator('input[type=file]').setInputFiles(good);
  await expect(form.getByLabel('Name')).toHaveValue('State Patrol');
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(admin.getByRole('cell', { name: /^State Patrol/ })).toBeVisible();

  const entry = queue.locator('[data-testid^=unrouted-]').first();
  await entry.getByLabel('State Patrol').check();
  await entry.getByRole('button', { name: /Send to 1 selected/ }).click();
  await expect(queue.getByText('Nothing waiting.')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'agencies-admin-after.png'), fullPage: true });
});
