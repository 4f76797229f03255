import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { join } from 'node:path';
import { openCore, type Core } from '../../src/core/core.ts';
import { startHost, type Host } from '../../src/host/server.ts';
import { launchOptions, trustingOnly } from '../support/browser.ts';
import { centreCertificates, freePort } from '../support/centre-tls.ts';
import { REPO } from '../support/host.ts';
import { importSmallAlerts } from '../support/seats.ts';
import { tempDir } from '../support/temp.ts';

/**
 * Two seats on a centre server over TLS, as browsers on other machines reach it: no token in the
 * address, each person signs in with their account; the administrator sees who is signed in from
 * where and signs a seat out, which that seat shows at once.
 */
let tmp: ReturnType<typeof tempDir>;
let core: Core;
let host: Host;
let browser: Browser;
/** Where its pictures go: docs/screenshots when EARWITNESS_SCREENSHOTS names it (the README's), else test-results. */
const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(REPO, 'test-results');
const PASSWORD = 'centre password for tests';

test.beforeAll(async () => {
  tmp = tempDir('earwitness-e2e-centre-');
  const certs = centreCertificates(tmp.dir);
  const port = await freePort();
  core = openCore({ dataDir: join(tmp.dir, 'data') });
  const cli = core.cliSession();
  for (const [name, roles] of [
    ['ada', ['admin', 'reviewer']],
    ['rita', ['reviewer']],
  ] as const)
    expect((await core.dispatch(cli, 'createAccount', { name, displayName: name === 'ada' ? 'Ada' : 'Rita', password: PASSWORD, roles: [...roles] })).ok).toBe(
      true,
    );
  const now = Date.now() * 1000;
  await importSmallAlerts(core, join(tmp.dir, 'in'), [now - 300_000_000, now - 200_000_000, now - 5_000_000]);
  host = await startHost({
    core,
    rendererDir: join(REPO, 'dist', 'renderer'),
    network: { listenHost: '127.0.0.1', port, publicOrigin: `https://127.0.0.1:${port}`, tls: { certPem: certs.certPem, keyPem: certs.keyPem } },
  });
  browser = await chromium.launch(launchOptions([trustingOnly(certs.certPem)]));
});

test.afterAll(async () => {
  await browser?.close();
  await host?.close();
  await core?.close();
  tmp?.cleanup();
});

async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(host.url);
  const form = page.getByTestId('sign-in');
  await expect(form.getByLabel('Name')).toBeFocused();
  await page.keyboard.type(name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('actor')).toContainText(name === 'ada' ? 'Ada' : 'Rita', { timeout: 30_000 });
}

test('two remote seats sign in with their accounts; the administrator sees where they are and signs one out', async () => {
  const rita = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  const ada = await (await browser.newContext({ viewport: { width: 1366, height: 768 } })).newPage();
  await signIn(rita, 'rita');
  await signIn(ada, 'ada');
  expect(rita.url()).not.toContain('token');
  await expect(rita.getByTitle(`a seat of the review centre at ${new URL(host.url).host}`)).toHaveText('centre');
  // The browser key is HttpOnly: the page's script cannot read it.
  expect(await rita.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie)).toBe('');

  // Rita takes the next alert; the floor shows her on it, Ada idle, and the alerts past their budget.
  await rita.keyboard.press('n');
  await expect(rita.getByTestId('incident')).toBeVisible({ timeout: 30_000 });
  await ada.getByRole('button', { name: 'Floor' }).click();
  const floor = ada.getByTestId('supervision');
  await expect(floor.locator('[data-testid=sup-seat][data-name=rita]')).toHaveAttribute('data-state', 'reviewing');
  await expect(floor.locator('[data-testid=sup-seat][data-name=ada]')).toHaveAttribute('data-state', 'idle');
  await expect(floor.getByTestId('sup-pending')).toHaveText('3');
  await expect(floor.getByTestId('sup-past')).toHaveText('2');
  await ada.screenshot({ path: join(SHOTS, 'centre-floor.png') });

  await ada.getByTestId('open-people').click();
  const seats = ada.getByTestId('open-seats');
  const ritaRow = seats.locator('[data-testid=seat-row][data-name=rita]');
  await expect(ritaRow).toContainText('127.0.0.1');
  await expect(seats.locator('[data-testid=seat-row][data-name=ada]')).toContainText('this seat');
  await seats.scrollIntoViewIfNeeded();
  await ada.screenshot({ path: join(SHOTS, 'centre-open-seats.png') });

  await ritaRow.getByRole('button', { name: 'Sign out' }).click();
  await expect(ritaRow).toHaveCount(0);
  // Rita's seat learns it at its next heartbeat (at most 10 s) and asks for sign-in again.
  await expect(rita.getByTestId('sign-in')).toBeVisible({ timeout: 20_000 });
});
