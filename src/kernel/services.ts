import type { Clock } from '../util/time.ts';
import type { EventBus } from './events.ts';
import type { SeatRegistry } from './seats.ts';
import type { Store } from './store-port.ts';

export interface CoreConfig {
  dataDir: string;
  /** Speed of sound when an alert carries no temperature. */
  defaultTemperatureC: number;
}

/**
 * What handlers and workers share: the kernel's own parts here. A service that owns a part every
 * call may need (the clip store, file transfers, the seats' facts, the sealed alerts) adds it
 * where it is defined, with `declare module '../kernel/services.ts'`, so the kernel names no
 * service and the arrows point one way; the composition root (src/core/core.ts) builds them all,
 * and the compiler checks that it does.
 */
export interface CoreServices {
  readonly config: CoreConfig;
  /** The store port (src/kernel/store-port.ts): the only way to the database. */
  readonly storePort: Store;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly version: string;
  /** This core's run, among the servers of one database: which of them holds a centre seat. */
  readonly runId: string;
  /** The seats transports have open. */
  readonly seats: SeatRegistry;
}
