import { expect } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, REPO, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/**
 * A network whose clock runs two hours ahead (local time written as UTC) sends a gunshot. Its
 * detection time says it has not happened yet; the seat must still count its wait from its
 * arrival, so it is due now, and say the network's clock is wrong.
 */
it.describe('an alert from a network whose clock runs ahead', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-clock-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await personClient(host, 'rita', ['reviewer']);
    const { dir } = writeSimpleBundle(join(data.dir, 'AHEAD-0001'), { id: 'AHEAD-0001', sensors: 6, startUs: Date.now() * 1000 + 2 * 3_600_000_000 });
    const { outcomes } = await (await adminClient(host)).importFolders([dir]);
    expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  it('counts its deadline from arrival and flags the clock in the queue and the incident header', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInPage(page, host, 'rita');
    const item = page.getByTestId('queue-pending').getByTestId('queue-item');
    await expect(item).toHaveCount(1);
    await expect(item.getByTestId('clock-ahead')).toHaveText(/^clock \+(1 h 59 min|2 h 00 min)$/);
    // Counted from arrival: under a minute left of the 60 s budget (or already red), not two hours.
    const countdown = await item.getByTestId('queue-countdown').innerText();
    expect(countdown, countdown).toMatch(/^(0:[0-5]\d|1:00|\+\d+:\d\d)$/);
    await page.keyboard.press('n');
    await expect(page.getByTestId('incident')).toHaveAttribute('data-mode', 'review', { timeout: 15_000 });
    await expect(page.getByTestId('incident').locator('.incident-facts').getByTestId('clock-ahead')).toBeVisible();
    await page.screenshot({ path: join(REPO, 'test-results', 'clock-ahead.png') });
  });
});
