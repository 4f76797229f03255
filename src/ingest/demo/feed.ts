import type { ImportOutcome } from '../../contract/index.ts';
import type { CoreServices } from '../../kernel/services.ts';
import { importIncoming } from '../import.ts';
import type { IngestWork } from '../worker/pool.ts';
import { defaultNetwork, type DemoNetwork } from './network.ts';
import { liveAlerts } from './live.ts';
import { toIncoming } from './output.ts';
import { Rng } from './rng.ts';
import { log } from '../../util/log.ts';

/**
 * The embedded demo network: with no configuration, the core receives a realistic alert
 * every 20-40 s, the first one a moment after start, so a newcomer sees a live review
 * centre at once. Alerts are simulated "now" (their clips end just before detection) and
 * imported through the same path as any bundle.
 */

export interface DemoFeedOptions {
  network?: DemoNetwork;
  /** Names the random stream; by default each run differs. */
  seed?: string;
  /** Delay before the first alert. */
  firstDelayMs?: number;
  /** Delay between alerts, drawn uniformly in [low, high]. */
  intervalMs?: readonly [number, number];
  /** Pause while this many of the network's alerts wait for review: an app left open all weekend does not fill the disk. */
  maxPending?: number;
  /** Who the import is recorded as. */
  actor?: string;
  onImported?: (outcome: ImportOutcome) => void;
  /** Where the audio work runs (default the ingest workers; tests on fake timers run it inline). */
  work?: IngestWork;
}

export interface DemoFeed {
  /** Simulates and imports one alert now; null when stopped or paused by maxPending. */
  tick(): Promise<ImportOutcome | null>;
  /** Stops the timer and waits for an alert in the making. */
  stop(): Promise<void>;
  readonly produced: number;
}

export const DEMO_ACTOR = 'demo-network';

export function startDemoFeed(core: CoreServices, o: DemoFeedOptions = {}): DemoFeed {
  const network = o.network ?? defaultNetwork();
  const startUs = core.clock.nowUs();
  const seed = o.seed ?? `live-${startUs}`;
  const [low, high] = o.intervalMs ?? [20_000, 40_000];
  const schedule = Rng.of('earwitness-demo', seed, 'feed');
  const live = liveAlerts(network, seed, startUs, schedule);
  const maxPending = o.maxPending ?? 30;
  let produced = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const pendingOfNetwork = async () =>
    (await core.storePort.read((tx) => tx.alerts.list('pending', maxPending * 4))).filter((a) => a.source === network.spec.source).length;

  const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));
  let inFlight: Promise<unknown> = Promise.resolve();

  const produce = async (): Promise<ImportOutcome | null> => {
    if (stopped) return null;
    if (maxPending > 0 && (await pendingOfNetwork()) >= maxPending) return null;
    const steps = live.next(core.clock.nowUs());
    let step = steps.next();
    while (!step.done) {
      await nextTick(); // one sensor's clip at a time, so requests are served in between
      if (stopped) return null;
      step = steps.next();
    }
    const g = step.value;
    const outcome = await importIncoming(core, toIncoming(g), o.actor ?? DEMO_ACTOR, `demo network ${network.spec.name}: ${g.id}`, o.work);
    if (outcome.status === 'imported') produced++;
    o.onImported?.(outcome);
    return outcome;
  };
  const tick = (): Promise<ImportOutcome | null> => {
    const p = inFlight.then(produce);
    inFlight = p.catch(() => undefined);
    return p;
  };

  const arm = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      tick()
        .catch((e: unknown) => log.error({ err: e }, 'demo network: an alert could not be produced'))
        .finally(() => arm(schedule.uniform(low, high)));
    }, delayMs);
    timer.unref?.();
  };
  arm(o.firstDelayMs ?? 1500);

  return {
    tick,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
    get produced() {
      return produced;
    },
  };
}
