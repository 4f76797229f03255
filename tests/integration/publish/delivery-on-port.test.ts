import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery } from '../../../src/contract/index.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import { auditRows, openBackendCore, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { SECRET, waitFor } from '../../support/publish-fixtures.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { startReceiver, type Receiver } from '../../support/receiver-process.ts';
import { tempDir } from '../../support/temp.ts';

const FAST = { baseDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 800, pollMs: 50 };
const GUNFIRE = { class: 'gunfire_single', rounds: 1, reviewMs: 3000 } as const;

/**
 * The delivery worker on the store port, on the backend the vitest project runs (SQLite, or
 * PostgreSQL as a centre runs it): everything here is seeded, decided, sent and read through the
 * port. tests/integration/publish/delivery.test.ts covers the rest of its behaviour on SQLite.
 */
describe.skipIf(backendUnavailable('the delivery worker on the port'))(`the delivery worker on the store port (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: BackendCore;
  let receiver: Receiver;

  beforeEach(async () => {
    tmp = tempDir();
    t = await openBackendCore(join(tmp.dir, 'data'));
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
  });
  afterEach(async () => {
    await receiver.stop();
    await t.close();
    tmp.cleanup();
  });

  /** One gunfire alert inside one agency whose endpoint is the receiver. */
  const seed = async (path = '/cap') => {
    const { alertIds } = await t.core.storePort.write((tx) =>
      seedPublishable(tx, 1, 1, { endpoints: [{ url: receiver.url(path), format: 'cap', secret: SECRET }] }),
    );
    return alertIds[0]!;
  };
  const deliveriesOf = async (alertId: number): Promise<Delivery[]> => {
    const incident = await t.core.storePort.read((tx) => tx.incidents.byAlert(alertId));
    return incident ? (await t.core.call(t.core.cliSession(), 'listDeliveries', { incidentId: incident.id })).deliveries : [];
  };
  const stateOf = async (alertId: number) => (await deliveriesOf(alertId))[0]?.state;

  it('sends a decided gunfire once, signed, records the attempt and its audit entry, and tells seats "sending" then "delivered"', async () => {
    const heard: Delivery['state'][] = [];
    t.core.events.subscribe((e, p) => e === 'deliveryChanged' && heard.push((p as { delivery: Delivery }).delivery.state));
    startDeliveryWorker(t.core, { config: FAST });
    const alertId = await seed();
    await t.core.call(t.core.cliSession(), 'decide', { alertId, ...GUNFIRE });
    await waitFor(async () => (await stateOf(alertId)) === 'delivered', 'the delivery');

    const got = receiver.received();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ status: 200, signatureValid: true, duplicate: false });
    expect(got[0]!.body).toContain('<msgType>Alert</msgType>');
    const [d] = await deliveriesOf(alertId);
    const detail = await t.core.call(t.core.cliSession(), 'getDelivery', { id: d!.id });
    expect(detail).toMatchObject({ why: null, attempts: [{ attempt: 1, httpStatus: 200, outcome: 'delivered' }] });
    expect(got[0]!.idempotencyKey).toBe(d!.idempotencyKey);
    const entries = await auditRows(t.probe, 'delivery.delivered');
    expect(entries).toHaveLength(1);
    expect(JSON.parse(entries[0]!.payload_json)).toMatchObject({ deliveryId: d!.id, httpStatus: 200, attempts: 1 });
    expect(heard).toEqual(expect.arrayContaining(['pending', 'sending', 'delivered']));
    expect(heard.indexOf('sending')).toBeLessThan(heard.indexOf('delivered'));
  });

  it('fails at once on a refusal, says why, and delivers after an administrator retries it', async () => {
    await receiver.control({ status: 400 });
    startDeliveryWorker(t.core, { config: FAST });
    const alertId = await seed();
    await t.core.call(t.core.cliSession(), 'decide', { alertId, ...GUNFIRE });
    await waitFor(async () => (await stateOf(alertId)) === 'failed', 'the refusal');
    const [d] = await deliveriesOf(alertId);
    expect((await t.core.call(t.core.cliSession(), 'getDelivery', { id: d!.id })).why).toMatch(/refused it \(HTTP 400\)/);
    await receiver.control({ status: 200 });
    const retried = await t.core.call(t.core.cliSession(), 'retryDelivery', { id: d!.id });
    expect(retried.state).toMatch(/pending|sending/);
    await waitFor(async () => (await stateOf(alertId)) === 'delivered', 'the retried delivery');
    expect((await t.core.storePort.read((tx) => tx.deliveries.attempts(d!.id))).map((a) => a.outcome)).toEqual(['failed', 'delivered']);
    expect(await auditRows(t.probe, 'delivery.retried')).toHaveLength(1);
    expect(await t.core.dispatch(t.core.cliSession(), 'retryDelivery', { id: d!.id })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await t.core.dispatch(t.core.cliSession(), 'retryDelivery', { id: 9999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('resumes an attempt a dead worker left open: interrupted, then sent again with the same key', async () => {
    const alertId = await seed();
    await t.core.call(t.core.cliSession(), 'decide', { alertId, ...GUNFIRE });
    const dead = `${hostname()}|2147483646|deadbeef`; // a pid no process has
    const now = t.core.clock.nowUs();
    const [claim] = await t.core.storePort.write((tx) => tx.deliveries.claim(now, dead, now + 3_600_000_000, 1, new Set()));
    expect(claim).toBeDefined();
    startDeliveryWorker(t.core, { config: FAST });
    await waitFor(async () => (await stateOf(alertId)) === 'delivered', 'the resumed delivery');
    expect((await t.core.storePort.read((tx) => tx.deliveries.attempts(claim!.deliveryId))).map((a) => a.outcome)).toEqual(['interrupted', 'delivered']);
    expect(receiver.received().map((r) => r.idempotencyKey)).toEqual([claim!.idempotencyKey]);
  });

  it("leaves another machine's live lease alone, and resumes it once the lease has run out", async () => {
    const alertId = await seed();
    await t.core.call(t.core.cliSession(), 'decide', { alertId, ...GUNFIRE });
    // A server on another machine: its process cannot be looked up, so only its lease's end tells it is gone.
    const elsewhere = 'another-machine|4242|cafef00d';
    const now = t.core.clock.nowUs();
    const [claim] = await t.core.storePort.write((tx) => tx.deliveries.claim(now, elsewhere, now + 3_000_000, 1, new Set()));
    const worker = startDeliveryWorker(t.core, { config: FAST });
    await worker.started();
    expect(await worker.recover()).toBe(0);
    expect(await stateOf(alertId)).toBe('sending');
    await waitFor(async () => (await stateOf(alertId)) === 'delivered', 'the delivery after the lease ran out');
    expect((await t.core.storePort.read((tx) => tx.deliveries.attempts(claim!.deliveryId))).map((a) => [a.outcome, a.worker])).toEqual([
      ['interrupted', elsewhere],
      ['delivered', worker.owner],
    ]);
    expect(receiver.received()).toHaveLength(1);
  });

  it('reads its pace from the stored setting when it starts', async () => {
    await t.core.storePort.write((tx) => tx.settings.put('publish.delivery', { requestTimeoutMs: 4321, perEndpoint: 2 }, t.core.clock.nowUs()));
    const worker = startDeliveryWorker(t.core, { config: { pollMs: 50 } });
    await worker.started();
    expect(worker.config).toMatchObject({ requestTimeoutMs: 4321, perEndpoint: 2, pollMs: 50 });
  });
});
