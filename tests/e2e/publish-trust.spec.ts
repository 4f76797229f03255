import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.ts';
import { adminClient, personClient, startHostProcess, type RunningHost } from '../support/host.ts';
import { SECRET, squareJurisdiction } from '../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../support/receiver-process.ts';
import { tempDir } from '../support/temp.ts';

const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? null;

/**
 * A drill never reaches police as real: a demo-network alert confirmed as gunfire reaches the
 * training system as an Exercise and is kept from the Actual-only police CAD (with the reason);
 * reclassified as not gunfire, it arrives as a Cancel with the reason; the audio link in the
 * message plays in Chromium for whoever holds it, and an altered link serves nothing.
 */
test.describe('publishing a 911 dispatch system can trust', () => {
  let data: ReturnType<typeof tempDir>;
  let host: RunningHost;
  let receiver: Receiver;

  test.beforeEach(async () => {
    data = tempDir('earwitness-e2e-trust-');
    receiver = await startReceiver({ record: join(data.dir, 'received.jsonl'), secrets: [SECRET], out: join(data.dir, 'agency-out') });
    host = await startHostProcess({ dataDir: join(data.dir, 'data') });
  });
  test.afterEach(async () => {
    await host.stop();
    await receiver.stop();
    data.cleanup();
  });

  test('a demo alert goes out as an Exercise only to the agency that takes exercises, is withdrawn with a Cancel, and its audio plays for the link holder', async ({
    browser,
  }) => {
    test.setTimeout(240_000);
    // A real demo-network alert (the demo generator's bundle, at the demo's real coordinates).
    const bundles = join(data.dir, 'demo');
    const made = await cli(['demo', '--out', bundles, '--alerts', '1', '--seed', '11']);
    expect(made.status, made.stderr).toBe(0);
    const bundle = join(bundles, 'KH-S11-0001');
    const sensors = (JSON.parse(readFileSync(join(bundle, 'alert.json'), 'utf8')) as { sensors: { lat: number; lon: number }[] }).sensors;
    const centre = { lat: sensors.reduce((s, x) => s + x.lat, 0) / sensors.length, lon: sensors.reduce((s, x) => s + x.lon, 0) / sensors.length };

    const admin = await adminClient(host);
    await admin.call('setAuditSettings', { sampleShare: 0 });
    await admin.call('addAgency', {
      name: 'City Police',
      geojson: squareJurisdiction(centre, 0.1),
      endpoints: [{ url: receiver.url('/city'), format: 'cap', secret: SECRET }],
    });
    await admin.call('addAgency', {
      name: 'Training CAD',
      geojson: squareJurisdiction(centre, 0.1),
      accepts: ['Exercise', 'Test'],
      endpoints: [{ url: receiver.url('/training'), format: 'cap', secret: SECRET }],
    });
    // Marking the demo network live is refused: it is simulated.
    const live = await admin.dispatch('setSourceStatus', { source: 'demo-kellan-heights', status: 'live' });
    expect(live).toMatchObject({ ok: false, error: { message: expect.stringContaining('simulated network') } });
    const { outcomes } = await admin.importFolders([bundle]);
    expect(outcomes[0]!.status, outcomes[0]!.message).toBe('imported');
    const alertId = outcomes[0]!.alertId!;

    const rita = await personClient(host, 'rita', ['reviewer']);
    await rita.call('claimAlert', { alertId });
    await rita.call('decide', { alertId, class: 'gunfire_multiple', rounds: 2, reviewMs: 6000 });
    await expect.poll(() => receiver.received().length, { timeout: 30_000 }).toBe(1);
    const alert = receiver.received()[0]!;
    expect([alert.path, alert.signatureValid]).toEqual(['/training', true]);
    expect(tag(alert.body, 'status')).toBe('Exercise');
    expect(tag(alert.body, 'note')).toMatch(/^Exercise: a simulated alert \(source demo-kellan-heights\)/);
    expect(alert.body).toMatch(/<polygon>[^<]+<\/polygon>/);
    expect(tag(alert.body, 'areaDesc')).toMatch(/95 % area \d+ m by \d+ m/);
    expect(tag(alert.body, 'expires')).not.toBeNull();
    const incident = (await admin.call('getIncident', { alertId }))!;
    expect(incident.withheld.map((w) => [w.agency.name, w.status])).toEqual([['City Police', 'Exercise']]);
    expect(incident.withheld[0]!.reason).toMatch(/accepts only Actual/);

    // Withdrawn by reclassification: a Cancel with the reason, to the agency that had it.
    await rita.call('reviseDecision', { alertId, class: 'fireworks', rounds: null, notes: 'rockets: each bang follows a whistle' });
    await expect.poll(() => receiver.received().length, { timeout: 30_000 }).toBe(2);
    const cancel = receiver.received()[1]!;
    expect([cancel.path, tag(cancel.body, 'msgType'), tag(cancel.body, 'status')]).toEqual(['/training', 'Cancel', 'Exercise']);
    expect(tag(cancel.body, 'note')).toContain(
      "Withdrawn: a reviewer reclassified this as Fireworks, not gunfire. Reviewer's reason: rockets: each bang follows a whistle.",
    );
    expect(receiver.received().filter((r) => r.path === '/city')).toEqual([]);

    // The audio link: a fresh browser with no seat, no token, only the link.
    const page = /<mimeType>text\/html<\/mimeType>\s*<uri>([^<]+)<\/uri>/.exec(alert.body)![1]!;
    const context = await browser.newContext();
    const tab = await context.newPage();
    const opened = await tab.goto(page);
    expect(opened!.status()).toBe(200);
    await expect(tab.locator('h1')).toContainText(`Incident ${incident.id}: audio (Exercise)`);
    const played = await tab.locator('audio[src="excerpt.wav"]').evaluate(async (el) => {
      const a = el as unknown as { muted: boolean; play(): Promise<void>; duration: number; currentTime: number; error: { code: number } | null };
      a.muted = true;
      await a.play();
      await new Promise((r) => setTimeout(r, 600));
      return { duration: a.duration, time: a.currentTime, error: a.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.duration).toBeGreaterThan(0.5);
    expect(played.time).toBeGreaterThan(0);
    // Anyone else: a link with one character changed gets nothing.
    const altered = page.replace(/([0-9a-f])\/$/, (_m, d: string) => `${d === 'a' ? 'b' : 'a'}/`);
    const refused = await tab.goto(altered);
    expect(refused!.status()).toBe(404);
    expect(await tab.locator('body').innerText()).toContain('does not verify');
    await context.close();
  });
});
