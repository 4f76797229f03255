import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMessage, WriteTx } from '../../../../src/kernel/store-port.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAgency, seedAlerts, T0 } from '../../../support/store-fixtures.ts';

const message = (incidentId: number, seq: number, o: Partial<NewMessage> = {}): NewMessage => ({
  incidentId,
  seq,
  msgType: seq === 1 ? 'Alert' : 'Update',
  identifier: `urn:ew:${incidentId}:${seq}`,
  sender: 'ew@centre',
  sentUs: T0 + seq,
  changes: seq === 1 ? ['published'] : ['moved'],
  decisionId: null,
  solutionId: null,
  factsJson: `{"seq":${seq}}`,
  capXml: `<alert seq="${seq}"/>`,
  jsonBody: `{"s":${seq}}`,
  createdBy: 'pub',
  ...o,
});

describe.skipIf(backendUnavailable('publishing queries'))(`incidents and deliveries (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
    await t.store.write(async (tx) => {
      await seedAlerts(tx, 3);
      await tx.agencies.insert(
        newAgency('North', {
          endpoints: [
            { url: 'https://n/1', format: 'json', secret: 'a' },
            { url: 'https://n/2', format: 'cap', secret: 'b' },
          ],
        }),
      );
      await tx.agencies.insert(newAgency('South', { endpoints: [{ url: 'https://s/1', format: 'json', secret: 'c' }] }));
    });
  });
  afterEach(async () => t.close());

  it('keeps incidents, their agencies once each, and their message versions', async () => {
    const inc = await t.store.write((tx) => tx.incidents.create(1, 'unrouted', 'Actual', 'outside every jurisdiction', T0));
    expect(inc).toEqual({
      id: 1,
      alertId: 1,
      state: 'unrouted',
      status: 'Actual',
      unroutedReason: 'outside every jurisdiction',
      holdNote: null,
      createdUs: T0,
      updatedUs: T0,
    });
    await t.store.write(async (tx) => {
      await tx.incidents.setState(inc.id, 'held', T0 + 1, { holdNote: 'wait' });
      expect(await tx.incidents.addAgency(inc.id, 2, 'admin', T0 + 2, 'root')).toBe(true);
      expect(await tx.incidents.addAgency(inc.id, 1, 'jurisdiction', T0 + 3, 'root')).toBe(true);
      expect(await tx.incidents.addAgency(inc.id, 2, 'jurisdiction', T0 + 4, 'root')).toBe(false);
      await tx.agencies.remove(2, T0 + 5, 'root');
    });
    expect(await t.store.read((tx) => tx.incidents.get(inc.id))).toMatchObject({
      state: 'held',
      unroutedReason: 'outside every jurisdiction',
      holdNote: 'wait',
      updatedUs: T0 + 1,
    });
    await t.store.write((tx) => tx.incidents.setState(inc.id, 'routed', T0 + 6, { unroutedReason: null }));
    expect(await t.store.read((tx) => tx.incidents.get(inc.id))).toMatchObject({ state: 'routed', unroutedReason: null, holdNote: 'wait' });
    expect(await t.store.read((tx) => tx.incidents.agencies(inc.id))).toEqual([
      { id: 2, name: 'South', how: 'admin', removed: true },
      { id: 1, name: 'North', how: 'jurisdiction', removed: false },
    ]);
    const m1 = await t.store.write((tx) => tx.incidents.addMessage(message(inc.id, 1)));
    const m2 = await t.store.write((tx) => tx.incidents.addMessage(message(inc.id, 2, { changes: ['moved', 'reclassified'] })));
    expect(m1).toEqual({
      id: 1,
      incidentId: 1,
      seq: 1,
      msgType: 'Alert',
      identifier: 'urn:ew:1:1',
      sender: 'ew@centre',
      sentUs: T0 + 1,
      changes: ['published'],
      decisionId: null,
      solutionId: null,
      factsJson: '{"seq":1}',
      createdBy: 'pub',
    });
    expect(await t.store.read((tx) => tx.incidents.messages(inc.id))).toEqual([m1, m2]);
    expect(await t.store.read((tx) => tx.incidents.lastMessage(inc.id))).toEqual(m2);
    expect(await t.store.read((tx) => tx.incidents.body(m2.id))).toEqual({ cap: '<alert seq="2"/>', json: '{"s":2}', identifier: 'urn:ew:1:2' });
    await t.store.write((tx) => tx.incidents.touch(inc.id, T0 + 99));
    expect((await t.store.read((tx) => tx.incidents.byAlert(1)))!.updatedUs).toBe(T0 + 99);
    expect(await t.store.read((tx) => tx.incidents.byAlert(2))).toBeUndefined();
  });

  it('lists incidents by state, newest first', async () => {
    await t.store.write(async (tx) => {
      await tx.incidents.create(1, 'routed', 'Actual', null, T0 + 2);
      await tx.incidents.create(2, 'unrouted', 'Actual', 'x', T0 + 1);
      await tx.incidents.create(3, 'routed', 'Actual', null, T0 + 2);
    });
    expect((await t.store.read((tx) => tx.incidents.list('all', 10))).map((i) => i.id)).toEqual([3, 1, 2]);
    expect((await t.store.read((tx) => tx.incidents.list('routed', 1))).map((i) => i.id)).toEqual([3]);
    expect(await t.store.read((tx) => tx.incidents.list('held', 10))).toEqual([]);
  });

  /** An incident for alert 1 with messages 1..n to both of North's endpoints. */
  async function queue(tx: WriteTx, n: number): Promise<number[]> {
    const inc = await tx.incidents.create(1, 'routed', 'Actual', null, T0);
    const ids: number[] = [];
    for (let seq = 1; seq <= n; seq++) {
      const m = await tx.incidents.addMessage(message(inc.id, seq));
      for (const endpointId of [1, 2]) {
        ids.push(
          (await tx.deliveries.enqueue({
            incidentId: inc.id,
            messageId: m.id,
            seq,
            agencyId: 1,
            endpointId,
            idempotencyKey: `k-${seq}-${endpointId}`,
            atUs: T0 + seq,
          }))!,
        );
      }
    }
    return ids;
  }

  it('queues each message once per endpoint, and sends per endpoint in order', async () => {
    const ids = await t.store.write((tx) => queue(tx, 2));
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(
      await t.store.write((tx) =>
        tx.deliveries.enqueue({ incidentId: 1, messageId: 1, seq: 1, agencyId: 1, endpointId: 1, idempotencyKey: 'other', atUs: T0 }),
      ),
    ).toBeNull();
    // Seq 2 waits while seq 1 of the same endpoint is pending; the skip set and `accept` pass over others.
    const claims = await t.store.write((tx) => tx.deliveries.claim(T0 + 10, 'w1', T0 + 1000, 10, new Set([2])));
    expect(claims).toEqual([{ deliveryId: 1, attempt: 1, endpointId: 1, messageId: 1, idempotencyKey: 'k-1-1', windowStartUs: T0 + 1 }]);
    expect(await t.store.write((tx) => tx.deliveries.claim(T0 + 10, 'w2', T0 + 1000, 10, new Set(), (e) => e !== 2))).toEqual([]);
    expect(await t.store.read((tx) => tx.deliveries.get(1))).toMatchObject({
      leaseOwner: 'w1',
      leaseUntilUs: T0 + 1000,
      attempts: 1,
      state: 'pending',
      agencyName: 'North',
      url: 'https://n/1',
      msgType: 'Alert',
      alertId: 1,
    });
    expect(await t.store.read((tx) => tx.deliveries.counts(1, T0 + 10))).toEqual({ pending: 3, sending: 1, delivered: 0, failed: 0, cancelled: 0 });
    expect(await t.store.read((tx) => tx.deliveries.nextDueUs())).toBe(T0 + 1);
    // Delivered: the next message of that endpoint is due.
    expect(
      await t.store.write((tx) =>
        tx.deliveries.finish({
          deliveryId: 1,
          attempt: 1,
          owner: 'w1',
          finishedUs: T0 + 20,
          httpStatus: 200,
          latencyMs: 12.5,
          outcome: 'delivered',
          error: null,
          responseExcerpt: 'ok',
          nextAttemptUs: null,
        }),
      ),
    ).toBe(true);
    expect(
      await t.store.write((tx) =>
        tx.deliveries.finish({
          deliveryId: 1,
          attempt: 1,
          owner: 'w1',
          finishedUs: T0 + 21,
          httpStatus: 200,
          latencyMs: 1,
          outcome: 'delivered',
          error: null,
          responseExcerpt: null,
          nextAttemptUs: null,
        }),
      ),
    ).toBe(false);
    expect((await t.store.write((tx) => tx.deliveries.claim(T0 + 30, 'w1', T0 + 1000, 10, new Set()))).map((c) => c.deliveryId)).toEqual([2, 3]);
    expect(await t.store.read((tx) => tx.deliveries.attempts(1))).toEqual([
      {
        attempt: 1,
        worker: 'w1',
        startedUs: T0 + 10,
        finishedUs: T0 + 20,
        httpStatus: 200,
        latencyMs: 12.5,
        outcome: 'delivered',
        error: null,
        responseExcerpt: 'ok',
      },
    ]);
    expect(await t.store.read((tx) => tx.deliveries.get(1))).toMatchObject({ state: 'delivered', deliveredUs: T0 + 20, lastStatus: 200, leaseOwner: null });
    expect(await t.store.read((tx) => tx.deliveries.idsOfMessage(2))).toEqual([3, 4]);
    expect(await t.store.read((tx) => tx.deliveries.idsOfIncident(1))).toEqual([1, 2, 3, 4]);
  });

  it("retries, fails, interrupts a dead worker's attempt, and lists with filters", async () => {
    await t.store.write((tx) => queue(tx, 1));
    await t.store.write((tx) => tx.deliveries.claim(T0 + 10, 'w1', T0 + 100, 10, new Set()));
    await t.store.write((tx) =>
      tx.deliveries.finish({
        deliveryId: 1,
        attempt: 1,
        owner: 'w1',
        finishedUs: T0 + 11,
        httpStatus: 503,
        latencyMs: 3,
        outcome: 'retry',
        error: 'busy',
        responseExcerpt: null,
        nextAttemptUs: T0 + 500,
      }),
    );
    await t.store.write((tx) =>
      tx.deliveries.finish({
        deliveryId: 2,
        attempt: 1,
        owner: 'w1',
        finishedUs: T0 + 11,
        httpStatus: 400,
        latencyMs: 3,
        outcome: 'failed',
        error: 'bad',
        responseExcerpt: null,
        nextAttemptUs: null,
      }),
    );
    expect(await t.store.read((tx) => tx.deliveries.get(1))).toMatchObject({ state: 'pending', nextAttemptUs: T0 + 500, lastError: 'busy', lastStatus: 503 });
    expect(await t.store.read((tx) => tx.deliveries.get(2))).toMatchObject({ state: 'failed', lastError: 'bad' });
    expect(await t.store.write((tx) => tx.deliveries.retry(2, T0 + 50))).toBe(true);
    expect(await t.store.read((tx) => tx.deliveries.get(2))).toMatchObject({ state: 'pending', windowStartUs: T0 + 50, nextAttemptUs: T0 + 50 });
    // A worker dies holding a lease: its attempt becomes "interrupted" and the row is due again.
    await t.store.write((tx) => tx.deliveries.claim(T0 + 600, 'dead', T0 + 700, 10, new Set()));
    expect(await t.store.read((tx) => tx.deliveries.leases())).toEqual([
      { id: 1, owner: 'dead', untilUs: T0 + 700 },
      { id: 2, owner: 'dead', untilUs: T0 + 700 },
    ]);
    expect(await t.store.write((tx) => tx.deliveries.retry(1, T0 + 601))).toBe(false);
    expect(await t.store.write((tx) => tx.deliveries.interrupt(1, 'alive', T0 + 800, 'x'))).toBe(false);
    expect(await t.store.write((tx) => tx.deliveries.interrupt(1, 'dead', T0 + 800, 'worker gone'))).toBe(true);
    expect((await t.store.read((tx) => tx.deliveries.attempts(1))).map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, 'retry', 'busy'],
      [2, 'interrupted', 'worker gone'],
    ]);
    expect(await t.store.read((tx) => tx.deliveries.get(1))).toMatchObject({ leaseOwner: null, nextAttemptUs: T0 + 800, lastError: 'worker gone' });
    expect((await t.store.read((tx) => tx.deliveries.list({ limit: 10 }))).map((d) => d.id)).toEqual([2, 1]);
    expect((await t.store.read((tx) => tx.deliveries.list({ incidentId: 1, agencyId: 1, state: 'pending', limit: 1 }))).map((d) => d.id)).toEqual([2]);
    expect(await t.store.read((tx) => tx.deliveries.list({ agencyId: 2, limit: 10 }))).toEqual([]);
  });

  it('cancels or moves the pending deliveries of an agency or an endpoint', async () => {
    await t.store.write((tx) => queue(tx, 2));
    const added = await t.store.write((tx) => tx.agencies.addEndpoint(1, { url: 'https://n/3', format: 'json', secret: 'z' }));
    expect(await t.store.write((tx) => tx.deliveries.movePending(2, added))).toEqual([2, 4]);
    expect((await t.store.read((tx) => tx.deliveries.get(4)))!.endpointId).toBe(added);
    expect(await t.store.write((tx) => tx.deliveries.cancelForEndpoint(added, 'endpoint retired'))).toEqual([2, 4]);
    expect(await t.store.write((tx) => tx.deliveries.cancelForAgency(1, 'agency removed'))).toEqual([1, 3]);
    expect(await t.store.read((tx) => tx.deliveries.counts(1, T0))).toEqual({ pending: 0, sending: 0, delivered: 0, failed: 0, cancelled: 4 });
    expect(await t.store.read((tx) => tx.deliveries.get(1))).toMatchObject({ state: 'cancelled', lastError: 'agency removed' });
    expect(await t.store.read((tx) => tx.deliveries.nextDueUs())).toBeNull();
  });

  it("keeps a message's EIDO body when it has one, none otherwise", async () => {
    const inc = await t.store.write((tx) => tx.incidents.create(1, 'routed', 'Actual', null, T0));
    await t.store.write(async (tx) => {
      await tx.incidents.addMessage(message(inc.id, 1, { eidoJson: '{"eido":1}' }));
      await tx.incidents.addMessage(message(inc.id, 2));
    });
    expect(await t.probe.query('SELECT seq, eido_json FROM incident_messages WHERE incident_id = ? ORDER BY seq', inc.id)).toEqual([
      { seq: 1, eido_json: '{"eido":1}' },
      { seq: 2, eido_json: null },
    ]);
  });
});
