import type { SourceQueries } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';

/** Sources' statuses (source_statuses), as the synchronous store's sources group reads and writes them. */
export function sourceQueries(ctx: QueryContext): SourceQueries {
  const { db } = ctx;
  const one = (source: string) => db.selectFrom('source_statuses').selectAll().where('source', '=', source).executeTakeFirst();
  return {
    statusOf: async (source) => (await one(source))?.status ?? null,
    async get(source) {
      const r = await one(source);
      return r ? { status: r.status, note: r.note, setUs: r.set_us, setBy: r.set_by } : undefined;
    },
    async set(source, status, note, atUs, by) {
      await db
        .insertInto('source_statuses')
        .values({ source, status, note, set_us: atUs, set_by: by })
        .onConflict((oc) => oc.column('source').doUpdateSet({ status, note, set_us: atUs, set_by: by }))
        .execute();
      ctx.attested.mark('source_statuses', source);
    },
  };
}
