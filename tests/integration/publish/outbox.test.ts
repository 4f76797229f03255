import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql, testProbe } from '../../support/test-core.ts';
import type { StoreProbe } from '../../support/store-probe.ts';
import { publishChangeTx } from '../../../src/publish/outbox-tx.ts';
import { tempDir } from '../../support/temp.ts';
import { addAgency, CITY, decide, SECRET, seedAlert, session } from '../../support/publish-fixtures.ts';

const EAST = { lat: CITY.lat, lon: CITY.lon + 0.2 };

describe('publishing inside the decision transaction', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const count = async (table: string) => ((await testSql(core).row(`SELECT count(*) AS n FROM ${table}`)) as { n: number }).n;

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('writes the incident, its first message and one delivery per endpoint with the decision', async () => {
    await addAgency(core, { name: 'City PD', url: ['http://127.0.0.1:9/a', 'https://dispatch.example/cap'] });
    await addAgency(core, { name: 'County', url: 'http://127.0.0.1:9/b', format: 'json', half: 0.3 });
    await addAgency(core, { name: 'Elsewhere', url: 'http://127.0.0.1:9/c', at: EAST });
    const alertId = await seedAlert(core);
    const preview = await core.call(session(core), 'previewRoute', { alertId, class: 'gunfire_multiple' });
    expect(preview.outcome).toBe('routed');
    expect(preview.agencies.map((a) => a.name).sort()).toEqual(['City PD', 'County']);
    await decide(core, alertId);
    const incident = (await core.call(session(core), 'getIncident', { alertId }))!;
    expect(incident).toMatchObject({ state: 'routed', messages: [{ seq: 1, msgType: 'Alert', changes: ['published'] }] });
    expect(incident.agencies.map((a) => a.name).sort()).toEqual(['City PD', 'County']);
    expect(incident.deliveries.pending).toBe(3);
    const audit = await testSql(core).rows("SELECT action FROM audit_log WHERE action LIKE 'incident.%' OR action = 'decision.made'");
    expect(audit).toEqual([{ action: 'decision.made' }, { action: 'incident.published' }]);
  });

  it('rolls the decision back when publishing fails: nothing half-written', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core);
    await breakOutbox(await testProbe(core.config.dataDir));
    const tables = ['decisions', 'incidents', 'incident_messages', 'deliveries', 'audit_log'];
    // One table at a time: the probe is one connection, which takes one query at a time.
    const counts = async () => {
      const out: number[] = [];
      for (const t of tables) out.push(await count(t));
      return out;
    };
    const before = await counts();
    const r = await core.dispatch(session(core), 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 1000 });
    expect(r.ok).toBe(false);
    expect(await counts()).toEqual(before);
    expect((await core.storePort.read((tx) => tx.alerts.summary(alertId)))!.status).toBe('pending');
  });

  it('publishes nothing for a class no agency there receives, and says so before', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    await addAgency(core, { name: 'Elsewhere', url: 'http://127.0.0.1:9/c', at: EAST, classes: ['gunfire_single', 'gunfire_multiple', 'probable_gunfire'] });
    const alertId = await seedAlert(core);
    const preview = await core.call(session(core), 'previewRoute', { alertId, class: 'probable_gunfire' });
    expect(preview).toMatchObject({ outcome: 'not_published', message: expect.stringContaining('City PD does not receive') });
    expect((await core.call(session(core), 'previewRoute', { alertId, class: 'fireworks' })).outcome).toBe('not_published');
    await decide(core, alertId, 'fireworks', null);
    expect(await core.call(session(core), 'getIncident', { alertId })).toBeNull();
    expect(await count('deliveries')).toBe(0);
  });

  it('never routes research alerts in local metres, and says why', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core, { coordinates: 'local' });
    const preview = await core.call(session(core), 'previewRoute', { alertId, class: 'gunfire_single' });
    expect(preview).toMatchObject({ outcome: 'not_routable', message: expect.stringMatching(/local metres/) });
    await decide(core, alertId, 'gunfire_single', 1);
    expect(await core.call(session(core), 'getIncident', { alertId })).toBeNull();
  });

  it('sends an incident outside every jurisdiction to the admin queue; the admin routes or holds it', async () => {
    const city = await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const far = { lat: CITY.lat + 1, lon: CITY.lon };
    const a1 = await seedAlert(core, { at: far });
    const a2 = await seedAlert(core, { at: far });
    expect((await core.call(session(core), 'previewRoute', { alertId: a1, class: 'gunfire_single' })).outcome).toBe('unrouted');
    await decide(core, a1, 'gunfire_single', 1);
    await decide(core, a2, 'gunfire_single', 1);
    const queue = await core.call(session(core), 'listUnrouted', {});
    expect(queue.incidents.map((q) => q.alert.id).sort()).toEqual([a1, a2].sort());
    expect(queue.incidents[0]!.incident.unroutedReason).toMatch(/no agency's jurisdiction holds/);
    expect(await count('deliveries')).toBe(0);

    const reviewer = session(core, ['reviewer']);
    const denied = await core.dispatch(reviewer, 'routeIncident', { incidentId: queue.incidents[0]!.incident.id, agencyIds: [city.id] });
    expect(denied).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const i1 = (await core.call(session(core), 'getIncident', { alertId: a1 }))!;
    const routed = await core.call(session(core), 'routeIncident', { incidentId: i1.id, agencyIds: [city.id] });
    expect(routed).toMatchObject({ state: 'routed', agencies: [{ name: 'City PD', how: 'admin' }], deliveries: { pending: 1 } });
    const i2 = (await core.call(session(core), 'getIncident', { alertId: a2 }))!;
    expect(await core.call(session(core), 'holdIncident', { incidentId: i2.id, note: 'outside our service area; phoned the state police' })).toMatchObject({
      state: 'held',
    });
    expect((await core.call(session(core), 'listUnrouted', {})).incidents).toHaveLength(0);
    expect((await core.call(session(core), 'listUnrouted', { includeHeld: true })).incidents).toHaveLength(1);
  });

  it('turns a revision into an Update for every agency that has it, referencing the first message', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core);
    await decide(core, alertId, 'gunfire_multiple', 3);
    const r = await core.call(session(core), 'reviseDecision', { alertId, rounds: 5, notes: 'recounted on the spectrogram' });
    expect(r.decision).toMatchObject({ version: 2, rounds: 5 });
    expect(r.incident!.messages.map((m) => [m.seq, m.msgType, m.changes])).toEqual([
      [1, 'Alert', ['published']],
      [2, 'Update', ['rounds_corrected']],
    ]);
    const nothing = await core.dispatch(session(core), 'reviseDecision', { alertId, rounds: 5, notes: 'again' });
    expect(nothing).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const bodies = (await testSql(core).rows('SELECT cap_xml FROM incident_messages ORDER BY seq')) as { cap_xml: string }[];
    const first = /<identifier>([^<]+)<\/identifier>/.exec(bodies[0]!.cap_xml)![1]!;
    expect(bodies[1]!.cap_xml).toContain(`<msgType>Update</msgType>`);
    expect(bodies[1]!.cap_xml).toMatch(new RegExp(`<references>[^<]*,${first},\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d-00:00</references>`));
  });

  it('a move (new solution version) reaches the old agencies and any agency whose jurisdiction now holds it, with every message in order', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const east = await addAgency(core, { name: 'East PD', url: 'http://127.0.0.1:9/e', at: EAST });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const incidentId = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id;
    const out = await core.storePort.write(async (tx) => {
      await tx.alerts.lock(alertId);
      const { id: _id, version: _v, origin: _o, createdBy: _b, createdUs: _c, ...body } = (await tx.alerts.detail(alertId))!.solutions[0]!;
      const shots = [{ ...body.shots[0]!, position: { lat: EAST.lat, lon: EAST.lon } }];
      await tx.alerts.addSolution(alertId, 'reviewer', 'tester', core.clock.nowUs(), { ...body, shots });
      return publishChangeTx({ tx, port: core.storePort }, { alertId, actor: 'tester', nowUs: core.clock.nowUs() });
    });
    expect(out).toMatchObject({ outcome: 'updated', reason: 'moved' });
    const deliveries = await core.storePort.read((tx) => tx.deliveries.list({ incidentId, limit: 100 }));
    const toEast = deliveries
      .filter((d) => d.agencyId === east.id)
      .map((d) => d.seq)
      .sort();
    expect(toEast).toEqual([1, 2]);
    expect(
      deliveries
        .filter((d) => d.agencyId !== east.id)
        .map((d) => d.seq)
        .sort(),
    ).toEqual([1, 2]);
  });

  it('cancels with a Cancel referencing every earlier message, and sends nothing after', async () => {
    await addAgency(core, { name: 'City PD', url: 'http://127.0.0.1:9/a' });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    await core.call(session(core), 'reviseDecision', { alertId, class: 'gunfire_single', rounds: 1, notes: 'echo, one shot' });
    const incidentId = (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id;
    const c = await core.call(session(core), 'cancelIncident', { incidentId, reason: 'construction nail gun, confirmed on site' });
    expect(c.state).toBe('cancelled');
    const last = (await testSql(core).row('SELECT cap_xml FROM incident_messages WHERE seq = 3')) as { cap_xml: string };
    expect(last.cap_xml).toContain('<msgType>Cancel</msgType>');
    expect(/<references>([^<]+)<\/references>/.exec(last.cap_xml)![1]!.split(' ')).toHaveLength(2);
    await core.call(session(core), 'reviseDecision', { alertId, class: 'construction_impact', rounds: null, notes: 'after cancel' });
    expect(await core.storePort.read((tx) => tx.incidents.messages(incidentId))).toHaveLength(3);
  });

  it('never gives a secret back: not in lists, deliveries, errors or the audit log', async () => {
    const a = await addAgency(core, { name: 'City PD', url: 'https://dispatch.example/in?token=abc123', secret: SECRET });
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const everything = JSON.stringify([
      await core.call(session(core), 'listAgencies', {}),
      await core.call(session(core), 'listDeliveries', { incidentId: (await core.storePort.read((tx) => tx.incidents.byAlert(alertId)))!.id }),
      await core.call(session(core), 'removeAgency', { id: a.id }),
      await testSql(core).rows('SELECT * FROM audit_log'),
    ]);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('abc123');
    expect(everything).toContain('token=…');
  });

  it('keeps agency management to admins', async () => {
    const reviewer = session(core, ['reviewer']);
    const r = await core.dispatch(reviewer, 'addAgency', {
      name: 'X',
      geojson: '{}',
      endpoints: [{ url: 'http://127.0.0.1/', format: 'cap', secret: SECRET }],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await core.dispatch(reviewer, 'removeAgency', { id: 1 })).ok).toBe(false);
    expect((await core.dispatch(reviewer, 'retryDelivery', { id: 1 })).ok).toBe(false);
    expect((await core.dispatch(reviewer, 'listAgencies', {})).ok).toBe(true);
  });
});

/** A trigger that fails every new delivery, as a full disk would: on the database itself, so the core's own connection meets it. */
async function breakOutbox(probe: StoreProbe): Promise<void> {
  if (probe.backend === 'sqlite') {
    await probe.run("CREATE TRIGGER break_outbox BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
    return;
  }
  await probe.run("CREATE FUNCTION break_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk trouble'; END $$");
  await probe.run('CREATE TRIGGER break_outbox BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION break_outbox()');
}
