import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditStats } from '../../src/contract/index.ts';
import { writeSimpleBundle } from '../support/bundles.ts';
import { adminClient, personClient, startHostProcess, type ApiClient, type RunningHost } from '../support/host.ts';
import { signInPage } from '../support/seat-page.ts';
import { tempDir } from '../support/temp.ts';

const SHOTS = process.env.EARWITNESS_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'audit');
/** What only the first decision says: none of it may reach the blind reviewer's page. */
const FIRST_NOTE = 'FIRST-OPINION-7f3a';
const FIRST_REVIEWER = 'rita';

/** A page of its own (its own session storage and cookies) for each person, failing on any error thrown in it. */
async function personPage(browser: Browser, host: RunningHost, name: string): Promise<{ page: Page; errors: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark', acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signInPage(page, host, name);
  return { page, errors, close: () => context.close() };
}

/**
 * Everything the page received from the core: every /api response body and every WebSocket
 * frame, as text. Bodies are read as they arrive; `settled()` waits for the last of them.
 */
function recordTraffic(page: Page) {
  const bodies: { url: string; text: string }[] = [];
  const pending: Promise<void>[] = [];
  page.on('response', (r) => {
    if (!new URL(r.url()).pathname.startsWith('/api/')) return;
    pending.push(
      r.text().then(
        (text) => void bodies.push({ url: r.url(), text }),
        () => undefined,
      ),
    );
  });
  page.on('websocket', (ws) =>
    ws.on('framereceived', (f) => bodies.push({ url: ws.url(), text: typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8') })),
  );
  return { bodies, settled: () => Promise.all(pending) };
}

/** Keys of any JSON object in a text that would carry a person's judgement. */
function judgementKeys(text: string): string[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [];
  }
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    for (const [k, x] of Object.entries(v)) {
      if (k === 'decision' && x !== null) found.push('decision');
      if (k === 'decisions' && Array.isArray(x) && x.length > 0) found.push('decisions');
      if (k === 'class' || k === 'decidedBy' || k === 'notes' || k === 'comparedDecisionId') found.push(k);
      walk(x);
    }
  };
  walk(value);
  return found;
}

async function importAlert(api: ApiClient, dir: string, id: string, ageS: number, machineLabel = 'gunshot'): Promise<number> {
  writeSimpleBundle(dir, {
    id,
    sensors: 4,
    startUs: Date.now() * 1000 - ageS * 1_000_000,
    mutate: (a) => (a.machine = { label: machineLabel, confidence: 0.9, rounds: 1 }),
  });
  const { outcomes } = await api.importFolders([dir]);
  expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
  return outcomes[0]!.alertId!;
}

test.describe("the auditor's mode and the blind second review, in Chromium through the loopback host", () => {
  let data: ReturnType<typeof tempDir>;
  let bundles: ReturnType<typeof tempDir>;
  let host: RunningHost;

  test.beforeAll(() => mkdirSync(SHOTS, { recursive: true }));
  test.beforeEach(async () => {
    data = tempDir('earwitness-e2e-audit-');
    bundles = tempDir('earwitness-e2e-audit-bundles-');
    host = await startHostProcess({ dataDir: data.dir });
  });
  test.afterEach(async () => {
    await host.stop();
    data.cleanup();
    bundles.cleanup();
  });

  test('a blind second review never shows the first decision; the auditor adjudicates, reads the charts and verifies the record', async ({ browser }) => {
    test.setTimeout(240_000);
    const admin = await adminClient(host);
    const rita = await personClient(host, FIRST_REVIEWER, ['reviewer']);
    await personClient(host, 'ruth', ['reviewer']);
    const audrey = await personClient(host, 'audrey', ['auditor']);

    // The auditor sets QA to sample every decided alert, in the auditor's mode.
    const auditor = await personPage(browser, host, 'audrey');
    const ap = auditor.page;
    await expect(ap.getByTestId('audit-mode')).toBeVisible();
    await ap.getByTestId('audit-tab-record').click();
    await expect(ap.getByTestId('qa-share')).toHaveValue('10');
    await ap.getByTestId('qa-share').fill('100');
    await ap.getByTestId('qa-settings-save').click();
    await expect(ap.getByRole('status').filter({ hasText: 'the change is in the log' })).toBeVisible();
    expect((await audrey.call('getAuditSettings', {})).sampleShare).toBe(1);

    const alertA = await importAlert(admin, join(bundles.dir, 'a'), 'E2E-QA-0001', 20);
    const alertB = await importAlert(admin, join(bundles.dir, 'b'), 'E2E-QA-0002', 40);
    // Two more, so that the agreement figures are not all zero: one the machine calls fireworks.
    const alertC = await importAlert(admin, join(bundles.dir, 'c'), 'E2E-QA-0003', 50);
    const alertD = await importAlert(admin, join(bundles.dir, 'd'), 'E2E-QA-0004', 55, 'fireworks');

    // The first reviewer decides A in the seat: a single shot, with a note only the first decision carries.
    const first = await personPage(browser, host, FIRST_REVIEWER);
    const fp = first.page;
    await fp.getByTestId('queue-pending').getByTestId('queue-item').filter({ hasText: 'E2E-QA-0001' }).click();
    const incident = fp.getByTestId('incident');
    await expect(incident).toHaveAttribute('data-mode', 'review');
    await incident.getByRole('radio', { name: 'Gunfire: single shot' }).click();
    // Before recording, the reviewer sees where it would go: no agency holds this place.
    await expect(incident.getByTestId('route-preview')).toHaveAttribute('data-outcome', 'unrouted');
    await expect(incident.getByTestId('route-preview')).toContainText('an admin will decide');
    await incident.getByTestId('notes').fill(FIRST_NOTE);
    await fp.screenshot({ path: join(SHOTS, 'route-preview.png') });
    await incident.getByTestId('record').click();
    await expect(incident.getByTestId('decision-record')).toContainText('Gunfire: single shot');
    // Its history, from the incident view: received, located, decided, drawn for QA.
    await incident.getByTestId('open-history').click();
    const history = fp.getByTestId('history-dialog');
    await expect(history.getByTestId('history-event').first()).toBeVisible();
    const kinds = await history.getByTestId('history-event').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).toEqual(expect.arrayContaining(['imported', 'solution', 'decision', 'qa_sampled']));
    await expect(history.getByTestId('decision-version')).toHaveCount(1);
    await fp.keyboard.press('Escape');
    await first.close();
    // B, C and D are decided over the contract, the same way a second seat would.
    await rita.decide({ alertId: alertB, class: 'gunfire_single', rounds: 1, reviewMs: 75_000 });
    await rita.decide({ alertId: alertC, class: 'fireworks', notes: 'crackle', reviewMs: 12_000 });
    await rita.decide({ alertId: alertD, class: 'fireworks', notes: 'crackle', reviewMs: 25_000 });
    expect(first.errors).toEqual([]);

    // The second reviewer: every byte the page receives is kept from the moment it opens.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, colorScheme: 'dark' });
    const sp = await context.newPage();
    const secondErrors: string[] = [];
    sp.on('pageerror', (e) => secondErrors.push(e.message));
    const traffic = recordTraffic(sp);
    await signInPage(sp, host, 'ruth');
    await expect(sp.getByTestId('mode-qa')).toContainText('4');
    // In the ordinary queue the alert is decided, but by whom and how is sealed: the record and the history too.
    await sp.getByTestId('tab-decided').click();
    await sp.getByTestId('queue-decided').getByTestId('queue-item').filter({ hasText: 'E2E-QA-0001' }).click();
    await expect(sp.getByTestId('incident')).toHaveAttribute('data-alert-id', String(alertA));
    await expect(sp.getByTestId('incident').getByTestId('decision-record')).toHaveCount(0);
    await sp.getByTestId('incident').getByTestId('open-history').click();
    await expect(sp.getByTestId('history-dialog').getByRole('alert')).toContainText('under blind QA review');
    await sp.keyboard.press('Escape');
    await sp.getByTestId('mode-qa').click();
    await expect(sp.getByTestId('qa-task')).toHaveCount(4);
    await sp.getByTestId('qa-task').filter({ hasText: 'E2E-QA-0001' }).click();
    const blind = sp.getByTestId('blind-review');
    await expect(blind).toHaveAttribute('data-alert-id', String(alertA));
    await expect(blind.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
    await expect(blind.getByTestId('machine-verdict')).toContainText('Gunshot');
    // It looks like a review: the decision form, nothing decided.
    await expect(blind.getByTestId('decision-form')).toBeVisible();
    await expect(blind.getByTestId('decision-record')).toHaveCount(0);
    await sp.screenshot({ path: join(SHOTS, 'blind-review.png') });
    // Also the queue the reviewer could switch to: the decided tab lists A without its decision.
    const shown = await sp.locator('body').innerText();
    for (const secret of [FIRST_NOTE, 'Rita', 'Decided by', 'Single shot ·']) expect(shown, `the page shows "${secret}"`).not.toContain(secret);
    await traffic.settled();
    const beforeSubmit = traffic.bodies.length;
    expect(beforeSubmit).toBeGreaterThan(5);
    for (const b of traffic.bodies) {
      expect(b.text, `${b.url} carries the first decision`).not.toContain(FIRST_NOTE);
      expect(b.text.toLowerCase(), `${b.url} names the first reviewer`).not.toContain(FIRST_REVIEWER);
      expect(judgementKeys(b.text), `${b.url} carries a judgement`).toEqual([]);
    }

    // The second review disagrees: fireworks, with the keyboard (4, E for notes, Esc, Enter).
    await sp.keyboard.press('4');
    await sp.keyboard.press('e');
    await sp.keyboard.type('SECOND-OPINION: a crackling run, no muzzle blast');
    await sp.keyboard.press('Escape');
    await sp.keyboard.press('Enter');
    await expect(sp.getByTestId('stage-notice')).toContainText('Your second review is recorded');
    await expect(sp.getByTestId('qa-task')).toHaveCount(3);
    // B: agrees with a single shot.
    await sp.getByTestId('qa-task').filter({ hasText: 'E2E-QA-0002' }).click();
    await expect(sp.getByTestId('blind-review')).toHaveAttribute('data-alert-id', String(alertB));
    await sp.getByTestId('blind-review').getByRole('radio', { name: 'Gunfire: single shot' }).click();
    await sp.getByTestId('blind-review').getByTestId('record').click();
    await expect(sp.getByTestId('qa-task')).toHaveCount(2);
    // C and D agree too, given from another seat of ruth's: the list follows.
    const ruth = await personClient(host, 'ruth', ['reviewer']);
    for (const alertId of [alertC, alertD]) await ruth.call('submitQaReview', { alertId, class: 'fireworks', notes: 'crackle', reviewMs: 20_000 });
    await expect(sp.getByTestId('qa-task')).toHaveCount(0, { timeout: 20_000 });
    await traffic.settled();
    // Nothing after the reviews either: the first decision's words never reached this page.
    for (const b of traffic.bodies) expect(b.text, `${b.url} carries the first decision`).not.toContain(FIRST_NOTE);
    expect(secondErrors).toEqual([]);
    await context.close();

    // The auditor: one disagreement waits, both judgements side by side with the audio.
    await ap.getByTestId('audit-tab-adjudicate').click();
    await expect(ap.getByTestId('disputed-count')).toHaveText('1');
    const qaCase = ap.getByTestId('qa-case');
    await expect(qaCase).toHaveAttribute('data-alert-id', String(alertA));
    await expect(qaCase.locator('[data-testid=track][data-drawn=true]')).toHaveCount(4);
    await expect(qaCase.getByTestId('first-judgement-class')).toHaveText('Gunfire: single shot · 1 round');
    await expect(qaCase.getByTestId('first-judgement-by')).toHaveText(FIRST_REVIEWER);
    await expect(qaCase.getByTestId('first-judgement')).toContainText(FIRST_NOTE);
    await expect(qaCase.getByTestId('second-judgement-class')).toHaveText('Fireworks');
    await expect(qaCase.getByTestId('second-judgement-by')).toHaveText('ruth');
    await qaCase.getByTestId('uphold-first').click();
    await expect(qaCase.getByTestId('verdict-upholds')).toContainText('upholds the first decision');
    await qaCase.getByTestId('verdict-notes').fill('Sharp onset and N-wave on S-001 and S-003: a muzzle blast.');
    await ap.screenshot({ path: join(SHOTS, 'auditor-qa-case.png') });
    await qaCase.getByTestId('record-verdict').click();
    await expect(qaCase.getByTestId('verdict-record')).toContainText('upholds the first decision');
    await expect(ap.getByTestId('disputed-count')).toHaveText('0');
    // All three stay on record.
    const [settled] = (await audrey.call('listQaCases', { state: 'adjudicated' })).cases;
    expect(settled).toMatchObject({
      firstDecision: { decidedBy: FIRST_REVIEWER, class: 'gunfire_single' },
      review: { reviewer: 'ruth', class: 'fireworks' },
      adjudication: { auditor: 'audrey', class: 'gunfire_single', verdict: 'first' },
    });

    // Statistics with their charts, drawn from the same figures the core computed.
    await ap.getByTestId('audit-tab-stats').click();
    const charts = ap.getByTestId('stats-charts');
    await expect(charts.locator('.recharts-bar-rectangle').first()).toBeVisible();
    const from = await ap.getByTestId('stats-from').inputValue();
    const to = await ap.getByTestId('stats-to').inputValue();
    const stats: AuditStats = await audrey.call('getAuditStats', {
      fromUs: Date.parse(`${from}T00:00:00Z`) * 1000,
      toUs: Date.parse(`${to}T00:00:00Z`) * 1000 + 86_400_000_000,
    });
    expect(stats).toMatchObject({ alerts: 4, decided: 4, qa: { pairs: 4, disputed: 0, adjudicated: 1 } });
    // Hand-checked: 3 of 4 pairs agree, marginals (2 gunfire, 2 fireworks) and (1, 3): po 0.75, pe 0.5, kappa 0.5.
    expect(stats.qa.classAgreement.kappa).toBeCloseTo(0.5, 3);
    const figure = (label: string) => charts.locator(`figure[aria-label="${label}"]`);
    // Review time: one bar per bin that holds a review.
    const filledBins = stats.overall.reviewTime.bins.filter((b) => b.count > 0).length;
    expect(filledBins).toBeGreaterThan(0);
    await expect(figure('Review time, everyone').locator('.recharts-bar-rectangle path')).toHaveCount(filledBins);
    // Kappa: one bar per kappa that is defined and not zero (a zero bar has no height, an undefined one no bar).
    const rows = [stats.overall, ...stats.reviewers];
    const kappaBars = rows.flatMap((r) => [r.machine.kappa, r.qaClass.kappa, r.qaVerdict.kappa]).filter((k) => k !== null && k !== 0).length;
    expect(kappaBars).toBeGreaterThan(2);
    await expect(figure("Agreement (Cohen's kappa) per reviewer").locator('.recharts-bar-rectangle path')).toHaveCount(kappaBars);
    // Within the budget: a bar per reviewer with a share.
    const budgetBars = rows.filter((r) => r.withinBudget.share !== null && r.withinBudget.share > 0).length;
    await expect(figure('Share decided within the time budget').locator('.recharts-bar-rectangle path')).toHaveCount(budgetBars);
    // The confusion matrix of first decision against blind review: its cells add up to the pairs, the single disagreement off the diagonal.
    const matrix = charts.locator('figure.audit-confusion').filter({ hasText: 'First decision against blind review' });
    const cells = await matrix.locator('td').allTextContents();
    expect(cells.map(Number).reduce((a, b) => a + b, 0)).toBe(4);
    await expect(matrix.locator('td[title^="gunfire single → fireworks:"]')).toHaveText('1');
    await expect(matrix.locator('td[title^="gunfire single → gunfire single:"]')).toHaveText('1');
    await expect(matrix.locator('td[title^="fireworks → fireworks:"]')).toHaveText('2');
    await expect(ap.getByTestId('reviewer-table').locator('[data-reviewer=rita] td').first()).toHaveText('4');
    // The statistics page whole, for the README: a taller window than the test's.
    await ap.setViewportSize({ width: 1366, height: 1280 });
    await expect(figure('Review time, everyone').locator('.recharts-bar-rectangle path')).toHaveCount(filledBins);
    await ap.screenshot({ path: join(SHOTS, 'auditor.png') });
    await ap.setViewportSize({ width: 1366, height: 768 });
    // The CSV downloads with the same figures.
    const download = ap.waitForEvent('download');
    await ap.getByTestId('export-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toBe(`earwitness-statistics-${from}-to-${to}.csv`);

    // Verify the record: intact, and the head it reports is the log's head.
    await ap.getByTestId('audit-tab-record').click();
    await ap.getByTestId('verify-record').click();
    const result = ap.getByTestId('verify-result');
    await expect(result).toHaveAttribute('data-ok', 'true', { timeout: 30_000 });
    const head = await audrey.call('getAuditHead', {});
    await expect(result.getByTestId('verify-head-hash')).toHaveText(head.hash);
    await expect(result.getByTestId('verify-head-seq')).toHaveText(`#${head.seq}`);
    await ap.screenshot({ path: join(SHOTS, 'record.png') });

    // The incident's history and report, from the auditor's side: the verdict is on the timeline.
    await ap.getByTestId('audit-tab-history').click();
    await ap.getByTestId('history-alert').filter({ hasText: 'E2E-QA-0001' }).click();
    await expect(ap.getByTestId('history-event').filter({ hasText: 'Adjudicated' })).toBeVisible();
    await ap.screenshot({ path: join(SHOTS, 'history.png') });
    await ap.getByTestId('history-report-tab').click();
    await expect(ap.getByTestId('report-page')).toBeVisible();
    const reportText = await ap.getByTestId('report-page').evaluate((el) => el.shadowRoot?.textContent ?? '');
    expect(reportText).toContain('E2E-QA-0001');
    await ap.screenshot({ path: join(SHOTS, 'report.png') });
    expect(auditor.errors).toEqual([]);
    await auditor.close();
  });
});
