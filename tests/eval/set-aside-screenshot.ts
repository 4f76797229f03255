/**
 * `npm run eval -- set-aside-screenshot [--out DIR] [--maps]`: what the locator set aside, as a reviewer
 * sees it. Simulates the evaluation's hard cases (lib/sim-cases.ts: a strong echo, three
 * sensors, the network as it is), imports the first alert of each whose machine solution sets an
 * echo aside, reports two solutions or rounds it could place only on a line into a fresh data folder, opens each in the seat (the real host, Debian's
 * Chromium, 1366x768, dark) and saves docs/figures/set-aside-echo.png, set-aside-two-solutions.png and set-aside-on-line.png.
 * Prints each alert's set-aside candidates and alternatives, so the picture can be checked
 * against them. --maps also saves the map alone (map-*.png). Needs the built renderer (`npm run build`).
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSeries } from '../../src/ingest/demo/generate.ts';
import { defaultNetwork } from '../../src/ingest/demo/network.ts';
import { toIncoming, writeBundle, type GeneratedAlert } from '../../src/ingest/demo/output.ts';
import { prepareAlert } from '../../src/ingest/prepare.ts';
import { launchOptions } from '../support/browser.ts';
import { adminClient, folderFiles, personClient, REPO, startHostProcess } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';
import { GUNFIRE, SIM_CASES } from './lib/sim-cases.ts';

interface Wanted {
  file: string;
  caseName: string;
  shows(solution: NonNullable<ReturnType<typeof prepareAlert>['solution']>): boolean;
}

const WANTED: Wanted[] = [
  { file: 'set-aside-echo.png', caseName: 'echo', shows: (s) => s.rejected?.some((r) => r.kind === 'echo') ?? false },
  { file: 'set-aside-two-solutions.png', caseName: '3 sensors', shows: (s) => s.shots.length === 1 && s.shots[0]!.alternative !== undefined },
  { file: 'set-aside-on-line.png', caseName: 'network', shows: (s) => s.rejected?.some((r) => r.kind === 'on-line') ?? false },
];

export async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, maps: { type: 'boolean' } } });
  const out = resolve(values.out ?? join(REPO, 'docs/figures'));
  mkdirSync(out, { recursive: true });
  const bundles = tempDir('earwitness-set-aside-');
  const data = tempDir('earwitness-set-aside-data-');
  const startUs = Date.now() * 1000 - 300_000_000;
  const chosen: { wanted: Wanted; g: GeneratedAlert }[] = [];
  for (const wanted of WANTED) {
    const c = SIM_CASES.find((k) => k.name === wanted.caseName)!;
    for (const g of generateSeries({
      network: defaultNetwork(),
      seed: `simulated-${c.name.replace(/\W+/g, '-')}`,
      count: 40,
      scenarios: GUNFIRE,
      startUs,
      gpsErrorM: 2.5,
      ...c.plan,
    })) {
      const solution = prepareAlert(toIncoming(g), { defaultTemperatureC: 15, nowUs: 0 }).solution;
      if (!solution || !wanted.shows(solution)) continue;
      writeBundle(bundles.dir, g);
      chosen.push({ wanted, g });
      process.stdout.write(
        `${wanted.file}: ${g.id} (${g.truth.scenario}, ${g.truth.rounds} round${g.truth.rounds > 1 ? 's' : ''}, ${g.alert.sensors.length} sensors)\n`,
      );
      for (const r of solution.rejected ?? []) process.stdout.write(`  set aside: ${r.reason}\n`);
      for (const s of solution.shots)
        if (s.alternative)
          process.stdout.write(
            `  shot ${s.index}: two solutions ${Math.hypot(s.alternative.local.x - s.local.x, s.alternative.local.y - s.local.y).toFixed(0)} m apart, ellipse ${s.ellipse95?.semiMajorM.toFixed(0)} x ${s.ellipse95?.semiMinorM.toFixed(0)} m\n`,
          );
      break;
    }
  }
  const host = await startHostProcess({ dataDir: data.dir });
  const browser = await chromium.launch(launchOptions());
  try {
    const api = await adminClient(host);
    await personClient(host, 'rita', ['reviewer']);
    // A seat imports by upload (importPaths is the core's command line's alone).
    const uploadId = await api.upload(chosen.flatMap((c) => folderFiles(join(bundles.dir, c.g.id))));
    const { outcomes } = await api.call('importAlertFiles', { files: { kind: 'upload', uploadId } });
    const refused = outcomes.filter((o) => o.status !== 'imported');
    if (refused.length) throw new Error(`refused: ${refused.map((o) => o.message).join('; ')}`);
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    await signInPage(page, host, 'rita');
    for (const { wanted, g } of chosen) {
      await page.getByTestId('queue-item').filter({ hasText: g.id }).click();
      await page.getByTestId('incident').filter({ hasText: g.id }).waitFor({ timeout: 10_000 });
      await page.locator('[data-testid=track][data-drawn=false]').first().waitFor({ state: 'detached', timeout: 10_000 });
      await page.locator('.map-source, .map-unlocated').first().waitFor({ timeout: 10_000 });
      await page.waitForTimeout(500); // Leaflet's fit animation
      await page.screenshot({ path: join(out, wanted.file) });
      if (values.maps) await page.getByTestId('incident-map').screenshot({ path: join(out, `map-${wanted.file}`) });
      process.stdout.write(`wrote ${join(out, wanted.file)}\n`);
    }
  } finally {
    await browser.close();
    await host.stop();
    data.cleanup();
    bundles.cleanup();
  }
  return 0;
}
