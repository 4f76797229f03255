import { sql } from 'kysely';
import type { PublishFormat } from '../../contract/index.ts';
import type {
  AttemptOutcome,
  AttemptResult,
  DeliveryClaim,
  DeliveryCounts,
  DeliveryQueries,
  DeliveryRecord,
  DeliveryRowState,
  NewDelivery,
} from '../../kernel/store-port.ts';
import { changedOne, type QueryContext } from './context.ts';

interface RecordRow {
  id: number;
  incident_id: number;
  alert_id: number;
  message_id: number;
  seq: number;
  msg_type: DeliveryRecord['msgType'];
  agency_id: number;
  agency_name: string;
  endpoint_id: number;
  url: string;
  format: string;
  state: DeliveryRowState;
  lease_owner: string | null;
  lease_until_us: number | null;
  idempotency_key: string;
  attempts: number;
  created_us: number;
  window_start_us: number;
  next_attempt_us: number;
  delivered_us: number | null;
  last_status: number | null;
  last_error: string | null;
}

const toRecord = (r: RecordRow): DeliveryRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  alertId: r.alert_id,
  messageId: r.message_id,
  seq: r.seq,
  msgType: r.msg_type,
  agencyId: r.agency_id,
  agencyName: r.agency_name,
  endpointId: r.endpoint_id,
  url: r.url,
  format: r.format as PublishFormat,
  state: r.state,
  leaseOwner: r.lease_owner,
  leaseUntilUs: r.lease_until_us,
  idempotencyKey: r.idempotency_key,
  attempts: r.attempts,
  createdUs: r.created_us,
  windowStartUs: r.window_start_us,
  nextAttemptUs: r.next_attempt_us,
  deliveredUs: r.delivered_us,
  lastStatus: r.last_status,
  lastError: r.last_error,
});

export function deliveryQueries(ctx: QueryContext): DeliveryQueries {
  const { db } = ctx;
  const pg = ctx.backend === 'postgres';

  const records = () =>
    db
      .selectFrom('deliveries as d')
      .innerJoin('incidents as i', 'i.id', 'd.incident_id')
      .innerJoin('incident_messages as m', 'm.id', 'd.message_id')
      .innerJoin('agencies as a', 'a.id', 'd.agency_id')
      .innerJoin('agency_endpoints as e', 'e.id', 'd.endpoint_id')
      .select([
        'd.id',
        'd.incident_id',
        'i.alert_id',
        'd.message_id',
        'd.seq',
        'm.msg_type',
        'd.agency_id',
        'a.name as agency_name',
        'd.endpoint_id',
        'e.url',
        'e.format',
        'd.state',
        'd.lease_owner',
        'd.lease_until_us',
        'd.idempotency_key',
        'd.attempts',
        'd.created_us',
        'd.window_start_us',
        'd.next_attempt_us',
        'd.delivered_us',
        'd.last_status',
        'd.last_error',
      ]);

  const pendingIds = async (column: 'agency_id' | 'endpoint_id', id: number) =>
    (await db.selectFrom('deliveries').select('id').where(column, '=', id).where('state', '=', 'pending').orderBy('id').execute()).map((r) => r.id);

  const cancel = (id: number, reason: string) =>
    db
      .updateTable('deliveries')
      .set({ state: 'cancelled', last_error: reason, lease_owner: null, lease_until_us: null })
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .execute();

  return {
    async enqueue(d: NewDelivery) {
      const r = await db
        .insertInto('deliveries')
        .values({
          incident_id: d.incidentId,
          message_id: d.messageId,
          seq: d.seq,
          agency_id: d.agencyId,
          endpoint_id: d.endpointId,
          idempotency_key: d.idempotencyKey,
          state: 'pending',
          created_us: d.atUs,
          window_start_us: d.atUs,
          next_attempt_us: d.atUs,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (r) ctx.attested.mark('deliveries', r.id);
      return r?.id ?? null;
    },
    async claim(nowUs, owner, leaseUntilUs, limit, skip, accept = () => true) {
      // Per incident and endpoint, messages go out in order: a later one waits while an earlier one is still pending.
      // PostgreSQL: rows another worker is leasing right now are passed over, not waited for.
      const lock = pg ? sql`FOR UPDATE OF d SKIP LOCKED` : sql``;
      const due = (
        await sql<{ id: number; endpoint_id: number }>`SELECT d.id, d.endpoint_id FROM deliveries d
        WHERE d.state = 'pending' AND d.next_attempt_us <= ${nowUs} AND d.lease_owner IS NULL
          AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.incident_id = d.incident_id AND e.endpoint_id = d.endpoint_id AND e.seq < d.seq AND e.state = 'pending')
        ORDER BY d.next_attempt_us, d.id LIMIT ${limit * 4 + skip.size} ${lock}`.execute(db)
      ).rows;
      const out: DeliveryClaim[] = [];
      for (const { id, endpoint_id } of due) {
        if (out.length >= limit) break;
        if (skip.has(id) || !accept(endpoint_id)) continue;
        const leased = await db
          .updateTable('deliveries')
          .set((eb) => ({ lease_owner: owner, lease_until_us: leaseUntilUs, attempts: eb('attempts', '+', 1) }))
          .where('id', '=', id)
          .where('lease_owner', 'is', null)
          .where('state', '=', 'pending')
          .returning(['attempts', 'endpoint_id', 'message_id', 'idempotency_key', 'window_start_us'])
          .executeTakeFirst();
        if (!leased) continue;
        await db
          .insertInto('delivery_attempts')
          .values({ delivery_id: id, attempt: leased.attempts, worker: owner, started_us: nowUs, outcome: 'sending' })
          .execute();
        out.push({
          deliveryId: id,
          attempt: leased.attempts,
          endpointId: leased.endpoint_id,
          messageId: leased.message_id,
          idempotencyKey: leased.idempotency_key,
          windowStartUs: leased.window_start_us,
        });
      }
      return out;
    },
    async finish(r: AttemptResult) {
      await db
        .updateTable('delivery_attempts')
        .set({
          finished_us: r.finishedUs,
          http_status: r.httpStatus,
          latency_ms: r.latencyMs,
          outcome: r.outcome,
          error: r.error,
          response_excerpt: r.responseExcerpt,
        })
        .where('delivery_id', '=', r.deliveryId)
        .where('attempt', '=', r.attempt)
        .where('outcome', '=', 'sending')
        .execute();
      const state: DeliveryRowState = r.outcome === 'delivered' ? 'delivered' : r.outcome === 'failed' ? 'failed' : 'pending';
      const settled = changedOne(
        await db
          .updateTable('deliveries')
          .set((eb) => ({
            state,
            next_attempt_us: eb.fn.coalesce(eb.val(r.nextAttemptUs), eb.ref('next_attempt_us')),
            delivered_us: r.outcome === 'delivered' ? r.finishedUs : null,
            last_status: r.httpStatus,
            last_error: r.outcome === 'delivered' ? null : r.error,
            lease_owner: null,
            lease_until_us: null,
          }))
          .where('id', '=', r.deliveryId)
          .where('lease_owner', '=', r.owner)
          .executeTakeFirst(),
      );
      // A retry leaves the delivery pending: nothing attested changed.
      if (settled && state !== 'pending') ctx.attested.mark('deliveries', r.deliveryId);
      return settled;
    },
    async leases() {
      const rows = await db
        .selectFrom('deliveries')
        .select(['id', 'lease_owner', 'lease_until_us'])
        .where('lease_owner', 'is not', null)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ id: r.id, owner: r.lease_owner!, untilUs: r.lease_until_us! }));
    },
    async interrupt(id, owner, nowUs, reason) {
      const released = await db
        .updateTable('deliveries')
        .set({ lease_owner: null, lease_until_us: null, next_attempt_us: nowUs, last_error: reason })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (!changedOne(released)) return false;
      await db
        .updateTable('delivery_attempts')
        .set({ finished_us: nowUs, outcome: 'interrupted', error: reason })
        .where('delivery_id', '=', id)
        .where('outcome', '=', 'sending')
        .execute();
      return true;
    },
    async get(id) {
      const r = await records().where('d.id', '=', id).executeTakeFirst();
      return r ? toRecord(r as RecordRow) : undefined;
    },
    async list(filter) {
      let q = records();
      if (filter.incidentId !== undefined) q = q.where('d.incident_id', '=', filter.incidentId);
      if (filter.agencyId !== undefined) q = q.where('d.agency_id', '=', filter.agencyId);
      if (filter.state !== undefined) q = q.where('d.state', '=', filter.state as DeliveryRowState);
      return (await q.orderBy('d.created_us', 'desc').orderBy('d.id', 'desc').limit(filter.limit).execute()).map((r) => toRecord(r as RecordRow));
    },
    async attempts(id) {
      const rows = await db.selectFrom('delivery_attempts').selectAll().where('delivery_id', '=', id).orderBy('attempt').execute();
      return rows.map((r) => ({
        attempt: r.attempt,
        worker: r.worker,
        startedUs: r.started_us,
        finishedUs: r.finished_us,
        httpStatus: r.http_status,
        latencyMs: r.latency_ms,
        outcome: r.outcome as AttemptOutcome,
        error: r.error,
        responseExcerpt: r.response_excerpt,
      }));
    },
    async retry(id, nowUs) {
      const changed = changedOne(
        await db
          .updateTable('deliveries')
          .set({ state: 'pending', window_start_us: nowUs, next_attempt_us: nowUs })
          .where('id', '=', id)
          .where('state', 'in', ['pending', 'failed'])
          .where('lease_owner', 'is', null)
          .executeTakeFirst(),
      );
      if (changed) ctx.attested.mark('deliveries', id);
      return changed;
    },
    async cancelForAgency(agencyId, reason) {
      const ids = await pendingIds('agency_id', agencyId);
      for (const id of ids) await cancel(id, reason);
      ctx.attested.mark('deliveries', ...ids);
      return ids;
    },
    async cancelForEndpoint(endpointId, reason) {
      const ids = await pendingIds('endpoint_id', endpointId);
      for (const id of ids) await cancel(id, reason);
      ctx.attested.mark('deliveries', ...ids);
      return ids;
    },
    async movePending(fromEndpointId, toEndpointId) {
      const ids = await pendingIds('endpoint_id', fromEndpointId);
      for (const id of ids) await db.updateTable('deliveries').set({ endpoint_id: toEndpointId }).where('id', '=', id).where('state', '=', 'pending').execute();
      ctx.attested.mark('deliveries', ...ids);
      return ids;
    },
    async nextDueUs() {
      const r = await db
        .selectFrom('deliveries')
        .select((eb) => eb.fn.min('next_attempt_us').as('t'))
        .where('state', '=', 'pending')
        .where('lease_owner', 'is', null)
        .executeTakeFirst();
      return r?.t ?? null;
    },
    async counts(incidentId, nowUs) {
      const out: DeliveryCounts = { pending: 0, sending: 0, delivered: 0, failed: 0, cancelled: 0 };
      const rows = (
        await sql<{ state: keyof DeliveryCounts; n: number }>`SELECT
          CASE WHEN state = 'pending' AND lease_owner IS NOT NULL AND lease_until_us > ${nowUs} THEN 'sending' ELSE state END AS state, count(*) AS n
        FROM deliveries WHERE incident_id = ${incidentId} GROUP BY 1`.execute(db)
      ).rows;
      for (const r of rows) out[r.state] += r.n;
      return out;
    },
    async idsOfMessage(messageId) {
      return (await db.selectFrom('deliveries').select('id').where('message_id', '=', messageId).orderBy('id').execute()).map((r) => r.id);
    },
    async idsOfIncident(incidentId) {
      return (await db.selectFrom('deliveries').select('id').where('incident_id', '=', incidentId).orderBy('id').execute()).map((r) => r.id);
    },
  };
}
