import { startDemoFeed, DEMO_ACTOR, type DemoFeed, type DemoFeedOptions } from '../ingest/demo/feed.ts';
import { startInboxWatcher, type InboxOptions, type InboxWatcher } from '../ingest/inbox.ts';
import { cliActor, type Core } from './core.ts';
import { startDeliveryWorker } from '../publish/worker.ts';
import { dataPaths } from './paths.ts';
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
}

export interface BackgroundWork {
  demo: DemoFeed | null;
  inbox: InboxWatcher | null;
}

/**
 * Starts what runs beside the transports: the demo sensor network, the inbox watcher and
 * the delivery worker of the publishing outbox. Shared by `earwitness serve` and the Electron main process.
 * Each is a worker of the core, so core.close() stops them before the store closes.
 */
export function startBackgroundWork(core: Core, options: BackgroundOptions): BackgroundWork {
  let inbox: InboxWatcher | null = null;
  if (options.inbox ?? true) {
    inbox = startInboxWatcher(core, { actor: cliActor().name, ...options.inboxOptions, dir: dataPaths(core.config.dataDir).inbox });
    core.addWorker(inbox);
  }
  let demo: DemoFeed | null = null;
  if (options.demo) {
    const feed = startDemoFeed(core, { actor: DEMO_ACTOR, ...options.demoOptions });
    demo = feed;
    core.demoRunning = true;
    core.addWorker({
      async stop() {
        await feed.stop();
        core.demoRunning = false;
      },
    });
    // The demo's agencies answer its incidents with simulated outcomes (src/outcomes/demo.ts).
    const responders = startDemoOutcomes(core, { source: (options.demoOptions?.network ?? defaultNetwork()).spec.source });
    core.addWorker({ stop: () => responders.stop() });
  }
  startDeliveryWorker(core);
  return { demo, inbox };
}
