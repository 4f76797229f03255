/**
 * The delivery worker on the store port (`npm run bench -- --only deliver`): deliveries per
 * second from a queue of decided gunfire to a receiver process on loopback (one agency, one
 * endpoint, so the worker's 8 requests in flight per endpoint), on SQLite and on PostgreSQL, each
 * beside a bare signed POST loop of the same bytes to the same receiver with 8 in flight, in the
 * same run: the transport's own limit, so the ratio is what the worker's claims, settlements, audit
 * entries and announcements cost. (The synchronous worker this replaced is gone with its queries;
 * `npm run bench -- --only publish` keeps the SQLite figure with three agencies.) PostgreSQL as the
 * tests find it.
 */
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { StoreBackend } from '../../../src/kernel/store-port.ts';
import { CAP_CONTENT_TYPE } from '../../../src/publish/cap.ts';
import { newAgents, postOnce } from '../../../src/publish/http-post.ts';
import { signedHeaders } from '../../../src/publish/signing.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import { SECRET } from '../../support/publish-fixtures.ts';
import { seedPublishable } from '../../support/publishable.ts';
import { startReceiver } from '../../support/receiver-process.ts';
import { onBothBackends } from '../both-backends.ts';
import type { BenchContext, BenchSuite, Figure } from '../types.ts';

const IN_FLIGHT = 8; // the worker's default per endpoint
const INPUT = { class: 'gunfire_single', rounds: 1, reviewMs: 3000 } as const;

async function measure(backend: StoreBackend, core: Core, ctx: BenchContext): Promise<Figure[]> {
  const n = ctx.quick ? 60 : 400;
  const receiver = await startReceiver({ record: join(ctx.workDir, `received-${backend}.jsonl`), secrets: [SECRET] });
  try {
    const endpoints = [{ url: receiver.url('/cap'), format: 'cap' as const, secret: SECRET }];
    const { alertIds } = await core.storePort.write((tx) => seedPublishable(tx, n, 1, { endpoints }));
    for (const alertId of alertIds) await core.call(core.cliSession(), 'decide', { alertId, ...INPUT });
    const delivered = () => core.storePort.read(async (tx) => (await tx.deliveries.list({ state: 'delivered', limit: n + 1 })).length);

    // The worker: from its start to the last delivery settled (every attempt recorded, audited, announced).
    const started = performance.now();
    const worker = startDeliveryWorker(core);
    while ((await delivered()) < n) await new Promise((r) => setTimeout(r, 5));
    const workerPerS = n / ((performance.now() - started) / 1000);
    await worker.stop();
    const sent = receiver.received();
    if (sent.length !== n) throw new Error(`the receiver got ${sent.length} requests for ${n} deliveries`);

    // Baseline: the same signed CAP bytes, keep-alive, the same number in flight, no store at all.
    const body = sent[0]!.body;
    const agents = newAgents(IN_FLIGHT);
    let next = 0;
    const bareStarted = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < n) {
          const key = `bench-${++next}`;
          const headers = signedHeaders({
            secret: SECRET,
            body,
            contentType: CAP_CONTENT_TYPE,
            timestampS: Math.floor(Date.now() / 1000),
            idempotencyKey: key,
            deliveryId: next,
            attempt: 1,
            messageIdentifier: key,
            userAgent: 'bench',
          });
          const r = await postOnce(receiver.url('/cap'), body, headers, { timeoutMs: 10_000, agents });
          if (r.status !== 200) throw new Error(`bare POST answered ${r.status ?? r.error}`);
        }
      }),
    );
    const barePerS = n / ((performance.now() - bareStarted) / 1000);
    agents.http.destroy();
    ctx.log(`${backend}: ${n} deliveries by the worker, then ${n} bare POSTs`);
    return [
      {
        name: `deliver.deliveries_per_s.${backend}`,
        value: workerPerS,
        unit: '/s',
        baseline: barePerS,
        baselineLabel: `bare signed POST loop to the same receiver, ${IN_FLIGHT} in flight, no store`,
        higherIsBetter: true,
      },
    ];
  } finally {
    await receiver.stop();
  }
}

export const suite: BenchSuite = {
  name: 'deliver',
  run: (ctx) => onBothBackends(ctx, 'deliver', measure),
};
