import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import { addAgency, decide, seedAlert, session } from '../../support/publish-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/** What a court or an agency reads: the alert by its own id, the agencies by name, every message sent, the cancel reason. */
describe('the incident report names what was sent, to whom and why', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let html: string;
  let externalId: string;

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/cap' });
    await addAgency(core, { name: 'County Sheriff', url: 'http://127.0.0.1:9/json', format: 'json', half: 0.3 });
    const alertId = await seedAlert(core, { externalId: 'BRK-2291' });
    externalId = 'BRK-2291';
    await decide(core, alertId);
    const incident = (await core.call(session(core), 'getIncident', { alertId }))!;
    await core.call(session(core), 'cancelIncident', { incidentId: incident.id, reason: 'a transformer exploding, confirmed by the utility' });
    html = (await core.call(session(core), 'getAuditReport', { alertId })).html;
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('is titled by the alert as its network named it', () => {
    expect(html).toContain(`<title>Incident report: test-network ${externalId}</title>`);
    expect(html).toContain(`<h1>Incident report — test-network ${externalId}</h1>`);
    expect(html).not.toMatch(/<h1>[^<]*alert \d+/);
  });

  it('lists every message, where each went, and the reason of the cancel', () => {
    expect(html).toContain('Message 1: Alert');
    expect(html).toContain('Message 2: Cancel');
    expect(html).toContain('Reason given</td><td>a transformer exploding, confirmed by the utility');
    expect(html.match(/<td>City PD<\/td>/g)?.length).toBe(2);
    expect(html.match(/<td>County Sheriff<\/td>/g)?.length).toBe(2);
    expect(html).toContain('http://127.0.0.1:9/cap');
  });

  it('names agencies in the timeline, never by their row number', () => {
    expect(html).toMatch(/Published to City PD, County Sheriff/);
    expect(html).toMatch(/Incident cancelled: cancelled \(“a transformer exploding/);
    expect(html).not.toMatch(/agency \d/);
  });
});
