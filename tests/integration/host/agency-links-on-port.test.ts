import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mountAgencyLinks, type AgencyLinks } from '../../../src/host/agency-links.ts';
import { auditRows, openBackendCore, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { tempDir } from '../../support/temp.ts';

/**
 * Agencies' audio links served from the store port, on the backend the vitest project runs: the
 * link a decision's message carries (decide writes through the port) opens the incident's page on
 * this server, each fetch an audit entry in the port's database; an altered link serves nothing.
 * tests/integration/host/agency-links.test.ts covers the excerpt and clips with real audio on SQLite.
 */
describe.skipIf(backendUnavailable('audio links on the port'))(`agencies' audio links on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: BackendCore;
  let server: Server;
  let links: AgencyLinks;
  let origin: string;

  beforeEach(async () => {
    tmp = tempDir();
    t = await openBackendCore(join(tmp.dir, 'data'));
    server = createServer((req, res) => {
      if (!links.handle(req, res)) res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    links = mountAgencyLinks(t.core, origin);
  });
  afterEach(async () => {
    links.close();
    await new Promise((r) => server.close(r));
    await t.close();
    tmp.cleanup();
  });

  it("serves the page a decided gunfire's message links to, logs the fetch, and refuses an altered link", async () => {
    const { alertIds } = await t.core.storePort.write((tx) => seedPublishable(tx, 1));
    await t.core.call(t.core.cliSession(), 'decide', { alertId: alertIds[0]!, class: 'gunfire_single', rounds: 1, reviewMs: 3000 });
    const cap = await t.core.storePort.read(async (tx) => {
      const incident = (await tx.incidents.byAlert(alertIds[0]!))!;
      return (await tx.incidents.body((await tx.incidents.messages(incident.id))[0]!.id))!.cap;
    });
    const page = [...cap.matchAll(/<uri>([^<]+)<\/uri>/g)].map((m) => m[1]!).find((u) => u.endsWith('/'));
    expect(page).toMatch(new RegExp(`^${origin}agency-audio/\\d+\\.\\d+\\.[0-9a-f]{64}/$`));

    const res = await fetch(page!);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<h1>Incident \d+: audio \(Actual\)<\/h1>/);
    const fetched = await auditRows(t.probe, 'publish.audio_fetched');
    expect(fetched.map((r) => JSON.parse(r.payload_json) as { what: string }).map((p) => p.what)).toEqual(['page']);

    const altered = page!.replace(/([0-9a-f])\/$/, (_m, d: string) => `${d === '0' ? '1' : '0'}/`);
    expect((await fetch(altered)).status).toBe(404);
    expect((await fetch(`${page}clips/${'ab'.repeat(32)}.wav`)).status).toBe(404);
    expect(await auditRows(t.probe, 'publish.audio_fetched')).toHaveLength(1);
  });
});
