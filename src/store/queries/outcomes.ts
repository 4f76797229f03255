import type { OutcomeFinding, OutcomeVersion } from '../../contract/index.ts';
import type { NewOutcome, NewOutcomeLink, OutcomeLinkRecord, OutcomeQueries } from '../../kernel/store-port.ts';
import { changedOne, type QueryContext } from './context.ts';

interface OutcomeRow {
  id: number;
  incident_id: number;
  alert_id: number;
  agency_id: number;
  agency_name: string;
  version: number;
  findings_json: string;
  arrests: number;
  firearms: number;
  notes: string;
  unit: string;
  reference: string | null;
  channel: OutcomeVersion['channel'];
  reported_us: number;
  received_us: number;
}

const toOutcome = (r: OutcomeRow): OutcomeVersion => ({
  id: r.id,
  incidentId: r.incident_id,
  alertId: r.alert_id,
  agency: { id: r.agency_id, name: r.agency_name },
  version: r.version,
  findings: JSON.parse(r.findings_json) as OutcomeFinding[],
  arrests: r.arrests,
  firearms: r.firearms,
  notes: r.notes,
  unit: r.unit,
  reference: r.reference,
  channel: r.channel,
  reportedUs: r.reported_us,
  receivedUs: r.received_us,
});

interface LinkRow {
  id: number;
  incident_id: number;
  agency_id: number;
  agency_name: string;
  created_us: number;
  created_by: string;
  expires_us: number;
  used_us: number | null;
  outcome_id: number | null;
  retired_us: number | null;
}

const toLink = (r: LinkRow): OutcomeLinkRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  agencyId: r.agency_id,
  agencyName: r.agency_name,
  createdUs: r.created_us,
  createdBy: r.created_by,
  expiresUs: r.expires_us,
  usedUs: r.used_us,
  outcomeId: r.outcome_id,
  retiredUs: r.retired_us,
});

export function outcomeQueries(ctx: QueryContext): OutcomeQueries {
  const { db } = ctx;

  const outcomes = () =>
    db
      .selectFrom('outcomes as o')
      .innerJoin('incidents as i', 'i.id', 'o.incident_id')
      .innerJoin('agencies as a', 'a.id', 'o.agency_id')
      .select([
        'o.id',
        'o.incident_id',
        'i.alert_id',
        'o.agency_id',
        'a.name as agency_name',
        'o.version',
        'o.findings_json',
        'o.arrests',
        'o.firearms',
        'o.notes',
        'o.unit',
        'o.reference',
        'o.channel',
        'o.reported_us',
        'o.received_us',
      ]);

  const links = () =>
    db
      .selectFrom('outcome_links as l')
      .innerJoin('agencies as a', 'a.id', 'l.agency_id')
      .select([
        'l.id',
        'l.incident_id',
        'l.agency_id',
        'a.name as agency_name',
        'l.created_us',
        'l.created_by',
        'l.expires_us',
        'l.used_us',
        'l.outcome_id',
        'l.retired_us',
      ]);

  return {
    async insertOutcome(o: NewOutcome) {
      const last = await db
        .selectFrom('outcomes')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('incident_id', '=', o.incidentId)
        .where('agency_id', '=', o.agencyId)
        .executeTakeFirst();
      const { id } = await db
        .insertInto('outcomes')
        .values({
          incident_id: o.incidentId,
          agency_id: o.agencyId,
          version: Number(last?.v ?? 0) + 1,
          findings_json: JSON.stringify(o.findings),
          arrests: o.arrests,
          firearms: o.firearms,
          notes: o.notes,
          unit: o.unit,
          reference: o.reference,
          channel: o.channel,
          reported_us: o.reportedUs,
          received_us: o.receivedUs,
          reported_by: o.reportedBy,
          callback_sig: o.callbackSig,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ctx.attested.mark('outcomes', id);
      return toOutcome((await outcomes().where('o.id', '=', id).executeTakeFirstOrThrow()) as OutcomeRow);
    },
    async forIncident(incidentId) {
      return (await outcomes().where('o.incident_id', '=', incidentId).orderBy('o.id').execute()).map((r) => toOutcome(r as OutcomeRow));
    },
    async signatureSeen(sigSha256) {
      return (await db.selectFrom('outcomes').select('id').where('callback_sig', '=', sigSha256).executeTakeFirst()) !== undefined;
    },
    async routedTo(incidentId, agencyId) {
      const r = await db
        .selectFrom('incident_agencies')
        .select('incident_id')
        .where('incident_id', '=', incidentId)
        .where('agency_id', '=', agencyId)
        .executeTakeFirst();
      return r !== undefined;
    },
    async insertLink(l: NewOutcomeLink) {
      const live = await db
        .selectFrom('outcome_links')
        .select('id')
        .where('incident_id', '=', l.incidentId)
        .where('agency_id', '=', l.agencyId)
        .where('used_us', 'is', null)
        .where('retired_us', 'is', null)
        .where('expires_us', '>', l.createdUs)
        .orderBy('id')
        .execute();
      for (const { id } of live) {
        await db.updateTable('outcome_links').set({ retired_us: l.createdUs }).where('id', '=', id).execute();
        ctx.attested.mark('outcome_links', id);
      }
      const { id } = await db
        .insertInto('outcome_links')
        .values({
          incident_id: l.incidentId,
          agency_id: l.agencyId,
          token_sha256: l.tokenSha256,
          created_us: l.createdUs,
          created_by: l.createdBy,
          expires_us: l.expiresUs,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ctx.attested.mark('outcome_links', id);
      return toLink((await links().where('l.id', '=', id).executeTakeFirstOrThrow()) as LinkRow);
    },
    async linkByTokenHash(tokenSha256) {
      const r = await links().where('l.token_sha256', '=', tokenSha256).executeTakeFirst();
      return r ? toLink(r as LinkRow) : undefined;
    },
    async useLink(id, outcomeId, atUs) {
      const used = changedOne(
        await db
          .updateTable('outcome_links')
          .set({ used_us: atUs, outcome_id: outcomeId })
          .where('id', '=', id)
          .where('used_us', 'is', null)
          .where('retired_us', 'is', null)
          .where('expires_us', '>', atUs)
          .executeTakeFirst(),
      );
      if (used) ctx.attested.mark('outcome_links', id);
      return used;
    },
    async linksForIncident(incidentId) {
      return (await links().where('l.incident_id', '=', incidentId).orderBy('l.id').execute()).map((r) => toLink(r as LinkRow));
    },
  };
}
