import { expect } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/**
 * N shows the alert the seat predicted (and prefetched) before the core confirms the claim. When
 * another seat took that alert first and this seat had not heard yet, the seat must say so and open
 * the alert it actually holds: never decide the one it was shown.
 */
it.describe('N before the claim is confirmed', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let ids: number[];

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-next-claim-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await personClient(host, 'rita', ['reviewer']);
    // Nothing drawn for a blind second review: the test reads the decision back.
    await (await adminClient(host)).call('setAuditSettings', { sampleShare: 0 });
    const dirs = ['CLAIM-000001', 'CLAIM-000002'].map(
      (id, i) => writeSimpleBundle(join(data.dir, id), { id, sensors: 4, durationS: 2, startUs: Date.now() * 1000 - (60 - i) * 1_000_000 }).dir,
    );
    const { outcomes } = await (await adminClient(host)).importFolders(dirs);
    for (const o of outcomes) expect(o.status, o.message).toBe('imported');
    ids = outcomes.map((o) => o.alertId!);
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  it('the predicted alert was claimed by another seat unseen: the seat says so and opens the one it holds', async ({ page }) => {
    // This seat hears no claims from the others: the race where N is pressed before the event arrives.
    await page.routeWebSocket(/\/api\/events/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (!String(m).includes('"claimChanged"')) ws.send(m);
      });
      ws.onMessage((m) => server.send(m));
    });
    const prefetched = page.waitForResponse((r) => r.url().endsWith('/api/getPeaks'));
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(2);
    const predicted = (JSON.parse((await prefetched).request().postData() ?? '{}') as { id: number }).id;
    expect(ids).toContain(predicted);
    const other = ids.find((id) => id !== predicted)!;

    const ruth = await personClient(host, 'ruth', ['reviewer']);
    await ruth.call('claimAlert', { alertId: predicted });

    await page.keyboard.press('n');
    const incident = page.getByTestId('incident');
    await expect(page.getByTestId('stage-notice')).toContainText('taken by another seat as you pressed N');
    await expect(incident).toHaveAttribute('data-alert-id', String(other));
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await expect(incident.getByTestId('decision-record')).toBeVisible();

    // The decision went to the alert this seat holds; the other stays with ruth, undecided.
    const admin = await adminClient(host);
    const decided = await admin.call('getAlert', { id: other });
    expect(decided.status).toBe('decided');
    expect(decided.decision?.decidedBy).toBe('rita');
    expect((await admin.call('getAlert', { id: predicted })).status).toBe('pending');
  });

  it('an alert the seat opened by itself, taken by another seat meanwhile: the notice speaks of no key', async ({ page }) => {
    const dirs = ['CLAIM-000003', 'CLAIM-000004'].map(
      (id, i) => writeSimpleBundle(join(data.dir, id), { id, sensors: 4, durationS: 2, startUs: Date.now() * 1000 - (50 - i) * 1_000_000 }).dir,
    );
    const { outcomes } = await (await adminClient(host)).importFolders(dirs);
    for (const o of outcomes) expect(o.status, o.message).toBe('imported');
    const fresh = outcomes.map((o) => o.alertId!);
    await (await personClient(host, 'rita', ['reviewer'])).call('setMyPreferences', { autoNext: true });
    const ruth = await personClient(host, 'ruth', ['reviewer']);
    await page.routeWebSocket(/\/api\/events/, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((m) => {
        if (!String(m).includes('"claimChanged"')) ws.send(m);
      });
      ws.onMessage((m) => server.send(m));
    });
    // The seat's own claim waits until it shows the alert it predicted and ruth has taken that one.
    const prefetched = page.waitForResponse((r) => r.url().endsWith('/api/getPeaks'));
    let predicted = 0;
    await page.route('**/api/claimNext', async (route) => {
      predicted = (JSON.parse((await prefetched).request().postData() ?? '{}') as { id: number }).id;
      await ruth.call('claimAlert', { alertId: predicted });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await route.continue();
    });
    await signInPage(page, host, 'rita');

    const notice = page.getByTestId('stage-notice');
    await expect(notice).toContainText('taken by another seat as it opened');
    await expect(notice).not.toContainText('pressed');
    expect(fresh).toContain(predicted);
    await expect(page.getByTestId('incident')).toHaveAttribute('data-alert-id', String(fresh.find((id) => id !== predicted)));
  });
});
