import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAudit } from '../../../src/audit/verify.ts';
import { ATTESTED_TABLE_NAMES } from '../../../src/store/attested.ts';
import { outcomeSignature } from '../../../src/outcomes/signing.ts';
import { addAgency, CITY, decide, seedAlert, session } from '../../support/publish-fixtures.ts';
import { inProcessHost } from '../../support/inproc-host.ts';
import { testProbe, testSql } from '../../support/test-core.ts';
import { probeTableHashes } from '../../support/store-snapshot.ts';
import { ManualClock } from '../../support/clock.ts';

/**
 * What agencies report back, through the real host on 127.0.0.1: a CAD's signed callback, and an
 * officer's one-use link. Every refusal (unsigned, badly signed, expired, replayed, retired key,
 * foreign agency, contradictory report) leaves the database exactly as it was.
 */
describe('outcomes reported back through the host', () => {
  const clock = new ManualClock(Date.parse('2026-06-01T22:00:00Z') * 1000);
  let h: Awaited<ReturnType<typeof inProcessHost>>;
  let incidentKey: string;
  let incidentId: number;
  let cityKey: { keyId: string; secret: string };
  let farKey: { keyId: string; secret: string };
  let farIncidentKey: string;
  const admin = () => session(h.core, ['admin', 'reviewer', 'auditor'], 'ada');

  /** Every table's rows, hashed: what a refusal must not change. */
  const snapshot = async (): Promise<string> => probeTableHashes(await testProbe(h.dataDir));
  const outcomeRows = async () => (await testSql(h.core).value('SELECT count(*) FROM outcomes')) as number;

  const post = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(new URL('/outcomes/v1', h.origin), { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return {
      status: res.status,
      json: (await res.json()) as { ok: boolean; value?: { version: number; outcomeId: number }; error?: { code: string; message: string } },
    };
  };
  const signed = (key: { keyId: string; secret: string }, body: string, timestampS = Math.floor(clock.nowUs() / 1e6)) => ({
    'x-earwitness-key': key.keyId,
    'x-earwitness-timestamp': String(timestampS),
    'x-earwitness-signature': outcomeSignature(key.secret, timestampS, body),
  });
  const report = (o: Record<string, unknown> = {}) =>
    JSON.stringify({ incident: incidentKey, findings: ['shell_casings'], unit: '3-Adam-12', notes: 'eight casings on the sidewalk', ...o });

  beforeAll(async () => {
    h = await inProcessHost({ clock });
    await addAgency(h.core, { name: 'City PD', url: 'http://127.0.0.1:9/cap' });
    // Far away: gets its own incident, never the city's.
    const far = { lat: CITY.lat + 1, lon: CITY.lon };
    await addAgency(h.core, { name: 'Far County', url: 'http://127.0.0.1:9/far', at: far });
    const alertId = await seedAlert(h.core);
    await decide(h.core, alertId);
    const farAlert = await seedAlert(h.core, { at: far });
    await decide(h.core, farAlert);
    const instance = (await h.core.storePort.read((tx) => tx.settings.get<string>('publish.instance')))!;
    incidentId = (await h.core.call(admin(), 'getIncident', { alertId }))!.id;
    incidentKey = `earwitness-${instance}-${incidentId}`;
    farIncidentKey = `earwitness-${instance}-${(await h.core.call(admin(), 'getIncident', { alertId: farAlert }))!.id}`;
    expect(await h.core.storePort.read((tx) => tx.outcomes.routedTo(incidentId, 1))).toBe(true);
    cityKey = await h.core.call(admin(), 'issueOutcomeKey', { agencyId: 1 });
    farKey = await h.core.call(admin(), 'issueOutcomeKey', { agencyId: 2 });
  }, 60_000);
  afterAll(async () => h.close());

  it('refuses an unsigned callback, a wrong signature, an unknown key and a stale or future timestamp, and writes nothing', async () => {
    const before = await snapshot();
    const body = report();
    const now = Math.floor(clock.nowUs() / 1e6);
    const answers = [
      await post(body, {}),
      await post(body, { ...signed(cityKey, body), 'x-earwitness-signature': 'v1=' + '0'.repeat(64) }),
      await post(body, signed({ keyId: cityKey.keyId, secret: 'not-the-secret' }, body)),
      await post(body, signed({ keyId: 'ok_0123456789abcdef', secret: cityKey.secret }, body)),
      // Signed over one body, sent with another.
      await post(report({ findings: ['arrest'] }), signed(cityKey, body)),
      await post(body, signed(cityKey, body, now - 301)),
      await post(body, signed(cityKey, body, now + 301)),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
    expect(answers[0]!.json.error!.message).toMatch(/unsigned/);
    expect(answers[5]!.json.error!.message).toMatch(/300 s from our clock/);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an agency reporting on an incident it was not sent, as if the incident did not exist, and writes nothing', async () => {
    const before = await snapshot();
    const body = report();
    const foreign = await post(body, signed(farKey, body));
    expect(foreign.status).toBe(404);
    const invented = report({ incident: incidentKey.replace(/-\d+$/, '-999') });
    const missing = await post(invented, signed(cityKey, invented));
    expect(missing.status).toBe(404);
    expect(foreign.json.error!.message).toBe(missing.json.error!.message);
    // The city's key is no good for the far incident either.
    const other = report({ incident: farIncidentKey });
    expect((await post(other, signed(cityKey, other))).status).toBe(404);
    expect(await snapshot()).toBe(before);
  });

  it('refuses a malformed or contradictory report and writes nothing', async () => {
    const before = await snapshot();
    for (const body of [
      report({ findings: ['nothing_found', 'arrest'] }),
      report({ findings: ['shell_casings'], arrests: 2 }),
      report({ colour: 'blue' }),
      '{"incident":',
      report({ notes: 'a\u202eb' }),
    ]) {
      const a = await post(body, signed(cityKey, body));
      expect(a.status, body).toBe(400);
    }
    expect(await snapshot()).toBe(before);
  });

  it('records a signed report once; the same signed request again is a replay, refused', async () => {
    const body = report();
    const headers = signed(cityKey, body);
    const first = await post(body, headers);
    expect(first.status).toBe(201);
    expect(first.json.value!.version).toBe(1);
    const before = await snapshot();
    clock.advanceSeconds(30);
    const again = await post(body, headers);
    expect(again.status).toBe(409);
    expect(again.json.error!.message).toMatch(/replay/);
    expect(await snapshot()).toBe(before);
    expect(await outcomeRows()).toBe(1);
    const entry = (await testSql(h.core).row("SELECT actor, payload_json FROM audit_log WHERE action = 'outcome.reported'")) as {
      actor: string;
      payload_json: string;
    };
    expect(entry.actor).toBe(`agency:1/${cityKey.keyId}`);
    expect(JSON.parse(entry.payload_json)).toMatchObject({ incidentId, findings: ['shell_casings'], unit: '3-Adam-12', channel: 'callback' });
  });

  it('adds a version for a late report and keeps the earlier one as it was', async () => {
    clock.advanceSeconds(3 * 86_400);
    const body = report({
      findings: ['shell_casings', 'arrest', 'firearm_recovered'],
      arrests: 1,
      firearms: 2,
      notes: 'suspect arrested two days later, two pistols',
      reference: 'CAD-26-0601-118',
    });
    const late = await post(body, signed(cityKey, body));
    expect(late.status).toBe(201);
    expect(late.json.value!.version).toBe(2);
    const { outcomes } = await h.core.call(admin(), 'listOutcomes', { incidentId });
    expect(outcomes.map((o) => [o.version, o.findings, o.arrests, o.firearms])).toEqual([
      [1, ['shell_casings'], 0, 0],
      [2, ['shell_casings', 'arrest', 'firearm_recovered'], 1, 2],
    ]);
    const r = await verifyAudit(h.core, { clips: false });
    expect(r.problems.filter((p) => p.kind === 'record' && (ATTESTED_TABLE_NAMES as string[]).includes(p.table))).toEqual([]);
  });

  it('stops accepting a retired key', async () => {
    await h.core.call(admin(), 'retireOutcomeKey', { keyId: cityKey.keyId });
    const before = await snapshot();
    const body = report({ notes: 'after retirement' });
    expect((await post(body, signed(cityKey, body))).status).toBe(401);
    expect(await snapshot()).toBe(before);
  });

  it("an officer's link opens a form, records one report, then says it was received; it never records a second", async () => {
    const link = await h.core.call(admin(), 'createOutcomeLink', { incidentId });
    expect(link.path).toMatch(/^\/o\/[A-Za-z0-9_-]{20}$/);
    const url = new URL(link.path, h.origin);
    const form = await fetch(url);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(form.headers.get('content-security-policy')).not.toMatch(/script-src/);
    const html = await form.text();
    expect(html).toContain('name="finding" value="victim"');
    expect(html).not.toMatch(/<script/i);

    const send = (fields: [string, string][]) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: h.origin.replace(/\/$/, '') },
        body: new URLSearchParams(fields).toString(),
      });
    const before = await snapshot();
    const bad = await send([
      ['finding', 'unfounded'],
      ['finding', 'victim'],
      ['unit', 'K9-4'],
    ]);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/cannot go with.*Nothing was recorded/s);
    expect(await snapshot()).toBe(before);

    const ok = await send([
      ['finding', 'victim'],
      ['finding', 'shell_casings'],
      ['unit', 'K9-4'],
      ['notes', 'one wounded, taken to UC Davis'],
    ]);
    expect(ok.status).toBe(201);
    expect(await ok.text()).toMatch(/Report received.*A victim/s);
    const afterFirst = await snapshot();
    const second = await send([
      ['finding', 'nothing_found'],
      ['unit', 'K9-4'],
    ]);
    expect(second.status).toBe(409);
    expect(await second.text()).toMatch(/cannot be used again/);
    expect(await snapshot()).toBe(afterFirst);
    const reopened = await fetch(url);
    expect(await reopened.text()).toMatch(/Report received/);
    const { outcomes, links } = await h.core.call(admin(), 'listOutcomes', { incidentId });
    expect(outcomes.at(-1)).toMatchObject({ version: 3, channel: 'link', findings: ['shell_casings', 'victim'], unit: 'K9-4' });
    expect(links.find((l) => l.id === link.linkId)!.usedUs).not.toBeNull();
  });

  it("an officer's link expires, and a newer link replaces the older one", async () => {
    const old = await h.core.call(admin(), 'createOutcomeLink', { incidentId });
    const fresh = await h.core.call(admin(), 'createOutcomeLink', { incidentId });
    expect((await fetch(new URL(old.path, h.origin))).status).toBe(410);
    expect((await fetch(new URL(fresh.path, h.origin))).status).toBe(200);
    clock.advanceSeconds(72 * 3600 + 1);
    const before = await snapshot();
    const expired = await fetch(new URL(fresh.path, h.origin), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'finding=nothing_found&unit=K9-4',
    });
    expect(expired.status).toBe(410);
    expect(await expired.text()).toMatch(/expired/);
    expect(await snapshot()).toBe(before);
    expect((await fetch(new URL('/o/AAAAAAAAAAAAAAAAAAAA', h.origin))).status).toBe(404);
  });
});
