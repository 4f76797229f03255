import type { AlertSummary, EventName, EventPayload, EventSealRule, MethodSpec, SealKey, SealRule } from '../../contract/index.ts';
import type { CallContext } from '../../kernel/handlers.ts';
import type { Actor } from '../../kernel/session.ts';
import { UserError } from '../../util/errors.ts';
import { blindSummary } from './blind-view.ts';
import type { SealAccess } from './seal-access.ts';
import type { SealedAlerts } from './sealed-alerts.ts';
import type { SealStanding } from './seal.ts';

/**
 * The blind-review seal, applied to every method and event by the rule its contract entry
 * declares (SealRule in src/contract/define.ts). Refusals happen before the handler runs and do
 * not depend on the sealed decision: the same message for a sealed gunfire alert as for a sealed
 * false alarm, and an incident or delivery of a sealed alert answers exactly as a missing one.
 */

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The answer for a thing that does not exist; also what an outsider gets for one of a sealed alert. */
export const notFound = (key: SealKey, id: number): UserError => new UserError('not_found', `no ${key} ${id}`);

/** The refusal for an alert under blind review: the same whatever its decision. */
export const sealedRefusal = (alertId: number): UserError =>
  new UserError('forbidden', `alert ${alertId} is under blind QA review; its decision is sealed until the review is in`);

/** The alert an input field leads to; a missing incident or delivery is refused here, for everyone alike. */
async function alertBehind(access: SealAccess, key: SealKey, id: number): Promise<number | null> {
  if (key === 'alert') return id;
  if (key === 'incident') {
    const alertId = await access.incidentAlert(id);
    if (alertId === undefined) throw notFound(key, id);
    return alertId;
  }
  const incidentId = await access.deliveryIncident(id);
  if (incidentId === undefined) throw notFound(key, id);
  return (await access.incidentAlert(incidentId)) ?? null;
}

/** sealStanding (seal.ts) over the store the method runs on. */
async function standingOf(access: SealAccess, actor: Actor, alertId: number, sealed: ReadonlySet<number>): Promise<SealStanding> {
  if (!sealed.has(alertId)) return 'unsealed';
  if ((await access.decisionActors(alertId)).has(actor.name)) return 'decider';
  if (actor.roles.includes('auditor') || actor.roles.includes('admin')) return 'overseer';
  return 'outsider';
}

function fields(rule: SealRule): Readonly<Record<string, SealKey>> | null {
  if ('reads' in rule) return rule.reads;
  if ('acts' in rule) return rule.acts;
  if ('blind' in rule) return rule.blind;
  return null;
}

/** What the seal decided for one call before its handler runs. */
export interface SealAdmission {
  /** The handler must answer as for someone who has not seen the alert's decision. */
  blind: boolean;
}

/**
 * Checks one call against its method's seal rule, before anything runs. Overseers (auditors,
 * admins) pass, and their look at a sealed decision is recorded first; deciders pass; everyone
 * else is refused (reads, acts) or answered blind (blind).
 */
export async function admitSealed(ctx: CallContext, access: SealAccess, method: string, spec: Pick<MethodSpec, 'seal'>, args: unknown): Promise<SealAdmission> {
  const actor = ctx.session.actor;
  const byField = fields(spec.seal);
  if (!actor || !byField || !isObj(args)) return { blind: false };
  let sealed: ReadonlySet<number> | undefined;
  for (const [field, key] of Object.entries(byField)) {
    const id = args[field];
    if (typeof id !== 'number') continue;
    const alertId = await alertBehind(access, key, id);
    sealed ??= await access.sealed();
    if (alertId === null || !sealed.has(alertId)) continue;
    const standing = await standingOf(access, actor, alertId, sealed);
    if (standing === 'overseer') await access.recordOpened(actor.name, alertId, ctx.core.clock.nowUs(), method);
    if (standing !== 'outsider') continue;
    if ('blind' in spec.seal) return { blind: true };
    throw key === 'alert' ? sealedRefusal(alertId) : notFound(key, id);
  }
  return { blind: false };
}

const at = (v: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), v);

/** Alert ids an overseer's answer shows: `alertId` fields, `alert:N` entities and alert summaries, at any depth. */
function mentionedAlerts(v: unknown, sealed: ReadonlySet<number>, found: Set<number>, depth = 0): Set<number> {
  if (depth > 12) return found;
  if (Array.isArray(v)) for (const x of v) mentionedAlerts(x, sealed, found, depth + 1);
  else if (isObj(v)) {
    if (typeof v.alertId === 'number' && sealed.has(v.alertId)) found.add(v.alertId);
    const m = typeof v.entity === 'string' ? /^alert:(\d+)$/.exec(v.entity) : null;
    if (m && sealed.has(Number(m[1]))) found.add(Number(m[1]));
    if (typeof v.id === 'number' && 'externalId' in v && sealed.has(v.id)) found.add(v.id);
    for (const x of Object.values(v)) if (typeof x === 'object' && x !== null) mentionedAlerts(x, sealed, found, depth + 1);
  }
  return found;
}

/**
 * What a call's answer becomes under the seal, after its handler: listings lose (or blind) the
 * items an outsider may not see; an overseer's answer is recorded as opening each sealed alert
 * it shows. Rules that refuse were applied before the handler and change nothing here.
 */
export async function sealAnswer(ctx: CallContext, access: SealAccess, method: string, spec: Pick<MethodSpec, 'seal'>, value: unknown): Promise<unknown> {
  const actor = ctx.session.actor;
  const rule = spec.seal;
  if (!actor || !('list' in rule || 'overseers' in rule)) return value;
  const sealed = await access.sealed();
  if (sealed.size === 0) return value;
  if ('overseers' in rule) {
    const now = ctx.core.clock.nowUs();
    for (const alertId of mentionedAlerts(value, sealed, new Set())) await access.recordOpened(actor.name, alertId, now, method);
    return value;
  }
  const { items, alertAt, outsider } = rule.list;
  const list = at(value, items);
  if (!isObj(value) || !Array.isArray(list)) return value;
  const standings = new Map<number, SealStanding>();
  const now = ctx.core.clock.nowUs();
  const kept: unknown[] = [];
  for (const item of list) {
    const alertId = at(item, alertAt);
    if (typeof alertId !== 'number' || !sealed.has(alertId)) {
      kept.push(item);
      continue;
    }
    let s = standings.get(alertId);
    if (!s) standings.set(alertId, (s = await standingOf(access, actor, alertId, sealed)));
    // The queue on screen is not a deliberate look: everyone but the decider gets it blind. Incidents
    // and deliveries are: an overseer sees them, recorded as opening the seal; anyone else, nothing.
    if (s === 'decider') kept.push(item);
    else if (outsider === 'blind') kept.push(blindSummary(item as AlertSummary));
    else if (s === 'overseer') {
      await access.recordOpened(actor.name, alertId, now, method);
      kept.push(item);
    }
  }
  return { ...value, [items]: kept };
}

/**
 * What one seat may receive of an event. Sealing is per seat, like methods: the decider of a
 * sealed alert keeps live updates (its deliveries, its changes); everyone else gets an alert
 * summary without its decision, and any other event about a sealed alert is held back.
 * Overseers are outsiders here until they have opened the seal deliberately (recorded, once):
 * an event must not open it for them, but one who already looked follows the alert live.
 * Read from the core's in-memory record of the sealed alerts (sealed-alerts.ts), never the database.
 */
export function sealEvent<E extends EventName>(sealed: SealedAlerts, actor: Actor, rule: EventSealRule, payload: EventPayload<E>): EventPayload<E> | null {
  if ('none' in rule) return payload;
  const alertId = at(payload, rule.about);
  if (typeof alertId !== 'number') return payload;
  const standing = sealed.standing(actor, alertId);
  if (standing === 'unsealed' || standing === 'decider' || (standing === 'overseer' && sealed.openedBy(actor, alertId))) return payload;
  if (rule.outsider === 'drop') return null;
  const [head] = rule.about.split('.');
  return { ...(payload as Json), [head!]: blindSummary((payload as Json)[head!] as AlertSummary) } as EventPayload<E>;
}

/** The alert an event is about, by its seal rule; null when none (or the rule seals nothing). */
export function eventAlert(rule: EventSealRule, payload: unknown): number | null {
  if ('none' in rule) return null;
  const alertId = at(payload, rule.about);
  return typeof alertId === 'number' ? alertId : null;
}
