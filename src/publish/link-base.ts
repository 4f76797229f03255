import type { StoreTx } from '../kernel/store-port.ts';
import type { Store } from '../store/store.ts';
import { SETTING } from './identity.ts';

/**
 * Where this process serves agencies' audio links, per store: set by the host when it mounts the
 * route (src/host/agency-links.ts), cleared when it closes. Messages written while nothing serves
 * them (the desktop app alone runs no host) carry no link and say so. A centre behind a reverse
 * proxy sets the address agencies reach (setting publish.linkBaseUrl); otherwise the host's own.
 * The key is the store a message is written through: the synchronous Store or the store port (a
 * host serves links for both while services move to the port).
 */
const served = new WeakMap<object, string>();

export function serveLinks(store: object, hostUrl: string): () => void {
  served.set(store, hostUrl);
  return () => {
    if (served.get(store) === hostUrl) served.delete(store);
  };
}

function baseOf(host: string, configured: unknown): string {
  const base = typeof configured === 'string' && configured ? configured : host;
  return base.endsWith('/') ? base : `${base}/`;
}

/** The base of audio links in new messages, ending in "/", or null when no host serves them. */
export function linkBase(store: Store): string | null {
  const host = served.get(store);
  return host ? baseOf(host, store.settings.get<string>(SETTING.linkBaseUrl)) : null;
}

/** linkBase for a message written through the store port `port`, inside its transaction `tx`. */
export async function linkBaseTx(tx: StoreTx, port: object): Promise<string | null> {
  const host = served.get(port);
  return host ? baseOf(host, await tx.settings.get<string>(SETTING.linkBaseUrl)) : null;
}
