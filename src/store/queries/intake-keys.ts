import type { IntakeKeyQueries, IntakeKeyRow } from '../../kernel/queries/intake-keys.ts';
import { changedOne, type QueryContext } from './context.ts';

const COLUMNS = ['id', 'source', 'key_sha256', 'note', 'issued_us', 'issued_by', 'last_used_us', 'revoked_us', 'revoked_by'] as const;

interface Row {
  id: number | string;
  source: string;
  key_sha256: string;
  note: string | null;
  issued_us: number | string;
  issued_by: string;
  last_used_us: number | string | null;
  revoked_us: number | string | null;
  revoked_by: string | null;
}

const orNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

// BIGINT may come back as a string from PostgreSQL: Number() for both backends.
const toRow = (r: Row): IntakeKeyRow => ({
  id: Number(r.id),
  source: r.source,
  note: r.note,
  issuedUs: Number(r.issued_us),
  issuedBy: r.issued_by,
  lastUsedUs: orNull(r.last_used_us),
  revokedUs: orNull(r.revoked_us),
  revokedBy: r.revoked_by,
});

export function intakeKeyQueries(ctx: QueryContext): IntakeKeyQueries {
  const select = () => ctx.db.selectFrom('intake_keys').select(COLUMNS);
  return {
    async insert(k) {
      const r = await ctx.db
        .insertInto('intake_keys')
        .values({ source: k.source, key_sha256: k.keySha256, note: k.note, issued_us: k.issuedUs, issued_by: k.issuedBy })
        .returning('id')
        .executeTakeFirstOrThrow();
      const id = Number(r.id);
      ctx.attested.mark('intake_keys', id);
      return id;
    },
    async list() {
      return (await select().orderBy('id').execute()).map(toRow);
    },
    async byId(id) {
      const r = await select().where('id', '=', id).executeTakeFirst();
      return r ? toRow(r) : undefined;
    },
    async byHash(keySha256) {
      const r = await select().where('key_sha256', '=', keySha256).executeTakeFirst();
      return r ? { ...toRow(r), keySha256: r.key_sha256 } : undefined;
    },
    async revoke(id, atUs, by) {
      const r = await ctx.db
        .updateTable('intake_keys')
        .set({ revoked_us: atUs, revoked_by: by })
        .where('id', '=', id)
        .where('revoked_us', 'is', null)
        .executeTakeFirst();
      const changed = changedOne(r);
      if (changed) ctx.attested.mark('intake_keys', id);
      return changed;
    },
    async touch(id, atUs) {
      await ctx.db.updateTable('intake_keys').set({ last_used_us: atUs }).where('id', '=', id).execute();
    },
  };
}
