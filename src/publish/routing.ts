import { CLASS_LABELS, GUNFIRE_CLASSES, type CapStatus, type DecisionClass, type SourceStatus } from '../contract/index.ts';
// The port's record (no endpoint TLS details): routing needs only who an agency is and what it takes.
import type { AgencyRecord, StoreTx } from '../kernel/store-port.ts';
import type { Store } from '../store/store.ts';
import { multiPolygonContains, type MultiPolygon } from './geometry.ts';
import { capStatusFor, whyStatusOf, withheldReason } from './source-status.ts';

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

/** What routing reads of the store, gathered first so one rule serves the synchronous store and the port. */
interface RoutingFacts {
  /** Active agencies. */
  active: AgencyRecord[];
  /** An agency's parsed jurisdiction (only asked of agencies whose bounding box holds the point). */
  jurisdiction(agency: AgencyRecord): MultiPolygon;
  /** The source's stored status; null when nobody marked it. */
  sourceStatus: SourceStatus | null;
}

/** Splits agencies into those that accept a status and those kept from it, with the reason. */
function splitByStatus(agencies: AgencyRecord[], status: CapStatus, why: string): Pick<Route, 'agencies' | 'withheld'> {
  return {
    agencies: agencies.filter((a) => a.accepts.includes(status)),
    withheld: agencies.filter((a) => !a.accepts.includes(status)).map((agency) => ({ agency, reason: withheldReason(agency, status, why) })),
  };
}

// Parsed jurisdictions per database and agency, with the revision they were parsed at: an edit
// (here, in another process on the same file like the CLI, or on another server of the same
// PostgreSQL database) bumps the stored revision, so a stale copy is never used. The key is the
// synchronous store's connection or the store port, so two databases in one process stay apart.
const cache = new WeakMap<object, Map<number, { rev: number; mp: MultiPolygon }>>();

function cached(key: object, agency: AgencyRecord): MultiPolygon | undefined {
  const hit = cache.get(key)?.get(agency.id);
  return hit && hit.rev === agency.jurisdictionRev ? hit.mp : undefined;
}

function remember(key: object, agency: AgencyRecord, json: string | undefined): MultiPolygon {
  let perDb = cache.get(key);
  if (!perDb) cache.set(key, (perDb = new Map()));
  const mp = json ? (JSON.parse(json) as { coordinates: MultiPolygon }).coordinates : [];
  perDb.set(agency.id, { rev: agency.jurisdictionRev, mp });
  return mp;
}

const jurisdictionOf = (store: Store, agency: AgencyRecord): MultiPolygon =>
  cached(store.db, agency) ?? remember(store.db, agency, store.agencies.jurisdictionJson(agency.id));

const inBox = (a: AgencyRecord, p: [number, number]): boolean => {
  const [w, s, e, n] = a.bbox;
  return p[0] >= w && p[0] <= e && p[1] >= s && p[1] <= n;
};

function holdingOf(facts: RoutingFacts, at: { lat: number; lon: number }): AgencyRecord[] {
  const p: [number, number] = [at.lon, at.lat];
  return facts.active.filter((a) => inBox(a, p) && multiPolygonContains(facts.jurisdiction(a), p));
}

/**
 * Where a decision of this class on this alert goes. Confirmed gunfire, and any class some
 * agency receives, is never dropped silently: outside every jurisdiction it waits for an admin.
 * Research alerts in local metres have no place on Earth and are never published.
 */
export function routeFor(store: Store, alert: RoutableAlert, cls: DecisionClass): Route {
  return routeOf(
    { active: store.agencies.active(), jurisdiction: (a) => jurisdictionOf(store, a), sourceStatus: store.sources.statusOf(alert.source) },
    alert,
    cls,
  );
}

/**
 * routeFor through the store port, inside the caller's transaction; `port` keys the parsed
 * jurisdictions this process keeps. Only the jurisdictions whose bounding box holds the point are
 * read (and only when their revision is not the one cached).
 */
export async function routeForTx(tx: StoreTx, port: object, alert: RoutableAlert, cls: DecisionClass): Promise<Route> {
  const active = await tx.agencies.active();
  const loaded = new Map<number, MultiPolygon>();
  if (alert.coordinates === 'wgs84' && alert.location) {
    const p: [number, number] = [alert.location.lon, alert.location.lat];
    for (const a of active.filter((x) => inBox(x, p))) loaded.set(a.id, cached(port, a) ?? remember(port, a, await tx.agencies.jurisdictionJson(a.id)));
  }
  return routeOf({ active, jurisdiction: (a) => loaded.get(a.id) ?? [], sourceStatus: await tx.sources.statusOf(alert.source) }, alert, cls);
}

function routeOf(facts: RoutingFacts, alert: RoutableAlert, cls: DecisionClass): Route {
  const label = CLASS_LABELS[cls];
  const status = alert.status ?? capStatusFor(alert.source, facts.sourceStatus);
  const why = whyStatusOf(alert.source, facts.sourceStatus);
  const none = (outcome: RouteOutcome, reason: string): Route => ({ outcome, agencies: [], withheld: [], status, reason });
  if (alert.coordinates === 'local') {
    return none('not_routable', 'this alert is in local metres (research data), so no jurisdiction can hold it; it is never published');
  }
  const publishable = new Set<DecisionClass>([...GUNFIRE_CLASSES, ...facts.active.flatMap((a) => a.classes)]);
  if (!publishable.has(cls)) return none('not_published', `no agency receives "${label}"`);
  const asStatus = status === 'Actual' ? '' : ` as ${status === 'Exercise' ? 'an Exercise' : 'a Test'} (${why})`;
  if (!alert.location) return none('unrouted', `the alert has no located position; an admin decides where it goes${asStatus}`);
  const holding = holdingOf(facts, alert.location);
  if (holding.length === 0) {
    const where = `${alert.location.lat.toFixed(5)}, ${alert.location.lon.toFixed(5)}`;
    return none('unrouted', `no agency's jurisdiction holds ${where}; an admin decides where it goes${asStatus}`);
  }
  const receiving = holding.filter((a) => a.classes.includes(cls));
  if (receiving.length === 0) {
    return none('not_published', `${holding.map((a) => a.name).join(', ')} ${holding.length === 1 ? 'does' : 'do'} not receive "${label}"`);
  }
  const split = splitByStatus(receiving, status, why);
  const goes = split.agencies.length ? `goes to ${split.agencies.map((a) => a.name).join(', ')}${asStatus}` : `goes to no agency${asStatus}`;
  const kept = split.withheld.map((w) => `not sent to ${w.agency.name}: ${w.reason}`);
  return { outcome: 'routed', ...split, status, reason: [goes, ...kept].join('; ') };
}
