import { sql, type QueryResult, type RawBuilder, type Selectable } from 'kysely';
import { QUEUE_ORDERS, type Claim, type QueueOrder } from '../../contract/index.ts';
import type { ClaimQueries } from '../../kernel/store-port.ts';
import type { ClaimsTable } from '../schema.ts';
import { changedOne, listParam, notInListParam, waitingSince, type QueryContext } from './context.ts';
import { prepared, type Params } from './prepared.ts';

const toClaim = (r: Selectable<ClaimsTable>): Claim => ({
  alertId: r.alert_id,
  by: r.claimed_by,
  seat: r.seat,
  claimedUs: r.claimed_us,
  expiresUs: r.expires_us,
});

// likely_gunfire_first: when the alert began to wait less the head start of gunfireHeadStartUs
// (the contract), in the same words: a label with "gun" or "shot" in it gets the head start (µs),
// half when it starts with probable, possible or likely (a whole second, so half of it is whole
// too). The cast: PostgreSQL would take an untyped parameter divided by 2 for a 32-bit integer.
const gunfireHeadStart = (headStartUs: unknown) => sql`CASE
    WHEN lower(coalesce(a.machine_label, '')) NOT LIKE '%gun%' AND lower(coalesce(a.machine_label, '')) NOT LIKE '%shot%' THEN 0
    WHEN lower(a.machine_label) LIKE 'probable%' OR lower(a.machine_label) LIKE 'possible%' OR lower(a.machine_label) LIKE 'likely%' THEN CAST(${headStartUs} AS BIGINT) / 2
    ELSE CAST(${headStartUs} AS BIGINT) END`;

// Which pending alert "next" takes, for each queue order (see compareUrgency in the contract):
// every wait counts from waitingSince, as the contract's order does.
type Order = (ctx: QueryContext, nowUs: unknown, budgetUs: unknown, headStartUs: unknown) => RawBuilder<unknown>;
const ORDERS: Record<QueueOrder, Order> = {
  likely_gunfire_first: (ctx, _now, _budget, headStartUs) => sql`ORDER BY ${waitingSince(ctx)} - ${gunfireHeadStart(headStartUs)}, a.id`,
  within_budget_oldest_first: (ctx, nowUs, budgetUs) => sql`ORDER BY (${waitingSince(ctx)} + ${budgetUs} <= ${nowUs}), ${waitingSince(ctx)}, a.id`,
  oldest_first: (ctx) => sql`ORDER BY ${waitingSince(ctx)}, a.id`,
  newest_first: (ctx) => sql`ORDER BY ${waitingSince(ctx)} DESC, a.id DESC`,
};
type ChooseArgs = { nowUs: number; budgetUs: number; headStartUs: number; leaveOut: unknown };
const choose = Object.fromEntries(
  QUEUE_ORDERS.map((o) => [
    o,
    prepared((ctx, p: Params<ChooseArgs>) => {
      // PostgreSQL: the chosen alert stays locked until commit, and seats choosing at once pass over it.
      const lock = ctx.backend === 'postgres' ? sql`FOR UPDATE OF a SKIP LOCKED` : sql``;
      return sql<{ id: number }>`SELECT a.id FROM alerts a LEFT JOIN claims c ON c.alert_id = a.id AND c.expires_us > ${p('nowUs')}
    WHERE a.status = 'pending' AND c.alert_id IS NULL AND ${notInListParam(ctx, 'a.id', p('leaveOut'), 'bigint')} ${ORDERS[o](ctx, p('nowUs'), p('budgetUs'), p('headStartUs'))} LIMIT 1 ${lock}`;
    }),
  ]),
) as Record<QueueOrder, (ctx: QueryContext, args: ChooseArgs) => Promise<QueryResult<{ id: number }>>>;
// A second look at a chosen (and now locked) alert, in a fresh snapshot: claimed or decided meanwhile?
const takenMeanwhile = prepared((ctx, p: Params<{ id: number; nowUs: number }>) =>
  ctx.db
    .selectFrom('alerts as a')
    .select('a.id')
    .where('a.id', '=', p('id'))
    .where((eb) =>
      eb.or([
        eb('a.status', '<>', 'pending'),
        eb.exists(eb.selectFrom('claims as c').select('c.alert_id').whereRef('c.alert_id', '=', 'a.id').where('c.expires_us', '>', p('nowUs'))),
      ]),
    ),
);
const getClaim = prepared((ctx, p: Params<{ alertId: number }>) => ctx.db.selectFrom('claims').selectAll().where('alert_id', '=', p('alertId')));
// Takes the row when it is free, expired, or held by the same person (their other window).
const takeClaim = prepared((ctx, p: Params<{ alertId: number; accountId: number | null; by: string; seat: string; nowUs: number; expiresUs: number }>) =>
  ctx.db
    .insertInto('claims')
    .values({ alert_id: p('alertId'), account_id: p('accountId'), claimed_by: p('by'), seat: p('seat'), claimed_us: p('nowUs'), expires_us: p('expiresUs') })
    .onConflict((oc) =>
      oc
        .column('alert_id')
        .doUpdateSet((eb) => ({
          account_id: eb.ref('excluded.account_id'),
          claimed_by: eb.ref('excluded.claimed_by'),
          seat: eb.ref('excluded.seat'),
          claimed_us: eb.ref('excluded.claimed_us'),
          expires_us: eb.ref('excluded.expires_us'),
        }))
        .where((eb) =>
          eb.or([
            eb('claims.expires_us', '<=', p('nowUs')),
            eb('claims.seat', '=', eb.ref('excluded.seat')),
            eb.and([eb('claims.account_id', 'is not', null), eb('claims.account_id', '=', eb.ref('excluded.account_id'))]),
          ]),
        ),
    ),
);
const renewClaim = prepared((ctx, p: Params<{ alertId: number; seat: string; nowUs: number; expiresUs: number }>) =>
  ctx.db
    .updateTable('claims')
    .set({ expires_us: p('expiresUs') })
    .where('alert_id', '=', p('alertId'))
    .where('seat', '=', p('seat'))
    .where('expires_us', '>', p('nowUs')),
);

/** Claims: leases of pending alerts by seats. */
export function claimQueries(ctx: QueryContext): ClaimQueries {
  const { db } = ctx;
  const pg = ctx.backend === 'postgres';
  const get = async (alertId: number) => (await getClaim(ctx, { alertId })).rows[0];

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
      return changedOne(await takeClaim(ctx, { alertId, accountId: holder.accountId, by: holder.by, seat: holder.seat, nowUs, expiresUs: nowUs + leaseUs }));
    },
    async renew(alertId, seat, nowUs, leaseUs) {
      return changedOne(await renewClaim(ctx, { alertId, seat, nowUs, expiresUs: nowUs + leaseUs }));
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
    async next(settings, nowUs, skip) {
      const budgetUs = settings.deadlineSeconds * 1_000_000;
      const headStartUs = settings.gunfireHeadStartSeconds * 1_000_000;
      const first = async (leaveOut: readonly number[]) =>
        (await choose[settings.queueOrder](ctx, { nowUs, budgetUs, headStartUs, leaveOut: listParam(ctx, leaveOut) })).rows[0]?.id;
      if (!pg) return first(skip);
      // The choice was made in a snapshot from just before the statement; a seat that claimed or
      // decided the alert and committed meanwhile released its lock, so look again, now that the
      // alert is locked, and pass over it if so. (SQLite's write lock makes the first look final.)
      const leaveOut = [...skip];
      for (let tries = 0; tries < 50; tries++) {
        const id = await first(leaveOut);
        if (id === undefined) return undefined;
        if ((await takenMeanwhile(ctx, { id, nowUs })).rows.length === 0) return id;
        leaveOut.push(id);
      }
      return undefined;
    },
  };
}
