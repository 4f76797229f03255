/**
 * Two stores on one PostgreSQL database, as two server processes would hold them, racing for the
 * same rows: the queue, the audit chain, the delivery outbox, and a deadlock the store must
 * retry out of.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditEntryDigest, GENESIS_HASH, type CommittedEvent, type Store } from '../../../../src/kernel/store-port.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { newAgency, newAlert, T0 } from '../../../support/store-fixtures.ts';

const LEASE = 60_000_000;

describe.skipIf(backendUnavailable('PostgreSQL concurrency', 'postgres'))('two stores racing on one PostgreSQL database', () => {
  let t: TestDatabase;
  let stores: [Store, Store];
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
    stores = [t.store, await t.another()];
  });
  afterEach(async () => t.close());

  it('gives no alert to two seats across 1,000 concurrent takes of the next alert', async () => {
    const SEATS = 1000;
    await t.store.write(async (tx) => {
      for (let n = 1; n <= SEATS + 50; n++) await tx.alerts.insert(newAlert(n, { sensors: [], pulses: [] }));
    });
    let lost = 0;
    const takeNext = async (seat: number): Promise<number> => {
      const store = stores[seat % 2]!;
      for (;;) {
        const got = await store.write(async (tx) => {
          const id = await tx.claims.next({ queueOrder: 'oldest_first', deadlineSeconds: 90, gunfireHeadStartSeconds: 0 }, T0, []);
          if (id === undefined) throw new Error('the queue ran dry');
          return (await tx.claims.take(id, { accountId: null, by: `p${seat}`, seat: `seat-${seat}` }, T0, LEASE)) ? id : null;
        });
        if (got !== null) return got;
        lost++;
      }
    };
    const taken = await Promise.all(Array.from({ length: SEATS }, (_, i) => takeNext(i)));
    expect(new Set(taken).size).toBe(SEATS);
    const rows = await t.probe.query<{ alert_id: number; seat: string }>('SELECT alert_id, seat FROM claims');
    expect(rows).toHaveLength(SEATS);
    expect(new Map(rows.map((r) => [Number(r.alert_id), r.seat]))).toEqual(new Map(taken.map((id, seat) => [id, `seat-${seat}`])));
    // SKIP LOCKED keeps choices apart, and a second look after locking passes over alerts claimed meanwhile: take never has to refuse one.
    expect(lost).toBe(0);
  });

  it('never forks the audit chain when both stores append at once', async () => {
    const PER_STORE = 150;
    await Promise.all(
      stores.flatMap((store, s) =>
        Array.from({ length: PER_STORE }, (_, i) =>
          store.write((tx) => tx.audit.append({ atUs: T0 + i, actor: `store-${s}`, action: 'race.append', entity: `thing:${i}`, payload: { s, i } })),
        ),
      ),
    );
    const rows = await t.store.read(async (tx) => {
      const out = [];
      for await (const r of tx.audit.iterate()) out.push(r);
      return out;
    });
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 2 * PER_STORE }, (_, i) => i + 1));
    let prev = GENESIS_HASH;
    for (const r of rows) {
      expect(r.prev_hash).toBe(prev);
      expect(r.hash).toBe(
        auditEntryDigest(prev, { seq: r.seq, atUs: r.at_us, actor: r.actor, action: r.action, entity: r.entity, payloadJson: r.payload_json }),
      );
      prev = r.hash;
    }
    expect(await t.store.read((tx) => tx.audit.recordedHead())).toEqual({ seq: 2 * PER_STORE, hash: prev });
  });

  it('leases each due delivery to one worker only', async () => {
    const INCIDENTS = 40;
    await t.store.write(async (tx) => {
      await tx.agencies.insert(
        newAgency('A', {
          endpoints: [
            { url: 'https://a/1', format: 'json', secret: 'x' },
            { url: 'https://a/2', format: 'cap', secret: 'y' },
          ],
        }),
      );
      for (let n = 1; n <= INCIDENTS; n++) {
        const alertId = await tx.alerts.insert(newAlert(n, { sensors: [], pulses: [] }));
        const inc = await tx.incidents.create(alertId, 'routed', 'Actual', null, T0);
        const m = await tx.incidents.addMessage({
          incidentId: inc.id,
          seq: 1,
          msgType: 'Alert',
          identifier: `m-${n}`,
          sender: 's',
          sentUs: T0,
          changes: [],
          decisionId: null,
          solutionId: null,
          factsJson: '{}',
          capXml: '<a/>',
          jsonBody: '{}',
          createdBy: 'p',
        });
        for (const endpointId of [1, 2])
          await tx.deliveries.enqueue({ incidentId: inc.id, messageId: m.id, seq: 1, agencyId: 1, endpointId, idempotencyKey: `${n}-${endpointId}`, atUs: T0 });
      }
    });
    const leasedBy = new Map<number, string[]>();
    const worker = async (name: string, store: Store) => {
      for (;;) {
        const claims = await store.write((tx) => tx.deliveries.claim(T0 + 1, name, T0 + LEASE, 3, new Set()), { durability: 'relaxed' });
        if (claims.length === 0) return;
        for (const c of claims) leasedBy.set(c.deliveryId, [...(leasedBy.get(c.deliveryId) ?? []), name]);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => worker(`w${i}`, stores[i % 2]!)));
    expect(leasedBy.size).toBe(2 * INCIDENTS);
    expect([...leasedBy.values()].filter((owners) => owners.length !== 1)).toEqual([]);
    expect(await t.probe.query('SELECT count(*)::int AS n FROM delivery_attempts')).toEqual([{ n: 2 * INCIDENTS }]);
  });

  it('runs a write again, whole, when PostgreSQL breaks a deadlock by aborting it, and announces its events once', async () => {
    await t.store.write(async (tx) => {
      await tx.alerts.insert(newAlert(1, { sensors: [], pulses: [] }));
      await tx.alerts.insert(newAlert(2, { sensors: [], pulses: [] }));
    });
    const seen: CommittedEvent[] = [];
    stores.forEach((s) => s.onCommitted((e) => seen.push(...e.filter((x) => x.local))));
    const runs = [0, 0];
    let arrived = 0;
    const bothHoldOne = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (arrived >= 2) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const crossing = (k: 0 | 1) =>
      stores[k]!.write(async (tx) => {
        runs[k]!++;
        await tx.alerts.lock(k === 0 ? 1 : 2);
        arrived++;
        await bothHoldOne;
        await tx.alerts.lock(k === 0 ? 2 : 1);
        tx.emit('alertAdded', { alert: { id: 100 + k } } as never);
        return k;
      });
    expect(await Promise.all([crossing(0), crossing(1)])).toEqual([0, 1]);
    expect(runs[0]! + runs[1]!).toBe(3);
    expect(seen.map((e) => (e.payload as { alert: { id: number } }).alert.id).sort()).toEqual([100, 101]);
  });
});
