import { expect } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/** Imports one 4-sensor bundle through the API, as a sensor feed would, and returns the new alert's id. */
async function importBundle(host: RunningHost, dir: string, id: string, o: { startUs?: number; coordinates?: 'wgs84' | 'local' } = {}): Promise<number> {
  writeSimpleBundle(dir, { id, sensors: 4, ...o });
  const api = await adminClient(host);
  const { outcomes } = await api.importFolders([dir]);
  expect(outcomes).toHaveLength(1);
  expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
  return outcomes[0]!.alertId!;
}

/** Every test fails on an error thrown in the page, whatever else it checks. */

it.describe('the review loop in Chromium, through the loopback host', () => {
  let data: ReturnType<typeof tempDir>;
  let bundles: ReturnType<typeof tempDir>;
  let host: RunningHost;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-data-');
    bundles = tempDir('earwitness-e2e-bundles-');
    host = await startHostProcess({ dataDir: data.dir });
    // A decision drawn for a blind second review is sealed from the other reviewers; these tests
    // watch one reviewer see another's decision, so nothing is drawn.
    await (await adminClient(host)).call('setAuditSettings', { sampleShare: 0 });
    await personClient(host, 'rita', ['reviewer']);
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
    bundles.cleanup();
  });

  it('a reviewer confirms an alert; after a restart the decision is still there, with who, when and how long', async ({ page }) => {
    // Every clip request the page makes: the media elements' ranges. A whole-file fetch would mean
    // wavesurfer fetched the audio to decode it, which the peaks are there to avoid.
    const clipRequests: { range: string | undefined; status: number }[] = [];
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.startsWith('/clips/')) clipRequests.push({ range: r.request().headers()['range'], status: r.status() });
    });
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('tab-pending')).toContainText('0');
    // The token leaves the address bar once the session is open.
    await expect.poll(() => page.url()).not.toContain('token=');

    // The alert arrives while the page is open: it must appear by the live event, no reload.
    const alertId = await importBundle(host, join(bundles.dir, 'b1'), 'E2E-0001');
    const item = page.getByTestId('queue-pending').getByTestId('queue-item').filter({ hasText: 'E2E-0001' });
    await expect(item).toBeVisible();
    await expect(item).toContainText('4 sensors');
    await expect(item).toContainText('Gunshot');
    await expect(item).toContainText('90 %');

    const openedAt = Date.now();
    await item.click();
    const incident = page.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-alert-id', String(alertId));
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await expect(item.getByTestId('queue-claim')).toHaveText('open here');
    // One waveform per sensor, each drawn by wavesurfer (a canvas in its shadow root), from peaks.
    await expect(incident.getByTestId('track')).toHaveCount(4);
    await expect(incident.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
    for (const sensor of ['S-001', 'S-002', 'S-003', 'S-004']) {
      await expect(incident.locator(`[data-testid=track][data-sensor="${sensor}"] canvas`).first()).toBeVisible();
    }
    await expect(incident.getByTestId('time-ruler')).toBeVisible();
    // The map: the located source and the four sensors, all used by the fix, and distance rings.
    const map = incident.getByTestId('incident-map');
    await expect(map).toHaveAttribute('data-frame', 'geo');
    await expect(map.locator('path.map-source')).toHaveCount(1);
    await expect(map.locator('path.map-ellipse')).toHaveCount(1);
    await expect(map.locator('path.map-sensor-used')).toHaveCount(4);
    await expect(map.locator('path.map-ring').first()).toBeAttached();
    await expect(map.locator('.leaflet-control-scale-line')).toHaveText(/^\d+ k?m$/);
    await expect(incident.getByTestId('machine-verdict')).toContainText('Gunshot');

    // Playback streams the clip through a media element: play one sensor alone to its end.
    const play = incident.getByRole('button', { name: 'Play sensor S-001' });
    await play.click();
    await expect(incident.getByRole('button', { name: 'Pause sensor S-001' })).toHaveAttribute('aria-pressed', 'true');
    await expect(play).toHaveAttribute('aria-pressed', 'false', { timeout: 10_000 });
    expect(clipRequests.length).toBeGreaterThan(0);
    for (const r of clipRequests) {
      expect(r.range, 'every clip request is a media range request').toMatch(/^bytes=/);
      expect(r.status).toBe(206);
    }

    await page.waitForTimeout(600); // a review takes time; the stored review time must show it
    await incident.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    await incident.getByTestId('record').click();
    const record = incident.getByTestId('decision-record');
    await expect(record).toContainText('Gunfire: single shot');
    await expect(record.getByTestId('decided-by')).toHaveText('rita');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(0);
    await expect(page.getByTestId('tab-decided')).toContainText('1');
    const decidedAt = Date.now();

    const admin = await adminClient(host);
    const before = (await admin.call('getAlert', { id: alertId })).decisions;
    expect(before).toHaveLength(1);
    const d = before[0]!;
    expect(d).toMatchObject({ class: 'gunfire_single', rounds: 1, decidedBy: 'rita', undoneUs: null });
    expect(d.reviewMs).toBeGreaterThanOrEqual(600);
    expect(d.reviewMs).toBeLessThanOrEqual(decidedAt - openedAt + 1000);
    expect(d.decidedUs / 1000).toBeGreaterThanOrEqual(openedAt - 1000);
    expect(d.decidedUs / 1000).toBeLessThanOrEqual(decidedAt + 1000);

    // Stop the host and start it again on the same data folder: a new port and token, and a new sign-in.
    await host.stop();
    host = await startHostProcess({ dataDir: data.dir });
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('tab-pending')).toContainText('0');
    await page.getByTestId('tab-decided').click();
    const kept = page.getByTestId('queue-decided').getByTestId('queue-item').filter({ hasText: 'E2E-0001' });
    await expect(kept).toContainText('Gunfire: single shot');
    await kept.click();
    const after = page.getByTestId('decision-record');
    await expect(after.getByTestId('decided-by')).toHaveText('rita');
    await expect(after.getByTestId('decided-at')).toContainText(new Date(Math.floor(d.decidedUs / 1000)).toISOString().slice(0, 10));
    await expect(after.getByTestId('review-time')).toHaveText(`${(d.reviewMs / 1000).toFixed(1)} s`);
    const again = (await (await adminClient(host)).call('getAlert', { id: alertId })).decisions;
    expect(again).toEqual(before);
  });

  it('"other" needs notes before it is recorded; the reason is stored', async ({ page }) => {
    // Detected a few seconds ago: its countdown ticks.
    const alertId = await importBundle(host, join(bundles.dir, 'b2'), 'E2E-0002', { startUs: Date.now() * 1000 - 5_000_000 });
    await signInPage(page, host, 'rita');
    const countdown = page.getByTestId('queue-item').filter({ hasText: 'E2E-0002' }).getByTestId('queue-countdown');
    await expect(countdown).toHaveText(/^0:\d\d$/);
    const first = await countdown.textContent();
    await expect(countdown).not.toHaveText(first!, { timeout: 3000 });
    await page.getByTestId('queue-item').filter({ hasText: 'E2E-0002' }).click();
    const incident = page.getByTestId('incident');
    await incident.getByRole('radio', { name: 'Other (not gunfire)' }).click();
    await incident.getByTestId('record').click();
    await expect(incident.getByRole('alert')).toContainText('say what it was in the notes');
    await expect(incident.getByTestId('notes')).toBeFocused();
    await expect(incident.getByTestId('decision-record')).toHaveCount(0);
    await incident.getByTestId('notes').fill('a skip lid dropped next to sensor S-002');
    await incident.getByTestId('record').click();
    await expect(incident.getByTestId('decision-record')).toContainText('Other (not gunfire)');
    await expect(incident.getByTestId('decision-record')).toContainText('a skip lid dropped');
    const detail = await (await adminClient(host)).call('getAlert', { id: alertId });
    expect(detail.status).toBe('decided');
    expect(detail.decisions[0]).toMatchObject({ class: 'other', notes: 'a skip lid dropped next to sensor S-002', rounds: null, decidedBy: 'rita' });
  });

  it('an alert another reviewer holds cannot be taken; their decisions show at once; a refused call is shown as the core worded it', async ({ page }) => {
    const first = await importBundle(host, join(bundles.dir, 'b3'), 'E2E-0003');
    const second = await importBundle(host, join(bundles.dir, 'b4'), 'E2E-0004');
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(2);

    // This seat opens the first alert: another reviewer cannot claim it, nor decide it.
    await page.getByTestId('queue-item').filter({ hasText: 'E2E-0003' }).click();
    await expect(page.getByTestId('incident')).toHaveAttribute('data-alert-id', String(first));
    const ruth = await personClient(host, 'ruth', ['reviewer']);
    expect(await ruth.dispatch('claimAlert', { alertId: first })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `rita is reviewing alert ${first}` },
    });
    expect(await ruth.dispatch('decide', { alertId: first, class: 'fireworks', reviewMs: 4000 })).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // Ruth claims the second: the queue here shows it taken, and opening it is for looking only.
    await ruth.call('claimAlert', { alertId: second });
    const taken = page.getByTestId('queue-item').filter({ hasText: 'E2E-0004' });
    await expect(taken.getByTestId('queue-claim')).toHaveText('● ruth');
    await taken.click();
    await expect(page.getByTestId('stage-notice')).toContainText(`ruth is reviewing alert ${second}`);
    await expect(page.getByTestId('incident')).toHaveAttribute('data-mode', 'view');
    await expect(page.getByTestId('view-only')).toContainText('ruth is reviewing this alert');
    await ruth.call('decide', { alertId: second, class: 'fireworks', reviewMs: 4000 });
    await expect(page.getByTestId('decision-record')).toContainText('Fireworks');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(1);

    // Back to the first (the seat claims it again); the host goes away mid-review: the refusal is said plainly.
    await page.getByTestId('queue-item').filter({ hasText: 'E2E-0003' }).click();
    await expect(page.getByTestId('incident')).toHaveAttribute('data-mode', 'review');
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
    await host.stop();
    await page.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    await page.getByTestId('record').click();
    const error = page.getByRole('alert').filter({ hasText: 'Not recorded' });
    await expect(error).toContainText('did not answer');
    // Said in words: the error code stays out of the sentence (it is on the note's title for support).
    await expect(error).not.toContainText('unavailable');
    await expect(error).toHaveAttribute('title', 'error code: unavailable');
    await expect(page.getByTestId('decision-record')).toHaveCount(0);
  });

  it('a research alert in local metres is drawn on a metric plane, not on the globe', async ({ page }) => {
    await importBundle(host, join(bundles.dir, 'b5'), 'E2E-LOCAL', { coordinates: 'local' });
    await signInPage(page, host, 'rita');
    await page.getByTestId('queue-item').filter({ hasText: 'E2E-LOCAL' }).click();
    const map = page.getByTestId('incident-map');
    await expect(map).toHaveAttribute('data-frame', 'metric');
    await expect(map).toContainText('local metres');
    await expect(map.locator('path.map-sensor-used')).toHaveCount(4);
    await expect(map.locator('path.map-source')).toHaveCount(1);
    // The sensors sit on a 400 m ring: the scale bar reads metres of that order, not degrees or pixels.
    await expect(map.locator('.leaflet-control-scale-line')).toHaveText(/^(\d+ m|1 km)$/);
    await expect(page.getByTestId('incident')).toContainText('local frame');
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
  });

  it('opened without the token, the page says how to get in and shows no data', async ({ page }) => {
    await importBundle(host, join(bundles.dir, 'b6'), 'E2E-SECRET');
    await page.goto(host.origin);
    await expect(page.getByRole('alert')).toContainText('open the full address that `earwitness serve` printed');
    await expect(page.getByText('E2E-SECRET')).toHaveCount(0);
  });
});
