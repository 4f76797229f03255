import type { AlertDetail, AlertSummary, EventName, EventPayload, MethodName } from '../../contract/index.ts';
import type { CallContext } from '../../core/handlers.ts';
import type { Actor } from '../../core/session.ts';
import type { Store } from '../../store/store.ts';
import { UserError } from '../../util/errors.ts';
import { blindDetail, blindSummary } from './blind-view.ts';
import { recordSealOpened, sealedAlerts, sealStanding } from './seal.ts';

/** Methods whose output says nothing about any decision: not scanned. */
const SAFE: ReadonlySet<string> = new Set([
  'getStatus', 'getPeaks', 'importPaths', 'listQaTasks', 'getBlindAlert', 'submitQaReview', 'verifyAudit', 'getAuditHead', 'exportAudit', 'getAuditSettings',
]);

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The sealed alert an object is about: `alertId`, an `alert:N` entity, or an alert summary's own id. */
function alertRef(o: Json, sealed: ReadonlySet<number>): number | null {
  if (typeof o.alertId === 'number' && sealed.has(o.alertId)) return o.alertId;
  if (typeof o.entity === 'string') {
    const m = /^alert:(\d+)$/.exec(o.entity);
    if (m && sealed.has(Number(m[1]))) return Number(m[1]);
  }
  if (typeof o.id === 'number' && 'externalId' in o && 'source' in o && sealed.has(o.id)) return o.id;
  return null;
}

/**
 * Applies the seal to what a method returns, for every method of every domain, so no method
 * added later can leak a sealed decision by accident:
 * - listAlerts and getAlert show a sealed alert to outsiders without its decisions;
 * - any other output: list items about a sealed alert are dropped for outsiders, and a result
 *   that is itself about one is refused;
 * - overseers (auditors, admins) see everything, and each sealed alert they see is recorded.
 */
export function applySeal(ctx: CallContext, method: MethodName, value: unknown): unknown {
  const actor = ctx.session.actor;
  if (!actor || SAFE.has(method)) return value;
  const store = ctx.core.store;
  const sealed = sealedAlerts(store);
  if (sealed.size === 0) return value;
  const standingOf = new Map<number, ReturnType<typeof sealStanding>>();
  const standing = (id: number) => {
    let s = standingOf.get(id);
    if (!s) {
      s = sealStanding(store, actor, id, sealed);
      standingOf.set(id, s);
      if (s === 'overseer') recordSealOpened(store, actor.name, id, ctx.core.clock.nowUs(), method);
    }
    return s;
  };
  if (method === 'listAlerts') {
    // A queue listing is not a look at a decision: everyone but the decider gets the blind summary,
    // and no overseer is recorded as having opened a seal just by having the queue on screen.
    const v = value as { alerts: AlertSummary[] };
    return { ...v, alerts: v.alerts.map((a) => (sealed.has(a.id) && sealStanding(store, actor, a.id, sealed) !== 'decider' ? blindSummary(a) : a)) };
  }
  if (method === 'getAlert') {
    const d = value as AlertDetail;
    return standing(d.id) === 'outsider' ? blindDetail(d) : d;
  }
  const scrub = (v: unknown): unknown => {
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const item of v) {
        const ref = isObj(item) ? alertRef(item, sealed) : null;
        if (ref !== null && standing(ref) === 'outsider') continue;
        out.push(scrub(item));
      }
      return out;
    }
    if (!isObj(v)) return v;
    const ref = alertRef(v, sealed);
    // A result about a sealed alert, or one that holds such an object outside a list, is refused whole.
    if (ref !== null && standing(ref) === 'outsider') {
      throw new UserError('forbidden', `alert ${ref} is under blind QA review; its decision is sealed until the review is in`);
    }
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'object' && x !== null ? scrub(x) : x;
    return out;
  };
  return scrub(value);
}

/**
 * What one seat may receive of an event. Sealing is per seat, like methods: the decider of a
 * sealed alert keeps live updates (its deliveries, its changes); everyone else gets an alert
 * summary without its decision, and any other event about a sealed alert is held back.
 * Overseers are outsiders here until they have opened the seal deliberately (recorded, once):
 * an event must not open it for them, but one who already looked follows the alert live, its
 * deliveries included, like its decider.
 */
export function sealEventFor<E extends EventName>(store: Store, actor: Actor, event: E, payload: EventPayload<E>): EventPayload<E> | null {
  void event;
  let sealed: Set<number>;
  try {
    sealed = sealedAlerts(store);
  } catch {
    return payload; // the store is closed: nothing is decided any more
  }
  if (sealed.size === 0 || !isObj(payload)) return payload;
  const insider = (id: number) => {
    const standing = sealStanding(store, actor, id, sealed);
    return standing === 'decider' || (standing === 'overseer' && store.qa.sealViewers(id).includes(actor.name));
  };
  const alert = (payload as Json).alert;
  if (isObj(alert) && typeof alert.id === 'number' && 'externalId' in alert) {
    if (!sealed.has(alert.id) || insider(alert.id)) return payload;
    return { ...payload, alert: blindSummary(alert as unknown as AlertSummary) } as EventPayload<E>;
  }
  const mentioned = sealedMentions(payload, sealed);
  return [...mentioned].every(insider) ? payload : null;
}

function sealedMentions(v: unknown, sealed: ReadonlySet<number>, found = new Set<number>(), depth = 0): Set<number> {
  if (depth > 8) return found;
  if (Array.isArray(v)) v.forEach((x) => sealedMentions(x, sealed, found, depth + 1));
  else if (isObj(v)) {
    const ref = alertRef(v, sealed);
    if (ref !== null) found.add(ref);
    for (const x of Object.values(v)) if (typeof x === 'object') sealedMentions(x, sealed, found, depth + 1);
  }
  return found;
}
