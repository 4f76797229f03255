import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore, testSql } from '../../support/test-core.ts';
import type { MethodName } from '../../../src/contract/index.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import { FakeClock, sessionFor } from '../../support/audit-fixtures.ts';
import { addAgency, SECRET, seedAlert, waitFor } from '../../support/publish-fixtures.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { tempDir } from '../../support/temp.ts';

const alice = sessionFor('alice');
const bob = sessionFor('bob'); // the blind second reviewer: outside every seal below
const audrey = sessionFor('audrey', ['auditor']);

/** What a call answered: the value, or the error's code and message. */
async function answer(core: Core, method: MethodName, input: unknown): Promise<unknown> {
  const r = await core.dispatch(bob, method, input);
  return r.ok ? { ok: r.value } : { code: r.error.code, message: r.error.message };
}

/** Everything in the store a hostile call could have changed. */
async function snapshot(core: Core) {
  const count = async (table: string) => ((await testSql(core).row(`SELECT count(*) AS n FROM ${table}`)) as { n: number }).n;
  return {
    decisions: await testSql(core).rows('SELECT id, class, undone_us FROM decisions ORDER BY id'),
    solutions: await count('solutions'),
    pulses: await count('pulses'),
    incidents: await testSql(core).rows('SELECT id, state FROM incidents ORDER BY id'),
    messages: await count('incident_messages'),
    deliveries: await testSql(core).rows('SELECT id, state, attempts FROM deliveries ORDER BY id'),
    claims: await count('claims'),
  };
}

/**
 * The blind reviewer played as a hostile seat: every method that reaches a sealed alert, called
 * on a sealed gunfire alert that was published and on a sealed false alarm that was not. The
 * answers must be the same (ids aside), nothing may change, and the agency must receive nothing.
 */
describe('the seal against a hostile blind reviewer', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let receiver: Receiver;
  let gunfire: number;
  let falseAlarm: number;
  let incidentId: number;
  let deliveryId: number;

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data'), clock: new FakeClock(1_763_600_100_000_000) });
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
    startDeliveryWorker(core, { config: { baseDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 800, pollMs: 50 } });
    await addAgency(core, { name: 'City PD', url: receiver.url('/cap') });
    await core.call(audrey, 'setAuditSettings', { sampleShare: 1 });
    gunfire = await seedAlert(core);
    falseAlarm = await seedAlert(core);
    await core.call(alice, 'decide', { alertId: gunfire, class: 'gunfire_multiple', rounds: 3, notes: 'three blasts', reviewMs: 9000 });
    await core.call(alice, 'decide', { alertId: falseAlarm, class: 'fireworks', rounds: null, notes: 'crackle', reviewMs: 9000 });
    const incident = (await core.call(alice, 'getIncident', { alertId: gunfire }))!;
    incidentId = incident.id;
    await waitFor(() => receiver.received().length === 1, 'the Alert at the agency');
    // Settled too (here failed: the receiver refuses a signature dated by the fake clock, long ago):
    // the worker records the agency's answer after it came, and the snapshots must not see that write.
    deliveryId = (
      await waitFor(
        async () => (await core.call(alice, 'listDeliveries', { incidentId })).deliveries.find((d) => d.state !== 'pending' && d.state !== 'sending'),
        'the delivery settled',
      )
    ).id;
    expect((await core.storePort.read((tx) => tx.qa.sealedAlertIds())).sort()).toEqual([gunfire, falseAlarm].sort());
  });
  afterAll(async () => {
    await receiver.stop();
    await core.close();
    tmp.cleanup();
  });

  const sameAnswer = async (method: MethodName, input: (alertId: number) => unknown) => {
    const a = await answer(core, method, input(gunfire));
    const b = await answer(core, method, input(falseAlarm));
    // The two alerts differ in what arrived (ids, times, audio hashes): compare what a person decided.
    const ids = (v: unknown, id: number) =>
      JSON.stringify(v, (k, x: unknown) =>
        [
          'id',
          'alertId',
          'externalId',
          'detectedUs',
          'importedUs',
          'deadlineUs',
          'clipSha256',
          'clipStartUs',
          'clipStartIso',
          'timeUs',
          'sha256',
          'createdUs',
        ].includes(k)
          ? 'N'
          : x,
      ).replaceAll(`alert ${id}`, 'alert N');
    expect(ids(a, gunfire), method).toEqual(ids(b, falseAlarm));
    expect(JSON.stringify(a)).not.toMatch(/alice|gunfire_multiple|fireworks|three blasts|crackle|already_published/);
    return a;
  };

  it('answers every method alike whatever the sealed decision, and refuses every change before it is made', async () => {
    const before = await snapshot(core);
    const received = receiver.received().length;
    const refused = { code: 'forbidden', message: expect.stringMatching(/under blind QA review/) };
    expect(await sameAnswer('getIncident', (alertId) => ({ alertId }))).toEqual(refused);
    expect(await sameAnswer('previewRoute', (alertId) => ({ alertId, class: 'gunfire_single' }))).toMatchObject({ ok: { outcome: 'routed' } });
    expect(await sameAnswer('undoDecision', (alertId) => ({ alertId }))).toEqual(refused);
    expect(await sameAnswer('reviseDecision', (alertId) => ({ alertId, class: 'fireworks', notes: 'hostile' }))).toEqual(refused);
    expect(await sameAnswer('reviseDecision', (alertId) => ({ alertId, class: 'gunfire_single', rounds: 1, notes: 'hostile' }))).toEqual(refused);
    expect(await sameAnswer('relocate', (alertId) => ({ alertId, baseVersion: 1, shots: [{ index: 1, picks: [] }], notes: 'moved' }))).toEqual(refused);
    expect(await sameAnswer('previewRelocation', (alertId) => ({ alertId, shots: [{ index: 1, picks: [] }] }))).toEqual(refused);
    expect(await sameAnswer('decide', (alertId) => ({ alertId, class: 'gunfire_single', rounds: 1, reviewMs: 1 }))).toEqual(refused);
    expect(await sameAnswer('claimAlert', (alertId) => ({ alertId }))).toEqual(refused);
    expect(await sameAnswer('getIncidentHistory', (alertId) => ({ alertId }))).toEqual(refused);
    expect(await sameAnswer('getAuditReport', (alertId) => ({ alertId }))).toEqual(refused);
    expect(await sameAnswer('getAlert', (id) => ({ id }))).toMatchObject({ ok: { decision: null, decisions: [] } });
    expect(await snapshot(core)).toEqual(before);
    await new Promise((r) => setTimeout(r, 300)); // a queued Update or Cancel would be sent by now
    expect(receiver.received()).toHaveLength(received);
  });

  it('answers for the incident and delivery of a sealed alert exactly as for ones that do not exist', async () => {
    const before = await snapshot(core);
    const received = receiver.received().length;
    const missing = 987_654;
    const alike = async (method: MethodName, key: string, real: number, kind: string) => {
      const a = JSON.stringify(await answer(core, method, { [key]: real, reason: 'hostile', note: 'hostile', agencyIds: [1] })).replaceAll(
        `${kind} ${real}`,
        `${kind} N`,
      );
      const b = JSON.stringify(await answer(core, method, { [key]: missing, reason: 'hostile', note: 'hostile', agencyIds: [1] })).replaceAll(
        `${kind} ${missing}`,
        `${kind} N`,
      );
      expect(a, method).toEqual(b);
      expect(a).toMatch(/not_found/);
    };
    await alike('getIncident', 'incidentId', incidentId, 'incident');
    await alike('cancelIncident', 'incidentId', incidentId, 'incident');
    await alike('getDelivery', 'id', deliveryId, 'delivery');
    expect((await core.call(bob, 'listDeliveries', { incidentId })).deliveries).toEqual([]);
    expect((await core.call(bob, 'listIncidents', {})).incidents).toEqual([]);
    expect(await snapshot(core)).toEqual(before);
    expect((await core.call(alice, 'getIncident', { incidentId }))?.state).toBe('routed');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received()).toHaveLength(received);
  });

  it('lets the decider act on the sealed decision, and an overseer after the look is recorded', async () => {
    const revised = await core.call(alice, 'reviseDecision', { alertId: falseAlarm, class: 'other', notes: 'a dropped pallet, not fireworks' });
    expect(revised.decision).toMatchObject({ class: 'other', version: 2 });
    const seq = await core.storePort.read((tx) => tx.audit.count());
    await core.call(audrey, 'getIncidentHistory', { alertId: gunfire });
    expect((await core.storePort.read((tx) => tx.audit.aboutAlert(gunfire))).find((e) => e.action === 'qa.seal_opened' && e.actor === 'audrey')).toBeDefined();
    expect(await core.storePort.read((tx) => tx.audit.count())).toBe(seq + 1);
  });
});
