import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { decodePeaks } from '../../../src/contract/index.ts';
import type { Core } from '../../../src/core/core.ts';
import type { WriteTx } from '../../../src/kernel/store-port.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { ManualClock } from '../../support/clock.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { addPerson, seatOf } from '../../support/seats.ts';
import { newAgency, seedAlerts } from '../../support/store-fixtures.ts';
import { tempDir } from '../../support/temp.ts';

/** A decision as decide leaves it (decide itself is still on the synchronous store), written in the port's database. */
async function decideThroughPort(tx: WriteTx, alertId: number, by: string, atUs: number) {
  await tx.alerts.lock(alertId);
  const d = await tx.decisions.insert({
    alertId,
    class: 'gunfire_multiple',
    rounds: 3,
    flags: { fullyAutomatic: false, multipleShooters: false },
    notes: '',
    decidedBy: by,
    decidedUs: atUs,
    reviewMs: 4000,
  });
  await tx.audit.append({ atUs, actor: by, action: 'decision.made', entity: `alert:${alertId}`, payload: d });
  return d;
}

describe.skipIf(backendUnavailable('alert reads and undo on the port'))(`alert reads, the QA seal and undo on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let clock: ManualClock;

  beforeEach(async () => {
    tmp = tempDir();
    clock = new ManualClock();
    backend = await openBackendCore(join(tmp.dir, 'data'), { clock });
    core = backend.core;
    for (const [name, roles] of [
      ['rita', ['reviewer']],
      ['rolf', ['reviewer']],
      ['audrey', ['auditor']],
    ] as const)
      await addPerson(core, name, [...roles]);
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it("lists, details and draws the peaks of the alerts in the port's database; a missing one is not found", async () => {
    const ids = await core.storePort.write((tx) => seedAlerts(tx, 2));
    const rita = await seatOf(core, 'rita');
    expect((await core.call(rita, 'listAlerts', { status: 'pending' })).alerts.map((a) => a.id).sort()).toEqual([...ids].sort());
    const detail = await core.call(rita, 'getAlert', { id: ids[0]! });
    expect(detail).toMatchObject({ id: ids[0], externalId: 'A-1', status: 'pending', decisions: [] });
    expect(detail.tracks.map((t) => t.sensorId)).toEqual(['S-1', 'S-2', 'S-3']);
    const { tracks } = await core.call(rita, 'getPeaks', { id: ids[1]! });
    expect(tracks).toHaveLength(3);
    // The fixture's peaks for sensor 1: (k % 2 ? -1 : 1) * 0.125 * (k + 1), to 16-bit precision.
    expect([...decodePeaks(tracks[0]!.peaks)].map((v) => Math.round(v * 1000) / 1000)).toEqual([0.125, -0.25, 0.375, -0.5, 0.625, -0.75, 0.875, -1]);
    for (const [method, input] of [
      ['getAlert', { id: 9999 }],
      ['getPeaks', { id: 9999 }],
    ] as const) {
      expect(await core.dispatch(rita, method, input)).toMatchObject({ ok: false, error: { code: 'not_found', message: 'no alert 9999' } });
    }
  });

  it("seals a sampled decision by what the port's database holds: blind to outsiders, whole to its decider, opened and logged once for an auditor", async () => {
    const [alertId] = await core.storePort.write((tx) => seedAlerts(tx, 1));
    await core.storePort.write(async (tx) => {
      const d = await decideThroughPort(tx, alertId!, 'rita', clock.nowUs());
      await tx.qa.insertSample({
        alertId: alertId!,
        draw: 0.01,
        share: 0.1,
        keyId: 'k1',
        selected: true,
        decisionId: d.id,
        sampledUs: d.decidedUs,
        state: 'open',
      });
    });
    const [rita, rolf, audrey] = [await seatOf(core, 'rita'), await seatOf(core, 'rolf'), await seatOf(core, 'audrey')];

    expect((await core.call(rolf, 'getAlert', { id: alertId! })).decisions).toEqual([]);
    expect((await core.call(rolf, 'listAlerts', { status: 'decided' })).alerts).toEqual([expect.objectContaining({ id: alertId, decision: null })]);
    expect((await core.call(rita, 'getAlert', { id: alertId! })).decisions).toHaveLength(1);
    expect((await core.call(rita, 'listAlerts', { status: 'decided' })).alerts[0]!.decision).toMatchObject({ decidedBy: 'rita' });
    expect(await auditRows(backend.probe, 'qa.seal_opened')).toEqual([]);

    expect((await core.call(audrey, 'getAlert', { id: alertId! })).decisions).toHaveLength(1);
    expect((await core.call(audrey, 'getAlert', { id: alertId! })).decisions).toHaveLength(1);
    const opened = await auditRows(backend.probe, 'qa.seal_opened');
    expect(opened).toEqual([{ entity: `alert:${alertId}`, payload_json: JSON.stringify({ alertId, via: 'getAlert' }) }]);
    expect(await core.storePort.read((tx) => tx.qa.sealViewers(alertId!))).toEqual(['audrey']);
  });

  it('undoes a decision in one write: the alert pending again and claimed by its reviewer, whose other claim goes back; refused to anyone else', async () => {
    const [first, second] = await core.storePort.write((tx) => seedAlerts(tx, 2));
    const decision = await core.storePort.write((tx) => decideThroughPort(tx, first!, 'rita', clock.nowUs()));
    const [rita, rolf] = [await seatOf(core, 'rita'), await seatOf(core, 'rolf')];
    await core.call(rita, 'claimAlert', { alertId: second! });
    const heard: { event: string; payload: unknown }[] = [];
    core.events.subscribe((event, payload) => heard.push({ event, payload }));

    const before = await portTableCounts(backend.probe);
    expect(await core.dispatch(rolf, 'undoDecision', { alertId: first! })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'only rita or an administrator can undo this decision' },
    });
    expect(await portTableCounts(backend.probe)).toEqual(before);

    clock.advanceSeconds(1);
    const now = clock.nowUs();
    const { undone, claim } = await core.call(rita, 'undoDecision', { alertId: first! });
    expect(undone).toMatchObject({ id: decision.id, undoneUs: now, decidedBy: 'rita' });
    expect(claim).toMatchObject({ alertId: first, seat: rita.tag, by: 'rita', expiresUs: now + 30 * 1_000_000 });
    await core.storePort.read(async (tx) => {
      expect(await tx.decisions.statusOf(first!)).toBe('pending');
      expect(await tx.claims.get(second!)).toBeUndefined();
      expect((await tx.claims.get(first!))?.seat).toBe(rita.tag);
    });
    expect((await auditRows(backend.probe, 'decision.undone')).map((r) => JSON.parse(r.payload_json))).toEqual([{ decisionId: decision.id, version: 1 }]);
    expect((await auditRows(backend.probe, 'alert.claimed')).map((r) => r.entity)).toEqual([`alert:${second}`, `alert:${first}`]);
    expect(heard).toEqual(
      expect.arrayContaining([
        { event: 'claimChanged', payload: { alertId: second, claim: null } },
        { event: 'claimChanged', payload: { alertId: first, claim } },
        { event: 'alertChanged', payload: { alert: expect.objectContaining({ id: first, status: 'pending', decision: null }) } },
      ]),
    );
    expect(await core.dispatch(rita, 'undoDecision', { alertId: first! })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `alert ${first} has no decision to undo` },
    });
  });

  it('refuses to undo a decision an agency is to receive, and changes nothing', async () => {
    const [alertId] = await core.storePort.write((tx) => seedAlerts(tx, 1));
    await core.storePort.write(async (tx) => {
      await decideThroughPort(tx, alertId!, 'rita', clock.nowUs());
      const agencyId = await tx.agencies.insert(newAgency('City Police'));
      const incident = await tx.incidents.create(alertId!, 'routed', 'Actual', null, clock.nowUs());
      await tx.incidents.addAgency(incident.id, agencyId, 'jurisdiction', clock.nowUs(), 'rita');
    });
    const rita = await seatOf(core, 'rita');
    const before = await portTableCounts(backend.probe);
    expect(await core.dispatch(rita, 'undoDecision', { alertId: alertId! })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/published already: revise it/) },
    });
    expect(await portTableCounts(backend.probe)).toEqual(before);
  });
});
