import { expect } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, PERSON_PASSWORD, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/**
 * The seat's keys work from the moment the seat shows: an N pressed in the same instant the
 * signed-in screen appears (before React's passive effects have run) opens the next alert. Keys
 * bound in a passive effect lost that press; CI's seat test pressed N that fast and found nothing.
 */
it.describe('the first key after sign-in', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let id: number;

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-first-key-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await personClient(host, 'rita', ['reviewer']);
    const dir = writeSimpleBundle(join(data.dir, 'FIRST-000001'), {
      id: 'FIRST-000001',
      sensors: 2,
      durationS: 1,
      startUs: Date.now() * 1000 - 30_000_000,
    }).dir;
    const { outcomes } = await (await adminClient(host)).importFolders([dir]);
    expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
    id = outcomes[0]!.alertId!;
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  it('an N pressed the instant the signed-in seat appears is not lost', async ({ page }) => {
    await page.goto(host.address);
    const form = page.getByTestId('sign-in');
    await expect(form.getByLabel('Name')).toBeFocused();
    // Watches for the seat's first frame and presses N inside the same task that drew it.
    // (A string: the tests are compiled without the DOM's types.)
    await page.evaluate(`(() => {
      const observer = new MutationObserver(() => {
        if (!document.querySelector('[data-testid=actor]')) return;
        observer.disconnect();
        document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', code: 'KeyN', bubbles: true, cancelable: true }));
        globalThis.ewPressed = true;
      });
      observer.observe(document.body, { childList: true, subtree: true });
    })()`);
    await page.keyboard.type('rita');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PERSON_PASSWORD);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => (globalThis as unknown as { ewPressed?: boolean }).ewPressed)).toBe(true);
    const incident = page.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-alert-id', String(id));
    await expect(incident).toHaveAttribute('data-mode', 'review');
  });

  it('a seat that reviews runs the drawing path and a map once while it waits, so the first alert is not drawn by cold code', async ({ page }) => {
    await signInPage(page, host, 'rita');
    const warm = (mark: string) => page.evaluate(`performance.getEntriesByName('${mark}').length`);
    await expect.poll(() => warm('ew:drawing-warm'), { timeout: 5000 }).toBe(1);
    await expect.poll(() => warm('ew:map-warm'), { timeout: 5000 }).toBe(1);
    // The warm-up map is gone again: nothing of it is left for a screen reader or the next view.
    await expect(page.locator('.leaflet-container')).toHaveCount(0);
  });
});
