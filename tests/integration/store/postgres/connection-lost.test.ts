/**
 * A database restarted under a server (pg_ctl restart, a failover): the connection a transaction
 * holds is cut while the transaction waits. The write fails with the reason, the process lives
 * on (pg emits an 'error' on a checked-out client, which with no listener would kill the server),
 * and the next write works on a new connection. Found by the centre bench (issue 13).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { newAlert } from '../../../support/store-fixtures.ts';

describe.skipIf(backendUnavailable('a connection cut under a transaction', 'postgres'))('a transaction whose connection the database ends', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await openTestDatabase('postgres');
  });
  afterEach(async () => t.close());

  it('fails that write with the reason, does not crash the process, and the next write works', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const cut = t.store.write(async (tx) => {
        await tx.alerts.insert(newAlert(1, { sensors: [], pulses: [] }));
        await sleep(1500); // idle in transaction while the database ends the connection
        await tx.alerts.insert(newAlert(2, { sensors: [], pulses: [] }));
      });
      const outcome = cut.then(
        () => 'committed',
        (e: Error) => e.message,
      );
      await sleep(500);
      const ended = await t.probe.query<{ ok: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
      );
      expect(ended.map((r) => r.ok)).toEqual([true]);
      expect(await outcome).toMatch(/terminat|connection/i);
      await sleep(200); // the socket's own error, after the server's message, arrives now
      expect(uncaught).toEqual([]);
      expect(await t.probe.query('SELECT id FROM alerts')).toEqual([]);
      await t.store.write(async (tx) => void (await tx.alerts.insert(newAlert(3, { sensors: [], pulses: [] }))));
      expect(Number((await t.probe.query<{ n: unknown }>('SELECT count(*) AS n FROM alerts'))[0]!.n)).toBe(1);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
