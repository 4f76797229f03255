import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordsCollector } from '../../../../src/audit/records-check.ts';
import type { AttestedTableName } from '../../../../src/kernel/store-port.ts';
import { ATTESTED_TABLE_NAMES } from '../../../../src/store/attested.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';

const T0 = 1_780_000_000_000_000;
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

describe.skipIf(backendUnavailable('intake key queries'))(`intake keys (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase();
  });
  afterEach(async () => t.close());

  const issue = (source: string, keySha256: string, note: string | null = null) =>
    t.store.write(async (tx) => {
      const id = await tx.intakeKeys.insert({ source, keySha256, note, issuedUs: T0, issuedBy: 'ada' });
      await tx.audit.append({ atUs: T0, actor: 'ada', action: 'intake.key_issued', entity: `intake_key:${id}`, payload: { id, source } });
      return id;
    });

  it('keeps a key by its hash, finds it by the hash only, and lists keys without it', async () => {
    const a = await issue('north', HASH_A, 'first sender');
    const b = await issue('south', HASH_B);
    expect(typeof a).toBe('number');
    const found = await t.store.read((tx) => tx.intakeKeys.byHash(HASH_A));
    expect(found).toEqual({
      id: a,
      source: 'north',
      keySha256: HASH_A,
      note: 'first sender',
      issuedUs: T0,
      issuedBy: 'ada',
      lastUsedUs: null,
      revokedUs: null,
      revokedBy: null,
    });
    expect(await t.store.read((tx) => tx.intakeKeys.byHash('c'.repeat(64)))).toBeUndefined();
    const list = await t.store.read((tx) => tx.intakeKeys.list());
    expect(list.map((k) => [k.id, k.source])).toEqual([
      [a, 'north'],
      [b, 'south'],
    ]);
    expect(JSON.stringify(list)).not.toContain(HASH_A);
  });

  it('revokes once, moves last-used, and refuses a second key with the same hash', async () => {
    const a = await issue('north', HASH_A);
    expect(await t.store.write((tx) => tx.intakeKeys.revoke(a, T0 + 5, 'ada'))).toBe(true);
    expect(await t.store.write((tx) => tx.intakeKeys.revoke(a, T0 + 9, 'bob'))).toBe(false);
    await t.store.write((tx) => tx.intakeKeys.touch(a, T0 + 7), { durability: 'relaxed' });
    expect(await t.store.read((tx) => tx.intakeKeys.byId(a))).toMatchObject({ revokedUs: T0 + 5, revokedBy: 'ada', lastUsedUs: T0 + 7 });
    await expect(issue('south', HASH_A)).rejects.toMatchObject({ kind: 'unique' });
  });

  it('attests every issued and revoked key, so audit verify names a key added or un-revoked behind the log; last-used is bookkeeping', async () => {
    const a = await issue('north', HASH_A);
    await t.store.write(async (tx) => {
      await tx.intakeKeys.revoke(a, T0 + 2, 'ada');
      await tx.audit.append({ atUs: T0 + 2, actor: 'ada', action: 'intake.key_revoked', entity: `intake_key:${a}`, payload: { id: a } });
    });
    const log = await t.store.read(async (tx) => {
      const rows = [];
      for await (const r of tx.audit.iterate())
        rows.push({ action: r.action, attested: (JSON.parse(r.payload_json) as { attested?: { table: string; key: string }[] }).attested });
      return rows;
    });
    expect(log.filter((r) => r.action.startsWith('intake.')).map((r) => [r.action, r.attested?.map((x) => `${x.table}:${x.key}`)])).toEqual([
      ['intake.key_issued', [`intake_keys:${a}`]],
      ['intake.key_revoked', [`intake_keys:${a}`]],
    ]);
    await t.store.write((tx) => tx.intakeKeys.touch(a, T0 + 3), { durability: 'relaxed' });
    expect(await problems()).toEqual([]);
    // Behind the log: the revocation undone, and a key slipped in.
    await t.probe.run(`UPDATE intake_keys SET revoked_us = NULL, revoked_by = NULL WHERE id = ${a}`);
    await t.probe.run(`INSERT INTO intake_keys (source, key_sha256, issued_us, issued_by) VALUES ('north', '${HASH_B}', ${T0}, 'mallory')`);
    const found = (await problems()).map((p) => p.message);
    expect(found.some((m) => m.includes(`intake key ${a}`))).toBe(true);
    expect(found.length).toBeGreaterThanOrEqual(2);
  });

  /** What `audit verify` says of the attested tables, as tests/integration/store/port/attested.test.ts asks it. */
  const problems = () =>
    t.store.read(async (tx) => {
      const records = new RecordsCollector();
      for await (const row of tx.audit.iterate()) records.visit(row);
      const rows = new Map<AttestedTableName, { key: string; digest: string }[]>();
      for (const table of ATTESTED_TABLE_NAMES) rows.set(table, await tx.auditReads.attestedRows(table));
      return records.attestedProblems((table) => rows.get(table)!);
    });
});
