import type { SeatFacts } from '../accounts/seat-facts.ts';
import type { SealedAlerts } from '../audit/qa/sealed-alerts.ts';
import type { FileTransfers } from '../files/transfers.ts';
import type { Store as StorePort } from '../kernel/store-port.ts';
import type { ClipStore } from '../store/clip-store.ts';
import type { Store } from '../store/store.ts';
import type { Clock } from '../util/time.ts';
import type { EventBus } from './events.ts';
import type { SeatRegistry } from './seats.ts';

export interface CoreConfig {
  dataDir: string;
  /** Speed of sound when an alert carries no temperature. */
  defaultTemperatureC: number;
}

/** What handlers and workers share. Domains that need more add it here. */
export interface CoreServices {
  readonly config: CoreConfig;
  readonly store: Store;
  /** The asynchronous store port (src/kernel/store-port.ts): services move to it from `store` one domain at a time. */
  readonly storePort: StorePort;
  readonly clips: ClipStore;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly version: string;
  /** Uploads, downloads and desktop grants of seats: how files cross without paths. */
  readonly files: FileTransfers;
  /** The seats transports have open. */
  readonly seats: SeatRegistry;
  /** The accounts and seat settings admission and live events need, in memory (src/accounts/seat-facts.ts). */
  readonly seatFacts: SeatFacts;
  /** The sealed alerts live events need, in memory: writes that seal or unseal say so here (src/audit/qa/sealed-alerts.ts). */
  readonly sealedAlerts: SealedAlerts;
}
