import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { CITY, SECRET, squareJurisdiction } from '../../support/publish-fixtures.ts';
import { INSIDE } from '../../support/publishable.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { newAgency, seedAlerts, solutionBody, T0 } from '../../support/store-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

const FIRST_SECRET = 'first-endpoint-signing-secret-0123456789';
const SECOND_SECRET = 'second-endpoint-signing-secret-0123456789';

describe.skipIf(backendUnavailable('updateAgency on the port'))(`an administrator changes an agency on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let admin: Session;
  let cityId: number;
  let incidentId: number;
  const heard: string[] = [];
  /** Every table's row count, the agencies' rows and the audit chain's head: what a refusal must leave as it was. */
  const snapshot = async () => ({
    tables: await portTableCounts(backend.probe),
    endpoints: await backend.probe.query('SELECT * FROM agency_endpoints ORDER BY id'),
    agencies: await backend.probe.query('SELECT * FROM agencies ORDER BY id'),
    head: await backend.probe.query('SELECT seq, hash FROM audit_head'),
  });

  beforeEach(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    await addPerson(core, 'ada', ['admin']);
    admin = await seatOf(core, 'ada');
    const alertId = await core.storePort.write(async (tx) => {
      await tx.settings.put('audit.qaSampleShare', 0, T0);
      await tx.sources.set('test-net', 'live', 'the city network', T0, 'admin');
      cityId = await tx.agencies.insert(
        newAgency('City PD', {
          endpoints: [
            { url: 'http://127.0.0.1:9/a', format: 'cap', secret: FIRST_SECRET },
            { url: 'http://127.0.0.1:9/b', format: 'json', secret: SECOND_SECRET },
          ],
        }),
      );
      await tx.agencies.insert(newAgency('County Sheriff'));
      const [id] = await seedAlerts(tx, 1);
      await tx.alerts.addSolution(id!, 'machine', 'locator', T0, solutionBody(1, INSIDE));
      return id!;
    });
    await core.call(core.cliSession(), 'decide', { alertId, class: 'gunfire_single', rounds: 1, reviewMs: 2000 });
    incidentId = (await core.call(admin, 'getIncident', { alertId }))!.id;
    heard.length = 0;
    core.events.subscribe((event) => heard.push(event));
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('replaces one endpoint and drops the other in one write: the queued delivery moves, the other is cancelled, announced once, no secret logged', async () => {
    const [first, second] = (await core.storePort.read(async (tx) => (await tx.agencies.get(cityId))!.endpoints)).map((e) => e.id) as [number, number];
    const out = await core.call(admin, 'updateAgency', {
      id: cityId,
      endpoints: [{ id: first, url: 'https://dispatch.example/cap', proxy: 'http://127.0.0.1:3128' }],
    });
    expect(out).toMatchObject({ changed: ['endpoints'], movedDeliveries: 1, cancelledDeliveries: 1 });
    expect(out.agency.endpoints).toEqual([
      expect.objectContaining({ url: 'https://dispatch.example/cap', format: 'cap', mutualTls: false, proxy: 'http://127.0.0.1:3128/' }),
    ]);
    const now = await core.storePort.read(async (tx) => {
      const endpoint = (await tx.agencies.get(cityId))!.endpoints[0]!;
      return {
        endpoint,
        sending: (await tx.agencies.endpointForSending(endpoint.id))!,
        deliveries: (await tx.deliveries.list({ incidentId, limit: 10 })).filter((d) => d.agencyId === cityId),
      };
    });
    // The replacement keeps the signing secret it was not given, and carries its proxy.
    expect(now.sending).toMatchObject({ secret: FIRST_SECRET, proxyUrl: 'http://127.0.0.1:3128/', clientCertPem: null });
    expect(now.deliveries.map((d) => [d.endpointId, d.state]).sort()).toEqual(
      [
        [now.endpoint.id, 'pending'],
        [second, 'cancelled'],
      ].sort(),
    );
    expect(heard.sort()).toEqual(['deliveryChanged', 'deliveryChanged', 'incidentChanged']);
    const entries = await auditRows(backend.probe, 'agency.updated');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.payload_json)).toMatchObject({
      changed: ['endpoints'],
      movedDeliveries: [expect.any(Number)],
      cancelledDeliveries: [expect.any(Number)],
    });
    expect(entries[0]!.payload_json).not.toContain(FIRST_SECRET);
    expect(entries[0]!.payload_json).not.toContain(SECOND_SECRET);
    const problems = (await core.call(core.cliSession(), 'verifyAudit', {})).problems;
    expect(problems.filter((p) => p.kind === 'record' && /agenc|deliver/.test(p.table ?? ''))).toEqual([]);
  });

  it('refuses a taken name, a foreign endpoint, a bad jurisdiction, a missing agency, and writes nothing; an unchanged agency writes nothing either', async () => {
    const before = await snapshot();
    const refusals: [string, Promise<unknown>, string, RegExp][] = [
      ['a taken name', core.dispatch(admin, 'updateAgency', { id: cityId, name: 'county sheriff' }), 'conflict', /already an agency named "county sheriff"/],
      [
        'a foreign endpoint',
        core.dispatch(admin, 'updateAgency', { id: cityId, endpoints: [{ id: 9999 }] }),
        'invalid_input',
        /endpoint 1: endpoint 9999 is not one of City PD's/,
      ],
      [
        'a bad jurisdiction',
        core.dispatch(admin, 'updateAgency', { id: cityId, geojson: '{"type":"Polygon","coordinates":[]}' }),
        'bad_file',
        /a polygon is a non-empty array of rings/,
      ],
      ['a missing agency', core.dispatch(admin, 'updateAgency', { id: 9999, name: 'Nobody' }), 'not_found', /no agency 9999/],
      ['as it is', core.dispatch(admin, 'updateAgency', { id: cityId, name: 'City PD', classes: ['gunfire_single', 'gunfire_multiple'] }), 'ok', /./],
    ];
    for (const [what, answer, code, message] of refusals) {
      const r = (await answer) as { ok: boolean; error?: { code: string; message: string }; value?: { changed: string[] } };
      if (code === 'ok') expect(r, what).toMatchObject({ ok: true, value: { changed: [] } });
      else expect(r, what).toEqual({ ok: false, error: expect.objectContaining({ code, message: expect.stringMatching(message) }) });
    }
    expect(await snapshot()).toEqual(before);
    expect(heard).toEqual([]);
  });

  it('adds an agency (a taken name refused, nothing written), lists it, and removes one: its queued deliveries cancelled in the same write', async () => {
    const east = {
      name: 'East PD',
      geojson: squareJurisdiction(CITY, 0.05),
      endpoints: [{ url: 'http://127.0.0.1:9/east', format: 'cap' as const, secret: SECRET, proxy: 'http://127.0.0.1:3128' }],
    };
    const before = await snapshot();
    expect(await core.dispatch(admin, 'addAgency', { ...east, name: 'city pd' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'conflict', message: 'there is already an agency named "city pd"' }),
    });
    expect(await snapshot()).toEqual(before);
    const added = await core.call(admin, 'addAgency', east);
    expect(added).toMatchObject({ name: 'East PD', accepts: ['Actual'], endpoints: [{ format: 'cap', proxy: 'http://127.0.0.1:3128/', mutualTls: false }] });
    expect((await core.call(admin, 'listAgencies', {})).agencies.map((a) => a.name)).toEqual(['City PD', 'County Sheriff', 'East PD']);
    const jurisdictions = await core.call(admin, 'listJurisdictions', {});
    expect(jurisdictions.agencies.find((a) => a.id === added.id)!.coordinates[0]![0]).toHaveLength(5);
    expect(jurisdictions.sensors.length).toBeGreaterThan(0);
    expect((await auditRows(backend.probe, 'agency.added')).at(-1)!.payload_json).not.toContain(SECRET);

    heard.length = 0;
    const removed = await core.call(admin, 'removeAgency', { id: cityId });
    expect(removed).toMatchObject({ agency: { id: cityId, name: 'City PD' }, cancelledDeliveries: 2 });
    expect(heard.sort()).toEqual(['deliveryChanged', 'deliveryChanged', 'incidentChanged']);
    const deliveries = await core.storePort.read((tx) => tx.deliveries.list({ agencyId: cityId, limit: 10 }));
    expect(deliveries.map((d) => d.state)).toEqual(['cancelled', 'cancelled']);
    expect(JSON.parse((await auditRows(backend.probe, 'agency.removed'))[0]!.payload_json)).toMatchObject({
      name: 'City PD',
      cancelledDeliveries: deliveries.map((d) => d.id).sort(),
    });
    expect((await core.call(admin, 'listAgencies', {})).agencies.map((a) => a.name)).toEqual(['County Sheriff', 'East PD']);
    const after = await snapshot();
    expect(await core.dispatch(admin, 'removeAgency', { id: cityId })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: `no agency ${cityId}` },
    });
    expect(await snapshot()).toEqual(after);
  });
});
