import { expect, test } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openCore, type Core } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { cellBounds } from '../../src/outcomes/figures/grid.ts';
import { PERSON_PASSWORD, REPO } from '../support/host.ts';
import { seedProgramme } from '../support/programme.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'programme');

let tmp: ReturnType<typeof tempDir>;
let core: Core;
let host: Host;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tmp = tempDir('earwitness-e2e-programme-');
  mkdirSync(SHOTS, { recursive: true });
  core = openCore({ dataDir: join(tmp.dir, 'data') });
  await seedProgramme(core, { nowMs: Date.now(), days: 28, alerts: 160, yearlyCost: 223_000 });
  await core.call(core.cliSession(), 'createAccount', { name: 'audrey', displayName: 'Audrey', password: PERSON_PASSWORD, roles: ['auditor', 'admin'] });
  host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer') });
});

test.afterAll(async () => {
  await host?.close();
  await core?.close();
  tmp?.cleanup();
});

test('the programme report shows the figures with their methods, the coarse map, and downloads what it shows', async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, colorScheme: 'dark', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInPage(page, { address: `${host.url}#token=${host.token}` }, 'audrey');
  await page.getByTestId('mode-audit').click();
  await page.getByTestId('audit-tab-programme').click();
  const report = page.getByTestId('programme-report');
  await expect(report).toBeVisible();

  // The tiles say what the core computed for the last 30 days.
  const today = new Date().toISOString().slice(0, 10);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  const figures = await core.call(core.cliSession(), 'getTransparencyReport', { period: { fromDay: from, toDay: today }, area: { kind: 'network' } });
  const tiles = page.getByTestId('programme-tiles');
  await expect(tiles).toContainText(`${figures.figures.alerts}alerts`);
  await expect(tiles).toContainText(`${figures.figures.confirmed}confirmed incidents`);
  await expect(page.getByTestId('tile-missing')).toContainText('%');
  // Each figure carries its method; the map shows only cells of at least k, and says what it left off.
  await expect(page.getByTestId('figure-outcomes')).toContainText('How this is counted');
  await expect(page.getByTestId('figure-outcomes')).toContainText('never dropped');
  const cells = page.getByTestId('grid-cell');
  await expect(cells).toHaveCount(figures.map.cells.length);
  expect(figures.map.cells.length).toBeGreaterThan(0);
  for (const count of await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count')))))
    expect(count).toBeGreaterThanOrEqual(figures.map.k);
  await expect(page.getByTestId('map-suppressed')).toContainText(`fewer than ${figures.map.k} incidents`);
  await expect(report.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'programme.png'), fullPage: false });

  // The open-data CSV downloads; every map cell in it is on the grid and at least k.
  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('programme-export-csv').click();
  const csvFile = await csvDownload;
  expect(csvFile.suggestedFilename()).toMatch(/^earwitness-transparency-.*\.csv$/);
  const csv = readFileSync((await csvFile.path())!, 'utf8');
  const mapCells = new Map<string, Record<string, number>>();
  for (const line of csv.split('\r\n')) {
    const [figure, id, metric, value] = line.split(',');
    if (figure === 'map_cell') mapCells.set(id!, { ...mapCells.get(id!), [metric!]: Number(value) });
  }
  expect(mapCells.size).toBe(figures.map.cells.length);
  for (const [id, c] of mapCells) {
    const [row, col] = id.split('_').map(Number) as [number, number];
    const b = cellBounds(figures.map.cellM, row, col);
    expect([c.south, c.west, c.north, c.east]).toEqual([b.south, b.west, b.north, b.east]);
    expect(c.confirmed).toBeGreaterThanOrEqual(figures.map.k);
  }
  // The HTML report downloads whole: no script, and the exporting recorded in the audit log.
  const htmlDownload = page.waitForEvent('download');
  await page.getByTestId('programme-export-html').click();
  const html = readFileSync((await (await htmlDownload).path())!, 'utf8');
  expect(html).toContain('How this is counted');
  expect(html).not.toMatch(/<script/i);
  await expect(page.getByText(/Downloaded earwitness-transparency-.*\.html/)).toBeVisible();
  const exported = core.store.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'programme.report_exported'").pluck().get();
  expect(exported).toBe(2);

  // An agency's jurisdiction as the area: the figures follow.
  await page.getByTestId('programme-area-select').selectOption({ label: 'Jurisdiction of City Police' });
  await expect(report).toContainText('the jurisdiction of City Police');
  expect(errors).toEqual([]);
  await context.close();
});

test("an officer's link opens on a phone without script, records once, then says received", async ({ browser }) => {
  test.setTimeout(120_000);
  const target = core.store.db
    .prepare(
      `SELECT i.id FROM incidents i WHERE i.state = 'routed' AND NOT EXISTS (SELECT 1 FROM outcomes o WHERE o.incident_id = i.id)
    ORDER BY i.id DESC LIMIT 1`,
    )
    .get() as { id: number } | undefined;
  expect(target, 'a routed incident with no outcome').toBeTruthy();
  const link = await core.call(core.cliSession(), 'createOutcomeLink', { incidentId: target!.id });
  const address = new URL(link.path, host.url).href;

  // The officer's phone: no sign-in, no script; the form records once, then says received.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
  const form = await phone.newPage();
  await form.goto(address);
  await expect(form.getByRole('heading', { name: 'What did responders find?' })).toBeVisible();
  await form.getByLabel('Shell casings').check();
  await form.getByLabel('A vehicle or building struck').check();
  await form.getByLabel('Unit, call sign or badge').fill('2-Lincoln-7');
  await form.getByLabel('Notes (optional)').fill('Six casings by the bus stop; a parked car hit twice.');
  await form.screenshot({ path: join(SHOTS, 'officer-form.png'), fullPage: true });
  await form.getByRole('button', { name: 'Send the report' }).click();
  await expect(form.getByRole('heading', { name: 'Report received' })).toBeVisible();
  await form.goto(address);
  await expect(form.getByText('cannot be used again')).toBeVisible();
  await phone.close();

  const { outcomes } = await core.call(core.cliSession(), 'listOutcomes', { incidentId: target!.id });
  expect(outcomes.map((o) => [o.channel, o.findings, o.unit])).toEqual([['link', ['shell_casings', 'property_struck'], '2-Lincoln-7']]);
});
