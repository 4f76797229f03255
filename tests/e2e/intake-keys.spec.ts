import { expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSimpleBundle } from '../support/bundles.ts';
import { cli } from '../support/cli.ts';
import { ADMIN, adminClient, startHostProcess, type RunningHost } from '../support/host.ts';
import { it } from '../support/page-errors.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

/**
 * An administrator issues a sensor network's intake key in the page (shown once), the network
 * pushes a bundle with it through `earwitness push`, the page shows the key used; revoked in the
 * page, the key is refused.
 */
it.describe('intake keys in the administrator dialog', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  it.beforeEach(async () => {
    data = tempDir('earwitness-e2e-intake-');
    host = await startHostProcess({ dataDir: join(data.dir, 'store') });
    await adminClient(host); // creates the first administrator
  });
  it.afterEach(async () => {
    await host.stop();
    data.cleanup();
  });

  it('issues a key shown once, sees it used by a push, and revokes it', async ({ page }) => {
    await signInPage(page, host, ADMIN.name, ADMIN.password);
    await page.getByTestId('open-people').click();
    const form = page.getByTestId('intake-keys');
    await form.getByLabel('source of the new key').fill('north-test');
    await form.getByLabel('note', { exact: true }).fill('e2e sender');
    await form.getByTestId('intake-key-issue').click();
    const secret = await form.getByLabel('the new key', { exact: true }).inputValue();
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = form.getByTestId('intake-key-row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('north-test');
    await expect(row).toContainText('never');

    const keyFile = join(data.dir, 'north.key');
    writeFileSync(keyFile, `${secret}\n`, { mode: 0o600 });
    const bundle = writeSimpleBundle(join(data.dir, 'outbox', 'N-1'), { id: 'N-1', source: 'north-test' }).dir;
    const pushed = await cli(['push', bundle, '--to', host.origin, '--key-file', keyFile]);
    expect(pushed.status, pushed.stdout + pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/^accepted /);

    // Reopened, the dialog shows when the key last brought an alert in.
    await page.keyboard.press('Escape');
    await page.getByTestId('open-people').click();
    await expect(form.getByTestId('intake-key-row')).not.toContainText('never');
    await expect(form.getByLabel('the new key', { exact: true })).toHaveCount(0);
    await form.getByRole('button', { name: 'revoke key 1' }).click();
    await expect(form.getByTestId('intake-key-row')).toHaveAttribute('data-revoked', 'true');
    const refused = await cli(['push', bundle, '--to', host.origin, '--key-file', keyFile]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/^refused +.*401: /);
  });
});
