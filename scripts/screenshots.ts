/**
 * Screenshots of the review seat for the README (dark theme, 1366x768, the smallest screen the
 * seat supports): the queue with its countdowns and claims, an incident on the globe, the same
 * with spectrograms, the map laid large over the tracks, a research incident on the metric plane, a re-location in progress, the keys, and the admin's agencies
 * desk with its jurisdiction map. Runs the real host on a fresh data folder with synthetic bundles, signs a reviewer in;
 * `npm run screenshots` (`-- --only agencies` for the desk alone, `-- --only programme` for the programme report).
 */
import { chromium, type Browser } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { launchOptions } from '../tests/support/browser.ts';
import { writeSimpleBundle, type SimpleBundleOptions } from '../tests/support/bundles.ts';
import { adminClient, personClient, REPO, startHostProcess } from '../tests/support/host.ts';
import { signInPage } from '../tests/support/seat-page.ts';
import { tempDir } from '../tests/support/temp.ts';
import { programmeScreens } from './screenshot-programme.ts';

interface Scene extends SimpleBundleOptions {
  ageS: number;
  label: string;
  confidence: number;
  rounds: number;
}

/** A plausible shift: a fresh single shot on top, a burst, older single shots, a firework, a research test in local metres. */
function scenes(): Scene[] {
  const base = { sampleRate: 16000, spreading: true, clipLeadS: 0.45 } satisfies SimpleBundleOptions;
  return [
    {
      ...base,
      id: 'NSAC-2026-000131',
      source: 'north-sacramento',
      ageS: 9,
      label: 'gunshot',
      confidence: 0.94,
      rounds: 1,
      sensors: 6,
      ringM: 450,
      sourceAt: { x: -120, y: 90 },
    },
    { ...base, id: 'OAK-W-88415', source: 'oakland-west', ageS: 31, label: 'gunshot', confidence: 0.91, rounds: 1, sensors: 5 },
    {
      ...base,
      id: 'NSAC-2026-000130',
      source: 'north-sacramento',
      ageS: 52,
      label: 'gunshot',
      confidence: 0.66,
      rounds: 3,
      sensors: 4,
      durationS: 3,
      shotsS: [0.5, 0.74, 0.97],
    },
    {
      ...base,
      id: 'OAK-W-88412',
      source: 'oakland-west',
      ageS: 170,
      label: 'firework',
      confidence: 0.71,
      rounds: 6,
      sensors: 5,
      durationS: 3,
      shotsS: [0.5, 0.9, 1.3, 1.6, 2.0, 2.2],
    },
    {
      ...base,
      id: 'OAK-W-88410',
      source: 'oakland-west',
      ageS: 260,
      label: 'firecracker',
      confidence: 0.58,
      rounds: 4,
      sensors: 4,
      shotsS: [0.5, 0.6, 0.75, 0.8],
    },
    { ...base, id: 'NSAC-2026-000129', source: 'north-sacramento', ageS: 410, label: 'impulse', confidence: 0.42, rounds: 1, sensors: 4 },
    {
      ...base,
      id: 'PGH-FP2-test_014',
      source: 'research-pittsburgh',
      ageS: 905,
      label: 'gunshot',
      confidence: 0.88,
      rounds: 1,
      sensors: 6,
      coordinates: 'local',
      ringM: 900,
    },
    { ...base, id: 'OAK-W-88407', source: 'oakland-west', ageS: 2450, label: 'gunshot', confidence: 0.81, rounds: 2, sensors: 5, shotsS: [0.5, 0.85] },
  ];
}
async function main() {
  const { values } = parseArgs({ options: { out: { type: 'string', default: join(REPO, 'docs/screenshots') }, only: { type: 'string' } } });
  if (values.only !== undefined && values.only !== 'agencies' && values.only !== 'programme') throw new Error('--only takes agencies or programme');
  const out = values.out!;
  mkdirSync(out, { recursive: true });
  if (values.only === 'programme') {
    const browser = await chromium.launch(launchOptions());
    await programmeScreens(browser, out).finally(() => browser.close());
    return console.log(`screenshots written to ${out}`);
  }
  const data = tempDir('earwitness-shots-');
  const bundles = tempDir('earwitness-shot-bundles-');
  const host = await startHostProcess({ dataDir: data.dir });
  const browser = await chromium.launch(launchOptions());
  try {
    const api = await adminClient(host);
    await personClient(host, 'rita', ['reviewer']);
    const ruth = await personClient(host, 'ruth', ['reviewer']);
    const now = Date.now() * 1000;
    const paths = scenes().map((s, i) => {
      const dir = join(bundles.dir, `b${i}`);
      writeSimpleBundle(dir, {
        ...s,
        startUs: now - s.ageS * 1_000_000 - 2_000_000,
        mutate: (a) => (a.machine = { label: s.label, confidence: s.confidence, rounds: s.rounds }),
      });
      return dir;
    });
    const { outcomes } = await api.importFolders(paths);
    const refused = outcomes.filter((o) => o.status !== 'imported');
    if (refused.length) throw new Error(`fixtures refused: ${refused.map((o) => o.message).join('; ')}`);
    // Two decided already, so the Decided tab has a history; another reviewer has one open.
    const ids = outcomes.map((o) => o.alertId!);
    await api.decide({ alertId: ids.at(-1)!, class: 'gunfire_multiple', rounds: 2, reviewMs: 23_400 });
    await api.decide({ alertId: ids[5]!, class: 'construction_impact', notes: 'regular hammering, 1.1 s apart', reviewMs: 17_800 });
    await ruth.call('claimAlert', { alertId: ids[1]! });

    if (values.only === 'agencies') {
      await agenciesDesk(browser, host, api, out);
      return;
    }
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    page.on('pageerror', (e) => console.error('page error:', e.stack));
    await signInPage(page, host, 'rita');
    await page.getByTestId('queue-item').first().waitFor();
    await page.getByTestId('queue-claim').first().waitFor();
    await page.screenshot({ path: join(out, 'queue.png') });

    const open = async (externalId: string, file: string, then?: () => Promise<void>) => {
      try {
        await page.getByTestId('queue-item').filter({ hasText: externalId }).click();
        await page.getByTestId('incident').filter({ hasText: externalId }).waitFor({ timeout: 10_000 });
        await page.locator('[data-testid=track][data-drawn=false]').first().waitFor({ state: 'detached', timeout: 10_000 });
        await page.locator('.map-source').first().waitFor({ timeout: 10_000 });
        // A reviewer at work: the playhead on the first pulse, the nearest sensor selected, a class chosen.
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowDown');
        await then?.();
        await page.waitForTimeout(400); // let Leaflet finish its fit animation
        await page.screenshot({ path: join(out, file) });
      } catch (e) {
        await page.screenshot({ path: join(out, `failed-${file}`) });
        throw e;
      }
    };
    await open('NSAC-2026-000131', 'incident.png', async () => {
      await page.keyboard.press('1');
    });
    await open('NSAC-2026-000130', 'incident-spectrogram.png', async () => {
      await page.keyboard.press('g');
      await page.locator('[data-testid=track][data-spectrogram=drawn]').first().waitFor({ timeout: 15_000 });
      await page.locator('[data-testid=track][data-spectrogram=loading]').first().waitFor({ state: 'detached', timeout: 15_000 });
      await page.keyboard.press('2');
    });
    await page.keyboard.press('g');
    // The map laid large over the tracks (V), as a reviewer reads the streets around a fix.
    await open('NSAC-2026-000131', 'incident-large-map.png', async () => {
      await page.keyboard.press('v');
      await page.locator('.incident-body.map-large').waitFor();
    });
    await page.keyboard.press('v');
    await open('PGH-FP2-test_014', 'incident-local.png');
    // Re-location: the second shot of the burst, one pick moved 12 ms by key and one sensor's pick
    // dragged by mouse: the machine's fix stays as a ghost beside the reviewer's, not saved yet.
    await open('NSAC-2026-000130', 'relocation.png', async () => {
      await page.keyboard.press('j');
      await page.keyboard.press('ArrowDown');
      for (let i = 0; i < 12; i++) await page.keyboard.press('Control+Shift+ArrowRight');
      const pick = page.locator('[data-testid=pick-handle][data-sensor="S-003"]');
      const box = (await pick.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - 6, box.y + box.height / 2, { steps: 3 });
      await page.mouse.up();
      const bar = page.getByTestId('relocation');
      await page.locator('[data-testid=relocation][data-dirty=true]').waitFor();
      await bar.getByTestId('reloc-rms').waitFor();
      // Closer on the map, where the two fixes and their ellipses are told apart; the key's note gone.
      for (let i = 0; i < 4; i++) {
        const fix = (await page.locator('path.map-source-reviewer').boundingBox())!;
        await page.mouse.dblclick(fix.x + fix.width / 2, fix.y + fix.height / 2); // Leaflet zooms in around the point
        await page.waitForTimeout(400); // and drops a zoom asked for while it animates the last
      }
      await page.keyboard.press('Escape'); // the keys go back from the map to the incident
      await page
        .getByTestId('reloc-hint')
        .filter({ hasText: /^S-003 · shot 2/ })
        .waitFor({ timeout: 8000 });
    });
    await page.keyboard.press('Shift+R');
    await page.keyboard.press('?');
    await page.getByTestId('keys-overlay').waitFor();
    await page.screenshot({ path: join(out, 'keys.png') });
    await agenciesDesk(browser, host, api, out);
    await programmeScreens(browser, out);
    console.log(`screenshots written to ${out}`);
  } finally {
    await browser.close();
    await host.stop();
    data.cleanup();
    bundles.cleanup();
  }
}

/** A rough outline around a point: `radiusM` metres, wobbling like a drawn boundary, closed, [lon, lat]. */
function outline(centre: { lat: number; lon: number }, radiusM: number, vertices: number, wobble: number[]): number[][] {
  const ring = Array.from({ length: vertices }, (_, i) => {
    const a = (2 * Math.PI * i) / vertices;
    const r = radiusM * (wobble[i % wobble.length] ?? 1);
    return [centre.lon + (r * Math.cos(a)) / (111_320 * Math.cos((centre.lat * Math.PI) / 180)), centre.lat + (r * Math.sin(a)) / 111_320];
  });
  return [...ring, ring[0]!];
}

/** The admin's agencies desk: two jurisdictions that overlap, the sensors, one agency being redrawn. */
async function agenciesDesk(browser: Browser, host: Awaited<ReturnType<typeof startHostProcess>>, api: Awaited<ReturnType<typeof adminClient>>, out: string) {
  const centre = { lat: 38.6461, lon: -121.444 };
  const endpoint = (url: string) => [{ url, format: 'cap' as const, secret: 'screenshot-signing-secret-0123456789' }];
  const polygon = (ring: number[][], name: string) =>
    JSON.stringify({ type: 'Feature', properties: { name }, geometry: { type: 'Polygon', coordinates: [ring] } });
  await api.call('addAgency', {
    name: 'North Sacramento PD',
    geojson: polygon(outline(centre, 1400, 9, [1, 1.2, 0.9, 1.1, 0.8, 1, 1.25, 0.9, 1]), 'x'),
    endpoints: endpoint('https://dispatch.nsac.example/cap'),
  });
  await api.call('addAgency', {
    name: 'Sacramento County Sheriff',
    geojson: polygon(outline({ lat: centre.lat - 0.012, lon: centre.lon + 0.022 }, 2200, 7, [1, 0.8, 1.1, 0.9, 1.2, 1, 0.85]), 'x'),
    endpoints: endpoint('https://cad.sheriff.example/alerts?key=abc'),
    classes: ['gunfire_single', 'gunfire_multiple', 'probable_gunfire'],
  });
  await personClient(host, 'ada', ['admin']);
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
  page.on('pageerror', (e) => console.error('page error:', e.stack));
  await signInPage(page, host, 'ada');
  await page.getByTestId('open-people').click();
  const desk = page.getByTestId('agencies-admin');
  await desk.locator('.juris-label', { hasText: 'Sacramento County Sheriff' }).waitFor();
  await desk
    .getByRole('row', { name: /North Sacramento PD/ })
    .getByRole('button', { name: 'Edit…' })
    .click();
  await desk.getByTestId('edit-agency').getByLabel('draw on the map').check();
  await desk.locator('.juris-vertex').first().waitFor();
  await desk.getByRole('heading', { name: 'Agencies', exact: true }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, 'agencies.png') });
  await page.close();
}

await main();
