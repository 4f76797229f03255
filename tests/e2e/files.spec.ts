import { expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { ADMIN, adminClient, NODE, personClient, REPO, startHostProcess, type RunningHost } from '../support/host.ts';
import { colouredTiles, writeMbtiles } from '../support/mbtiles.ts';
import { it } from '../support/page-errors.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Files in and out of a browser seat with no path anywhere: a folder chosen in the page is
 * uploaded, and what the core makes for the seat comes back as downloads of that seat.
 */
it.describe('files through a browser seat: uploads in, downloads out', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;

  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-files-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await (await adminClient(host)).call('setAuditSettings', { sampleShare: 0 });
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  it('a reviewer imports a bundle made by the demo generator by choosing its folder, and the alert is in the queue', async ({ page }) => {
    const out = join(data.dir, 'demo');
    execFileSync(NODE, [`${REPO}bin/earwitness.mjs`, 'demo', '--out', out, '--alerts', '1', '--seed', '11'], { cwd: REPO, stdio: 'pipe' });
    const bundle = readdirSync(out, { withFileTypes: true }).find((e) => e.isDirectory() && !e.name.startsWith('.'))!.name;
    const externalId = (JSON.parse(readFileSync(join(out, bundle, 'alert.json'), 'utf8')) as { id: string }).id;
    await personClient(host, 'rita', ['reviewer']);
    await signInPage(page, host, 'rita');
    await page.getByTestId('import-alerts-folder').setInputFiles(join(out, bundle));
    await expect(page.getByTestId('stage-notice')).toContainText('Imported 1, already there 0, refused 0', { timeout: 30_000 });
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item').filter({ hasText: externalId })).toBeVisible();
    // The same folder again is a duplicate, said so, and nothing is added.
    await page.getByTestId('import-alerts-folder').setInputFiles(join(out, bundle));
    await expect(page.getByTestId('stage-notice')).toContainText('Imported 0, already there 1');
    await expect(page.getByTestId('queue-pending').getByTestId('queue-item')).toHaveCount(1);
  });

  it('an auditor downloads the statistics CSV, the audit chain and an incident report; each file is what the core recorded', async ({ page }) => {
    it.setTimeout(180_000);
    const admin = await adminClient(host);
    const rita = await personClient(host, 'rita', ['reviewer']);
    const audrey = await personClient(host, 'audrey', ['auditor']);
    const { outcomes } = await admin.importFolders([writeSimpleBundle(join(data.dir, 'b'), { id: 'DL-0001', startUs: Date.now() * 1000 - 20_000_000 }).dir]);
    const alertId = outcomes[0]!.alertId!;
    await rita.decide({ alertId, class: 'gunfire_single', rounds: 1, reviewMs: 9000 });

    await signInPage(page, host, 'audrey');
    await expect(page.getByTestId('audit-mode')).toBeVisible();

    await page.getByTestId('audit-tab-stats').click();
    await expect(page.getByTestId('stats-tiles')).toBeVisible();
    const csvDownload = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = await csvDownload;
    expect(csv.suggestedFilename()).toMatch(/^earwitness-statistics-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    const csvText = readFileSync((await csv.path())!, 'utf8');
    expect(csvText).toContain('section,reviewer,metric');
    expect(csvText).toContain('reviewer,rita,decisions,,,1');
    await expect(page.getByText(`Downloaded ${csv.suggestedFilename()}`)).toBeVisible();

    await page.getByTestId('audit-tab-record').click();
    const chainDownload = page.waitForEvent('download');
    await page.getByTestId('export-chain').click();
    const chain = await chainDownload;
    const chainBytes = readFileSync((await chain.path())!);
    const receipt = page.getByTestId('export-receipt');
    await expect(receipt).toContainText(sha(chainBytes));
    expect(chainBytes.toString('utf8').trim().split('\n').at(-1)).toContain('"type":"head"');

    await page.getByTestId('audit-tab-history').click();
    await page.getByTestId('history-alert').filter({ hasText: 'DL-0001' }).click();
    await page.getByTestId('history-report-tab').click();
    await expect(page.getByTestId('report-page')).toBeVisible({ timeout: 30_000 });
    const reportDownload = page.waitForEvent('download');
    await page.getByTestId('report-save-html').click();
    const report = await reportDownload;
    expect(report.suggestedFilename()).toMatch(/\.html$/);
    const html = readFileSync((await report.path())!);
    expect(html.toString('utf8')).toContain('DL-0001');
    // The log recorded this very file's hash when it was made.
    const log = await audrey.call('listAuditLog', { entity: `alert:${alertId}`, limit: 1000 });
    const generated = log.entries.filter((e) => e.action === 'report.generated').map((e) => (e.payload as { htmlSha256: string }).htmlSha256);
    expect(generated).toContain(sha(html));
  });

  it('an administrator sets an offline map by choosing an MBTiles file in the page; the core keeps the upload', async ({ page }) => {
    const file = join(data.dir, 'city.mbtiles');
    writeMbtiles(file, { tiles: colouredTiles(1) });
    await signInPage(page, host, ADMIN.name, ADMIN.password);
    await page.getByTestId('open-people').click();
    // As the administrator sees it first: the layer in use (the form's own first load must not undo a choice made before it answers, either).
    await expect(page.getByTestId('map-source')).toHaveText('Now: Plain background');
    await page.getByTestId('map-kind').selectOption('mbtiles');
    await page.getByTestId('map-file').setInputFiles(file);
    await page.getByTestId('map-apply').click();
    await expect(page.getByTestId('map-source')).toHaveText('Now: Test tiles');
    const admin = await adminClient(host);
    expect((await admin.call('getMapSettings', {})).source).toMatchObject({ available: true, name: 'Test tiles' });
    expect(readdirSync(join(data.dir, 'store', 'maps'))).toEqual([`${sha(readFileSync(file))}.mbtiles`]);
  });
});
