import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { seedAlerts, T0 } from '../../../support/store-fixtures.ts';

const MIN = 60_000_000;
const HOUR = 3_600_000_000;
const BUDGET = MIN;

describe.skipIf(backendUnavailable('supervision queries'))(`supervision (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
    // Alerts 1-6 detected a minute apart from T0 + 1 min.
    await t.store.write((tx) => seedAlerts(tx, 6));
  });
  afterEach(async () => t.close());

  const decide = (alertId: number, afterDetectionUs: number) =>
    t.store.write((tx) =>
      tx.decisions.insert({
        alertId,
        class: 'gunfire_single',
        rounds: 1,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: '',
        decidedBy: 'rita',
        decidedUs: T0 + alertId * MIN + afterDetectionUs,
        reviewMs: 1000,
      }),
    );

  it('counts the queue and what has waited past its budget', async () => {
    await decide(1, 30_000_000);
    await decide(2, 90_000_000);
    await decide(3, 10_000_000);
    // Waiting: 4 (detected at 4 min), 5 and 6. At 5.5 min with a one-minute budget only 4 is past it.
    expect(await t.store.read((tx) => tx.supervision.queueNow(T0 + 5.5 * MIN, BUDGET))).toEqual({
      pending: 3,
      pastDeadline: 1,
      oldestWaitingSinceUs: T0 + 4 * MIN,
    });
    await decide(4, 1);
    await decide(5, 1);
    await decide(6, 1);
    expect(await t.store.read((tx) => tx.supervision.queueNow(T0 + 9 * MIN, BUDGET))).toEqual({ pending: 0, pastDeadline: 0, oldestWaitingSinceUs: null });
  });

  it('buckets first decisions by UTC hour, with those made within the budget', async () => {
    const firstHour = Math.floor(T0 / HOUR) * HOUR;
    const boundaryAfterDetection = (alertId: number) => firstHour + HOUR - (T0 + alertId * MIN); // µs from detection to the next hour
    await decide(1, 30_000_000); // within
    await decide(2, 90_000_000); // late
    await decide(3, 10_000_000); // within; its revision below does not count again
    await decide(3, 20 * MIN);
    await decide(6, boundaryAfterDetection(6) + 1); // the next hour, late or not by its own wait
    const within6 = boundaryAfterDetection(6) + 1 <= BUDGET ? 1 : 0;
    expect(await t.store.read((tx) => tx.supervision.decisionsPerHour(firstHour, BUDGET))).toEqual([
      { hourUs: firstHour, decisions: 3, withinBudget: 2 },
      { hourUs: firstHour + HOUR, decisions: 1, withinBudget: within6 },
    ]);
    // From the second hour on, only it.
    expect(await t.store.read((tx) => tx.supervision.decisionsPerHour(firstHour + HOUR, BUDGET))).toEqual([
      { hourUs: firstHour + HOUR, decisions: 1, withinBudget: within6 },
    ]);
  });
});
