import { sql } from 'kysely';
import { auditEntryDigest, GENESIS_HASH, type AuditEntryInput, type AuditQueries, type AuditRow } from '../../kernel/store-port.ts';
import { canonicalJson } from '../../util/canonical.ts';
import { ONE, type QueryContext } from './context.ts';
import { prepared, type Params } from './prepared.ts';

/** Entries read per round trip when the whole log is walked. */
const PAGE = 2000;

// The statements every write runs (appends) and verify walks (pages), compiled once.
const lockHead = prepared((ctx, _: Params<object>) => ctx.db.selectFrom('audit_head').select('seq').where('id', '=', 1).forUpdate());
const lastEntry = prepared((ctx, _: Params<object>) => ctx.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(ONE));
const insertEntry = prepared((ctx, p: Params<AuditRow>) =>
  ctx.db.insertInto('audit_log').values({
    seq: p('seq'),
    at_us: p('at_us'),
    actor: p('actor'),
    action: p('action'),
    entity: p('entity'),
    payload_json: p('payload_json'),
    prev_hash: p('prev_hash'),
    hash: p('hash'),
  }),
);
const lastEntryTime = prepared((ctx, _: Params<object>) => ctx.db.selectFrom('audit_log').select('at_us').orderBy('seq', 'desc').limit(ONE));
const pageFrom = prepared((ctx, p: Params<{ fromSeq: number; limit: number }>) =>
  ctx.db.selectFrom('audit_log').selectAll().where('seq', '>=', p('fromSeq')).orderBy('seq').limit(p('limit')),
);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Before a write commits: the attested rows no entry of the transaction took go into a
 * `record.attested` entry of their own, stamped with the last entry's time (as the synchronous store does).
 */
export async function appendLeftoverAttestations(ctx: QueryContext): Promise<void> {
  if (ctx.attested.size === 0) return;
  const log = auditQueries(ctx);
  // The head first (PostgreSQL), so the time read is the last entry's when this one is appended.
  if (ctx.backend === 'postgres') await lockHead(ctx, {});
  const atUs = (await lastEntryTime(ctx, {})).rows[0]?.at_us ?? 0;
  await log.append({ atUs, actor: 'earwitness', action: 'record.attested', entity: 'records', payload: {} });
}

export function auditQueries(ctx: QueryContext): AuditQueries {
  const { db } = ctx;
  const pg = ctx.backend === 'postgres';
  const last = async () => (await lastEntry(ctx, {})).rows[0] ?? null;
  const page = async (fromSeq: number, limit: number): Promise<AuditRow[]> => (await pageFrom(ctx, { fromSeq, limit })).rows;

  // An alert's own entries, and those of anything that names it in its payload (incidents, deliveries, QA).
  // SQLite's LIKE folds ASCII case, as PostgreSQL's ILIKE does on the C-collated column.
  // PostgreSQL's json_number_at (migration 1) is json_extract's rule: a JSON number at the key, else NULL (so is malformed text).
  const namesAlert = (alertId: number) =>
    pg
      ? sql<boolean>`(entity NOT ILIKE 'alert:%' AND position('"alertId"' in payload_json) > 0 AND json_number_at(payload_json, 'alertId') = ${alertId})`
      : sql<boolean>`(entity NOT LIKE 'alert:%' AND json_valid(payload_json) AND json_extract(payload_json, '$.alertId') = ${alertId})`;

  // The log's last entry as this transaction knows it, once it has locked the head: a decision appends
  // several entries, and on PostgreSQL each lock and read of the head is a round trip. Undefined until read.
  let head: { seq: number; hash: string } | null | undefined;

  return {
    async append(entry: AuditEntryInput): Promise<AuditRow> {
      if (head === undefined) {
        // PostgreSQL: the head row's lock serialises appends from every process until this transaction
        // ends (SQLite's BEGIN IMMEDIATE already holds the file), so the head read here stays the head.
        // The guard trigger checks every append against the table all the same.
        if (pg) await lockHead(ctx, {});
        head = await last();
      }
      const prev = head;
      const seq = (prev?.seq ?? 0) + 1;
      const prevHash = prev?.hash ?? GENESIS_HASH;
      // The rows this transaction changed in the attested tables ride on the entry that records the change (attested.ts).
      const payload =
        ctx.attested.size > 0 && isPlainObject(entry.payload) ? { ...entry.payload, attested: await ctx.attested.drain(ctx) } : (entry.payload ?? null);
      const payloadJson = canonicalJson(payload);
      const hash = auditEntryDigest(prevHash, { seq, atUs: entry.atUs, actor: entry.actor, action: entry.action, entity: entry.entity, payloadJson });
      const row: AuditRow = {
        seq,
        at_us: entry.atUs,
        actor: entry.actor,
        action: entry.action,
        entity: entry.entity,
        payload_json: payloadJson,
        prev_hash: prevHash,
        hash,
      };
      await insertEntry(ctx, { ...row });
      head = { seq, hash };
      return row;
    },
    page,
    async forEntity(entity) {
      return db.selectFrom('audit_log').selectAll().where('entity', '=', entity).orderBy('seq').execute();
    },
    async *iterate() {
      let from = Number.MIN_SAFE_INTEGER;
      for (;;) {
        const rows = await page(from, PAGE);
        yield* rows;
        if (rows.length < PAGE) return;
        from = rows.at(-1)!.seq + 1;
      }
    },
    last,
    async recordedHead() {
      return (await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst()) ?? null;
    },
    async count() {
      return (
        await db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
    },
    async aboutAlert(alertId) {
      return db
        .selectFrom('audit_log')
        .selectAll()
        .where((eb) => eb.or([eb('entity', '=', `alert:${alertId}`), namesAlert(alertId)]))
        .orderBy('seq')
        .execute();
    },
    async withActionPrefix(prefix) {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return pg
        ? (await sql<AuditRow>`SELECT * FROM audit_log WHERE action ILIKE ${pattern} ESCAPE '\\' ORDER BY seq`.execute(db)).rows
        : (await sql<AuditRow>`SELECT * FROM audit_log WHERE action LIKE ${pattern} ESCAPE '\\' ORDER BY seq`.execute(db)).rows;
    },
  };
}
