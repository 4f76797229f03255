import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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
  const routed = await seedAlert(core);
  await decide(core, routed);
  routedIncident = core.store.incidents.byAlert(routed)!.id;
  await decide(core, await seedAlert(core, { at: { lat: CITY.lat + 2, lon: CITY.lon } }), 'gunfire_single', 1);
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
  await form.getByLabel('Jurisdiction (GeoJSON)').setInputFiles(bad);
  await form.getByLabel('Name').fill('Bow Tie PD');
  await form.getByLabel('URL').fill(receiver.url('/bow'));
  await form.getByLabel('Signing secret').fill(SECRET);
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(form.getByRole('alert')).toContainText('crosses itself');

  const good = join(tmp.dir, 'state.geojson');
  writeFileSync(good, squareJurisdiction({ lat: CITY.lat + 2, lon: CITY.lon }, 0.5, { name: 'State Patrol' }));
  await form.getByLabel('Name').fill('');
  await form.getByLabel('Jurisdiction (GeoJSON)').setInputFiles(good);
  await expect(form.getByLabel('Name')).toHaveValue('State Patrol');
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(admin.getByRole('cell', { name: /^State Patrol/ })).toBeVisible();

  const entry = queue.locator('[data-testid^=unrouted-]').first();
  await entry.getByLabel('State Patrol').check();
  await entry.getByRole('button', { name: /Send to 1 selected/ }).click();
  await expect(queue.getByText('Nothing waiting.')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'agencies-admin-after.png'), fullPage: true });
});

test('an endpoint takes a client certificate, a private CA and a proxy from files; a key not of that certificate is refused; an edit removes them', async ({
  page,
}) => {
  // Certificates made here by openssl, as an agency's IT would hand them over.
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tmp.dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'agency-ca.key', '-out', 'agency-ca.pem', '-subj', '/CN=Agency CA', '-days', '2');
  for (const name of ['client', 'other']) {
    openssl('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'agency-ca.pem', '-CAkey', 'agency-ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2');
  }
  const file = (f: string) => join(tmp.dir, f);
  writeFileSync(file('transit.geojson'), squareJurisdiction({ lat: CITY.lat - 2, lon: CITY.lon }, 0.2, { name: 'Transit Police' }));

  await page.goto(`${host.url}?view=admin#token=${host.token}`);
  const admin = page.getByTestId('agencies-admin');
  const form = admin.getByTestId('add-agency');
  await form.getByLabel('Jurisdiction (GeoJSON)').setInputFiles(file('transit.geojson'));
  await expect(form.getByLabel('Name')).toHaveValue('Transit Police');
  await form.getByLabel('URL').fill('https://127.0.0.1:9/transit');
  await form.getByLabel('Signing secret').fill(SECRET);
  // Keyboard, as an administrator would: the folded TLS options open from their summary.
  await form.getByText('TLS and proxy:').focus();
  await page.keyboard.press('Enter');
  await form.getByLabel('Client certificate (PEM)').setInputFiles(file('client.pem'));
  await form.getByLabel('Client key (PEM)').setInputFiles(file('other.key'));
  await form.getByLabel('Private CA (PEM)').setInputFiles(file('agency-ca.pem'));
  await form.getByLabel('Proxy').fill('http://127.0.0.1:3128');
  await expect(form.getByTestId('endpoint-tls-summary')).toHaveText('client certificate, private CA, proxy http://127.0.0.1:3128');
  await form.getByRole('button', { name: 'Add agency' }).click();
  await expect(form.getByRole('alert')).toContainText('the client key does not belong to the client certificate');
  await expect(admin.getByRole('cell', { name: /^Transit Police/ })).toHaveCount(0);

  await form.getByLabel('Client key (PEM)').setInputFiles(file('client.key'));
  await form.getByRole('button', { name: 'Add agency' }).click();
  const row = admin.getByRole('row', { name: /Transit Police/ });
  await expect(row.getByTestId('endpoint-tls')).toHaveText('client certificate, private CA, via http://127.0.0.1:3128/');
  await page.screenshot({ path: join(SHOTS, 'agency-endpoint-tls.png'), fullPage: true });

  // The stored PEM texts are what was picked (read here only through the core, never shown to the page).
  const transit = core.store.agencies.active().find((a) => a.name === 'Transit Police')!;
  const stored = core.store.agencies.endpointForSending(transit.endpoints[0]!.id)!;
  expect(stored.clientCertPem).toBe(readFileSync(file('client.pem'), 'utf8'));
  expect(stored.clientKeyPem).toBe(readFileSync(file('client.key'), 'utf8'));
  expect(stored.caPem).toBe(readFileSync(file('agency-ca.pem'), 'utf8'));

  await row.getByRole('button', { name: 'Edit…' }).click();
  const edit = admin.getByTestId('edit-agency');
  await edit.getByText('TLS and proxy:').click();
  await edit.screenshot({ path: join(SHOTS, 'agency-endpoint-tls-edit.png') });
  await edit.getByRole('button', { name: 'Remove client certificate' }).click();
  await edit.getByRole('button', { name: 'Connect directly' }).click();
  await expect(edit.getByTestId('endpoint-tls-summary')).toHaveText('private CA');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(row.getByTestId('endpoint-tls')).toHaveText('private CA');
});
