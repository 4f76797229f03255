import { startDeliveryWorker } from '../publish/worker.ts';
import type { Core } from './core.ts';

export interface BackgroundOptions {
  demo: boolean;
}

/**
 * Starts what runs beside the transports: the demo sensor network, the inbox watcher, and
 * later the delivery worker. Shared by `earwitness serve` and the Electron main process.
 */
export function startBackgroundWork(core: Core, _options: BackgroundOptions): void {
  // Demo feed and inbox watcher are added by src/ingest (see issue 2).
  startDeliveryWorker(core);
}
