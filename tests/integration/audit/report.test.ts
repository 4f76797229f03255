import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { FakeClock, importBundle, sessionFor } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { browserAvailable, launchOptions } from '../../support/browser.ts';
import { missing } from '../../support/skip.ts';

describe('the per-incident report', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let clock: FakeClock;
  let alertId: number;
  let html: string;

  beforeAll(async () => {
    tmp = tempDir();
    clock = new FakeClock();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock });
    alertId = await importBundle(core, join(tmp.dir, 'b'), { id: 'R-1', index: 3 });
    clock.advance(30);
    const first = await core.call(sessionFor('alice'), 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 21_000 });
    // Published, then reclassified: the publish domain's reviseDecision writes exactly this.
    await core.storePort.write(async (tx) => {
      await tx.audit.append({
        atUs: clock.advance(5),
        actor: 'system',
        action: 'incident.published',
        entity: 'incident:1',
        payload: { alertId, decisionId: first.id },
      });
      const d = await tx.decisions.insert({
        alertId,
        class: 'gunfire_multiple',
        rounds: 3,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: 'two more reports found',
        decidedBy: 'bob',
        decidedUs: clock.advance(300),
        reviewMs: 0,
      });
      await tx.audit.append({
        atUs: d.decidedUs,
        actor: 'bob',
        action: 'decision.revised',
        entity: `alert:${alertId}`,
        payload: { previousDecisionId: first.id, decision: d },
      });
    });
    clock.advance(10);
    html = (await core.call(sessionFor('audrey', ['auditor']), 'getAuditReport', { alertId })).html;
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('shows both decision versions after a reclassification, in the history and the report', async () => {
    const history = await core.call(sessionFor('audrey', ['auditor']), 'getIncidentHistory', { alertId });
    const decisions = history.events.filter((e) => e.kind === 'decision' || e.kind === 'decision_revised');
    expect(decisions.map((e) => [e.kind, e.version, e.actor])).toEqual([
      ['decision', 1, 'alice'],
      ['decision_revised', 2, 'bob'],
    ]);
    expect(history.events.map((e) => e.kind)).toContain('published');
    expect(html).toContain('Gunfire: single shot');
    expect(html).toContain('Gunfire: multiple shots');
    expect(html).toMatch(/<td>v1<\/td><td>Gunfire: single shot<\/td>[\s\S]*<td>alice<\/td>/);
    expect(html).toMatch(/<td>v2<\/td><td>Gunfire: multiple shots<\/td>[\s\S]*two more reports found[\s\S]*<td>bob<\/td>/);
    expect(html).toContain('Revised to v2');
  });

  it('is self-contained: no script, no external resource, every clip hash and the chain head', async () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)="(https?:|\/\/|file:)/i);
    expect(html).not.toMatch(/url\(/i);
    const detail = (await core.storePort.read((tx) => tx.alerts.detail(alertId)))!;
    for (const t of detail.tracks) expect(html).toContain(t.clip.sha256);
    expect(html.match(/<img class="spec"/g)).toHaveLength(4);
    expect(html.match(/<svg/g)!.length).toBeGreaterThanOrEqual(5); // map + one waveform per sensor
    expect(html).toContain('Speed of sound used');
    const entry = (await core.storePort.read((tx) => tx.audit.aboutAlert(alertId))).find((r) => r.action === 'report.generated')!;
    const payload = JSON.parse(entry.payload_json) as { headSeq: number; headHash: string; htmlSha256: string };
    expect(html).toContain(payload.headHash);
    expect(payload.headSeq).toBe(entry.seq - 1);
  });

  it('refuses an unknown alert, and a caller without a role', async () => {
    await expect(core.call(sessionFor('audrey', ['auditor']), 'getAuditReport', { alertId: 999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(core.call(sessionFor('tina', ['trainer']), 'getAuditReport', { alertId })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it.skipIf(
    missing(
      browserAvailable(),
      'the report renders in Chromium',
      'no Chrome or Chromium on this machine and none in node_modules (npm install, or set CHROMIUM_PATH)',
    ),
  )('renders in Chromium with no request leaving the page, and prints to PDF', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch(launchOptions());
    try {
      const page = await browser.newPage({ viewport: { width: 1000, height: 1400 } });
      const requests: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith('data:')) requests.push(r.url());
      });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.setContent(html, { waitUntil: 'load' });
      expect(requests).toEqual([]);
      expect(errors).toEqual([]);
      const sizes = await page.$$eval('img.spec', (imgs) => imgs.map((i) => (i as unknown as { naturalWidth: number }).naturalWidth));
      expect(sizes.every((w) => w > 100)).toBe(true);
      const out = process.env.EARWITNESS_REPORT_PNG;
      if (out) {
        writeFileSync(out.replace(/\.png$/, '.html'), html);
        await page.screenshot({ path: out, fullPage: true });
      }
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(20_000);
    } finally {
      await browser.close();
    }
  });
});
