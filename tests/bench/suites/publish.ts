/**
 * Publishing on loopback: decision-to-receipt latency and deliveries per second with three
 * agencies, beside a bare signed HTTP POST loop to the same receiver process in the same run
 * (the transport's own limit). Receipt times come from the receiver process's clock, the
 * decision time from ours: one machine, one clock.
 */
import { join } from 'node:path';
import { openCore } from '../../../src/core/core.ts';
import { CAP_CONTENT_TYPE } from '../../../src/publish/cap.ts';
import { newAgents, postOnce } from '../../../src/publish/http-post.ts';
import { signedHeaders } from '../../../src/publish/signing.ts';
import { startDeliveryWorker } from '../../../src/publish/worker.ts';
import { addAgency, decide, SECRET, seedAlert } from '../../support/publish-fixtures.ts';
import { startReceiver } from '../../support/receiver-process.ts';
import type { BenchSuite, Figure } from '../types.ts';

const nowUs = () => Math.round((performance.timeOrigin + performance.now()) * 1000);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};
const yieldToLoop = () => new Promise((r) => setImmediate(r));

export const suite: BenchSuite = {
  name: 'publish',
  async run(ctx) {
    const latencyRuns = ctx.quick ? 30 : 200;
    const burst = ctx.quick ? 60 : 400;
    const receiver = await startReceiver({ record: join(ctx.workDir, 'received.jsonl'), secrets: [SECRET], echo: true });
    const core = openCore({ dataDir: join(ctx.workDir, 'data') });
    const arrivals = new Map<string, number[]>(); // message identifier -> receipt times (µs)
    const waiters = new Map<string, { count: number; resolve: () => void }>();
    receiver.onEcho((r) => {
      if (r.status !== 200) return;
      const list = [...(arrivals.get(r.message) ?? []), r.receivedUs];
      arrivals.set(r.message, list);
      const w = waiters.get(r.message);
      if (w && list.length >= w.count) w.resolve();
    });
    try {
      for (const [i, name] of ['City PD', 'County Sheriff', 'Transit Police'].entries()) {
        await addAgency(core, { name, url: receiver.url(`/agency-${i}`), format: i === 2 ? 'json' : 'cap', half: 0.05 + i * 0.05 });
      }
      const alerts: number[] = [];
      for (let i = 0; i < latencyRuns + burst; i++) alerts.push(await seedAlert(core));
      startDeliveryWorker(core);
      const identifierOf = (alertId: number) => core.store.incidents.lastMessage(core.store.incidents.byAlert(alertId)!.id)!.identifier;

      // Latency: one decision at a time, waiting for all three receipts.
      ctx.log(`latency: ${latencyRuns} decisions, one at a time, 3 agencies each`);
      const latencies: number[] = [];
      for (const alertId of alerts.slice(0, latencyRuns)) {
        const t0 = nowUs();
        await decide(core, alertId);
        const id = identifierOf(alertId);
        if ((arrivals.get(id)?.length ?? 0) < 3) await new Promise<void>((resolve) => waiters.set(id, { count: 3, resolve }));
        for (const t of arrivals.get(id)!) latencies.push((t - t0) / 1000);
      }

      // Throughput: a burst of decisions, yielding to the event loop between them, until every receipt is in.
      ctx.log(`throughput: ${burst} decisions in a burst (${burst * 3} deliveries)`);
      const burstAlerts = alerts.slice(latencyRuns);
      const t0 = nowUs();
      const done = new Promise<void>((resolve) => {
        let left = burst;
        for (const alertId of burstAlerts) {
          void decide(core, alertId).then(() => {
            const id = identifierOf(alertId);
            const finish = () => (--left === 0 ? resolve() : undefined);
            if ((arrivals.get(id)?.length ?? 0) >= 3) finish();
            else waiters.set(id, { count: 3, resolve: finish });
          });
        }
      });
      for (let i = 0; i < burst; i++) await yieldToLoop();
      await done;
      const publishPerS = (burst * 3) / ((Math.max(...burstAlerts.flatMap((a) => arrivals.get(identifierOf(a))!)) - t0) / 1e6);

      // Baseline: the same receiver, the same signed CAP bytes, keep-alive, the worker's concurrency.
      const body = core.store.incidents.body(core.store.incidents.lastMessage(core.store.incidents.byAlert(alerts[0]!)!.id)!.id)!.cap;
      const agents = newAgents(16);
      let n = 0;
      const post = async (): Promise<number> => {
        const key = `bench-${++n}`;
        const headers = signedHeaders({
          secret: SECRET,
          body,
          contentType: CAP_CONTENT_TYPE,
          timestampS: Math.floor(Date.now() / 1000),
          idempotencyKey: key,
          deliveryId: n,
          attempt: 1,
          messageIdentifier: key,
          userAgent: 'bench',
        });
        const start = nowUs();
        const r = await postOnce(receiver.url('/agency-0'), body, headers, { timeoutMs: 10_000, agents });
        if (r.status !== 200) throw new Error(`bare POST answered ${r.status ?? r.error}`);
        const arrived = arrivals.get(key)?.[0] ?? (await new Promise<void>((resolve) => waiters.set(key, { count: 1, resolve })), arrivals.get(key)![0]!);
        return (arrived - start) / 1000;
      };
      const bareLatencies: number[] = [];
      for (let i = 0; i < latencyRuns * 3; i++) bareLatencies.push(await post());
      const bareStart = nowUs();
      const total = burst * 3;
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < total) {
            next++;
            await post();
          }
        }),
      );
      const barePerS = total / ((nowUs() - bareStart) / 1e6);
      agents.http.destroy();

      const figures: Figure[] = [
        {
          name: 'publish.latency_p50_ms',
          value: pct(latencies, 50),
          unit: 'ms',
          baseline: pct(bareLatencies, 50),
          baselineLabel: 'bare signed POST, send to receipt',
          higherIsBetter: false,
        },
        {
          name: 'publish.latency_p99_ms',
          value: pct(latencies, 99),
          unit: 'ms',
          baseline: pct(bareLatencies, 99),
          baselineLabel: 'bare signed POST, send to receipt',
          higherIsBetter: false,
        },
        {
          name: 'publish.deliveries_per_s',
          value: publishPerS,
          unit: '/s',
          baseline: barePerS,
          baselineLabel: 'bare POST loop, 16 in flight',
          higherIsBetter: true,
        },
      ];
      return figures;
    } finally {
      await core.close();
      await receiver.stop();
    }
  },
};
