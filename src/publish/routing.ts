import { CLASS_LABELS, GUNFIRE_CLASSES, type CapStatus, type DecisionClass } from '../contract/index.ts';
import type { AgencyRecord } from '../store/agencies.ts';
import type { Store } from '../store/store.ts';
import { multiPolygonContains, type MultiPolygon } from './geometry.ts';
import { capStatusOfSource, whyStatus, withheldReason } from './source-status.ts';

export type RouteOutcome = 'routed' | 'unrouted' | 'not_published' | 'not_routable';

export interface Route {
  outcome: RouteOutcome;
  /** Agencies that get it. */
  agencies: AgencyRecord[];
  /** Agencies whose jurisdiction holds it and that take its class, but not its status: nothing is queued for them. */
  withheld: { agency: AgencyRecord; reason: string }[];
  /** The CAP status its messages carry. */
  status: CapStatus;
  /** In words, for the reviewer and the admin queue. */
  reason: string;
}

export interface RoutableAlert {
  coordinates: 'wgs84' | 'local';
  location: { lat: number; lon: number } | null;
  source: string;
  /** An incident's status once published (it never changes); otherwise its source's status now. */
  status?: CapStatus;
}

/** Splits agencies into those that accept a status and those kept from it, with the reason. */
export function byStatus(store: Store, agencies: AgencyRecord[], status: CapStatus, source: string): Pick<Route, 'agencies' | 'withheld'> {
  const why = whyStatus(store, source);
  return {
    agencies: agencies.filter((a) => a.accepts.includes(status)),
    withheld: agencies.filter((a) => !a.accepts.includes(status)).map((agency) => ({ agency, reason: withheldReason(agency, status, why) })),
  };
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
  const status = alert.status ?? capStatusOfSource(store, alert.source);
  const none = (outcome: RouteOutcome, reason: string): Route => ({ outcome, agencies: [], withheld: [], status, reason });
  if (alert.coordinates === 'local') {
    return none('not_routable', 'this alert is in local metres (research data), so no jurisdiction can hold it; it is never published');
  }
  const active = store.agencies.active();
  const publishable = new Set<DecisionClass>([...GUNFIRE_CLASSES, ...active.flatMap((a) => a.classes)]);
  if (!publishable.has(cls)) return none('not_published', `no agency receives "${label}"`);
  const asStatus = status === 'Actual' ? '' : ` as ${status === 'Exercise' ? 'an Exercise' : 'a Test'} (${whyStatus(store, alert.source)})`;
  if (!alert.location) return none('unrouted', `the alert has no located position; an admin decides where it goes${asStatus}`);
  const holding = agenciesHolding(store, alert.location);
  if (holding.length === 0) {
    const where = `${alert.location.lat.toFixed(5)}, ${alert.location.lon.toFixed(5)}`;
    return none('unrouted', `no agency's jurisdiction holds ${where}; an admin decides where it goes${asStatus}`);
  }
  const receiving = holding.filter((a) => a.classes.includes(cls));
  if (receiving.length === 0) {
    return none('not_published', `${holding.map((a) => a.name).join(', ')} ${holding.length === 1 ? 'does' : 'do'} not receive "${label}"`);
  }
  const split = byStatus(store, receiving, status, alert.source);
  const goes = split.agencies.length ? `goes to ${split.agencies.map((a) => a.name).join(', ')}${asStatus}` : `goes to no agency${asStatus}`;
  const kept = split.withheld.map((w) => `not sent to ${w.agency.name}: ${w.reason}`);
  return { outcome: 'routed', ...split, status, reason: [goes, ...kept].join('; ') };
}
