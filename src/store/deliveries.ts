import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import type { PublishFormat } from '../contract/index.ts';

import type { DeliveryRecord, DeliveryRowState, NewDelivery } from '../kernel/queries/deliveries.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { AttemptOutcome, AttemptRecord, AttemptResult, DeliveryRecord, DeliveryRowState, NewDelivery } from '../kernel/queries/deliveries.ts';

const RECORD_SELECT = `SELECT d.id, d.incident_id, i.alert_id, d.message_id, d.seq, m.msg_type, d.agency_id, a.name AS agency_name, d.endpoint_id, e.url, e.format,
  d.state, d.lease_owner, d.lease_until_us, d.idempotency_key, d.attempts, d.created_us, d.window_start_us, d.next_attempt_us, d.delivered_us, d.last_status, d.last_error
  FROM deliveries d JOIN incidents i ON i.id = d.incident_id JOIN incident_messages m ON m.id = d.message_id
  JOIN agencies a ON a.id = d.agency_id JOIN agency_endpoints e ON e.id = d.endpoint_id`;

type Row = Record<string, unknown>;
const toRecord = (r: Row): DeliveryRecord => ({
  id: r.id as number,
  incidentId: r.incident_id as number,
  alertId: r.alert_id as number,
  messageId: r.message_id as number,
  seq: r.seq as number,
  msgType: r.msg_type as DeliveryRecord['msgType'],
  agencyId: r.agency_id as number,
  agencyName: r.agency_name as string,
  endpointId: r.endpoint_id as number,
  url: r.url as string,
  format: r.format as PublishFormat,
  state: r.state as DeliveryRowState,
  leaseOwner: r.lease_owner as string | null,
  leaseUntilUs: r.lease_until_us as number | null,
  idempotencyKey: r.idempotency_key as string,
  attempts: r.attempts as number,
  createdUs: r.created_us as number,
  windowStartUs: r.window_start_us as number,
  nextAttemptUs: r.next_attempt_us as number,
  deliveredUs: r.delivered_us as number | null,
  lastStatus: r.last_status as number | null,
  lastError: r.last_error as string | null,
});

/**
 * The outbox rows the services still on the synchronous store write and read: queued by the
 * synchronous outbox (re-location, an administrator's routing), moved or cancelled with their
 * endpoint or agency, read for reports and announcements. The delivery worker's claims,
 * settlements and recovery, and the deliveries' listing and retry, are on the store port
 * (src/store/queries/deliveries.ts).
 */
export function deliveryQueries(db: Db, attested: Attestations) {
  const insert =
    db.prepare(`INSERT OR IGNORE INTO deliveries (incident_id, message_id, seq, agency_id, endpoint_id, idempotency_key, state, created_us, window_start_us, next_attempt_us)
    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
  const byId = db.prepare<[number], Row>(`${RECORD_SELECT} WHERE d.id = ?`);
  const pendingForAgency = db.prepare<[number], { id: number }>("SELECT id FROM deliveries WHERE agency_id = ? AND state = 'pending'");
  const pendingForEndpoint = db.prepare<[number], { id: number }>("SELECT id FROM deliveries WHERE endpoint_id = ? AND state = 'pending'");
  const repoint = db.prepare("UPDATE deliveries SET endpoint_id = ? WHERE id = ? AND state = 'pending'");
  const cancel = db.prepare(
    "UPDATE deliveries SET state = 'cancelled', last_error = ?, lease_owner = NULL, lease_until_us = NULL WHERE id = ? AND state = 'pending'",
  );
  const counts = db.prepare<[number, number], { state: string; n: number }>(
    `SELECT CASE WHEN state = 'pending' AND lease_owner IS NOT NULL AND lease_until_us > ? THEN 'sending' ELSE state END AS state, count(*) AS n
     FROM deliveries WHERE incident_id = ? GROUP BY 1`,
  );

  return {
    /** Queues a message for an endpoint; returns the new row's id, or null when that pair was already queued. */
    enqueue(d: NewDelivery): number | null {
      const r = insert.run(d.incidentId, d.messageId, d.seq, d.agencyId, d.endpointId, d.idempotencyKey, d.atUs, d.atUs, d.atUs);
      if (r.changes !== 1) return null;
      const id = Number(r.lastInsertRowid);
      attested.mark('deliveries', id);
      return id;
    },
    get(id: number): DeliveryRecord | undefined {
      const r = byId.get(id);
      return r ? toRecord(r) : undefined;
    },
    list(filter: { incidentId?: number; agencyId?: number; state?: string; limit: number }): DeliveryRecord[] {
      const where: string[] = [];
      const args: (number | string)[] = [];
      const add = (clause: string, value: number | string | undefined) => {
        if (value === undefined) return;
        where.push(clause);
        args.push(value);
      };
      add('d.incident_id = ?', filter.incidentId);
      add('d.agency_id = ?', filter.agencyId);
      add('d.state = ?', filter.state);
      const sql = `${RECORD_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.created_us DESC, d.id DESC LIMIT ?`;
      return db
        .prepare<unknown[], Row>(sql)
        .all(...args, filter.limit)
        .map(toRecord);
    },
    /** Cancels every pending delivery to an agency; returns their ids. Call inside a transaction. */
    cancelForAgency(agencyId: number, reason: string): number[] {
      const ids = pendingForAgency.all(agencyId).map((r) => r.id);
      for (const id of ids) cancel.run(reason, id);
      attested.mark('deliveries', ...ids);
      return ids;
    },
    /** Cancels every pending delivery to one endpoint; returns their ids. Call inside a transaction. */
    cancelForEndpoint(endpointId: number, reason: string): number[] {
      const ids = pendingForEndpoint.all(endpointId).map((r) => r.id);
      for (const id of ids) cancel.run(reason, id);
      attested.mark('deliveries', ...ids);
      return ids;
    },
    /** Moves every pending delivery of an endpoint to its replacement (same message, same key); returns their ids. */
    movePending(fromEndpointId: number, toEndpointId: number): number[] {
      const ids = pendingForEndpoint.all(fromEndpointId).map((r) => r.id);
      for (const id of ids) repoint.run(toEndpointId, id);
      attested.mark('deliveries', ...ids);
      return ids;
    },
    counts(incidentId: number, nowUs: number): Record<'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled', number> {
      const out = { pending: 0, sending: 0, delivered: 0, failed: 0, cancelled: 0 };
      for (const r of counts.all(nowUs, incidentId)) out[r.state as keyof typeof out] += r.n;
      return out;
    },
  };
}
