import { sql, type Selectable } from 'kysely';
import type { Claim, QueueOrder } from '../../contract/index.ts';
import type { ClaimQueries } from '../../kernel/store-port.ts';
import type { ClaimsTable } from '../schema.ts';
import { changedOne, notInList, type QueryContext } from './context.ts';

const toClaim = (r: Selectable<ClaimsTable>): Claim => ({ alertId: r.alert_id, by: r.claimed_by, seat: r.seat, claimedUs: r.claimed_us, expiresUs: r.expires_us });

/** Claims: leases of pending alerts by seats. */
export function claimQueries(ctx: QueryContext): ClaimQueries {
  const { db } = ctx;
  const pg = ctx.backend === 'postgres';
  const get = (alertId: number) => db.selectFrom('claims').selectAll().where('alert_id', '=', alertId).executeTakeFirst();

  // Which pending alert "next" takes, for each queue order (see compareUrgency in the contract).
  const order = (o: QueueOrder, nowUs: number, budgetUs: number) => {
    switch (o) {
      case 'within_budget_oldest_first': return sql`ORDER BY (a.detected_us + ${budgetUs} <= ${nowUs}), a.detected_us, a.id`;
      case 'oldest_first': return sql`ORDER BY a.detected_us, a.id`;
      case 'newest_first': return sql`ORDER BY a.detected_us DESC, a.id DESC`;
    }
  };

  return {
    async get(alertId) {
      const r = await get(alertId);
      return r ? toClaim(r) : undefined;
    },
    async activeOn(alertId, nowUs) {
      const r = await get(alertId);
      return r && r.expires_us > nowUs ? toClaim(r) : undefined;
    },
    ofSeat: async (seat) => (await db.selectFrom('claims').selectAll().where('seat', '=', seat).orderBy('alert_id').execute()).map(toClaim),
    allActive: async (nowUs) => (await db.selectFrom('claims').selectAll().where('expires_us', '>', nowUs).orderBy('alert_id').execute()).map(toClaim),
    async take(alertId, holder, nowUs, leaseUs) {
      // Takes the row when it is free, expired, or held by the same person (their other window).
      const r = await db.insertInto('claims')
        .values({ alert_id: alertId, account_id: holder.accountId, claimed_by: holder.by, seat: holder.seat, claimed_us: nowUs, expires_us: nowUs + leaseUs })
        .onConflict((oc) => oc.column('alert_id')
          .doUpdateSet((eb) => ({ account_id: eb.ref('excluded.account_id'), claimed_by: eb.ref('excluded.claimed_by'), seat: eb.ref('excluded.seat'),
            claimed_us: eb.ref('excluded.claimed_us'), expires_us: eb.ref('excluded.expires_us') }))
          .where((eb) => eb.or([
            eb('claims.expires_us', '<=', nowUs),
            eb('claims.seat', '=', eb.ref('excluded.seat')),
            eb.and([eb('claims.account_id', 'is not', null), eb('claims.account_id', '=', eb.ref('excluded.account_id'))]),
          ])))
        .executeTakeFirst();
      return changedOne(r);
    },
    async renew(alertId, seat, nowUs, leaseUs) {
      return changedOne(await db.updateTable('claims').set({ expires_us: nowUs + leaseUs }).where('alert_id', '=', alertId).where('seat', '=', seat)
        .where('expires_us', '>', nowUs).executeTakeFirst());
    },
    async remove(alertId) {
      return changedOne(await db.deleteFrom('claims').where('alert_id', '=', alertId).executeTakeFirst());
    },
    async releaseSeat(seat, keep = 0) {
      const q = db.deleteFrom('claims').where('seat', '=', seat);
      return (await (keep ? q.where('alert_id', '!=', keep) : q).returning('alert_id').execute()).map((r) => r.alert_id);
    },
    async prune(beforeUs) {
      await db.deleteFrom('claims').where('expires_us', '<', beforeUs).execute();
    },
    async next(o, nowUs, budgetUs, skip) {
      const choose = async (leaveOut: readonly number[]) => {
        // PostgreSQL: the chosen alert stays locked until commit, and seats choosing at once pass over it.
        const lock = pg ? sql`FOR UPDATE OF a SKIP LOCKED` : sql``;
        const r = await sql<{ id: number }>`SELECT a.id FROM alerts a LEFT JOIN claims c ON c.alert_id = a.id AND c.expires_us > ${nowUs}
          WHERE a.status = 'pending' AND c.alert_id IS NULL AND ${notInList(ctx, 'a.id', leaveOut, 'bigint')} ${order(o, nowUs, budgetUs)} LIMIT 1 ${lock}`.execute(db);
        return r.rows[0]?.id;
      };
      if (!pg) return choose(skip);
      // The choice was made in a snapshot from just before the statement; a seat that claimed or
      // decided the alert and committed meanwhile released its lock, so look again, now that the
      // alert is locked, and pass over it if so. (SQLite's write lock makes the first look final.)
      const leaveOut = [...skip];
      for (let tries = 0; tries < 50; tries++) {
        const id = await choose(leaveOut);
        if (id === undefined) return undefined;
        const taken = await db.selectFrom('alerts as a').select('a.id').where('a.id', '=', id)
          .where((eb) => eb.or([eb('a.status', '<>', 'pending'), eb.exists(eb.selectFrom('claims as c').select('c.alert_id').whereRef('c.alert_id', '=', 'a.id').where('c.expires_us', '>', nowUs))]))
          .executeTakeFirst();
        if (!taken) return id;
        leaveOut.push(id);
      }
      return undefined;
    },
  };
}
