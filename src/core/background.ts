import { startDemoFeed, DEMO_ACTOR, type DemoFeed, type DemoFeedOptions } from '../ingest/demo/feed.ts';
import { startInboxWatcher, type InboxOptions, type InboxWatcher } from '../ingest/inbox.ts';
import { cliActor, type Core } from './core.ts';
import { DeliveryWorker, type DeliveryWorkerOptions } from '../publish/worker.ts';
import { dataPaths } from '../kernel/paths.ts';
import { defaultNetwork } from '../ingest/demo/network.ts';
import { startDemoOutcomes } from '../outcomes/demo.ts';

export interface BackgroundOptions {
  /** Run the embedded demo network (an alert every 20-40 s). */
  demo: boolean;
  /** Watch <data>/inbox/ (default true). */
  inbox?: boolean;
  /** Tests shorten the timers here. */
  demoOptions?: DemoFeedOptions;
  inboxOptions?: Partial<Omit<InboxOptions, 'dir'>>;
  deliveryOptions?: DeliveryWorkerOptions;
}

export interface BackgroundWork {
  /** The demo network while this process runs it (on SQLite at once; on PostgreSQL while it leads it). */
  readonly demo: DemoFeed | null;
  readonly inbox: InboxWatcher | null;
  /** The delivery worker while this process leads it. */
  readonly delivery: DeliveryWorker | null;
}

interface Stoppable {
  stop(): void | Promise<void>;
}

/**
 * Starts what runs beside the transports: the demo sensor network, the inbox watcher and
 * the delivery worker of the publishing outbox. Shared by `earwitness serve` and the Electron main process.
 * Each is a singleton job: it runs in the one process that leads it among those on the database
 * (src/kernel/leadership.ts; on SQLite, this one, at once) and moves to another when that one dies.
 * Each is a worker of the core, so core.close() stops them before the store closes.
 */
export function startBackgroundWork(core: Core, options: BackgroundOptions): BackgroundWork {
  const running = new Map<string, Stoppable>();
  const lead = (name: string, start: () => Stoppable) => {
    const led = core.storePort.leadership.lead(name, {
      start: () => void running.set(name, start()),
      async stop() {
        const job = running.get(name);
        running.delete(name);
        await job?.stop();
      },
    });
    core.addWorker({ stop: () => led.release() });
  };

  if (options.inbox ?? true)
    lead('inbox-watcher', () => startInboxWatcher(core, { actor: cliActor().name, ...options.inboxOptions, dir: dataPaths(core.config.dataDir).inbox }));
  let demo: DemoFeed | null = null;
  if (options.demo) {
    lead('demo-network', () => {
      const feed = startDemoFeed(core, { actor: DEMO_ACTOR, ...options.demoOptions });
      demo = feed;
      core.demoRunning = true;
      // The demo's agencies answer its incidents with simulated outcomes (src/outcomes/demo.ts).
      const responders = startDemoOutcomes(core, { source: (options.demoOptions?.network ?? defaultNetwork()).spec.source });
      return {
        async stop() {
          demo = null;
          await feed.stop();
          await responders.stop();
          core.demoRunning = false;
        },
      };
    });
  }
  lead('delivery-worker', () => new DeliveryWorker(core, options.deliveryOptions).start());
  return {
    get demo() {
      return demo;
    },
    get inbox() {
      return (running.get('inbox-watcher') as InboxWatcher | undefined) ?? null;
    },
    get delivery() {
      return (running.get('delivery-worker') as DeliveryWorker | undefined) ?? null;
    },
  };
}
