import type { Agency, Delivery, DeliveryAttempt, Incident } from '../contract/index.ts';
import type { AgencyRecord } from '../kernel/store-port.ts';
import type { AttemptRecord, DeliveryRecord } from '../store/deliveries.ts';
import type { IncidentRecord } from '../store/incidents.ts';
import type { StoreTx } from '../kernel/store-port.ts';
import { formatIsoMicros } from '../util/time.ts';
import { redactProxy } from './endpoint-tls.ts';
import { redactUrl } from './endpoint-url.ts';
import type { Change } from './message.ts';

/** Contract views of stored publishing rows. Secrets never pass through here: the records do not hold them. */

export const agencyView = (a: AgencyRecord): Agency => ({
  id: a.id,
  name: a.name,
  classes: a.classes,
  accepts: a.accepts,
  endpoints: a.endpoints.map((e) => ({
    id: e.id,
    url: redactUrl(e.url),
    format: e.format,
    mutualTls: e.mutualTls,
    privateCa: e.privateCa,
    proxy: redactProxy(e.proxyUrl),
  })),
  jurisdiction: { type: a.sourceType, polygons: a.polygons, holes: a.holes, vertices: a.vertices, bbox: a.bbox },
  createdUs: a.createdUs,
  createdBy: a.createdBy,
  updatedUs: a.updatedUs,
  updatedBy: a.updatedBy,
});

function incidentOf(
  i: IncidentRecord,
  parts: {
    agencies: { id: number; name: string; how: 'jurisdiction' | 'admin' }[];
    withheld: { agencyId: number; agencyName: string; status: Incident['status']; reason: string; atUs: number }[];
    messages: {
      id: number;
      seq: number;
      msgType: Incident['messages'][number]['msgType'];
      identifier: string;
      sentUs: number;
      changes: string[];
      createdBy: string;
    }[];
    deliveries: Incident['deliveries'];
  },
): Incident {
  return {
    id: i.id,
    alertId: i.alertId,
    state: i.state,
    status: i.status,
    unroutedReason: i.unroutedReason,
    holdNote: i.holdNote,
    createdUs: i.createdUs,
    updatedUs: i.updatedUs,
    agencies: parts.agencies.map((a) => ({ id: a.id, name: a.name, how: a.how })),
    withheld: parts.withheld.map((w) => ({ agency: { id: w.agencyId, name: w.agencyName }, status: w.status, reason: w.reason, atUs: w.atUs })),
    messages: parts.messages.map((m) => ({
      id: m.id,
      seq: m.seq,
      msgType: m.msgType,
      identifier: m.identifier,
      sentUs: m.sentUs,
      changes: m.changes as Change[],
      createdBy: m.createdBy,
    })),
    deliveries: parts.deliveries,
  };
}

/** An incident as seats see it, read inside the caller's transaction. */
export const incidentViewTx = async (tx: StoreTx, i: IncidentRecord, nowUs: number): Promise<Incident> =>
  incidentOf(i, {
    agencies: await tx.incidents.agencies(i.id),
    withheld: await tx.incidents.withheld(i.id),
    messages: await tx.incidents.messages(i.id),
    deliveries: await tx.deliveries.counts(i.id, nowUs),
  });

export function deliveryState(d: DeliveryRecord, nowUs: number): Delivery['state'] {
  if (d.state === 'pending' && d.leaseOwner !== null && (d.leaseUntilUs ?? 0) > nowUs) return 'sending';
  return d.state;
}

export const deliveryView = (d: DeliveryRecord, nowUs: number): Delivery => ({
  id: d.id,
  incidentId: d.incidentId,
  alertId: d.alertId,
  seq: d.seq,
  msgType: d.msgType,
  agency: { id: d.agencyId, name: d.agencyName },
  endpoint: { id: d.endpointId, url: redactUrl(d.url), format: d.format },
  state: deliveryState(d, nowUs),
  idempotencyKey: d.idempotencyKey,
  attempts: d.attempts,
  createdUs: d.createdUs,
  nextAttemptUs: d.state === 'pending' ? d.nextAttemptUs : null,
  deliveredUs: d.deliveredUs,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
});

export const attemptView = (a: AttemptRecord): DeliveryAttempt => ({
  attempt: a.attempt,
  startedUs: a.startedUs,
  finishedUs: a.finishedUs,
  httpStatus: a.httpStatus,
  latencyMs: a.latencyMs,
  outcome: a.outcome,
  error: a.error,
  responseExcerpt: a.responseExcerpt,
});

/** Why a delivery is not (yet) delivered, in one or two sentences an admin can act on. */
export function whyNotDelivered(d: DeliveryRecord, attempts: AttemptRecord[], nowUs: number): string | null {
  if (d.state === 'delivered') return null;
  if (d.state === 'cancelled') return d.lastError ?? 'cancelled';
  const last = attempts.at(-1);
  const lastWords = last
    ? `${last.httpStatus !== null ? `HTTP ${last.httpStatus}` : 'no answer'}${last.error && last.error !== `HTTP ${last.httpStatus}` ? `: ${last.error}` : ''}${last.responseExcerpt ? ` — receiver said: ${last.responseExcerpt.slice(0, 200)}` : ''}`
    : null;
  if (d.state === 'failed') return `${d.lastError ?? 'failed'}${lastWords && !d.lastError?.includes(lastWords) ? ` (last attempt: ${lastWords})` : ''}`;
  if (!last) return `waiting for its first attempt${d.nextAttemptUs > nowUs ? ` at ${formatIsoMicros(d.nextAttemptUs)}` : ''}`;
  if (deliveryState(d, nowUs) === 'sending') return `attempt ${d.attempts} is in flight`;
  return `attempt ${last.attempt} failed (${lastWords}); next attempt at ${formatIsoMicros(d.nextAttemptUs)}`;
}
