import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';
import { portTransactionOpen } from './sqlite/shared.ts';
import type { PublishFormat } from '../contract/index.ts';

import type {
  AttemptOutcome,
  AttemptRecord,
  AttemptResult,
  DeliveryClaim,
  DeliveryRecord,
  DeliveryRowState,
  NewDelivery,
} from '../kernel/queries/deliveries.ts';

// Moved to the store port (src/kernel); re-exported while services move over (Claim is the port's DeliveryClaim).
export type { AttemptOutcome, AttemptRecord, AttemptResult, DeliveryRecord, DeliveryRowState, NewDelivery } from '../kernel/queries/deliveries.ts';
export type Claim = DeliveryClaim;

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
 * The outbox. A worker claims due rows by setting a lease (owner, until) and opening an attempt
 * row in one transaction, sends, then closes the attempt and the lease in another. A crash
 * between the two leaves an open attempt and a lease, which `interruptOrphans` turns into an
 * "interrupted" attempt and a due row: nothing lost, nothing counted twice.
 */
export function deliveryQueries(db: Db, attested: Attestations) {
  const insert =
    db.prepare(`INSERT OR IGNORE INTO deliveries (incident_id, message_id, seq, agency_id, endpoint_id, idempotency_key, state, created_us, window_start_us, next_attempt_us)
    VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
  // Per incident and endpoint, messages go out in order: a later one waits while an earlier one is still pending.
  const due = db.prepare<[number, number], { id: number; endpoint_id: number }>(`SELECT d.id, d.endpoint_id FROM deliveries d
    WHERE d.state = 'pending' AND d.next_attempt_us <= ? AND d.lease_owner IS NULL
      AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.endpoint_id = d.endpoint_id AND e.seq < d.seq AND e.state = 'pending')
    ORDER BY d.next_attempt_us, d.id LIMIT ?`);
  const lease = db.prepare(
    "UPDATE deliveries SET lease_owner = ?, lease_until_us = ?, attempts = attempts + 1 WHERE id = ? AND lease_owner IS NULL AND state = 'pending'",
  );
  const claimed = db.prepare<[number], { attempts: number; endpoint_id: number; message_id: number; idempotency_key: string; window_start_us: number }>(
    'SELECT attempts, endpoint_id, message_id, idempotency_key, window_start_us FROM deliveries WHERE id = ?',
  );
  const openAttempt = db.prepare("INSERT INTO delivery_attempts (delivery_id, attempt, worker, started_us, outcome) VALUES (?, ?, ?, ?, 'sending')");
  const closeAttempt = db.prepare(`UPDATE delivery_attempts SET finished_us = ?, http_status = ?, latency_ms = ?, outcome = ?, error = ?, response_excerpt = ?
    WHERE delivery_id = ? AND attempt = ? AND outcome = 'sending'`);
  const settle = db.prepare(`UPDATE deliveries SET state = ?, next_attempt_us = coalesce(?, next_attempt_us), delivered_us = ?, last_status = ?, last_error = ?,
    lease_owner = NULL, lease_until_us = NULL WHERE id = ? AND lease_owner = ?`);
  const leased = db.prepare<[], { id: number; lease_owner: string; lease_until_us: number }>(
    'SELECT id, lease_owner, lease_until_us FROM deliveries WHERE lease_owner IS NOT NULL',
  );
  const interruptAttempts = db.prepare(
    `UPDATE delivery_attempts SET finished_us = ?, outcome = 'interrupted', error = ? WHERE delivery_id = ? AND outcome = 'sending'`,
  );
  const release = db.prepare(
    'UPDATE deliveries SET lease_owner = NULL, lease_until_us = NULL, next_attempt_us = ?, last_error = ? WHERE id = ? AND lease_owner = ?',
  );
  const byId = db.prepare<[number], Row>(`${RECORD_SELECT} WHERE d.id = ?`);
  const attempts = db.prepare<[number], Row>('SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt');
  const retry = db.prepare(
    `UPDATE deliveries SET state = 'pending', window_start_us = ?, next_attempt_us = ? WHERE id = ? AND state IN ('pending', 'failed') AND lease_owner IS NULL`,
  );
  const pendingForAgency = db.prepare<[number], { id: number }>("SELECT id FROM deliveries WHERE agency_id = ? AND state = 'pending'");
  const pendingForEndpoint = db.prepare<[number], { id: number }>("SELECT id FROM deliveries WHERE endpoint_id = ? AND state = 'pending'");
  const repoint = db.prepare("UPDATE deliveries SET endpoint_id = ? WHERE id = ? AND state = 'pending'");
  const cancel = db.prepare(
    "UPDATE deliveries SET state = 'cancelled', last_error = ?, lease_owner = NULL, lease_until_us = NULL WHERE id = ? AND state = 'pending'",
  );
  const nextDue = db.prepare<[], { t: number | null }>("SELECT min(next_attempt_us) AS t FROM deliveries WHERE state = 'pending' AND lease_owner IS NULL");
  const counts = db.prepare<[number, number], { state: string; n: number }>(
    `SELECT CASE WHEN state = 'pending' AND lease_owner IS NOT NULL AND lease_until_us > ? THEN 'sending' ELSE state END AS state, count(*) AS n
     FROM deliveries WHERE incident_id = ? GROUP BY 1`,
  );
  const idsOfMessage = db.prepare<[number], { id: number }>('SELECT id FROM deliveries WHERE message_id = ? ORDER BY id');
  const idsOfIncident = db.prepare<[number], { id: number }>('SELECT id FROM deliveries WHERE incident_id = ? ORDER BY id');

  return {
    /**
     * Runs the worker's bookkeeping (claims, settlements) in one IMMEDIATE transaction without
     * waiting for the disk: synchronous=NORMAL under WAL survives any crash of the process
     * (SIGKILL included); only a power cut can lose the last such commits, and the protocol
     * absorbs that (a lost claim is claimed again; a lost settlement sends again with the same
     * idempotency key). Decisions and the outbox rows they write keep synchronous=FULL.
     */
    bookkeeping<T>(fn: () => T): T {
      if (portTransactionOpen.has(db)) throw new Error('delivery bookkeeping began inside an asynchronous store transaction on the same connection');
      if (db.inTransaction) return fn();
      const previous = db.pragma('synchronous', { simple: true }) as number;
      db.pragma('synchronous = NORMAL');
      try {
        return db
          .transaction(() => {
            const out = fn();
            attested.flush();
            return out;
          })
          .immediate();
      } catch (e) {
        attested.discard();
        throw e;
      } finally {
        db.pragma(`synchronous = ${previous}`);
      }
    },
    /** Queues a message for an endpoint; returns the new row's id, or null when that pair was already queued. */
    enqueue(d: NewDelivery): number | null {
      const r = insert.run(d.incidentId, d.messageId, d.seq, d.agencyId, d.endpointId, d.idempotencyKey, d.atUs, d.atUs, d.atUs);
      if (r.changes !== 1) return null;
      const id = Number(r.lastInsertRowid);
      attested.mark('deliveries', id);
      return id;
    },
    /**
     * Claims up to `limit` due deliveries for `owner`, skipping ids in `skip` and endpoints `accept`
     * refuses (the worker's per-endpoint cap); call inside a transaction.
     */
    claim(
      nowUs: number,
      owner: string,
      leaseUntilUs: number,
      limit: number,
      skip: ReadonlySet<number>,
      accept: (endpointId: number) => boolean = () => true,
    ): Claim[] {
      const out: Claim[] = [];
      for (const { id, endpoint_id } of due.all(nowUs, limit * 4 + skip.size)) {
        if (out.length >= limit) break;
        if (skip.has(id) || !accept(endpoint_id) || lease.run(owner, leaseUntilUs, id).changes !== 1) continue;
        const c = claimed.get(id)!;
        openAttempt.run(id, c.attempts, owner, nowUs);
        out.push({
          deliveryId: id,
          attempt: c.attempts,
          endpointId: c.endpoint_id,
          messageId: c.message_id,
          idempotencyKey: c.idempotency_key,
          windowStartUs: c.window_start_us,
        });
      }
      return out;
    },
    /** Closes an attempt and settles the delivery; false when the lease was no longer ours. Call inside a transaction. */
    finish(r: AttemptResult): boolean {
      closeAttempt.run(r.finishedUs, r.httpStatus, r.latencyMs, r.outcome, r.error, r.responseExcerpt, r.deliveryId, r.attempt);
      const state: DeliveryRowState = r.outcome === 'delivered' ? 'delivered' : r.outcome === 'failed' ? 'failed' : 'pending';
      const settled =
        settle.run(
          state,
          r.nextAttemptUs,
          r.outcome === 'delivered' ? r.finishedUs : null,
          r.httpStatus,
          r.outcome === 'delivered' ? null : r.error,
          r.deliveryId,
          r.owner,
        ).changes === 1;
      // A retry leaves the delivery pending: nothing attested changed.
      if (settled && state !== 'pending') attested.mark('deliveries', r.deliveryId);
      return settled;
    },
    /** Every leased row: the worker decides which leases belong to dead owners. */
    leases(): { id: number; owner: string; untilUs: number }[] {
      return leased.all().map((r) => ({ id: r.id, owner: r.lease_owner, untilUs: r.lease_until_us }));
    },
    /** Turns a dead owner's open attempt into "interrupted" and makes the delivery due now; call inside a transaction. */
    interrupt(id: number, owner: string, nowUs: number, reason: string): boolean {
      if (release.run(nowUs, reason, id, owner).changes !== 1) return false;
      interruptAttempts.run(nowUs, reason, id);
      return true;
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
    attempts(id: number): AttemptRecord[] {
      return attempts.all(id).map((r) => ({
        attempt: r.attempt as number,
        worker: r.worker as string,
        startedUs: r.started_us as number,
        finishedUs: r.finished_us as number | null,
        httpStatus: r.http_status as number | null,
        latencyMs: r.latency_ms as number | null,
        outcome: r.outcome as AttemptOutcome,
        error: r.error as string | null,
        responseExcerpt: r.response_excerpt as string | null,
      }));
    },
    /** Makes a failed or waiting delivery due now with a fresh window; false when it is delivered, cancelled or in flight. */
    retry(id: number, nowUs: number): boolean {
      const changed = retry.run(nowUs, nowUs, id).changes === 1;
      if (changed) attested.mark('deliveries', id);
      return changed;
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
    nextDueUs(): number | null {
      return nextDue.get()?.t ?? null;
    },
    counts(incidentId: number, nowUs: number): Record<'pending' | 'sending' | 'delivered' | 'failed' | 'cancelled', number> {
      const out = { pending: 0, sending: 0, delivered: 0, failed: 0, cancelled: 0 };
      for (const r of counts.all(nowUs, incidentId)) out[r.state as keyof typeof out] += r.n;
      return out;
    },
    idsOfMessage(messageId: number): number[] {
      return idsOfMessage.all(messageId).map((r) => r.id);
    },
    idsOfIncident(incidentId: number): number[] {
      return idsOfIncident.all(incidentId).map((r) => r.id);
    },
  };
}
