import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { liveAlerts } from '../ingest/demo/live.ts';
import { defaultNetwork, loadNetworkFile, type DemoNetwork } from '../ingest/demo/network.ts';
import { writeBundle } from '../ingest/demo/output.ts';
import { Rng } from '../ingest/demo/rng.ts';
import { isUserError } from '../util/errors.ts';
import { UsageError } from './command.ts';
import { bundleParts } from './push-request.ts';

export interface DemoSenderOptions {
  alerts?: string | undefined;
  interval?: string | undefined;
  seed?: string | undefined;
  network?: string | undefined;
}

export interface DemoSenderPlan {
  network: DemoNetwork;
  /** Alerts to send; Infinity until the process is stopped. */
  count: number;
  intervalS: readonly [number, number];
  seed: string;
}

/** Checks `earwitness push --demo`'s options before anything is sent. */
export function demoSenderPlan(o: DemoSenderOptions, nowUs: number): DemoSenderPlan {
  const count = o.alerts === undefined ? Infinity : Number(o.alerts);
  if (count !== Infinity && (!Number.isInteger(count) || count < 1 || count > 100_000))
    throw new UsageError(`--alerts must be a whole number from 1 to 100000, not ${JSON.stringify(o.alerts)}`);
  const interval = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(o.interval ?? '20-40');
  const low = Number(interval?.[1]);
  const high = Number(interval?.[2]);
  if (!interval || low > high || high > 3600)
    throw new UsageError(`--interval is LOW-HIGH seconds between alerts, each from 0 to 3600 (say 20-40), not ${JSON.stringify(o.interval)}`);
  const seed = o.seed ?? `live-${nowUs}`;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(seed)) throw new UsageError(`--seed must be 1 to 40 letters, digits, - or _, not ${JSON.stringify(seed)}`);
  let network: DemoNetwork;
  try {
    network = o.network === undefined ? defaultNetwork() : loadNetworkFile(o.network);
  } catch (e) {
    if (isUserError(e)) throw new UsageError(e.message);
    throw e;
  }
  return { network, count, intervalS: [low, high], seed };
}

/**
 * The demo network as a sensor network outside the centre: simulates an alert "now", writes it
 * as a bundle in a private temporary folder, sends it like any other bundle (the same parts and
 * request as `earwitness push DIR`), removes the folder, waits, and again. A centre fed this way
 * takes its demo alerts through its intake, with a key, like a real network's.
 */
export async function sendDemoAlerts(
  plan: DemoSenderPlan,
  nowUs: () => number,
  send: (dir: string, parts: ReturnType<typeof bundleParts>) => Promise<{ stop: boolean }>,
  stopped: () => boolean,
): Promise<void> {
  const schedule = Rng.of('earwitness-demo', plan.seed, 'feed');
  const live = liveAlerts(plan.network, plan.seed, nowUs(), schedule);
  const work = mkdtempSync(join(tmpdir(), 'earwitness-push-demo-'));
  try {
    for (let n = 0; n < plan.count && !stopped(); n++) {
      if (n > 0) await sleep(1000 * schedule.uniform(plan.intervalS[0], plan.intervalS[1]));
      if (stopped()) break;
      const steps = live.next(nowUs());
      let step = steps.next();
      while (!step.done) step = steps.next();
      const dir = writeBundle(work, step.value);
      try {
        if ((await send(dir, bundleParts(dir))).stop) break;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
