import { randomUUID } from 'node:crypto';
import type { Decision } from '../contract/index.ts';
import type { IncidentRecord, MessageRecord } from '../store/incidents.ts';
import type { Store } from '../store/store.ts';
import { audioLinkFor } from './audio-link.ts';
import { buildFacts, type IncidentFacts } from './facts.ts';
import { publishIdentity, publishLifetimes } from './identity.ts';
import { changeAction, newMessage, noPublication as none, planChange, type ChangeInput, type MessageSpec, type PublishOutcome } from './outbox-plan.ts';
import { routeFor, type Route } from './routing.ts';
import { statusNote } from './source-status.ts';

export { standingDecision, type ChangeInput, type PublishOutcome } from './outbox-plan.ts';

function inTransaction(store: Store): void {
  if (!store.db.inTransaction) throw new Error('publishing runs inside the transaction of the decision it publishes');
}

/**
 * The synchronous outbox: what re-location (publishChange) and an administrator's routing
 * (routeToAgencies) still publish through, on the synchronous store. decide and revisions publish
 * through the port's (outbox-tx.ts); publishDecision here is called by no handler any more and
 * stays as the decide bench's baseline (tests/bench/suites/decide.ts) until re-location moves and
 * this file goes.
 *
 * THE HOOK, as it was. `decide` called this inside its transaction right after recording the decision: if
 * the class goes to some agency (or must be seen by an admin), the incident, its first message
 * and one delivery row per endpoint are written in that same transaction (a transactional
 * outbox: the decision and its publication commit together or not at all). A decision on an
 * alert that already has an incident becomes an Update instead.
 */
export function publishDecision(store: Store, decision: Decision, actor: string): PublishOutcome {
  inTransaction(store);
  if (store.incidents.byAlert(decision.alertId))
    return publishChange(store, { alertId: decision.alertId, actor, nowUs: decision.decidedUs, reason: decision.notes });
  const detail = store.alerts.detail(decision.alertId);
  if (!detail) throw new Error(`publishDecision: no alert ${decision.alertId}`);
  const facts = buildFacts(detail, decision);
  const route = routeFor(store, { coordinates: detail.coordinates, location: facts.location, source: detail.source }, decision.class);
  if (route.outcome === 'not_published' || route.outcome === 'not_routable') return none(route.outcome, route.reason);

  const now = decision.decidedUs;
  const incident = store.incidents.create(decision.alertId, route.outcome, route.status, route.outcome === 'unrouted' ? route.reason : null, now);
  for (const a of route.agencies) store.incidents.addAgency(incident.id, a.id, 'jurisdiction', now, actor);
  withhold(store, incident, route, now);
  const message = addMessage(store, incident, facts, { msgType: 'Alert', changes: ['published'], note: null, actor, nowUs: now });
  const deliveryIds = enqueue(
    store,
    incident,
    [message],
    route.agencies.map((a) => a.id),
    now,
  );
  store.audit.append({
    atUs: now,
    actor,
    action: route.outcome === 'routed' ? 'incident.published' : 'incident.unrouted',
    entity: `incident:${incident.id}`,
    payload: {
      alertId: decision.alertId,
      decisionId: decision.id,
      identifier: message.identifier,
      status: incident.status,
      agencies: route.agencies.map((a) => a.id),
      withheld: route.withheld.map((w) => ({ agencyId: w.agency.id, reason: w.reason })),
      deliveries: deliveryIds.length,
      reason: route.reason,
    },
  });
  return { outcome: route.outcome, incidentId: incident.id, messageId: message.id, deliveryIds, reason: route.reason };
}

/**
 * The core API for every later change of a published incident: call it inside the transaction
 * that made the change (a new decision version, a new solution version, a cancellation). It
 * compares the incident's facts now with the last message's and, if they differ, writes a
 * message referencing every earlier one and queues it for every agency that has the incident,
 * plus any agency whose jurisdiction now holds it. Which message: planChange (outbox-plan.ts).
 */
export function publishChange(store: Store, input: ChangeInput): PublishOutcome {
  inTransaction(store);
  const incident = store.incidents.byAlert(input.alertId);
  if (!incident) return none('none', 'this alert was never published');
  const detail = store.alerts.detail(input.alertId)!;
  const plan = planChange(incident, store.incidents.lastMessage(incident.id)!, detail, input);
  if (!plan.send) return plan.outcome;
  const { facts, changes, msgType, note, ends, reinstating } = plan;
  const now = input.nowUs;
  const newAgencies: number[] = [];
  if (plan.reroute) {
    const route = routeFor(store, { coordinates: detail.coordinates, location: facts.location, source: detail.source, status: incident.status }, facts.class);
    for (const a of route.agencies) if (store.incidents.addAgency(incident.id, a.id, 'jurisdiction', now, input.actor)) newAgencies.push(a.id);
    withhold(store, incident, route, now);
    if (incident.state === 'unrouted' && route.outcome === 'routed') store.incidents.setState(incident.id, 'routed', now, { unroutedReason: null });
  }
  const message = addMessage(store, incident, facts, { msgType, changes, note, actor: input.actor, nowUs: now });
  if (ends) store.incidents.setState(incident.id, 'cancelled', now);
  else if (reinstating) store.incidents.setState(incident.id, store.incidents.agencies(incident.id).length ? 'routed' : 'unrouted', now);
  else store.incidents.touch(incident.id, now);
  const existing = store.incidents
    .agencies(incident.id)
    .map((a) => a.id)
    .filter((id) => !newAgencies.includes(id));
  const deliveryIds = [
    ...enqueue(store, incident, [message], existing, now),
    // An agency that joins late gets every message so far, in order, so its record matches everyone's.
    ...enqueue(store, incident, store.incidents.messages(incident.id), newAgencies, now),
  ];
  store.audit.append({
    atUs: now,
    actor: input.actor,
    action: changeAction(plan),
    entity: `incident:${incident.id}`,
    payload: { alertId: input.alertId, identifier: message.identifier, msgType, changes, note, newAgencies, deliveries: deliveryIds.length },
  });
  return { outcome: ends ? 'cancelled' : 'updated', incidentId: incident.id, messageId: message.id, deliveryIds, reason: changes.join(', ') };
}

/** Agencies that do not accept an incident's status are recorded with the reason, never queued. */
function withhold(store: Store, incident: IncidentRecord, route: Pick<Route, 'withheld'>, nowUs: number): void {
  for (const w of route.withheld) {
    // An agency that already has the incident (it took its status when routed) keeps getting it.
    if (store.incidents.agencies(incident.id).some((a) => a.id === w.agency.id)) continue;
    store.incidents.withhold(incident.id, w.agency.id, incident.status, w.reason, nowUs);
  }
}

/** Sends an incident to agencies an admin chose: every message so far, in order. Call inside a transaction. */
export function routeToAgencies(store: Store, incident: IncidentRecord, agencyIds: number[], actor: string, nowUs: number): number[] {
  inTransaction(store);
  const added = agencyIds.filter((id) => store.incidents.addAgency(incident.id, id, 'admin', nowUs, actor));
  if (incident.state === 'unrouted' || incident.state === 'held') store.incidents.setState(incident.id, 'routed', nowUs, { holdNote: null });
  else store.incidents.touch(incident.id, nowUs);
  return enqueue(store, incident, store.incidents.messages(incident.id), added, nowUs);
}

function addMessage(store: Store, incident: IncidentRecord, facts: IncidentFacts, spec: MessageSpec): MessageRecord {
  return store.incidents.addMessage(
    newMessage(incident, facts, spec, {
      identity: publishIdentity(store, spec.nowUs),
      earlier: store.incidents.messages(incident.id),
      statusNote: statusNote(store, facts.alert.source, incident.status),
      messageLifetimeMinutes: publishLifetimes(store).messageLifetimeMinutes,
      audioLink: audioLinkFor(store, incident.id, spec.nowUs),
    }),
  );
}

/** One delivery row per message, agency endpoint; removed agencies, and any that refuse the incident's status, get nothing. */
function enqueue(store: Store, incident: IncidentRecord, messages: MessageRecord[], agencyIds: number[], nowUs: number): number[] {
  const ids: number[] = [];
  for (const agencyId of agencyIds) {
    const agency = store.agencies.get(agencyId);
    if (!agency || agency.removedUs !== null || !agency.accepts.includes(incident.status)) continue;
    for (const m of messages) {
      for (const e of agency.endpoints) {
        const id = store.deliveries.enqueue({
          incidentId: incident.id,
          messageId: m.id,
          seq: m.seq,
          agencyId,
          endpointId: e.id,
          idempotencyKey: randomUUID(),
          atUs: nowUs,
        });
        if (id !== null) ids.push(id);
      }
    }
  }
  return ids;
}
