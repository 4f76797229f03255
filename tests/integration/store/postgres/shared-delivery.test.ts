import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackgroundWork } from '../../../../src/core/background.ts';
import { openCore, type Core } from '../../../../src/core/core.ts';
import { startDeliveryWorker } from '../../../../src/publish/worker.ts';
import { PostgresStore } from '../../../../src/store/postgres/store.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { SECRET, waitFor } from '../../../support/publish-fixtures.ts';
import { seedPublishable } from '../../../support/publishable.ts';
import { startReceiver, type Receipt, type Receiver } from '../../../support/receiver-process.ts';
import { tempDir } from '../../../support/temp.ts';
import { twoServersOnOneDatabase, type TwoServers } from '../../../support/two-servers.ts';

const SERVER = join(import.meta.dirname, '../../../support/delivery-server.ts');
/** Requests wait up to 10 s, so a receiver holding one for 4 s keeps it in flight until the kill. */
const PACE = { baseDelayMs: 50, maxDelayMs: 300, requestTimeoutMs: 10_000, pollMs: 50 };
const GUNFIRE = { class: 'gunfire_single', rounds: 1, reviewMs: 3000 } as const;
const HOLD_MS = 4000;

/** A server in a process of its own that leads the delivery worker (tests/support/delivery-server.ts). */
async function serverProcess(url: string, dataDir: string): Promise<{ child: ChildProcess; owner: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, url, dataDir, JSON.stringify(PACE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const owner = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server process never led the delivery worker')), 60_000);
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)));
    lines.on('line', (l) => {
      if (!l.startsWith('leading ')) return;
      clearTimeout(timer);
      resolve(l.slice('leading '.length));
    });
  });
  return { child, owner };
}

const stored = (got: Receipt[]) => got.filter((r) => r.status === 200 && r.signatureValid && !r.duplicate);

/**
 * The delivery worker across the servers of one centre (issue 12: "a delivery is sent by one
 * worker at a time"; issue 13: the delivery worker runs on exactly one server, taken over when it
 * dies, losing nothing). Real processes, a real PostgreSQL database and a real receiver on loopback.
 */
describe.skipIf(backendUnavailable('delivery across servers', 'postgres'))('deliveries across two servers on one database', () => {
  let tmp: ReturnType<typeof tempDir>;
  let receiver: Receiver;
  beforeEach(async () => {
    tmp = tempDir();
    receiver = await startReceiver({ record: join(tmp.dir, 'received.jsonl'), secrets: [SECRET] });
  });
  afterEach(async () => {
    await receiver.stop();
    tmp.cleanup();
  });
  const agency = () => ({ endpoints: [{ url: receiver.url('/cap'), format: 'cap' as const, secret: SECRET }] });

  describe('one server leads the worker; it is killed -9 mid-delivery', () => {
    let t: TestDatabase;
    let a: Core;
    let b: { child: ChildProcess; owner: string };
    beforeEach(async () => {
      t = await openTestDatabase('postgres');
      // Server b starts first and leads the delivery worker; server a (this process) runs the same background work and waits its turn.
      b = await serverProcess(t.url, join(tmp.dir, 'b'));
      const port = await PostgresStore.open(t.url, { migrations: false, max: 6 });
      await port.listening();
      a = openCore({ dataDir: join(tmp.dir, 'a'), storePort: port });
    });
    afterEach(async () => {
      if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
      await a.close();
      await t.close();
    });

    const attempts = () =>
      t.probe.query<{ outcome: string; worker: string; delivery_id: number }>(
        'SELECT delivery_id, outcome, worker FROM delivery_attempts ORDER BY delivery_id, attempt',
      );

    it('a gunfire decided on server a is delivered exactly once, by the server that leads the worker', async () => {
      const work = startBackgroundWork(a, { demo: false, inbox: false, deliveryOptions: { config: PACE } });
      const { alertIds } = await a.storePort.write((tx) => seedPublishable(tx, 1, 1, agency()));
      await a.call(a.cliSession(), 'decide', { alertId: alertIds[0]!, ...GUNFIRE });
      await waitFor(async () => (await attempts()).some((x) => x.outcome === 'delivered'), 'the delivery');
      await new Promise((r) => setTimeout(r, 500)); // time for a second send, were there one
      expect(work.delivery).toBeNull(); // a never led it
      expect(await attempts()).toEqual([{ delivery_id: 1, outcome: 'delivered', worker: b.owner }]);
      const got = receiver.received();
      expect(got).toHaveLength(1);
      expect(stored(got)).toHaveLength(1);
      expect(await auditRows(t.probe, 'delivery.delivered')).toHaveLength(1);
      // Server a's seats heard it delivered, from b, through the database.
      const [d] = (await a.call(a.cliSession(), 'listDeliveries', {})).deliveries;
      expect(d).toMatchObject({ state: 'delivered', attempts: 1 });
    });

    it('the other server takes the worker over and delivers; the receiver sees the interrupted attempt and one success, never two', async () => {
      const work = startBackgroundWork(a, { demo: false, inbox: false, deliveryOptions: { config: PACE } });
      await receiver.control({ delayMs: HOLD_MS });
      const { alertIds } = await a.storePort.write((tx) => seedPublishable(tx, 1, 1, agency()));
      await a.call(a.cliSession(), 'decide', { alertId: alertIds[0]!, ...GUNFIRE });
      await waitFor(async () => (await attempts()).some((x) => x.outcome === 'sending' && x.worker === b.owner), "b's attempt in flight");
      await new Promise((r) => setTimeout(r, 500)); // the request reaches the receiver, which holds it
      b.child.kill('SIGKILL');
      await receiver.control({ delayMs: 0 });

      const tookOver = await waitFor(() => work.delivery, 'server a to lead the delivery worker', 20_000);
      await waitFor(async () => (await attempts()).some((x) => x.outcome === 'delivered'), 'the delivery by server a', 20_000);
      expect(await attempts()).toEqual([
        { delivery_id: 1, outcome: 'interrupted', worker: b.owner },
        { delivery_id: 1, outcome: 'delivered', worker: tookOver.owner },
      ]);
      // The held request is answered (to no one) once its hold ends: the receiver then has both.
      await waitFor(() => receiver.received().length === 2, 'the held request to be answered', HOLD_MS + 5000);
      const got = receiver.received();
      expect(new Set(got.map((r) => r.message)).size).toBe(1);
      expect(new Set(got.map((r) => r.idempotencyKey)).size).toBe(1);
      expect(stored(got)).toHaveLength(1);
      expect(got.map((r) => r.attempt).sort()).toEqual(['1', '2']);
      expect(await auditRows(t.probe, 'delivery.delivered')).toHaveLength(1);
      const [d] = (await a.call(a.cliSession(), 'listDeliveries', {})).deliveries;
      expect(d).toMatchObject({ state: 'delivered', attempts: 2, lastError: null });
    });
  });

  describe('two workers at once (leadership overlapping)', () => {
    let servers: TwoServers;
    beforeEach(async () => {
      servers = await twoServersOnOneDatabase();
    });
    afterEach(() => servers.close());

    it('never send one delivery twice: the outbox is claimed with SKIP LOCKED and leases', async () => {
      const { a, b } = servers;
      const { alertIds } = await a.storePort.write((tx) => seedPublishable(tx, 40, 1, agency()));
      for (const [n, alertId] of alertIds.entries()) await (n % 2 ? b : a).call((n % 2 ? b : a).cliSession(), 'decide', { alertId, ...GUNFIRE });
      // Each answer takes a while, so neither worker can empty the queue before the other has claimed.
      await receiver.control({ delayMs: 150 });
      const workers = [startDeliveryWorker(a, { config: PACE }), startDeliveryWorker(b, { config: PACE })];
      const delivered = async () => Number((await servers.probe.query<{ n: number }>("SELECT count(*) AS n FROM deliveries WHERE state = 'delivered'"))[0]!.n);
      await waitFor(async () => (await delivered()) === 40, 'all 40 delivered', 60_000);
      await new Promise((r) => setTimeout(r, 300));

      const got = receiver.received();
      const byWorker = await servers.probe.query<{ worker: string; n: number }>('SELECT worker, count(*) AS n FROM delivery_attempts GROUP BY worker');
      expect(got, JSON.stringify(byWorker)).toHaveLength(40);
      expect(new Set(got.map((r) => r.idempotencyKey)).size).toBe(40);
      expect(stored(got)).toHaveLength(40);
      expect(byWorker.reduce((s, r) => s + Number(r.n), 0)).toBe(40);
      // Both took part: the test is of two workers at once, not of one.
      expect(byWorker.map((r) => r.worker).sort()).toEqual(workers.map((w) => w.owner).sort());
      expect(await auditRows(servers.probe, 'delivery.delivered')).toHaveLength(40);
    });
  });
});
