import { expect, test, type Browser } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, ADMIN, personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { CITY, SECRET, squareJurisdiction } from '../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../support/receiver-process.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'audit');

async function importAlert(api: ApiClient, dir: string, id: string, o: { north?: number } = {}): Promise<number> {
  writeSimpleBundle(dir, {
    id,
    sensors: 4,
    startUs: Date.now() * 1000 - 10_000_000,
    // A whole degree north puts it outside every jurisdiction of the test.
    mutate: (a) => (a.sensors as { lat: number }[]).forEach((s) => (s.lat += o.north ?? 0)),
  });
  const { outcomes } = await api.importFolders([dir]);
  expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
  return outcomes[0]!.alertId!;
}

async function page(browser: Browser, host: RunningHost, name: string, password?: string) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
  const p = await context.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await signInPage(p, host, name, password);
  return { page: p, errors, close: () => context.close() };
}

test.describe('publishing from the seat, through the loopback host', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let receiver: Receiver;

  test.beforeEach(async () => {
    data = tempDir('earwitness-e2e-publish-');
    receiver = await startReceiver({ record: join(data.dir, 'received.jsonl'), secrets: [SECRET] });
    host = await startHostProcess({ dataDir: join(data.dir, 'data') });
  });
  test.afterEach(async () => {
    await host.stop();
    await receiver.stop();
    data.cleanup();
  });

  test('the reviewer sees where it goes before recording; deliveries are live; an admin retries, reads why, and routes the unrouted', async ({ browser }) => {
    test.setTimeout(180_000);
    const admin = await adminClient(host);
    await personClient(host, 'rita', ['reviewer']);
    // No blind QA here: a sealed alert's delivery events are held back from every seat.
    await admin.call('setAuditSettings', { sampleShare: 0 });
    await admin.call('addAgency', {
      name: 'City Police',
      geojson: squareJurisdiction(CITY, 0.05),
      endpoints: [{ url: receiver.url('/city'), format: 'cap', secret: SECRET }],
    });
    // The test bundles' network is a live source: its gunfire goes out as Actual.
    await admin.call('setSourceStatus', { source: 'test-network', status: 'live' });
    await receiver.control({ status: 503 });
    const inside = await importAlert(admin, join(data.dir, 'b1'), 'PUB-0001');
    await importAlert(admin, join(data.dir, 'b2'), 'PUB-0002', { north: 1 });

    const reviewer = await page(browser, host, 'rita');
    const rp = reviewer.page;
    await rp.getByTestId('queue-item').filter({ hasText: 'PUB-0001' }).click();
    const incident = rp.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await incident.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    const route = incident.getByTestId('route-preview');
    await expect(route).toHaveAttribute('data-outcome', 'routed');
    await expect(route.getByTestId('route-agency')).toHaveText(['City Police']);
    // Probable gunfire goes nowhere: City Police takes confirmed gunfire only.
    await incident.getByRole('radio', { name: 'Probable gunfire' }).click();
    await expect(route).toHaveAttribute('data-outcome', 'not_published');
    await incident.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    await expect(route).toHaveAttribute('data-outcome', 'routed');
    await incident.getByTestId('record').click();
    // The delivery appears by itself and fails live: the receiver answers 503.
    const status = incident.getByTestId('delivery-status');
    await expect(status).toContainText('City Police');
    await expect(status.locator('.badge').filter({ hasText: /retrying/ })).toBeVisible({ timeout: 20_000 });
    await status.getByRole('button', { name: 'Why?' }).click();
    await expect(status.getByTestId('delivery-why')).toContainText('503');
    await rp.screenshot({ path: join(SHOTS, 'delivery-retrying.png') });

    // The admin: retry now, once the receiver is back; the reviewer's panel turns delivered by itself.
    const adminSeat = await page(browser, host, ADMIN.name, ADMIN.password);
    const ap = adminSeat.page;
    await ap.getByTestId('tab-decided').click();
    await ap.getByTestId('queue-item').filter({ hasText: 'PUB-0001' }).click();
    await expect(ap.getByTestId('incident')).toHaveAttribute('data-alert-id', String(inside));
    const adminStatus = ap.getByTestId('incident').getByTestId('delivery-status');
    // Retry while the receiver still fails: the retry is the admin's, on record, and tried at once.
    const retry = adminStatus.getByRole('button', { name: 'Retry now' });
    await retry.click();
    await expect
      .poll(
        async () =>
          (await admin.call('listAuditLog', { afterSeq: 0, limit: 1000 })).entries.filter((e) => e.action === 'delivery.retried' && e.actor === ADMIN.name)
            .length,
      )
      .toBe(1);
    // Back up: the next attempt, the worker's or another retry, delivers; both seats see it by themselves.
    await receiver.control({ status: 200 });
    await retry.click({ timeout: 2000 }).catch(() => undefined); // the worker may have delivered first
    await expect(adminStatus.locator('.badge').filter({ hasText: 'delivered' }).first()).toBeVisible({ timeout: 45_000 });
    await expect(status.locator('tbody .badge').filter({ hasText: 'delivered' })).toBeVisible({ timeout: 20_000 });
    expect(receiver.received().filter((r) => r.status === 200 && r.signatureValid)).toHaveLength(1);

    // Outside every jurisdiction: the reviewer is told before recording; the admin's top bar shows it waiting.
    await rp.getByTestId('tab-pending').click();
    await rp.getByTestId('queue-item').filter({ hasText: 'PUB-0002' }).click();
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await incident.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    await expect(route).toHaveAttribute('data-outcome', 'unrouted');
    await expect(route).toContainText('an admin will decide');
    await incident.getByTestId('record').click();
    await expect(incident.getByTestId('delivery-status')).toContainText('unrouted');
    const unrouted = ap.getByTestId('open-unrouted');
    await expect(unrouted).toContainText('1');
    await unrouted.click();
    const dialog = ap.getByTestId('unrouted-dialog');
    await expect(dialog).toContainText('PUB-0002');
    await dialog.getByRole('checkbox', { name: 'City Police' }).check();
    await dialog.getByRole('button', { name: /Send to 1 selected/ }).click();
    await expect(dialog.getByText('Nothing waiting.')).toBeVisible();
    await ap.keyboard.press('Escape');
    await expect(unrouted).toHaveCount(0);
    await expect.poll(() => receiver.received().filter((r) => r.status === 200).length, { timeout: 20_000 }).toBe(2);
    expect(reviewer.errors).toEqual([]);
    expect(adminSeat.errors).toEqual([]);
    await reviewer.close();
    await adminSeat.close();
  });
});
