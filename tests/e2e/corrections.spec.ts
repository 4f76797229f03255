import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { CITY, SECRET, squareJurisdiction } from '../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../support/receiver-process.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

async function importAlert(api: ApiClient, dir: string, id: string): Promise<number> {
  writeSimpleBundle(dir, { id, sensors: 4, startUs: Date.now() * 1000 - 10_000_000 });
  // Through an upload, as a seat sends files (paths on the core's machine are the command line's).
  const { outcomes } = await api.importFolders([dir]);
  expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
  return outcomes[0]!.alertId!;
}

/**
 * What police already received is corrected from the seat, by keyboard: C corrects a published
 * gunfire alert (the agency gets an Update with the reason), W withdraws it (a Cancel with the
 * reason). Undo is not offered once the agency has it.
 */
test.describe('correcting a published incident from the seat', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let receiver: Receiver;

  test.beforeEach(async () => {
    data = tempDir('earwitness-e2e-corrections-');
    receiver = await startReceiver({ record: join(data.dir, 'received.jsonl'), secrets: [SECRET] });
    host = await startHostProcess({ dataDir: join(data.dir, 'data') });
  });
  test.afterEach(async () => {
    await host.stop();
    await receiver.stop();
    data.cleanup();
  });

  test('C corrects the rounds with a reason (an Update reaches the agency), W withdraws it (a Cancel); no Undo once published', async ({ browser }) => {
    test.setTimeout(180_000);
    const admin = await adminClient(host);
    await admin.call('setAuditSettings', { sampleShare: 0 });
    await admin.call('addAgency', {
      name: 'City Police',
      geojson: squareJurisdiction(CITY, 0.05),
      endpoints: [{ url: receiver.url('/city'), format: 'cap', secret: SECRET }],
    });
    // The test bundles' network is a live source: its gunfire goes out as Actual.
    await admin.call('setSourceStatus', { source: 'test-network', status: 'live' });
    const alertId = await importAlert(admin, join(data.dir, 'b1'), 'COR-0001');
    const rita = await personClient(host, 'rita', ['reviewer']);
    await rita.call('claimAlert', { alertId });
    await rita.call('decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 5000 });
    await expect.poll(() => receiver.received().length, { timeout: 20_000 }).toBe(1);

    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await signInPage(page, host, 'rita');
    await page.getByTestId('tab-decided').click();
    await page.getByTestId('queue-decided').getByTestId('queue-item').filter({ hasText: 'COR-0001' }).click();
    const panel = page.getByTestId('decision-panel');
    await expect(panel.getByTestId('corrections')).toBeVisible();
    await expect(panel.getByTestId('undo')).toHaveCount(0); // the agency has it: a silent undo is not offered

    // C: correct to three rounds; Enter without a reason asks for one.
    await page.keyboard.press('c');
    await expect(panel.getByTestId('correction-form')).toBeVisible();
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await page.keyboard.press('Enter');
    await expect(panel.getByTestId('correction-form')).toContainText('say why it is corrected');
    // The form put the cursor in the reason: type it there.
    await page.keyboard.type('two more reports under the echo on the second track');
    await page.screenshot({ path: join(process.cwd(), 'test-results', 'corrections', 'correcting-1366.png') });
    await page.keyboard.press('Control+Enter');
    await expect(panel.getByTestId('correction-done')).toContainText('the agencies get an Update');
    await expect.poll(() => receiver.received().length, { timeout: 20_000 }).toBe(2);
    const update = receiver.received()[1]!;
    expect(update.body).toContain('<msgType>Update</msgType>');
    expect((await admin.call('getAlert', { id: alertId })).decisions.at(-1)).toMatchObject({
      version: 2,
      rounds: 3,
      class: 'gunfire_multiple',
      decidedBy: 'rita',
      notes: 'two more reports under the echo on the second track',
    });

    // W: withdraw with a reason.
    await page.keyboard.press('w');
    await page.getByTestId('withdraw-reason').fill('a transformer failure, confirmed by the utility');
    await page.keyboard.press('Enter');
    await expect(panel.getByTestId('correction-done')).toContainText('Cancel');
    await expect.poll(() => receiver.received().length, { timeout: 20_000 }).toBe(3);
    const cancel = receiver.received()[2]!;
    expect(cancel.body).toContain('<msgType>Cancel</msgType>');
    expect(cancel.body).toContain('a transformer failure, confirmed by the utility');
    expect((await admin.call('getIncident', { alertId }))!.state).toBe('cancelled');
    await expect(panel.getByTestId('withdraw')).toHaveCount(0);
    expect(errors).toEqual([]);
    await context.close();
  });
});
