import { expect } from '@playwright/test';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { it } from '../support/page-errors.ts';

/**
 * The incident view as a reviewer at a laptop screen meets it: the map opens on the fix rather
 * than on a network kilometres wide, V lays it large over the tracks, and the alert N takes next
 * was fetched before N was pressed.
 */
it.describe('the incident view at 1366x768', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let ids: number[];

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-view-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await personClient(host, 'rita', ['reviewer']);
    // Eight sensors on a 1.6 km ring, the shot near its east side.
    const dirs = ['VIEW-A-000001', 'VIEW-A-000002'].map(
      (id, i) =>
        writeSimpleBundle(join(data.dir, id), {
          id,
          sensors: 8,
          ringM: 800,
          durationS: 6,
          startUs: Date.now() * 1000 - (60 - i) * 1_000_000,
          sourceAt: { x: 700, y: 50 },
        }).dir,
    );
    const { outcomes } = await (await adminClient(host)).importFolders(dirs);
    for (const o of outcomes) expect(o.status, o.message).toBe('imported');
    ids = outcomes.map((o) => o.alertId!);
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  it('opens the map on the fix, lays it large with V, and has the next alert fetched before N', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    const asked: { id: number; at: number }[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/getPeaks')) asked.push({ id: (JSON.parse(r.postData() ?? '{}') as { id: number }).id, at: Date.now() });
    });
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(2);

    await page.keyboard.press('n');
    const incident = page.getByTestId('incident');
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(8);
    const first = Number(await incident.getAttribute('data-alert-id'));

    // The map: the fix inside the box with the sensors nearest it (which ones frame it is
    // tests/unit/renderer/map-view.test.ts: in a box this short the network's width shows anyway).
    const map = page.getByTestId('incident-map');
    const box = (await map.boundingBox())!;
    const inside = (b: { x: number; y: number; width: number; height: number }) =>
      b.x >= box.x && b.x + b.width <= box.x + box.width && b.y >= box.y && b.y + b.height <= box.y + box.height;
    expect(inside((await map.locator('path.map-source').first().boundingBox())!)).toBe(true);
    const sensors = await map
      .locator('path.map-sensor')
      .evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }));
    expect(sensors).toHaveLength(8);
    // Each sensor named, just right of a dot and level with it (placed by CSS alone: MapLabel.tsx).
    const trackNames = (await page.getByTestId('track').evaluateAll((els) => els.map((e) => String(e.getAttribute('data-sensor'))))).sort();
    const labels = map.locator('.map-sensor-label > span');
    expect((await labels.allInnerTexts()).sort()).toEqual(trackNames);
    const labelBoxes = await labels.evaluateAll((els) =>
      els.map((e) => e.getBoundingClientRect().toJSON() as { x: number; y: number; width: number; height: number }),
    );
    for (const l of labelBoxes) {
      const beside = sensors.some(
        (d) => l.x - (d.x + d.width / 2) > 4 && l.x - (d.x + d.width / 2) < 16 && Math.abs(l.y + l.height / 2 - (d.y + d.height / 2)) < 4,
      );
      expect(beside, `label at ${l.x},${l.y} is beside no sensor`).toBe(true);
    }
    const shown = sensors.filter(inside).length;
    expect(shown).toBeGreaterThanOrEqual(3);

    // V: the map over the tracks, wider than the side column it came from; V again puts it back.
    const deck = (await page.getByTestId('track-deck').boundingBox())!;
    await page.keyboard.press('v');
    await expect(page.locator('.incident-body.map-large')).toHaveCount(1);
    const large = (await map.boundingBox())!;
    expect(large.width).toBeGreaterThan(box.width * 1.4);
    expect(large.height).toBeGreaterThan(box.height * 2);
    expect(large.x).toBeLessThan(deck.x + 5);
    await expect(page.getByTestId('map-size')).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('v');
    await expect(page.locator('.incident-body.map-large')).toHaveCount(0);

    // The other alert's peaks were asked for while this one was open, before N was pressed.
    const second = ids.find((id) => id !== first)!;
    await expect.poll(() => asked.some((a) => a.id === second)).toBe(true);
    await page.keyboard.press('4');
    await page.keyboard.press('Enter');
    await expect(incident.getByTestId('decision-record')).toBeVisible();
    const pressedAt = Date.now();
    await page.keyboard.press('n');
    await expect(incident).toHaveAttribute('data-alert-id', String(second));
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(8);
    expect(
      asked.filter((a) => a.id === second && a.at >= pressedAt),
      'no second fetch of the peaks after N',
    ).toEqual([]);
  });
});

/**
 * A seat that opens new alerts by itself asks for a new alert's detail and peaks before its claim
 * (the core answers in turn), so the view can draw while the claim is confirmed; it then holds it.
 */
it.describe('a new alert opened by itself', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-auto-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await (await personClient(host, 'ada', ['reviewer'])).call('setMyPreferences', { autoNext: true });
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  it('asks for its detail and peaks ahead of its claim, draws it, and holds its claim', async ({ page }) => {
    const sent: string[] = [];
    page.on('request', (r) => {
      const method = ['claimNext', 'getAlert', 'getPeaks'].find((m) => r.url().endsWith(`/api/${m}`));
      if (method) sent.push(method);
    });
    await signInPage(page, host, 'ada');
    await expect(page.getByTestId('tab-pending')).toBeVisible();
    const dir = writeSimpleBundle(join(data.dir, 'AUTO-1'), {
      id: 'AUTO-1',
      sensors: 6,
      ringM: 800,
      durationS: 4,
      startUs: Date.now() * 1000 - 30_000_000,
    }).dir;
    const { outcomes } = await (await adminClient(host)).importFolders([dir]);
    expect(outcomes[0]?.status, outcomes[0]?.message).toBe('imported');

    const incident = page.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-alert-id', String(outcomes[0]!.alertId));
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(6);
    await expect(incident).toHaveAttribute('data-mode', 'review');
    expect(sent.slice(0, 3)).toEqual(['getAlert', 'getPeaks', 'claimNext']);
  });
});
