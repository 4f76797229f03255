import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compareUrgency, type QueueOrder } from '../../../../src/contract/index.ts';
import type { ClaimHolder } from '../../../../src/kernel/store-port.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAlert, seedAlerts, T0 } from '../../../support/store-fixtures.ts';

const LEASE = 60_000_000;
const seat = (s: string, accountId: number | null = null, by = `person-${s}`): ClaimHolder => ({ accountId, by, seat: s });

describe.skipIf(backendUnavailable('claim queries'))(`claims (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
    await t.store.write(async (tx) => {
      await tx.accounts.insert({ name: 'ann', displayName: 'Ann', passwordHash: 'h', roles: ['reviewer'], createdUs: T0, createdBy: 'x' });
      await tx.accounts.insert({ name: 'ben', displayName: 'Ben', passwordHash: 'h', roles: ['reviewer'], createdUs: T0, createdBy: 'x' });
      await seedAlerts(tx, 4);
    });
  });
  afterEach(async () => t.close());
  const take = (alertId: number, h: ClaimHolder, now = T0) => t.store.write((tx) => tx.claims.take(alertId, h, now, LEASE));

  it("gives an alert to one seat until its lease ends, or to the same person's other window", async () => {
    expect(await take(1, seat('s1', 1))).toBe(true);
    expect(await take(1, seat('s2', 2))).toBe(false);
    expect(await take(1, seat('s2', null))).toBe(false);
    // The same seat again, and the same account on another seat: theirs.
    expect(await take(1, seat('s1', 1), T0 + 1)).toBe(true);
    expect(await take(1, seat('s3', 1, 'ann'), T0 + 2)).toBe(true);
    expect(await t.store.read((tx) => tx.claims.get(1))).toEqual({ alertId: 1, by: 'ann', seat: 's3', claimedUs: T0 + 2, expiresUs: T0 + 2 + LEASE });
    // Expired: anyone's.
    expect(await take(1, seat('s2', 2), T0 + 2 + LEASE)).toBe(true);
    expect((await t.store.read((tx) => tx.claims.get(1)))!.seat).toBe('s2');
  });

  it("renews, tells the active claim, releases a seat's claims but one, and prunes", async () => {
    await take(1, seat('s1'));
    await take(2, seat('s1'));
    await take(3, seat('s1'));
    await take(4, seat('s2'));
    expect(await t.store.write((tx) => tx.claims.renew(1, 's1', T0 + 10, LEASE))).toBe(true);
    expect(await t.store.write((tx) => tx.claims.renew(1, 's2', T0 + 10, LEASE))).toBe(false);
    expect(await t.store.write((tx) => tx.claims.renew(2, 's1', T0 + LEASE + 1, LEASE))).toBe(false);
    expect(await t.store.read((tx) => tx.claims.activeOn(1, T0 + LEASE + 5))).toMatchObject({ alertId: 1, expiresUs: T0 + 10 + LEASE });
    expect(await t.store.read((tx) => tx.claims.activeOn(2, T0 + LEASE))).toBeUndefined();
    expect((await t.store.read((tx) => tx.claims.ofSeat('s1'))).map((c) => c.alertId)).toEqual([1, 2, 3]);
    expect((await t.store.read((tx) => tx.claims.allActive(T0 + LEASE + 5))).map((c) => c.alertId)).toEqual([1]);
    expect(await t.store.write((tx) => tx.claims.releaseSeat('s1', 2))).toEqual(expect.arrayContaining([1, 3]));
    expect((await t.store.read((tx) => tx.claims.ofSeat('s1'))).map((c) => c.alertId)).toEqual([2]);
    expect(await t.store.write((tx) => tx.claims.releaseSeat('s1'))).toEqual([2]);
    expect(await t.store.write((tx) => tx.claims.remove(4))).toBe(true);
    expect(await t.store.write((tx) => tx.claims.remove(4))).toBe(false);
    await take(1, seat('s1'));
    await t.store.write((tx) => tx.claims.prune(T0 + LEASE + 1));
    expect(await t.store.read((tx) => tx.claims.get(1))).toBeUndefined();
  });

  it('takes the next alert in each queue order, passing over claimed, decided and skipped ones', async () => {
    // Alerts 1-4 were detected a minute apart; 5 is the newest.
    await t.store.write((tx) => tx.alerts.insert(newAlert(5)));
    const next = (queueOrder: Exclude<QueueOrder, 'likely_gunfire_first'>, nowUs: number, skip: number[] = []) =>
      t.store.write((tx) => tx.claims.next({ queueOrder, deadlineSeconds: 90, gunfireHeadStartSeconds: 0 }, nowUs, skip));
    const now = T0 + 4 * 60_000_000;
    expect(await next('oldest_first', now)).toBe(1);
    expect(await next('newest_first', now)).toBe(5);
    // Within budget first: alerts 1-2 are past their 90 s budget at this time, 3 is the oldest still within it.
    expect(await next('within_budget_oldest_first', now)).toBe(3);
    expect(await next('oldest_first', now, [1, 2])).toBe(3);
    expect(await next('oldest_first', now, [])).toBe(1);
    await take(1, seat('s1'), now);
    await t.store.write((tx) =>
      tx.decisions.insert({
        alertId: 2,
        class: 'other',
        rounds: null,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: '',
        decidedBy: 'd',
        decidedUs: now,
        reviewMs: 1,
      }),
    );
    expect(await next('oldest_first', now)).toBe(3);
    // An expired claim does not hold its alert back.
    expect(await next('oldest_first', now + LEASE)).toBe(1);
    expect(await next('oldest_first', now, [1, 2, 3, 4, 5])).toBeUndefined();
  });

  it("takes alerts in every order exactly as the contract's compareUrgency sorts them, clock-ahead alerts by their arrival", async () => {
    // Alerts 1-4 (gunfire) were detected a minute apart; add others of every kind of label, older and newer.
    const labels: (string | null)[] = ['firework', 'Probable gunfire', 'possible gunshot', null, 'GUNSHOT', 'car backfire', 'likely gunfire', 'helicopter'];
    await t.store.write(async (tx) => {
      for (const [i, label] of labels.entries()) {
        const n = 5 + i;
        // Spread over an hour either side of the gunfire, so head starts of 0, 15 min and 2 h each reorder differently.
        const detectedUs = T0 + (i - 4) * 17 * 60_000_000 + 1;
        await tx.alerts.insert(newAlert(n, { detectedUs, importedUs: detectedUs, machine: label === null ? null : { label, confidence: 0.5, rounds: null } }));
      }
      // Two whose networks' clocks ran ahead: stamped hours after they arrived. Their wait counts from arrival.
      await tx.alerts.insert(
        newAlert(13, { detectedUs: T0 + 5 * 3_600_000_000, importedUs: T0 - 30 * 60_000_000, machine: { label: 'firework', confidence: 0.5, rounds: null } }),
      );
      await tx.alerts.insert(
        newAlert(14, { detectedUs: T0 + 9 * 3_600_000_000, importedUs: T0 + 10 * 60_000_000, machine: { label: 'gunshot', confidence: 0.5, rounds: null } }),
      );
    });
    const now = T0 + 3 * 3_600_000_000;
    const queued = await t.store.read(async (tx) =>
      (await tx.auditReads.alerts()).map((a) => ({
        id: a.id,
        detectedUs: a.detected_us,
        importedUs: a.imported_us,
        machine: a.machine_label === null ? null : { label: a.machine_label },
      })),
    );
    const orders = [0, 15 * 60, 2 * 3600].map((headStart) => ({ queueOrder: 'likely_gunfire_first' as QueueOrder, gunfireHeadStartSeconds: headStart }));
    for (const queueOrder of ['oldest_first', 'newest_first', 'within_budget_oldest_first'] as const) orders.push({ queueOrder, gunfireHeadStartSeconds: 0 });
    for (const { queueOrder, gunfireHeadStartSeconds: headStart } of orders) {
      const settings = { queueOrder, deadlineSeconds: 90, gunfireHeadStartSeconds: headStart };
      const expected = [...queued].sort(compareUrgency(settings, now)).map((a) => a.id);
      const taken: number[] = [];
      for (;;) {
        const id = await t.store.write((tx) => tx.claims.next(settings, now, taken));
        if (id === undefined) break;
        taken.push(id);
      }
      expect(taken, `${queueOrder}, head start ${headStart} s`).toEqual(expected);
      // The clock-ahead firework arrived before all but the oldest: first come, first served does not put it last.
      if (queueOrder === 'oldest_first') expect(taken.indexOf(13)).toBeLessThan(taken.indexOf(8));
    }
    // The head start does reorder: with two hours the gunshots come before the older firework.
    const twoHours = { queueOrder: 'likely_gunfire_first' as const, deadlineSeconds: 90, gunfireHeadStartSeconds: 7200 };
    expect(await t.store.write((tx) => tx.claims.next(twoHours, now, []))).not.toBe(
      await t.store.write((tx) => tx.claims.next({ ...twoHours, gunfireHeadStartSeconds: 0 }, now, [])),
    );
  });
});
