import { CLASS_LABELS, GUNFIRE_CLASSES, type DecisionClass } from '../contract/index.ts';
import type { AgencyRecord } from '../store/agencies.ts';
import type { Store } from '../store/store.ts';
import { multiPolygonContains, type MultiPolygon } from './geometry.ts';

export type RouteOutcome = 'routed' | 'unrouted' | 'not_published' | 'not_routable';

export interface Route {
  outcome: RouteOutcome;
  agencies: AgencyRecord[];
  /** In words, for the reviewer and the admin queue. */
  reason: string;
}

export interface RoutableAlert {
  coordinates: 'wgs84' | 'local';
  location: { lat: number; lon: number } | null;
}

// Parsed jurisdictions per database and agency, with the revision they were parsed at: an edit
// (here or in another process on the same file, like the CLI) bumps the stored revision, so a
// stale copy is never used. The database key keeps two stores in one process (tests) apart.
const cache = new WeakMap<object, Map<number, { rev: number; mp: MultiPolygon }>>();

function jurisdictionOf(store: Store, agency: AgencyRecord): MultiPolygon {
  let perDb = cache.get(store.db);
  if (!perDb) cache.set(store.db, (perDb = new Map()));
  const hit = perDb.get(agency.id);
  if (hit && hit.rev === agency.jurisdictionRev) return hit.mp;
  const json = store.agencies.jurisdictionJson(agency.id);
  const mp = json ? (JSON.parse(json) as { coordinates: MultiPolygon }).coordinates : [];
  perDb.set(agency.id, { rev: agency.jurisdictionRev, mp });
  return mp;
}

/** Active agencies whose jurisdiction holds the point (any class). */
export function agenciesHolding(store: Store, at: { lat: number; lon: number }): AgencyRecord[] {
  const p: [number, number] = [at.lon, at.lat];
  return store.agencies.active().filter((a) => {
    const [w, s, e, n] = a.bbox;
    return p[0] >= w && p[0] <= e && p[1] >= s && p[1] <= n && multiPolygonContains(jurisdictionOf(store, a), p);
  });
}

/**
 * Where a decision of this class on this alert goes. Confirmed gunfire, and any class some
 * agency receives, is never dropped silently: outside every jurisdiction it waits for an admin.
 * Research alerts in local metres have no place on Earth and are never published.
 */
export function routeFor(store: Store, alert: RoutableAlert, cls: DecisionClass): Route {
  const label = CLASS_LABELS[cls];
  if (alert.coordinates === 'local') {
    return { outcome: 'not_routable', agencies: [], reason: 'this alert is in local metres (research data), so no jurisdiction can hold it; it is never published' };
  }
  const active = store.agencies.active();
  const publishable = new Set<DecisionClass>([...GUNFIRE_CLASSES, ...active.flatMap((a) => a.classes)]);
  if (!publishable.has(cls)) return { outcome: 'not_published', agencies: [], reason: `no agency receives "${label}"` };
  if (!alert.location) return { outcome: 'unrouted', agencies: [], reason: 'the alert has no located position; an admin decides where it goes' };
  const holding = agenciesHolding(store, alert.location);
  if (holding.length === 0) {
    const where = `${alert.location.lat.toFixed(5)}, ${alert.location.lon.toFixed(5)}`;
    return { outcome: 'unrouted', agencies: [], reason: `no agency's jurisdiction holds ${where}; an admin decides where it goes` };
  }
  const receiving = holding.filter((a) => a.classes.includes(cls));
  if (receiving.length === 0) {
    return { outcome: 'not_published', agencies: [], reason: `${holding.map((a) => a.name).join(', ')} ${holding.length === 1 ? 'does' : 'do'} not receive "${label}"` };
  }
  return { outcome: 'routed', agencies: receiving, reason: `goes to ${receiving.map((a) => a.name).join(', ')}` };
}
