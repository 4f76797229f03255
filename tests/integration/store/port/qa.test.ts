import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConstraintError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { seedAlerts, T0 } from '../../../support/store-fixtures.ts';

describe.skipIf(backendUnavailable('QA queries'))(`QA samples, reviews, adjudications, seal views, holds (${testBackend()})`, () => {
  let t: TestDatabase;
  let decisionIds: number[];
  beforeEach(async () => {
    t = await openTestDatabase();
    decisionIds = await t.store.write(async (tx) => {
      await seedAlerts(tx, 4);
      const ids: number[] = [];
      for (const alertId of [1, 2, 3]) {
        ids.push(
          (
            await tx.decisions.insert({
              alertId,
              class: 'gunfire_single',
              rounds: 1,
              flags: { fullyAutomatic: false, multipleShooters: false },
              notes: '',
              decidedBy: 'ann',
              decidedUs: T0,
              reviewMs: 1,
            })
          ).id,
        );
      }
      return ids;
    });
  });
  afterEach(async () => t.close());
  const sample = (alertId: number, state: 'open' | 'not_selected', sampledUs = T0) => ({
    alertId,
    draw: 0.0625,
    share: 0.1,
    keyId: 'k1',
    selected: state === 'open',
    decisionId: decisionIds[alertId - 1]!,
    sampledUs,
    state,
  });

  it('records samples and their states, and tells which decided alerts are unsampled and which are sealed', async () => {
    expect(await t.store.read((tx) => tx.qa.unsampledDecided())).toEqual([1, 2, 3]);
    await t.store.write(async (tx) => {
      expect(await tx.qa.insertSample(sample(2, 'open', T0 + 2))).toEqual({ ...sample(2, 'open', T0 + 2), closedUs: null });
      await tx.qa.insertSample(sample(1, 'open', T0 + 5));
      await tx.qa.insertSample(sample(3, 'not_selected'));
    });
    expect(await t.store.read((tx) => tx.qa.unsampledDecided())).toEqual([]);
    expect(await t.store.read((tx) => tx.qa.sealedAlertIds())).toEqual([1, 2]);
    expect((await t.store.read((tx) => tx.qa.samplesInState('open'))).map((s) => s.alertId)).toEqual([2, 1]);
    await t.store.write((tx) => tx.qa.setState(2, 'agreed', T0 + 9));
    expect(await t.store.read((tx) => tx.qa.sample(2))).toEqual({ ...sample(2, 'open', T0 + 2), state: 'agreed', closedUs: T0 + 9 });
    expect((await t.store.read((tx) => tx.qa.samples())).map((s) => [s.alertId, s.selected])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(await t.store.read((tx) => tx.qa.sample(4))).toBeUndefined();
    await expect(t.store.write((tx) => tx.qa.insertSample({ ...sample(3, 'open'), alertId: 4, draw: 1.5 }))).rejects.toSatisfy(
      (e) => e instanceof StoreConstraintError && e.kind === 'check',
    );
  });

  it('keeps reviews and adjudications, which the database refuses to change or delete', async () => {
    await t.store.write((tx) => tx.qa.insertSample(sample(1, 'open')));
    const review = await t.store.write((tx) =>
      tx.qa.insertReview({
        alertId: 1,
        reviewer: 'ben',
        class: 'fireworks',
        rounds: null,
        flags: { fullyAutomatic: false, multipleShooters: true },
        notes: 'n',
        reviewMs: 9,
        reviewedUs: T0 + 1,
        comparedDecisionId: decisionIds[0]!,
        agrees: false,
      }),
    );
    expect(review.id).toBe(1);
    expect(await t.store.read((tx) => tx.qa.review(1))).toEqual(review);
    const adj = await t.store.write((tx) =>
      tx.qa.insertAdjudication({
        alertId: 1,
        qaReviewId: review.id,
        auditor: 'cal',
        class: 'gunfire_single',
        rounds: 2,
        notes: 'x',
        verdict: 'first',
        adjudicatedUs: T0 + 2,
      }),
    );
    expect(await t.store.read((tx) => tx.qa.adjudication(1))).toEqual(adj);
    expect(await t.store.read((tx) => tx.qa.reviews())).toEqual([review]);
    expect(await t.store.read((tx) => tx.qa.adjudications())).toEqual([adj]);
    await expect(t.probe.run("UPDATE qa_reviews SET notes = 'changed'")).rejects.toThrow(/never changed/);
    await expect(t.probe.run('DELETE FROM qa_adjudications')).rejects.toThrow(/never deleted/);
    await expect(t.probe.run('DELETE FROM qa_samples')).rejects.toThrow(/never deleted/);
    await expect(t.store.write((tx) => tx.qa.insertReview({ ...review, id: undefined } as never))).rejects.toSatisfy(
      (e) => e instanceof StoreConstraintError && e.kind === 'unique',
    );
  });

  it('remembers who opened a sealed decision, once each', async () => {
    expect(await t.store.write((tx) => tx.qa.markSealViewed(1, 'zed', T0))).toBe(true);
    expect(await t.store.write((tx) => tx.qa.markSealViewed(1, 'zed', T0 + 1))).toBe(false);
    expect(await t.store.write((tx) => tx.qa.markSealViewed(1, 'amy', T0 + 2))).toBe(true);
    expect(await t.store.read((tx) => tx.qa.sealViewers(1))).toEqual(['amy', 'zed']);
    expect(await t.store.read((tx) => tx.qa.sealViewers(2))).toEqual([]);
  });

  it('holds a review task for one reviewer until the hold ends', async () => {
    await t.store.write(async (tx) => {
      await tx.qa.insertSample(sample(2, 'open'));
      await tx.qa.insertSample(sample(1, 'open'));
      await tx.qa.hold(2, 'ben', T0 + 100);
      await tx.qa.hold(1, 'dee', T0 + 50);
    });
    expect(await t.store.read((tx) => tx.qa.holder(2, T0 + 99))).toBe('ben');
    expect(await t.store.read((tx) => tx.qa.holder(2, T0 + 100))).toBeUndefined();
    expect([...(await t.store.read((tx) => tx.qa.holders(T0 + 10)))]).toEqual([
      [1, 'dee'],
      [2, 'ben'],
    ]);
    await t.store.write((tx) => tx.qa.hold(2, 'eve', T0 + 200));
    expect(await t.store.read((tx) => tx.qa.holder(2, T0 + 150))).toBe('eve');
    await t.store.write((tx) => tx.qa.releaseHold(2));
    expect([...(await t.store.read((tx) => tx.qa.holders(T0)))]).toEqual([[1, 'dee']]);
  });
});
