import { isAppUrl, parseUrl } from './urls.ts';

/**
 * Outside pages a link in the UI may open in the system browser: the attributions Leaflet and
 * OpenStreetMap require. Everything else stays closed: an injected link must not be able to
 * send a reviewer (or the data in a URL) anywhere.
 */
export const EXTERNAL_ALLOW_LIST: readonly { origin: string; pathPrefix: string }[] = [
  { origin: 'https://leafletjs.com', pathPrefix: '/' },
  { origin: 'https://www.openstreetmap.org', pathPrefix: '/copyright' },
];

/** The URL to hand to shell.openExternal, or null when it is not on the allow-list (https only, no credentials, exact origin). */
export function allowedExternalUrl(url: string): string | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || u.username || u.password) return null;
  const under = (prefix: string) => prefix === '/' || u.pathname === prefix || u.pathname.startsWith(`${prefix}/`);
  const ok = EXTERNAL_ALLOW_LIST.some((a) => u.origin === a.origin && under(a.pathPrefix));
  return ok ? u.href : null;
}

/** A frame may navigate only within the bundle (a reload, the app's own pages); never to another origin. */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

export interface WindowOpenDecision {
  /** The shell never opens a second Electron window from a page. */
  action: 'deny';
  /** An allow-listed outside page to show in the system browser instead, if any. */
  openExternal: string | null;
}

export function windowOpenDecision(url: string): WindowOpenDecision {
  return { action: 'deny', openExternal: allowedExternalUrl(url) };
}

/**
 * Requests the renderer may make at all. The UI needs only its bundle, clip audio and data/blob
 * URLs; tiles and everything else come through the contract. Refusing the network outright
 * means a script injected into the page has nowhere to send what it reads.
 */
export function rendererRequestAllowed(url: string): boolean {
  const u = parseUrl(url);
  if (!u) return false;
  if (u.protocol === 'app:' || u.protocol === 'clip:' || u.protocol === 'data:' || u.protocol === 'blob:') return true;
  // DevTools (development builds only) loads its own front end from these.
  return u.protocol === 'devtools:' || u.protocol === 'chrome-extension:';
}
