import type { Store } from '../store/store.ts';
import { SETTING } from './identity.ts';

/**
 * Where this process serves agencies' audio links, per store: set by the host when it mounts the
 * route (src/host/agency-links.ts), cleared when it closes. Messages written while nothing serves
 * them (the desktop app alone runs no host) carry no link and say so. A centre behind a reverse
 * proxy sets the address agencies reach (setting publish.linkBaseUrl); otherwise the host's own.
 */
const served = new WeakMap<Store, string>();

export function serveLinks(store: Store, hostUrl: string): () => void {
  served.set(store, hostUrl);
  return () => {
    if (served.get(store) === hostUrl) served.delete(store);
  };
}

/** The base of audio links in new messages, ending in "/", or null when no host serves them. */
export function linkBase(store: Store): string | null {
  const host = served.get(store);
  if (!host) return null;
  const configured = store.settings.get<string>(SETTING.linkBaseUrl);
  const base = typeof configured === 'string' && configured ? configured : host;
  return base.endsWith('/') ? base : `${base}/`;
}
