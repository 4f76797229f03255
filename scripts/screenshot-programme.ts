import type { Browser } from '@playwright/test';
import { join } from 'node:path';
import { openCore } from '../src/core/core.ts';
import { startHost } from '../src/host/server.ts';
import { PERSON_PASSWORD, REPO } from '../tests/support/host.ts';
import { seedProgramme, SteerableClock } from '../tests/support/programme.ts';
import { signInPage } from '../tests/support/seat-page.ts';
import { tempDir } from '../tests/support/temp.ts';

/**
 * The programme report for the README: four weeks of a seeded city (160 alerts, outcomes drawn
 * with the demo's Chicago OIG shares, a yearly cost entered), in the auditor's mode. Its own core
 * and host, so it needs nothing from the other scenes.
 */
export async function programmeScreens(browser: Browser, out: string): Promise<void> {
  const t = tempDir('earwitness-shots-programme-');
  const clock = new SteerableClock();
  const core = openCore({ dataDir: join(t.dir, 'data'), clock });
  try {
    await seedProgramme(core, { nowMs: Date.now(), days: 28, alerts: 160, yearlyCost: 223_000, clock });
    await core.call(core.cliSession(), 'createAccount', { name: 'audrey', displayName: 'Audrey', password: PERSON_PASSWORD, roles: ['auditor', 'admin'] });
    const host = await startHost({ core, rendererDir: join(REPO, 'dist', 'renderer') });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await signInPage(page, { address: `${host.url}#token=${host.token}` }, 'audrey');
      await page.getByTestId('mode-audit').click();
      await page.getByTestId('audit-tab-programme').click();
      await page.getByTestId('programme-report').locator('.recharts-bar-rectangle').first().waitFor();
      await page.screenshot({ path: join(out, 'programme.png') });
      await page.getByTestId('figure-outcomes').scrollIntoViewIfNeeded();
      await page.getByTestId('figure-outcomes').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(out, 'programme-outcomes.png') });
      await page.getByTestId('figure-map').evaluate((e) => e.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(out, 'programme-map.png') });
      await page.close();
      // An officer's form on a phone, for the newest incident sent to an agency.
      const incidentId = core.store.db.prepare('SELECT max(incident_id) FROM incident_agencies').pluck().get() as number;
      const link = await core.call(core.cliSession(), 'createOutcomeLink', { incidentId });
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false });
      const form = await phone.newPage();
      await form.goto(new URL(link.path, host.url).href);
      await form.getByLabel('Shell casings').check();
      await form.getByLabel('Unit, call sign or badge').fill('2-Lincoln-7');
      await form.getByRole('heading', { name: 'What did responders find?' }).scrollIntoViewIfNeeded();
      await form.screenshot({ path: join(out, 'officer-form.png') });
      await phone.close();
    } finally {
      await host.close();
    }
  } finally {
    await core.close();
    t.cleanup();
  }
}
