import type { SeatSessionQueries, SeatSessionRow } from '../../kernel/queries/seat-sessions.ts';
import type { SeatSessionsTable } from '../schema.ts';
import { changedOne, inList, type QueryContext } from './context.ts';

const COLUMNS = [
  'id_sha256',
  'browser_sha256',
  'tag',
  'account_id',
  'address',
  'opened_us',
  'last_activity_us',
  'locked',
  'lock_reason',
  'server',
  'updated_us',
] as const;

type Row = Pick<SeatSessionsTable, (typeof COLUMNS)[number]>;

// BIGINT may come back as a string from PostgreSQL: Number() for both backends.
const toRow = (r: Row): SeatSessionRow => ({
  idSha256: r.id_sha256,
  browserSha256: r.browser_sha256,
  tag: r.tag,
  accountId: Number(r.account_id),
  address: r.address,
  openedUs: Number(r.opened_us),
  lastActivityUs: Number(r.last_activity_us),
  locked: Number(r.locked) === 1,
  lockReason: r.lock_reason,
  server: r.server,
  updatedUs: Number(r.updated_us),
});

export function seatSessionQueries(ctx: QueryContext): SeatSessionQueries {
  return {
    async put(s, atUs) {
      const values = {
        id_sha256: s.idSha256,
        browser_sha256: s.browserSha256,
        tag: s.tag,
        account_id: s.accountId,
        address: s.address,
        opened_us: s.openedUs,
        last_activity_us: s.lastActivityUs,
        locked: s.locked ? 1 : 0,
        lock_reason: s.lockReason,
        server: s.server,
        updated_us: atUs,
      };
      const { id_sha256: _key, ...update } = values;
      await ctx.db
        .insertInto('seat_sessions')
        .values(values)
        .onConflict((oc) => oc.column('id_sha256').doUpdateSet(update))
        .execute();
    },
    async byId(idSha256) {
      const r = await ctx.db.selectFrom('seat_sessions').select(COLUMNS).where('id_sha256', '=', idSha256).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async list() {
      return (await ctx.db.selectFrom('seat_sessions').select(COLUMNS).orderBy('opened_us').orderBy('tag').execute()).map(toRow);
    },
    async byTag(tag) {
      const r = await ctx.db.selectFrom('seat_sessions').select(COLUMNS).where('tag', '=', tag).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async byIds(idSha256s) {
      const rows = await ctx.db
        .selectFrom('seat_sessions')
        .select(COLUMNS)
        .where(inList(ctx, 'id_sha256', idSha256s, 'text'))
        .execute();
      return rows.map(toRow);
    },
    async take(idSha256, server, address, atUs) {
      const r = await ctx.db.updateTable('seat_sessions').set({ server, address, updated_us: atUs }).where('id_sha256', '=', idSha256).executeTakeFirst();
      return changedOne(r);
    },
    async setLock(idSha256, reason, atUs) {
      await ctx.db.updateTable('seat_sessions').set({ locked: 1, lock_reason: reason, updated_us: atUs }).where('id_sha256', '=', idSha256).execute();
    },
    async touch(idSha256, lastActivityUs) {
      await ctx.db
        .updateTable('seat_sessions')
        .set({ last_activity_us: lastActivityUs, updated_us: lastActivityUs })
        .where('id_sha256', '=', idSha256)
        .where('last_activity_us', '<', lastActivityUs)
        .execute();
    },
    async vouch(server, atUs, staleBeforeUs) {
      await ctx.db.updateTable('seat_sessions').set({ updated_us: atUs }).where('server', '=', server).execute();
      await ctx.db.deleteFrom('seat_sessions').where('updated_us', '<', staleBeforeUs).execute();
    },
    async remove(idSha256, server) {
      let q = ctx.db.deleteFrom('seat_sessions').where('id_sha256', '=', idSha256);
      if (server !== undefined) q = q.where('server', '=', server);
      return changedOne(await q.executeTakeFirst());
    },
  };
}
