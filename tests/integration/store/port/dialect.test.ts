/**
 * Where SQLite and PostgreSQL differ under the port, and the port makes them agree: 64-bit
 * integers, binary columns, JSON kept as its exact text, generated ids, constraint errors.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreConstraintError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { newAlert, sensor, solutionBody, T0 } from '../../../support/store-fixtures.ts';

describe.skipIf(backendUnavailable('dialect differences'))(`what the dialects make the same (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());

  it('reads 64-bit integers exactly up to 2^53 - 1 and refuses one beyond, leaving the store usable', async () => {
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1, { detectedUs: Number.MAX_SAFE_INTEGER, importedUs: -Number.MAX_SAFE_INTEGER })));
    expect(await t.store.read((tx) => tx.alerts.summary(id))).toMatchObject({ detectedUs: Number.MAX_SAFE_INTEGER, importedUs: -Number.MAX_SAFE_INTEGER });
    await t.probe.run('UPDATE alerts SET detected_us = detected_us + 2 WHERE id = ?', id);
    await expect(t.store.read((tx) => tx.alerts.summary(id))).rejects.toThrow(RangeError);
    await expect(t.store.read((tx) => tx.alerts.summary(id))).rejects.toThrow(/9007199254740993/);
    // Counts come back as numbers too (PostgreSQL's count(*) is int8).
    expect(await t.store.read((tx) => tx.accounts.count())).toBe(0);
  });

  it('keeps binary columns byte for byte, an empty one included', async () => {
    const odd = Float32Array.from([Number.MIN_VALUE, -0, 3.4e38, 1 / 3, -1e-45, Infinity]);
    await t.store.write((tx) =>
      tx.alerts.insert(
        newAlert(1, {
          sensors: [
            { ...sensor(1), peaks: odd },
            { ...sensor(2), peaks: new Float32Array(0) },
          ],
        }),
      ),
    );
    const [a, b] = await t.store.read((tx) => tx.alerts.peaks(1));
    expect(Buffer.from(a!.peaks.buffer).equals(Buffer.from(odd.buffer))).toBe(true);
    expect(b!.peaks.length).toBe(0);
  });

  it('keeps JSON columns as the exact text written (the audit chain hashes it): key order, spacing, escapes, number forms', async () => {
    const body = { ...solutionBody(2), note: 'ü\u2028"\\', big: 1e21, small: 5e-324, zero: 0, keys: { b: 1, a: 2 } };
    const id = await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    await t.store.write((tx) => tx.alerts.addSolution(id, 'machine', 'locator', T0, body as never));
    const [row] = await t.probe.query<{ body_json: string }>('SELECT body_json FROM solutions');
    expect(row!.body_json).toBe(JSON.stringify(body));
    expect((await t.store.read((tx) => tx.alerts.detail(id)))!.solutions[0]).toMatchObject({ note: 'ü\u2028"\\', big: 1e21, keys: { b: 1, a: 2 } });
    // A sub-object read out of JSON by the database comes back whole.
    expect((await t.store.read((tx) => tx.alerts.summary(id)))!.location).toEqual(solutionBody().shots[0]!.position);
  });

  it('hands out ids from 1 in insertion order, through RETURNING on both', async () => {
    const ids = await t.store.write(async (tx) => [
      await tx.alerts.insert(newAlert(1)),
      await tx.alerts.insert(newAlert(2)),
      await tx.alerts.insertPulse(1, newAlert(1).pulses[0]!),
    ]);
    expect(ids).toEqual([1, 2, 7]);
    expect((await t.probe.query<{ id: number }>('SELECT id FROM alerts ORDER BY id')).map((r) => Number(r.id))).toEqual([1, 2]);
  });

  it('names constraint failures alike: unique, foreign key, check, not null', async () => {
    const kind = async (p: Promise<unknown>) => {
      try {
        await p;
        return 'none';
      } catch (e) {
        return e instanceof StoreConstraintError ? e.kind : `other: ${String(e)}`;
      }
    };
    await t.store.write((tx) => tx.alerts.insert(newAlert(1)));
    expect(await kind(t.store.write((tx) => tx.alerts.insert(newAlert(1))))).toBe('unique');
    expect(
      await kind(
        t.store.write((tx) =>
          tx.decisions.insert({
            alertId: 42,
            class: 'other',
            rounds: null,
            flags: { fullyAutomatic: false, multipleShooters: false },
            notes: '',
            decidedBy: 'x',
            decidedUs: 1,
            reviewMs: 1,
          }),
        ),
      ),
    ).toBe('foreign_key');
    expect(await kind(t.store.write((tx) => tx.alerts.insert(newAlert(2, { coordinates: 'mars' as never }))))).toBe('check');
    expect(await kind(t.store.write((tx) => tx.alerts.insert(newAlert(3, { source: null as never }))))).toBe('not_null');
    // Nothing of the failed writes stayed.
    expect(await t.store.read((tx) => tx.alerts.list('all', 10))).toHaveLength(1);
  });
});
