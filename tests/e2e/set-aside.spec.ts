import { expect } from '@playwright/test';
import { join } from 'node:path';
import { adminClient, personClient, REPO, startHostProcess, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { HOUR_US, SHOT, writeNetworkAlert } from '../support/three-sensor-network.ts';
import { it } from '../support/page-errors.ts';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { writeBundle } from '../../src/ingest/demo/output.ts';
import { SIM_CASES } from '../eval/lib/sim-cases.ts';

/**
 * What the locator set aside, as the reviewer meets it. A shot heard by three sensors has two solutions. The reviewer must see both where nothing rules
 * one out, and see the one ruled out, with why, where a known sensor beside it heard nothing: a
 * confident single dot would send police to the wrong one of two places 300 m apart.
 */
it.describe('what the locator set aside, in the seat', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let echoId: string;
  let echoSensors: number;
  let lineId: string;

  it.beforeAll(async () => {
    data = tempDir('earwitness-e2e-three-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await personClient(host, 'rita', ['reviewer']);
    const now = Date.now() * 1000 - 60_000_000;
    const dirs = [
      // K1 took part in an alert an hour earlier: known alive, so its silence rules out the mirror.
      writeNetworkAlert(join(data.dir, 'A'), { id: 'THREE-A', ids: ['T1', 'T2', 'T3', 'K1'], at: { x: -200, y: 100 }, startUs: now - HOUR_US }),
      writeNetworkAlert(join(data.dir, 'B'), { id: 'THREE-B', ids: ['T1', 'T2', 'T3'], at: SHOT, startUs: now }),
      // The same three sensors under another source's name: nothing known of K1 there, so both stand.
      writeNetworkAlert(join(data.dir, 'C'), { id: 'THREE-C', ids: ['T1', 'T2', 'T3'], at: SHOT, startUs: now, source: 'other-network' }),
    ];
    // A single shot beside a long glass front: its strong echo fits an image source of its own (the evaluation's echo case, its 10th alert).
    const echo = SIM_CASES.find((k) => k.name === 'echo')!;
    const echoAlert = [
      ...generateSeries({
        network: defaultNetwork(),
        seed: 'simulated-echo',
        count: 10,
        scenarios: echo.scenarios,
        startUs: now - 3 * HOUR_US, // the series spreads its alerts over the next hours: all of them in the past
        gpsErrorM: 2.5,
        ...echo.plan,
      }),
    ].at(-1);
    dirs.push(writeBundle(join(data.dir, 'echo'), echoAlert!));
    echoId = echoAlert!.alert.id;
    echoSensors = echoAlert!.alert.sensors.length;
    // An 11-round burst heard by three sensors nearly in line with the shooter: its times fit no
    // point, only a line (the evaluation's network case, its 9th alert).
    const network = SIM_CASES.find((k) => k.name === 'network')!;
    const lineAlert = [
      ...generateSeries({
        network: defaultNetwork(),
        seed: 'simulated-network',
        count: 9,
        scenarios: network.scenarios,
        startUs: now - 3 * HOUR_US,
        gpsErrorM: 2.5,
        ...network.plan,
      }),
    ].at(-1)!;
    dirs.push(writeBundle(join(data.dir, 'line'), lineAlert));
    lineId = lineAlert.alert.id;
    const { outcomes } = await (await adminClient(host)).importFolders(dirs);
    for (const o of outcomes) expect(o.status, o.message).toBe('imported');
  });
  it.afterAll(async () => {
    await host?.stop();
    data?.cleanup();
  });

  async function open(page: import('@playwright/test').Page, externalId: string, tracks = 3) {
    await page.getByTestId('queue-pending').getByTestId('queue-item').filter({ hasText: externalId }).click();
    await expect(page.getByTestId('incident')).toHaveAttribute('data-mode', 'review', { timeout: 15_000 });
    await expect(page.locator('[data-testid=track][data-drawn=true]')).toHaveCount(tracks);
    return page.getByTestId('incident-map');
  }
  const inside = (box: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }) =>
    b.x >= box.x && b.x + b.width <= box.x + box.width && b.y >= box.y && b.y + b.height <= box.y + box.height;

  it('shows both solutions where nothing rules one out, and the ruled-out one with why where a known sensor heard nothing', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInPage(page, host, 'rita');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(5);

    // Ambiguous: the fix and its other solution, both inside the opening view, the other labelled.
    let map = await open(page, 'THREE-C');
    const box = (await map.boundingBox())!;
    await expect(map.locator('path.map-source')).toHaveCount(1);
    await expect(map.locator('path.map-source-alternative')).toHaveCount(1);
    expect(inside(box, (await map.locator('path.map-source').boundingBox())!)).toBe(true);
    expect(inside(box, (await map.locator('path.map-source-alternative').boundingBox())!)).toBe(true);
    await expect(map).toContainText('or here (three sensors cannot tell)');
    await expect(map.locator('path.map-source-set-aside')).toHaveCount(0);
    await expect(page.getByTestId('legend-set-aside')).toHaveCount(0);
    await page.screenshot({ path: join(REPO, 'test-results', 'three-sensor-ambiguous.png') });

    // Ruled out: one located source, no "or here"; the other solution small and grey, its reason on hover.
    await page.keyboard.press('Escape');
    map = await open(page, 'THREE-B');
    await expect(map.locator('path.map-source')).toHaveCount(1);
    await expect(map.locator('path.map-source-alternative')).toHaveCount(0);
    await expect(map).not.toContainText('three sensors cannot tell');
    const setAside = map.locator('path.map-source-set-aside');
    await expect(setAside).toHaveCount(1);
    await expect(page.getByTestId('legend-set-aside')).toBeVisible();
    await setAside.hover({ force: true });
    await expect(page.locator('.map-label').filter({ hasText: 'not here' })).toContainText(/sensor K1, \d+ m away, heard nothing/);
    await page.screenshot({ path: join(REPO, 'test-results', 'three-sensor-set-aside.png') });
  });

  it('writes an echo on the tracks as the echo of its shot, and draws one source, not two', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInPage(page, host, 'rita');
    const map = await open(page, echoId, echoSensors);
    await expect(map.locator('path.map-source')).toHaveCount(1);
    const tags = page.getByTestId('track').locator('.mark-echo .mark-tag');
    expect(await tags.count()).toBeGreaterThanOrEqual(1);
    for (const t of await tags.allInnerTexts()) expect(t).toBe('echo of shot 1');
    // Why, on hover: the reason the locator gave.
    await expect(page.getByTestId('track').locator('.mark-echo').first()).toHaveAttribute('title', /echo of shot 1: /);
    await page.screenshot({ path: join(REPO, 'test-results', 'set-aside-echo.png') });
  });

  it('counts rounds it could not place and draws the line their times fit, not a source', async ({ page }) => {
    await page.setViewportSize({ width: 1366, height: 768 });
    await signInPage(page, host, 'rita');
    const map = await open(page, lineId);
    await expect(map.locator('path.map-source')).toHaveCount(0);
    await expect(map.locator('path.map-unlocated-line')).toHaveCount(1);
    expect(inside((await map.boundingBox())!, (await map.locator('path.map-unlocated').boundingBox())!)).toBe(true);
    await expect(page.getByTestId('legend-unlocated')).toBeVisible();
    await expect(page.getByTestId('no-fix')).toHaveText('no fix · 11 rounds heard, not located: near a line beyond KH-01 (on the map)');
    // The rounds heard are what the decision starts from, not one.
    await expect(page.getByTestId('rounds')).toHaveValue('11');
    // Each of the 11 rounds is written on its pulse on every track; the reason on hover.
    const tags = page.getByTestId('track').locator('.mark-unlocated .mark-tag');
    await expect(tags).toHaveCount(33);
    expect(new Set(await tags.allInnerTexts())).toEqual(new Set(Array.from({ length: 11 }, (_, i) => `round ${i + 1}, not located`)));
    await expect(page.getByTestId('track').locator('.mark-unlocated').first()).toHaveAttribute('title', /^11 rounds not located: the times fit no point/);
    await page.screenshot({ path: join(REPO, 'test-results', 'set-aside-on-line.png') });
  });
});
