/**
 * The decide bench's baseline: the first publication of a decision as the synchronous outbox
 * (src/publish/outbox.ts, deleted once re-location and the incident desk moved to the port) wrote
 * it inside decide's synchronous transaction: routing, the incident and its agencies, the first
 * message with its identity, status note, lifetimes and audio link, one delivery per endpoint and
 * the audit entry, through the synchronous store's queries (attestations and all). Kept here,
 * frozen, so `npm run bench -- --only decide` still compares the port with what it replaced; it
 * goes with the synchronous store. Only the path the bench takes: an alert never published before.
 */
import { randomUUID } from 'node:crypto';
import type { Decision } from '../../src/contract/index.ts';
import { audioLinkFor } from '../../src/publish/audio-link.ts';
import { buildFacts } from '../../src/publish/facts.ts';
import { publishIdentity, publishLifetimes } from '../../src/publish/identity.ts';
import { newMessage } from '../../src/publish/outbox-plan.ts';
import { routeFor } from '../../src/publish/routing.ts';
import { statusNote } from '../../src/publish/source-status.ts';
import type { Store } from '../../src/store/store.ts';

export function publishDecisionOnSyncStore(store: Store, decision: Decision, actor: string): void {
  if (!store.db.inTransaction) throw new Error('the baseline publishes inside the transaction of its decision');
  if (store.incidents.byAlert(decision.alertId)) throw new Error(`alert ${decision.alertId} was published already`);
  const detail = store.alerts.detail(decision.alertId)!;
  const facts = buildFacts(detail, decision);
  const route = routeFor(store, { coordinates: detail.coordinates, location: facts.location, source: detail.source }, decision.class);
  if (route.outcome === 'not_published' || route.outcome === 'not_routable') return;
  const now = decision.decidedUs;
  const incident = store.incidents.create(decision.alertId, route.outcome, route.status, route.outcome === 'unrouted' ? route.reason : null, now);
  for (const a of route.agencies) store.incidents.addAgency(incident.id, a.id, 'jurisdiction', now, actor);
  for (const w of route.withheld) store.incidents.withhold(incident.id, w.agency.id, incident.status, w.reason, now);
  const message = store.incidents.addMessage(
    newMessage(
      incident,
      facts,
      { msgType: 'Alert', changes: ['published'], note: null, actor, nowUs: now },
      {
        identity: publishIdentity(store, now),
        earlier: store.incidents.messages(incident.id),
        statusNote: statusNote(store, facts.alert.source, incident.status),
        messageLifetimeMinutes: publishLifetimes(store).messageLifetimeMinutes,
        audioLink: audioLinkFor(store, incident.id, now),
      },
    ),
  );
  let deliveries = 0;
  for (const a of route.agencies) {
    const agency = store.agencies.get(a.id);
    if (!agency || agency.removedUs !== null || !agency.accepts.includes(incident.status)) continue;
    for (const e of agency.endpoints) {
      const id = store.deliveries.enqueue({
        incidentId: incident.id,
        messageId: message.id,
        seq: message.seq,
        agencyId: a.id,
        endpointId: e.id,
        idempotencyKey: randomUUID(),
        atUs: now,
      });
      if (id !== null) deliveries++;
    }
  }
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
      deliveries,
      reason: route.reason,
    },
  });
}
