import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { verifyAudit } from '../../../src/audit/verify.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import { tempDir } from '../../support/temp.ts';
import { addAgency, CITY, decide, SECRET, seedAlert, session, squareJurisdiction } from '../../support/publish-fixtures.ts';

const EAST = { lat: CITY.lat, lon: CITY.lon + 0.2 };
const ROTATED = 'a-rotated-signing-secret-9876543210';

describe('updateAgency on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  const admin = () => session(core, ['admin'], 'ada');
  const snapshot = async () => ({
    agencies: await testSql(core).rows('SELECT * FROM agencies ORDER BY id'),
    endpoints: await testSql(core).rows('SELECT * FROM agency_endpoints ORDER BY id'),
    deliveries: await testSql(core).rows('SELECT id, endpoint_id, state FROM deliveries ORDER BY id'),
    audit: await testSql(core).row('SELECT count(*) AS n FROM audit_log'),
  });

  beforeEach(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    await addAgency(core, { name: 'City PD', url: ['http://127.0.0.1:9/a', 'https://dispatch.example/cap?token=abc'] });
  });
  afterEach(async () => {
    await core.close();
    tmp.cleanup();
  });
  const cityId = async () => (await core.storePort.read((tx) => tx.agencies.activeIdByName('City PD')))!;

  it('refuses a reviewer or auditor: the role is checked in the core, nothing changes', async () => {
    const before = await snapshot();
    for (const roles of [['reviewer'], ['auditor', 'trainer']] as const) {
      const r = await core.dispatch(session(core, [...roles], 'rex'), 'updateAgency', { id: await cityId(), name: 'Renamed' });
      expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    [
      'a bow-tie polygon',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [2, 2],
            [2, 0],
            [0, 1],
            [0, 0],
          ],
        ],
      }),
      /crosses itself/,
    ],
    [
      'an open ring',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
      /not closed/,
    ],
    [
      'a ring without area',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 1],
            [2, 2],
            [0, 0],
          ],
        ],
      }),
      /no area/,
    ],
    [
      'projected coordinates',
      JSON.stringify({
        type: 'Polygon',
        coordinates: [
          [
            [631000, 4280000],
            [632000, 4280000],
            [632000, 4281000],
            [631000, 4280000],
          ],
        ],
      }),
      /outside longitude/,
    ],
    ['hostile JSON', '{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]],"__proto__":{"x":1', /not JSON/],
    ['too many bytes', `{"type":"Polygon","pad":"${'x'.repeat(3 * 1024 * 1024)}"}`, /at most|larger than/],
  ])('refuses %s with nothing changed, even the name given alongside', async (_what, geojson, message) => {
    const before = await snapshot();
    const r = await core.dispatch(admin(), 'updateAgency', { id: await cityId(), name: 'Renamed PD', geojson });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a name another agency has, an endpoint of another agency, and a new endpoint without a secret', async () => {
    await addAgency(core, { name: 'County', url: 'http://127.0.0.1:9/b', half: 0.3 });
    const county = (await core.storePort.read(async (tx) => tx.agencies.get((await tx.agencies.activeIdByName('County'))!)))!;
    const before = await snapshot();
    const calls = [
      [{ id: await cityId(), name: 'county' }, /already an agency named "county"/],
      [{ id: await cityId(), endpoints: [{ id: county.endpoints[0]!.id }] }, /not one of City PD's endpoints/],
      [{ id: await cityId(), endpoints: [{ url: 'https://x.example/', format: 'cap' }] }, /needs url, format and secret/],
      [{ id: await cityId(), endpoints: [{ url: 'ftp://x.example/', format: 'cap', secret: SECRET }] }, /endpoint 1/],
      [{ id: 999, name: 'Ghost' }, /no agency 999/],
    ] as const;
    for (const [input, message] of calls) {
      const r = await core.dispatch(admin(), 'updateAgency', input);
      expect(r.ok, JSON.stringify(input)).toBe(false);
      if (!r.ok) expect(r.error.message).toMatch(message);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('moves the jurisdiction: a new incident follows it, an incident already routed keeps its agency, and the audit says so', async () => {
    const id = await cityId();
    const first = await seedAlert(core);
    await decide(core, first);
    expect((await core.call(admin(), 'getIncident', { alertId: first }))!.agencies.map((a) => a.name)).toEqual(['City PD']);
    const east = await seedAlert(core, { at: EAST });
    expect((await core.call(admin(), 'previewRoute', { alertId: east, class: 'gunfire_multiple' })).outcome).toBe('unrouted');

    const r = await core.call(admin(), 'updateAgency', { id, name: 'City Police', geojson: squareJurisdiction(EAST, 0.05), classes: ['gunfire_multiple'] });
    expect(r.changed).toEqual(['name', 'classes', 'jurisdiction']);
    expect(r.agency).toMatchObject({ name: 'City Police', classes: ['gunfire_multiple'], updatedBy: 'ada' });
    expect(r.agency.jurisdiction.bbox[0]).toBeCloseTo(EAST.lon - 0.05, 9);

    // The routing cache follows the change at once.
    expect(await core.call(admin(), 'previewRoute', { alertId: east, class: 'gunfire_multiple' })).toMatchObject({
      outcome: 'routed',
      agencies: [{ name: 'City Police' }],
    });
    const west = await seedAlert(core);
    expect((await core.call(admin(), 'previewRoute', { alertId: west, class: 'gunfire_multiple' })).outcome).toBe('unrouted');
    await decide(core, east);
    expect((await core.call(admin(), 'getIncident', { alertId: east }))!).toMatchObject({
      state: 'routed',
      agencies: [{ name: 'City Police', how: 'jurisdiction' }],
    });
    // Routed before the change: still the same agency, its delivery still queued.
    const kept = (await core.call(admin(), 'getIncident', { alertId: first }))!;
    expect(kept.agencies.map((a) => a.id)).toEqual([id]);
    expect(kept.deliveries.pending).toBe(2);

    const entry = (await testSql(core).row("SELECT actor, entity, payload_json FROM audit_log WHERE action = 'agency.updated'")) as {
      actor: string;
      entity: string;
      payload_json: string;
    };
    expect(entry.actor).toBe('ada');
    expect(entry.entity).toBe(`agency:${id}`);
    const payload = JSON.parse(entry.payload_json) as {
      changed: string[];
      before: { name: string; jurisdiction: { sha256: string } };
      after: { name: string; jurisdiction: { sha256: string } };
    };
    expect(payload.changed).toEqual(['name', 'classes', 'jurisdiction']);
    expect(payload.before.name).toBe('City PD');
    expect(payload.after.name).toBe('City Police');
    expect(payload.before.jurisdiction.sha256).not.toBe(payload.after.jurisdiction.sha256);
    const report = await verifyAudit(core);
    // The chain and its head (seeded alerts skip the import entries the record checks look for).
    expect(report.problems.filter((p) => p.kind !== 'record' && p.kind !== 'clip')).toEqual([]);
    expect(report.checked.entries).toBeGreaterThan(3);
  });

  it('keeps, replaces, rotates and removes endpoints: secrets kept unless given, never shown; queued deliveries move or are cancelled', async () => {
    const alertId = await seedAlert(core);
    await decide(core, alertId);
    const city = await cityId();
    const [a, b] = (await core.storePort.read((tx) => tx.agencies.get(city)))!.endpoints;
    const r = await core.call(admin(), 'updateAgency', {
      id: await cityId(),
      endpoints: [
        { id: a!.id, url: 'http://127.0.0.1:9/a2' },
        { url: 'http://127.0.0.1:9/new', format: 'json', secret: ROTATED },
      ],
    });
    expect(r).toMatchObject({ changed: ['endpoints'], movedDeliveries: 1, cancelledDeliveries: 1 });
    expect(r.agency.endpoints.map((e) => [e.url, e.format])).toEqual([
      ['http://127.0.0.1:9/a2', 'cap'],
      ['http://127.0.0.1:9/new', 'json'],
    ]);
    const replaced = r.agency.endpoints[0]!.id;
    expect((await core.storePort.read((tx) => tx.agencies.endpointForSending(replaced)))!.secret).toBe(SECRET);
    const deliveries = await core.call(admin(), 'listDeliveries', { alertId: undefined, agencyId: await cityId() });
    expect(deliveries.deliveries.map((d) => [d.endpoint.id, d.state]).sort()).toEqual(
      [
        [b!.id, 'cancelled'],
        [replaced, 'pending'],
      ].sort(),
    );
    // The old rows stay for the record; they are no longer in use.
    expect((await core.storePort.read((tx) => tx.agencies.endpointForSending(a!.id)))!.url).toBe('http://127.0.0.1:9/a');

    const rotate = await core.call(admin(), 'updateAgency', {
      id: await cityId(),
      endpoints: [{ id: replaced, secret: ROTATED }, { id: r.agency.endpoints[1]!.id }],
    });
    expect(rotate.changed).toEqual(['endpoints']);
    expect((await core.storePort.read((tx) => tx.agencies.endpointForSending(replaced)))!.secret).toBe(ROTATED);
    const log = (await testSql(core).rows("SELECT payload_json FROM audit_log WHERE action LIKE 'agency.%'")) as { payload_json: string }[];
    for (const e of log) {
      expect(e.payload_json).not.toContain(SECRET);
      expect(e.payload_json).not.toContain(ROTATED);
      expect(e.payload_json).not.toContain('token=abc');
    }
    expect(JSON.stringify(await core.call(admin(), 'listAgencies', {}))).not.toContain(ROTATED);
  });

  it('writes nothing when the input matches the agency as it is', async () => {
    const id = await cityId();
    const before = await snapshot();
    const r = await core.call(admin(), 'updateAgency', { id, name: ' City PD ', geojson: squareJurisdiction(CITY, 0.05) });
    expect(r.changed).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it('lists jurisdictions and the sensors alerts have placed', async () => {
    await seedAlert(core, { sensors: 3 });
    const r = await core.call(session(core, ['reviewer']), 'listJurisdictions', {});
    expect(r.agencies).toHaveLength(1);
    expect(r.agencies[0]!.coordinates[0]![0]![0]).toEqual([CITY.lon - 0.05, CITY.lat - 0.05]);
    expect(r.sensors.map((s) => s.sensorId)).toEqual(['S-1', 'S-2', 'S-3']);
    expect(r.sensorsTruncated).toBe(false);
  });
});
