import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import type { Session } from '../../../src/kernel/session.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { newAgency, seedAlerts, solutionBody, T0 } from '../../support/store-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/** Far from every test jurisdiction: a confirmed gunfire there is published unrouted, for an administrator to route. */
const NOWHERE = { lat: 10, lon: 10 };
const GUNFIRE = { class: 'gunfire_single', rounds: 1, reviewMs: 3000 } as const;

describe.skipIf(backendUnavailable('the incident desk on the port'))(`an administrator routes and holds incidents on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let clock: ManualClock;
  let admin: Session;
  let agencyId: number;
  let exerciseOnly: number;
  let alertIds: number[];
  const heard: string[] = [];
  /** Every table's row count and the audit chain's head: what a refusal must leave as it was. */
  const snapshot = async () => ({ tables: await portTableCounts(backend.probe), head: await backend.probe.query('SELECT seq, hash FROM audit_head') });
  const incidentOf = async (alertId: number) => (await core.call(admin, 'getIncident', { alertId }))!;

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'data'), { clock });
    core = backend.core;
    await addPerson(core, 'ada', ['admin', 'reviewer']);
    admin = await seatOf(core, 'ada');
    ({ agencyId, exerciseOnly, alertIds } = await core.storePort.write(async (tx) => {
      await tx.settings.put('audit.qaSampleShare', 0, T0);
      await tx.sources.set('test-net', 'live', 'the city network', T0, 'admin');
      const ids = await seedAlerts(tx, 2);
      for (const id of ids) await tx.alerts.addSolution(id, 'machine', 'locator', T0, solutionBody(1, NOWHERE));
      return {
        agencyId: await tx.agencies.insert(newAgency('City Police')),
        exerciseOnly: await tx.agencies.insert(newAgency('Drill Centre', { accepts: ['Exercise'] })),
        alertIds: ids,
      };
    }));
    for (const alertId of alertIds) await core.call(core.cliSession(), 'decide', { alertId, ...GUNFIRE });
    heard.length = 0;
    core.events.subscribe((event) => heard.push(event));
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('lists the unrouted incident, holds it with a note, then routes it: every message so far queued, each step one write announced once', async () => {
    const alertId = alertIds[0]!;
    const unrouted = await incidentOf(alertId);
    expect(unrouted).toMatchObject({ state: 'unrouted', status: 'Actual', agencies: [], messages: [{ seq: 1, msgType: 'Alert' }] });
    expect((await core.call(admin, 'listUnrouted', { includeHeld: false })).incidents.map((u) => u.alert.id).sort()).toEqual([...alertIds].sort());
    expect(await core.call(admin, 'previewRoute', { alertId, class: 'gunfire_single' })).toMatchObject({
      outcome: 'already_published',
      message: 'published but not routed yet (unrouted)',
    });

    clock.advanceSeconds(30);
    const held = await core.call(admin, 'holdIncident', { incidentId: unrouted.id, note: 'calling the county first' });
    expect(held).toMatchObject({ state: 'held', holdNote: 'calling the county first' });
    expect(heard).toEqual(['incidentChanged']);
    expect((await core.call(admin, 'listUnrouted', { includeHeld: false })).incidents.map((u) => u.alert.id)).toEqual([alertIds[1]]);
    expect((await core.call(admin, 'listUnrouted', { includeHeld: true })).incidents).toHaveLength(2);
    expect((await core.call(admin, 'listIncidents', { state: 'held', limit: 10 })).incidents.map((i) => i.id)).toEqual([unrouted.id]);

    heard.length = 0;
    clock.advanceSeconds(30);
    const routed = await core.call(admin, 'routeIncident', { incidentId: unrouted.id, agencyIds: [agencyId, agencyId] });
    expect(routed).toMatchObject({ state: 'routed', holdNote: null, agencies: [{ id: agencyId, how: 'admin' }], deliveries: { pending: 1 } });
    expect(heard.sort()).toEqual(['deliveryChanged', 'incidentChanged']);
    const deliveries = await core.storePort.read((tx) => tx.deliveries.list({ incidentId: unrouted.id, limit: 10 }));
    expect(deliveries.map((d) => [d.agencyId, d.seq, d.msgType, d.state])).toEqual([[agencyId, 1, 'Alert', 'pending']]);
    const payloads = async (action: string) => (await auditRows(backend.probe, action)).map((r) => JSON.parse(r.payload_json) as Record<string, unknown>);
    // Each entry attests the incident row it changed, so audit verify names an edit behind the log.
    expect(await payloads('incident.held')).toEqual([{ note: 'calling the county first', attested: [expect.objectContaining({ table: 'incidents' })] }]);
    expect(await payloads('incident.routed')).toEqual([
      expect.objectContaining({
        agencyIds: [agencyId],
        previousState: 'held',
        deliveries: 1,
        attested: expect.arrayContaining([expect.objectContaining({ table: 'incidents' })]),
      }),
    ]);
    // Routed again to the same agency: nothing new is queued, the incident stays routed.
    expect(await core.call(admin, 'routeIncident', { incidentId: unrouted.id, agencyIds: [agencyId] })).toMatchObject({
      state: 'routed',
      deliveries: { pending: 1 },
    });
    // The seeded alerts have no import entries and no clip files (seedAlerts writes rows only); what the desk changed verifies clean.
    const problems = (await core.call(core.cliSession(), 'verifyAudit', {})).problems;
    expect(problems.filter((p) => p.kind !== 'clip' && !(p.kind === 'record' && ['alerts', 'solutions'].includes(p.table ?? '')))).toEqual([]);
  });

  it('refuses before writing anything: a routed incident held, an unknown agency, one that refuses the status, a cancelled incident, a missing one', async () => {
    const [first, second] = [await incidentOf(alertIds[0]!), await incidentOf(alertIds[1]!)];
    await core.call(admin, 'routeIncident', { incidentId: first.id, agencyIds: [agencyId] });
    await core.call(core.cliSession(), 'cancelIncident', { incidentId: second.id, reason: 'a recording at the scene' });
    await addPerson(core, 'rita', ['reviewer']);
    const reviewer = await seatOf(core, 'rita');
    heard.length = 0;
    const before = await snapshot();
    const refusals: [string, Promise<unknown>, { code: string; message: string | RegExp }][] = [
      [
        'hold a routed one',
        core.dispatch(admin, 'holdIncident', { incidentId: first.id, note: 'x' }),
        { code: 'conflict', message: `incident ${first.id} is routed; only an unrouted incident can be held` },
      ],
      [
        'route to no agency',
        core.dispatch(admin, 'routeIncident', { incidentId: first.id, agencyIds: [9999] }),
        { code: 'invalid_input', message: 'no agency 9999' },
      ],
      [
        'route to an agency refusing Actual',
        core.dispatch(admin, 'routeIncident', { incidentId: first.id, agencyIds: [agencyId, exerciseOnly] }),
        { code: 'invalid_input', message: /^Drill Centre accepts only Exercise: .*nothing was routed$/ },
      ],
      [
        'route a cancelled one',
        core.dispatch(admin, 'routeIncident', { incidentId: second.id, agencyIds: [agencyId] }),
        { code: 'conflict', message: `incident ${second.id} was cancelled` },
      ],
      ['hold a missing one', core.dispatch(admin, 'holdIncident', { incidentId: 9999, note: 'x' }), { code: 'not_found', message: 'no incident 9999' }],
      [
        'route a missing one',
        core.dispatch(admin, 'routeIncident', { incidentId: 9999, agencyIds: [agencyId] }),
        { code: 'not_found', message: 'no incident 9999' },
      ],
    ];
    for (const [what, answer, error] of refusals) {
      expect(await answer, what).toEqual({
        ok: false,
        error: expect.objectContaining({ code: error.code, message: typeof error.message === 'string' ? error.message : expect.stringMatching(error.message) }),
      });
    }
    expect(await snapshot()).toEqual(before);
    expect(heard).toEqual([]);
    expect(await core.dispatch(reviewer, 'holdIncident', { incidentId: first.id, note: 'x' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await snapshot()).toEqual(before);
  });
});
