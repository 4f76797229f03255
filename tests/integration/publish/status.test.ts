import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { verifyAudit } from '../../../src/audit/verify.ts';
import { ATTESTED_TABLE_NAMES } from '../../../src/store/attested.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { validateCap } from '../../support/cap-validate.ts';
import { addAgency, decide, seedAlert, session } from '../../support/publish-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/** What audit verify says about the rows it attests (seeded alerts have no import entry, by design of the fixture). */
const problemsOf = async (core: Core) =>
  (await verifyAudit(core, { clips: false })).problems.filter((p) => p.kind !== 'record' || (ATTESTED_TABLE_NAMES as string[]).includes(p.table));

/**
 * No drill reaches police as Actual: a message's CAP status follows its alert's source, a
 * source nobody marked publishes as Exercise, the demo network is never live, and an agency
 * that takes only Actual gets nothing else (nothing queued; the reason on the incident).
 */
describe('the status of what is published follows the source', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const admin = () => session(core, ['admin', 'reviewer', 'auditor'], 'ada');
  const count = async (sql: string) => ((await testSql(core).row(sql)) as { n: number }).n;
  const attestedProblems = () => problemsOf(core);
  const firstCap = async (incidentId: number) =>
    (await core.storePort.read(async (tx) => tx.incidents.body((await tx.incidents.messages(incidentId))[0]!.id)))!.cap;
  const json = async (incidentId: number, seq = 1) =>
    JSON.parse((await core.storePort.read(async (tx) => tx.incidents.body((await tx.incidents.messages(incidentId))[seq - 1]!.id)))!.json) as {
      message: { status: string; note: string | null };
    };

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('publishes an unmarked source as Exercise, keeps it from an Actual-only agency and says why', async () => {
    const city = await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    expect(city.accepts).toEqual(['Actual']); // the default for a new agency
    const training = await addAgency(core, { name: 'Training CAD', url: 'http://127.0.0.1:9/b', accepts: ['Exercise', 'Test'], half: 0.2 });
    const alertId = await seedAlert(core, { source: 'north-sacramento' });

    const preview = await core.call(admin(), 'previewRoute', { alertId, class: 'gunfire_multiple' });
    expect(preview).toMatchObject({ outcome: 'routed', status: 'Exercise', agencies: [{ name: 'Training CAD' }], withheld: [{ name: 'City PD' }] });
    expect(preview.withheld[0]!.reason).toMatch(/accepts only Actual, and this incident is an Exercise \(source north-sacramento has not been marked live/);

    await decide(core, alertId);
    const incident = (await core.call(admin(), 'getIncident', { alertId }))!;
    expect(incident.status).toBe('Exercise');
    expect(incident.agencies.map((a) => a.id)).toEqual([training.id]);
    expect(incident.withheld).toEqual([
      { agency: { id: city.id, name: 'City PD' }, status: 'Exercise', reason: preview.withheld[0]!.reason, atUs: expect.any(Number) },
    ]);
    // Nothing queued for City PD, one delivery for the training system.
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE agency_id = ${city.id}`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM deliveries WHERE agency_id = ${training.id}`)).toBe(1);

    const cap = await firstCap(incident.id);
    expect(cap).toContain('<status>Exercise</status>');
    expect(cap).toMatch(/<note>Exercise: source north-sacramento has not been marked live by the centre[^<]*<\/note>/);
    expect((await validateCap(cap)).errors).toEqual([]);
    expect((await json(incident.id)).message).toMatchObject({ status: 'exercise', note: expect.stringMatching(/^Exercise: /) });
  });

  it('publishes a live source as Actual, and an incident keeps its status when the source changes', async () => {
    const city = await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a', accepts: ['Actual', 'Exercise'] });
    await core.call(admin(), 'setSourceStatus', { source: 'north-sacramento', status: 'live', note: 'commissioned 2026-05-01' });
    const alertId = await seedAlert(core, { source: 'north-sacramento' });
    await decide(core, alertId);
    const incident = (await core.call(admin(), 'getIncident', { alertId }))!;
    expect(incident).toMatchObject({ status: 'Actual', withheld: [], agencies: [{ id: city.id }] });
    expect(await firstCap(incident.id)).toContain('<status>Actual</status>');
    expect(await firstCap(incident.id)).not.toContain('<note>');

    // Marked exercise afterwards: the incident's later messages stay Actual (one incident, one status).
    await core.call(admin(), 'setSourceStatus', { source: 'north-sacramento', status: 'exercise' });
    await core.call(admin(), 'reviseDecision', { alertId, rounds: 4, notes: 'a fourth shot under the echo' });
    expect((await json(incident.id, 2)).message.status).toBe('actual');
    // A new alert of that source is an Exercise now.
    const next = await seedAlert(core, { source: 'north-sacramento' });
    expect((await core.call(admin(), 'previewRoute', { alertId: next, class: 'gunfire_single' })).status).toBe('Exercise');
  });

  it('never lets a simulated network be live, and changes nothing when refusing', async () => {
    const before = await count('SELECT count(*) AS n FROM audit_log');
    const r = await core.dispatch(admin(), 'setSourceStatus', { source: 'demo-kellan-heights', status: 'live' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('simulated network') });
    expect(await count('SELECT count(*) AS n FROM audit_log')).toBe(before);
    expect(await core.storePort.read((tx) => tx.sources.statusOf('demo-kellan-heights'))).toBeNull();
    // Even a status written behind the core's back does not make it live.
    await testSql(core).run("INSERT INTO source_statuses (source, status, set_us, set_by) VALUES ('demo-kellan-heights', 'live', 1, 'sql')");
    const alertId = await seedAlert(core, { source: 'demo-kellan-heights' });
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    expect((await core.call(admin(), 'previewRoute', { alertId, class: 'gunfire_single' })).status).toBe('Exercise');
    const sources = (await core.call(admin(), 'listSources', {})).sources;
    expect(sources.find((s) => s.source === 'demo-kellan-heights')).toMatchObject({ simulated: true, publishesAs: 'Exercise', alerts: 1 });
  });

  it('audits a status change, and a reviewer may not make one', async () => {
    const r = await core.dispatch(session(core, ['reviewer'], 'rita'), 'setSourceStatus', { source: 'north-sacramento', status: 'live' });
    expect(r.ok).toBe(false);
    await core.call(admin(), 'setSourceStatus', { source: 'north-sacramento', status: 'test', note: 'bench week' });
    const entries = await core.storePort.read((tx) => tx.audit.withActionPrefix('source.'));
    expect(entries.map((e) => [e.action, e.actor, JSON.parse(e.payload_json).status])).toEqual([['source.status_set', 'ada', 'test']]);
    expect(await attestedProblems()).toEqual([]);
    // A status edited behind the log is named by audit verify.
    await testSql(core).run("UPDATE source_statuses SET status = 'live' WHERE source = 'north-sacramento'");
    const tampered = await verifyAudit(core, { clips: false });
    expect(tampered.ok).toBe(false);
    expect(JSON.stringify(tampered)).toContain('status of source north-sacramento');
  });

  it('refuses to route an Exercise by hand to an agency that takes only Actual', async () => {
    const city = await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core, { source: 'north-sacramento', at: { lat: 40, lon: -100 } }); // outside every jurisdiction
    await decide(core, alertId);
    const incident = (await core.call(admin(), 'getIncident', { alertId }))!;
    expect(incident).toMatchObject({ state: 'unrouted', status: 'Exercise' });
    const r = await core.dispatch(admin(), 'routeIncident', { incidentId: incident.id, agencyIds: [city.id] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/City PD accepts only Actual: incident \d+ is an Exercise; nothing was routed/);
    expect((await core.call(admin(), 'getIncident', { alertId }))!.state).toBe('unrouted');
  });
});

describe('the publishing identity', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const admin = () => session(core, ['admin', 'reviewer'], 'ada');

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it.each([
    ['a space', 'dispatch feed@city'],
    ['a comma', 'a,b@city'],
    ['a <', 'a<b@city'],
    ['an &', 'a&b@city'],
  ])('refuses a CAP sender with %s, changing nothing', async (_what, sender) => {
    const before = await core.call(admin(), 'getPublishIdentity', {});
    const r = await core.dispatch(admin(), 'setPublishIdentity', { sender });
    expect(r.ok).toBe(false);
    expect(await core.call(admin(), 'getPublishIdentity', {})).toEqual(before);
  });

  it('puts sender and sender name in the next message, audited; an incident keeps the identifiers it started with', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const first = (await core.call(admin(), 'getIncident', { alertId }))!.messages[0]!.identifier;

    const r = await core.call(admin(), 'setPublishIdentity', {
      sender: 'acoustic-centre@city.example',
      senderName: 'City Acoustic Centre',
      instance: 'cityac01',
      messageLifetimeMinutes: 90,
    });
    expect(r.changed.sort()).toEqual(['instance', 'messageLifetimeMinutes', 'sender', 'senderName']);
    const entry = (await core.storePort.read((tx) => tx.audit.withActionPrefix('publish.identity_set'))).at(-1)!;
    expect(JSON.parse(entry.payload_json)).toMatchObject({
      changed: expect.any(Array),
      after: { sender: 'acoustic-centre@city.example', instance: 'cityac01' },
    });

    await core.call(admin(), 'reviseDecision', { alertId, rounds: 5, notes: 'five' });
    const incident = (await core.call(admin(), 'getIncident', { alertId }))!;
    const second = incident.messages[1]!;
    // The incident's key was fixed by its first message: the new instance tag does not split it.
    expect(second.identifier).toBe(first.replace(/-1$/, '-2'));
    const cap = (await core.storePort.read((tx) => tx.incidents.body(second.id)))!.cap;
    expect(cap).toContain('<sender>acoustic-centre@city.example</sender>');
    expect(cap).toContain('<senderName>City Acoustic Centre</senderName>');
    expect(cap).toContain(`<incidents>${first.replace(/-1$/, '')}</incidents>`);
    // A new incident takes the new instance tag.
    const next = await seedAlert(core);
    await decide(core, next);
    expect((await core.call(admin(), 'getIncident', { alertId: next }))!.messages[0]!.identifier).toMatch(/^earwitness-cityac01-\d+-1$/);
    expect(await problemsOf(core)).toEqual([]);
  });
});
