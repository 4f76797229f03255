import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCallback } from '../../../src/outcomes/callback.ts';
import { startDemoOutcomes } from '../../../src/outcomes/demo.ts';
import { OUTCOME_HEADERS, outcomeSignature } from '../../../src/outcomes/signing.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { tempDir } from '../../support/temp.ts';

// The seeded alerts are detected from T0 (2025-11-20T00:53:20Z) on: this period holds them all.
const PERIOD = { fromDay: '2025-11-19', toDay: '2025-11-21' };
const NETWORK = { period: PERIOD, area: { kind: 'network' as const } };

/**
 * The rest of outcomes on the store port, on the backend the vitest project runs: agencies'
 * callback keys, a signed callback's checks and its outcome, the programme's settings, figures
 * and report, and the demo's responders, all through the port's database, so every server of a
 * centre shares them. report-back.test.ts covers the callback over HTTP, figures.test.ts the
 * figures' definitions against plain SQL (SQLite).
 */
describe.skipIf(backendUnavailable('outcomes on the port'))(`outcomes on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: BackendCore;
  let incidentKey: string;
  let incidentId: number;
  let agencyId: number;
  const cli = () => t.core.cliSession();

  beforeAll(async () => {
    tmp = tempDir();
    t = await openBackendCore(join(tmp.dir, 'data'));
    // No decision drawn for blind QA: a sealed one is held out of the figures, and the draw is keyed
    // by a random secret, so a share above 0 would make the counts below a matter of chance.
    await t.core.call(cli(), 'setAuditSettings', { sampleShare: 0 });
    const seeded = await t.core.storePort.write((tx) => seedPublishable(tx, 3));
    agencyId = seeded.agencyId;
    for (const [i, alertId] of seeded.alertIds.entries())
      await t.core.call(
        cli(),
        'decide',
        i < 2 ? { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 3000 } : { alertId, class: 'fireworks', reviewMs: 3000 },
      );
    incidentId = (await t.core.storePort.read((tx) => tx.incidents.byAlert(seeded.alertIds[0]!)))!.id;
    const instance = await t.core.storePort.read((tx) => tx.settings.get<string>('publish.instance'));
    incidentKey = `earwitness-${instance}-${incidentId}`;
  });
  afterAll(async () => {
    await t.close();
    tmp.cleanup();
  });

  const signed = (key: { keyId: string; secret: string }, body: string) => {
    const ts = Math.floor(t.core.clock.nowUs() / 1e6);
    return { [OUTCOME_HEADERS.key]: key.keyId, [OUTCOME_HEADERS.timestamp]: String(ts), [OUTCOME_HEADERS.signature]: outcomeSignature(key.secret, ts, body) };
  };
  const post = (key: { keyId: string; secret: string }, report: object) => {
    const body = JSON.stringify(report);
    return handleCallback(t.core, signed(key, body), Buffer.from(body));
  };

  it('issues, lists and retires callback keys; a callback signed with a live key adds an outcome once, and is refused before any write otherwise', async () => {
    const key = await t.core.call(cli(), 'issueOutcomeKey', { agencyId });
    expect(key).toMatchObject({ agency: { id: agencyId, name: 'City Police' } });
    expect(key.secret.length).toBeGreaterThanOrEqual(43);
    await expect(t.core.call(cli(), 'issueOutcomeKey', { agencyId: 999 })).rejects.toThrow(/no agency 999/);
    const { keys } = await t.core.call(cli(), 'listOutcomeKeys', {});
    expect(keys).toEqual([expect.objectContaining({ keyId: key.keyId, retiredUs: null })]);
    expect(JSON.stringify(keys)).not.toContain(key.secret);

    const report = { incident: incidentKey, findings: ['shell_casings', 'arrest'], arrests: 1, notes: 'casings by the bus stop' };
    const body = JSON.stringify(report);
    const headers = signed(key, body);
    const accepted = await handleCallback(t.core, headers, Buffer.from(body));
    expect(accepted).toMatchObject({ status: 201, body: { ok: true, value: { version: 1, incident: incidentKey } } });

    const before = await portTableCounts(t.probe);
    // The same signed request again: a replay.
    expect(await handleCallback(t.core, headers, Buffer.from(body))).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    // An incident that is not ours, or not sent to this agency.
    expect(await post(key, { ...report, incident: `${incidentKey}9` })).toMatchObject({ status: 404 });
    expect(await post(key, { ...report, findings: ['no_such_finding'] })).toMatchObject({ status: 400 });
    expect(await post({ keyId: 'ok_0000000000000000', secret: key.secret }, report)).toMatchObject({ status: 401 });
    expect(await portTableCounts(t.probe)).toEqual(before);

    const retired = await t.core.call(cli(), 'retireOutcomeKey', { keyId: key.keyId });
    expect(retired.retiredUs).not.toBeNull();
    // Retiring twice writes one entry and answers with the key as it stands.
    expect(await t.core.call(cli(), 'retireOutcomeKey', { keyId: key.keyId })).toEqual(retired);
    const afterRetire = await portTableCounts(t.probe);
    expect(await post(key, { ...report, notes: 'again' })).toMatchObject({ status: 401, body: { error: { message: /unknown or retired/ } } });
    expect(await portTableCounts(t.probe)).toEqual(afterRetire);

    // Two retirements of one key at once (on PostgreSQL, two connections): one entry.
    const other = await t.core.call(cli(), 'issueOutcomeKey', { agencyId });
    const both = await Promise.all([0, 1].map(() => t.core.call(cli(), 'retireOutcomeKey', { keyId: other.keyId })));
    expect(both[0]).toEqual(both[1]);

    expect((await auditRows(t.probe, 'outcome.key_issued')).map((r) => r.entity)).toEqual([`agency:${agencyId}`, `agency:${agencyId}`]);
    expect(await auditRows(t.probe, 'outcome.key_retired')).toHaveLength(2);
    expect(await auditRows(t.probe, 'outcome.reported')).toHaveLength(1);
  });

  it('changes the programme settings in one audited write, refusing a value under its limits without writing', async () => {
    const before = await portTableCounts(t.probe);
    await expect(t.core.call(cli(), 'setProgrammeSettings', { cellM: 100 })).rejects.toThrow(/250-5000 m/);
    expect(await portTableCounts(t.probe)).toEqual(before);
    const changed = await t.core.call(cli(), 'setProgrammeSettings', { yearlyCost: 365_250, k: 3 });
    expect(changed).toMatchObject({ yearlyCost: 365_250, k: 3, cellM: 500 });
    expect(await t.core.call(cli(), 'getProgrammeSettings', {})).toEqual(changed);
    // The same values again change nothing and write no entry.
    await t.core.call(cli(), 'setProgrammeSettings', { k: 3 });
    const entries = (await auditRows(t.probe, 'settings.changed')).filter((r) => r.entity === 'settings:programme.settings');
    expect(entries.map((r) => JSON.parse(r.payload_json) as unknown)).toEqual([
      expect.objectContaining({ key: 'programme.settings', from: { yearlyCost: null, k: 5 }, to: { yearlyCost: 365_250, k: 3 } }),
    ]);

    // Two changes of different fields at once take turns under the setting's lock: both stand, neither write lost the other's field.
    await Promise.all([t.core.call(cli(), 'setProgrammeSettings', { currency: 'EUR' }), t.core.call(cli(), 'setProgrammeSettings', { linkTtlHours: 24 })]);
    expect(await t.core.call(cli(), 'getProgrammeSettings', {})).toMatchObject({ currency: 'EUR', linkTtlHours: 24, k: 3 });
    const later = (await auditRows(t.probe, 'settings.changed')).filter((r) => r.entity === 'settings:programme.settings').slice(1);
    expect(later).toHaveLength(2);
    await t.core.call(cli(), 'setProgrammeSettings', { currency: 'USD', linkTtlHours: 72 });
  });

  it("counts the period's alerts, publications and reported outcomes from the port's database, and records a report's export", async () => {
    const f = await t.core.call(cli(), 'getProgrammeFigures', NETWORK);
    expect(f).toMatchObject({ alerts: 3, decided: 3, confirmed: 2, rounds: 2, publication: { published: 2 } });
    expect(f.outcomes).toMatchObject({ sentToAgency: 2, reported: 1, missing: 1, evidence: 1, arrests: 1, incidentsWithArrest: 1 });
    // 365,250 a year over 3 days.
    expect(f.cost?.period).toBeCloseTo(3000, 6);
    const inAgency = await t.core.call(cli(), 'getProgrammeFigures', { period: PERIOD, area: { kind: 'agency', agencyId } });
    expect(inAgency).toMatchObject({ alerts: 3, confirmed: 2, area: { name: 'the jurisdiction of City Police' } });
    await expect(t.core.call(cli(), 'getProgrammeFigures', { period: PERIOD, area: { kind: 'agency', agencyId: 999 } })).rejects.toThrow(/no agency 999/);

    const out = join(tmp.dir, 'report.csv');
    const saved = await t.core.call(cli(), 'exportTransparencyReport', { ...NETWORK, format: 'csv', path: out, overwrite: false });
    const [entry] = await auditRows(t.probe, 'programme.report_exported');
    expect(JSON.parse(entry!.payload_json)).toMatchObject({ format: 'csv', sha256: saved.sha256, k: 3, cellM: 500 });
  });

  it("answers the demo network's incidents once, and the audit log verifies", async () => {
    // The responders answer incidents of their own source only, between 0 and 0 s after publication here.
    const responders = startDemoOutcomes(t.core, { source: 'test-net', delayS: [0, 0], laterS: 3_600, pollMs: 3_600_000 });
    try {
      // Two confirmed incidents; one already has a callback's version 1, so a draw for it adds none.
      const first = await responders.tick();
      const demo = (await t.probe.query<{ n: number }>("SELECT count(*) AS n FROM outcomes WHERE channel = 'demo'"))[0]!;
      expect(first).toBe(Number(demo.n));
      expect(first).toBeLessThanOrEqual(1);
      expect(await responders.tick()).toBe(0);
    } finally {
      responders.stop();
    }
    // The seeded alerts have no clip files nor import entries; what this file wrote checks out (keys, outcomes, settings) and the chain is whole.
    const problems = (await t.core.call(cli(), 'verifyAudit', {})).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.filter((p) => p.kind !== 'clip' && !(p.kind === 'record' && (p.table === 'alerts' || p.table === 'solutions')))).toEqual([]);
  });
});
