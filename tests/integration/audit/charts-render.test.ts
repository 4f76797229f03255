import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestCore } from '../../support/test-core.ts';
import { contentSecurityPolicy } from '../../../src/host/csp.ts';
import type { AuditStats, DecisionClass } from '../../../src/contract/index.ts';
import { BASE_US, FakeClock, importBundle, sessionFor } from '../../support/audit-fixtures.ts';
import { tempDir } from '../../support/temp.ts';
import { browserAvailable, launchOptions } from '../../support/browser.ts';
import { missing } from '../../support/skip.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Real statistics from a small store: 12 alerts, three reviewers, every decision sampled and blind-reviewed. */
async function realStats(dir: string): Promise<AuditStats> {
  const clock = new FakeClock(BASE_US);
  const core = await openTestCore({ dataDir: join(dir, 'data'), clock });
  try {
    await core.call(sessionFor('audrey', ['auditor']), 'setAuditSettings', { sampleShare: 1 });
    const classes: DecisionClass[] = ['gunfire_single', 'gunfire_multiple', 'fireworks', 'vehicle_backfire', 'probable_gunfire', 'other'];
    const people = ['alice', 'bob', 'carol'];
    for (let i = 0; i < 12; i++) {
      const detectedUs = BASE_US + i * 3_600_000_000;
      clock.us = detectedUs;
      const id = await importBundle(core, join(dir, 'b'), { id: `C-${i}`, index: i, detectedUs, machineLabel: i % 4 === 3 ? 'fireworks' : 'gunshot' });
      clock.us = detectedUs + (20 + i * 9) * 1_000_000;
      const cls = classes[i % classes.length]!;
      await core.call(sessionFor(people[i % 3]!), 'decide', {
        alertId: id,
        class: cls,
        rounds: cls === 'gunfire_multiple' ? 2 : cls.startsWith('gunfire') ? 1 : null,
        notes: cls === 'other' ? 'door' : '',
        reviewMs: (8 + i * 11) * 1000,
      });
      const second = i % 3 === 0 ? classes[(i + 1) % classes.length]! : cls;
      await core.call(sessionFor(people[(i + 1) % 3]!), 'submitQaReview', {
        alertId: id,
        class: second,
        notes: second === 'other' ? 'door' : '',
        reviewMs: 30_000,
      });
    }
    return await core.call(sessionFor('audrey', ['auditor']), 'getAuditStats', { fromUs: BASE_US, toUs: BASE_US + 13 * 3_600_000_000 });
  } finally {
    await core.close();
  }
}

describe.skipIf(
  missing(browserAvailable(), "the auditor's charts", 'no Chrome or Chromium on this machine and none in node_modules (npm install, or set CHROMIUM_PATH)'),
)("the auditor's charts", () => {
  let tmp: ReturnType<typeof tempDir>;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    tmp = tempDir();
    const stats = await realStats(tmp.dir);
    const bundle = await build({
      entryPoints: [join(ROOT, 'renderer/src/audit/harness.tsx')],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'browser',
      jsx: 'automatic',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'silent',
    });
    const js = bundle.outputFiles[0]!.text;
    const page =
      '<!DOCTYPE html><html><head><meta charset="utf-8"><title>charts</title></head><body style="font-family:sans-serif;width:1200px"><div id="root"></div><script type="module" src="/app.js"></script></body></html>';
    server = createServer((req, res) => {
      res.setHeader('Content-Security-Policy', contentSecurityPolicy({ connect: [] }));
      if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(page);
      else if (req.url === '/app.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
      else if (req.url === '/stats.json') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
      else if (req.url === '/favicon.ico') res.writeHead(204).end();
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  }, 60_000);
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    tmp.cleanup();
  });

  it('render with data under the app CSP (no inline script, no eval)', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch(launchOptions());
    try {
      const page = await browser.newPage({ viewport: { width: 1240, height: 1000 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(url);
      await page.waitForSelector('.recharts-bar-rectangle', { timeout: 10_000 });
      expect(problems).toEqual([]);
      expect(await page.locator('figure.audit-chart').count()).toBe(6);
      expect(await page.locator('.recharts-bar-rectangle').count()).toBeGreaterThan(10);
      expect(await page.locator('.audit-confusion td').first().textContent()).toMatch(/^\d+$/);
      await expect(page.locator('figcaption').first().textContent()).resolves.toMatch(/Agreement \(Cohen’s κ\)/);
      const out = process.env.EARWITNESS_CHARTS_PNG;
      if (out) await page.screenshot({ path: out, fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
