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

  it('the incident view drawn out of sight after sign-in reaches no core, takes no focus or keys and leaves nothing behind', async ({ page }) => {
    // Every address the page asks for from the sign-in on.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
    await page.goto(host.address);
    await expect(page.getByTestId('sign-in').getByLabel('Name')).toBeFocused();
    // What the warm-up looked like when it came and when it went, and any focus that went into it.
    await page.evaluate(`(() => {
      const seen = (globalThis.ewWarmUp = { added: null, removed: false, incidentsSeen: 0, focusedInside: 0 });
      const isBox = (n) => n.nodeType === 1 && n.getAttribute('data-testid') === 'incident-warm-up';
      new MutationObserver((records) => {
        for (const r of records) {
          for (const n of r.addedNodes) {
            if (isBox(n)) seen.added = { ariaHidden: n.getAttribute('aria-hidden'), inert: n.inert, visibility: getComputedStyle(n).visibility, right: n.getBoundingClientRect().right };
            // What the view bench and the tests wait for: the warm-up must never be taken for an open alert.
            if (n.nodeType === 1 && (n.matches('[data-testid=incident], [data-testid=track]') || n.querySelector('[data-testid=incident], [data-testid=track]'))) seen.incidentsSeen++;
          }
          for (const n of r.removedNodes) if (isBox(n)) seen.removed = true;
        }
      }).observe(document.body, { childList: true, subtree: true });
      document.addEventListener('focusin', (e) => { if (e.target.closest && e.target.closest('[data-testid=incident-warm-up]')) seen.focusedInside++; }, true);
    })()`);
    await page.keyboard.type('rita');
    await page.keyboard.press('Tab');
    await page.keyboard.type(PERSON_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('actor')).toBeVisible();
    await expect.poll(() => page.evaluate(`performance.getEntriesByName('ew:incident-warm').length`), { timeout: 10_000 }).toBe(1);

    type Seen = { added: Record<string, unknown> | null; removed: boolean; incidentsSeen: number; focusedInside: number };
    const seen = (await page.evaluate('globalThis.ewWarmUp')) as Seen;
    // It was there, out of sight and out of reach (inert, hidden from screen readers), and is gone.
    expect(seen.added).toEqual({ ariaHidden: 'true', inert: true, visibility: 'hidden', right: expect.any(Number) });
    expect(seen.added!.right as number).toBeLessThanOrEqual(0);
    expect(seen.removed).toBe(true);
    // It drew a whole alert, five times over (IncidentWarmUp's PASSES), where nothing reading the page could take it for a real one.
    const warm = await page.evaluate(`performance.getEntriesByName('ew:incident-warm')[0].detail`);
    expect(warm, 'every track drawn and the map source placed before it was taken down').toMatchObject({ passes: 5, drawn: 6, source: true });
    expect(seen.incidentsSeen, 'an incident or a track of the warm-up showed in the page').toBe(0);
    expect(seen.focusedInside, 'focus moved into the warm-up').toBe(0);
    // Nothing of it is left: no incident, no map, no hidden box.
    await expect(page.getByTestId('incident-warm-up')).toHaveCount(0);
    await expect(page.getByTestId('incident')).toHaveCount(0);
    await expect(page.locator('.leaflet-container')).toHaveCount(0);
    // No core call of the incident view's own went out (the stand-in client took them), no clip was fetched.
    const viewCalls = ['getMapSettings', 'getTile', 'getIncident', 'claimAlert', 'claimNext', 'previewRelocation', 'decide'];
    expect(requests.filter((p) => p.startsWith('/clips/') || viewCalls.some((m) => p === `/api/${m}`))).toEqual([]);
    // The keys are the seat's again: ? shows the key help.
    await page.keyboard.press('?');
    await expect(page.getByTestId('keys-overlay')).toBeVisible();
  });
});
