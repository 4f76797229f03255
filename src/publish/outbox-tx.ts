import { randomUUID } from 'node:crypto';
import type { Decision } from '../contract/index.ts';
import type { IncidentRecord, MessageRecord, WriteTx } from '../kernel/store-port.ts';
import { audioLinkForTx } from './audio-link.ts';
import { buildFacts, type IncidentFacts } from './facts.ts';
import { publishIdentityTx, publishLifetimesTx } from './identity.ts';
import { changeAction, newMessage, noPublication, planChange, type ChangeInput, type MessageSpec, type PublishOutcome } from './outbox-plan.ts';
import { routeForTx, type Route } from './routing.ts';
import { statusNoteTx } from './source-status.ts';

/**
 * The publishing outbox on the store port (the only one since the synchronous outbox.ts went):
 * the rules of outbox-plan.ts, written in the caller's port write, so a decision and its incident, message
 * and deliveries commit together on either backend. A write may run more than once on
 * PostgreSQL: nothing here has an effect outside the transaction (the incident's announcements
 * are the caller's, with tx.emit).
 */
export interface OutboxWrite {
  tx: WriteTx;
  /** The store port the write runs on: it keys what this process keeps per database (parsed jurisdictions, the link base it serves). Never opens a transaction. */
  port: object;
}

/**
 * THE HOOK, on the port: the caller (decide, a revision) has locked the alert and recorded the
 * decision in `w.tx`. If the class goes to some agency (or must be seen by an admin), the incident,
 * its first message and one delivery per endpoint are written in that same write; a decision on an
 * alert that already has an incident becomes an Update instead.
 */
export async function publishDecisionTx(w: OutboxWrite, decision: Decision, actor: string): Promise<PublishOutcome> {
  const { tx } = w;
  if (await tx.incidents.byAlert(decision.alertId))
    return publishChangeTx(w, { alertId: decision.alertId, actor, nowUs: decision.decidedUs, reason: decision.notes });
  const detail = await tx.alerts.detail(decision.alertId);
  if (!detail) throw new Error(`publishDecisionTx: no alert ${decision.alertId}`);
  const facts = buildFacts(detail, decision);
  const route = await routeForTx(tx, w.port, { coordinates: detail.coordinates, location: facts.location, source: detail.source }, decision.class);
  if (route.outcome === 'not_published' || route.outcome === 'not_routable') return noPublication(route.outcome, route.reason);

  const now = decision.decidedUs;
  const incident = await tx.incidents.create(decision.alertId, route.outcome, route.status, route.outcome === 'unrouted' ? route.reason : null, now);
  for (const a of route.agencies) await tx.incidents.addAgency(incident.id, a.id, 'jurisdiction', now, actor);
  await withhold(tx, incident, route, now);
  const message = await addMessage(w, incident, facts, { msgType: 'Alert', changes: ['published'], note: null, actor, nowUs: now });
  const deliveryIds = await enqueue(
    tx,
    incident,
    [message],
    route.agencies.map((a) => a.id),
    now,
  );
  await tx.audit.append({
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
      withheld: route.withheld.map((x) => ({ agencyId: x.agency.id, reason: x.reason })),
      deliveries: deliveryIds.length,
      reason: route.reason,
    },
  });
  return { outcome: route.outcome, incidentId: incident.id, messageId: message.id, deliveryIds, reason: route.reason };
}

/**
 * The core API for every later change of a published incident, inside the write that made it (a
 * new decision version, a new solution version, a cancellation): if the facts an agency sees
 * differ from the last message's, a message referencing every earlier one is queued for every
 * agency that has the incident, plus any whose jurisdiction now holds it. Which message: planChange.
 */
export async function publishChangeTx(w: OutboxWrite, input: ChangeInput): Promise<PublishOutcome> {
  const { tx } = w;
  const incident = await tx.incidents.byAlert(input.alertId);
  if (!incident) return noPublication('none', 'this alert was never published');
  const detail = (await tx.alerts.detail(input.alertId))!;
  const plan = planChange(incident, (await tx.incidents.lastMessage(incident.id))!, detail, input);
  if (!plan.send) return plan.outcome;
  const { facts, changes, msgType, note, ends, reinstating } = plan;
  const now = input.nowUs;
  const newAgencies: number[] = [];
  if (plan.reroute) {
    const route = await routeForTx(
      tx,
      w.port,
      { coordinates: detail.coordinates, location: facts.location, source: detail.source, status: incident.status },
      facts.class,
    );
    for (const a of route.agencies) if (await tx.incidents.addAgency(incident.id, a.id, 'jurisdiction', now, input.actor)) newAgencies.push(a.id);
    await withhold(tx, incident, route, now);
    if (incident.state === 'unrouted' && route.outcome === 'routed') await tx.incidents.setState(incident.id, 'routed', now, { unroutedReason: null });
  }
  const message = await addMessage(w, incident, facts, { msgType, changes, note, actor: input.actor, nowUs: now });
  if (ends) await tx.incidents.setState(incident.id, 'cancelled', now);
  else if (reinstating) await tx.incidents.setState(incident.id, (await tx.incidents.agencies(incident.id)).length ? 'routed' : 'unrouted', now);
  else await tx.incidents.touch(incident.id, now);
  const existing = (await tx.incidents.agencies(incident.id)).map((a) => a.id).filter((id) => !newAgencies.includes(id));
  const deliveryIds = [
    ...(await enqueue(tx, incident, [message], existing, now)),
    // An agency that joins late gets every message so far, in order, so its record matches everyone's.
    ...(await enqueue(tx, incident, await tx.incidents.messages(incident.id), newAgencies, now)),
  ];
  await tx.audit.append({
    atUs: now,
    actor: input.actor,
    action: changeAction(plan),
    entity: `incident:${incident.id}`,
    payload: { alertId: input.alertId, identifier: message.identifier, msgType, changes, note, newAgencies, deliveries: deliveryIds.length },
  });
  return { outcome: ends ? 'cancelled' : 'updated', incidentId: incident.id, messageId: message.id, deliveryIds, reason: changes.join(', ') };
}

/** Agencies that do not accept an incident's status are recorded with the reason, never queued. */
async function withhold(tx: WriteTx, incident: IncidentRecord, route: Pick<Route, 'withheld'>, nowUs: number): Promise<void> {
  if (route.withheld.length === 0) return;
  // An agency that already has the incident (it took its status when routed) keeps getting it.
  const has = new Set((await tx.incidents.agencies(incident.id)).map((a) => a.id));
  for (const x of route.withheld) if (!has.has(x.agency.id)) await tx.incidents.withhold(incident.id, x.agency.id, incident.status, x.reason, nowUs);
}

async function addMessage(w: OutboxWrite, incident: IncidentRecord, facts: IncidentFacts, spec: MessageSpec): Promise<MessageRecord> {
  const { tx } = w;
  const message = newMessage(incident, facts, spec, {
    identity: await publishIdentityTx(tx, spec.nowUs),
    earlier: await tx.incidents.messages(incident.id),
    statusNote: await statusNoteTx(tx, facts.alert.source, incident.status),
    messageLifetimeMinutes: (await publishLifetimesTx(tx)).messageLifetimeMinutes,
    audioLink: await audioLinkForTx(tx, w.port, incident.id, spec.nowUs),
  });
  return tx.incidents.addMessage(message);
}

/** One delivery row per message, agency endpoint; removed agencies, and any that refuse the incident's status, get nothing. */
async function enqueue(tx: WriteTx, incident: IncidentRecord, messages: MessageRecord[], agencyIds: number[], nowUs: number): Promise<number[]> {
  const ids: number[] = [];
  for (const agencyId of agencyIds) {
    const agency = await tx.agencies.get(agencyId);
    if (!agency || agency.removedUs !== null || !agency.accepts.includes(incident.status)) continue;
    for (const m of messages) {
      for (const e of agency.endpoints) {
        const id = await tx.deliveries.enqueue({
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

/**
 * Sends an incident to agencies an administrator chose: every message so far, in order, in the
 * caller's write (which has locked the incident's alert). A held or unrouted incident is routed.
 */
export async function routeToAgenciesTx(tx: WriteTx, incident: IncidentRecord, agencyIds: number[], actor: string, nowUs: number): Promise<number[]> {
  const added: number[] = [];
  for (const id of agencyIds) if (await tx.incidents.addAgency(incident.id, id, 'admin', nowUs, actor)) added.push(id);
  if (incident.state === 'unrouted' || incident.state === 'held') await tx.incidents.setState(incident.id, 'routed', nowUs, { holdNote: null });
  else await tx.incidents.touch(incident.id, nowUs);
  return enqueue(tx, incident, await tx.incidents.messages(incident.id), added, nowUs);
}
