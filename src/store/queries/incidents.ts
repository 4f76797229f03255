import type { Selectable } from 'kysely';
import type { IncidentQueries, IncidentRecord, MessageRecord, NewMessage } from '../../kernel/store-port.ts';
import type { IncidentMessagesTable, IncidentsTable } from '../schema.ts';
import { changedOne, type QueryContext, ONE } from './context.ts';

const MESSAGE_COLUMNS = [
  'id',
  'incident_id',
  'seq',
  'msg_type',
  'identifier',
  'sender',
  'sent_us',
  'changes_json',
  'decision_id',
  'solution_id',
  'facts_json',
  'created_by',
] as const;
type MessageRow = Pick<Selectable<IncidentMessagesTable>, (typeof MESSAGE_COLUMNS)[number]>;

const toIncident = (r: Selectable<IncidentsTable>): IncidentRecord => ({
  id: r.id,
  alertId: r.alert_id,
  state: r.state,
  status: r.status,
  unroutedReason: r.unrouted_reason,
  holdNote: r.hold_note,
  createdUs: r.created_us,
  updatedUs: r.updated_us,
});
const toMessage = (r: MessageRow): MessageRecord => ({
  id: r.id,
  incidentId: r.incident_id,
  seq: r.seq,
  msgType: r.msg_type,
  identifier: r.identifier,
  sender: r.sender,
  sentUs: r.sent_us,
  changes: JSON.parse(r.changes_json) as string[],
  decisionId: r.decision_id,
  solutionId: r.solution_id,
  factsJson: r.facts_json,
  createdBy: r.created_by,
});

/** Incidents, the agencies that have them, and their message versions. */
export function incidentQueries(ctx: QueryContext): IncidentQueries {
  const { db } = ctx;
  const byId = (id: number) => db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  const messages = (incidentId: number) => db.selectFrom('incident_messages').select(MESSAGE_COLUMNS).where('incident_id', '=', incidentId);

  return {
    async create(alertId, state, status, unroutedReason, atUs) {
      const r = await db
        .insertInto('incidents')
        .values({ alert_id: alertId, state, status, unrouted_reason: unroutedReason, created_us: atUs, updated_us: atUs })
        .returningAll()
        .executeTakeFirstOrThrow();
      ctx.attested.mark('incidents', r.id);
      return toIncident(r);
    },
    async get(id) {
      const r = await byId(id);
      return r ? toIncident(r) : undefined;
    },
    async byAlert(alertId) {
      const r = await db.selectFrom('incidents').selectAll().where('alert_id', '=', alertId).executeTakeFirst();
      return r ? toIncident(r) : undefined;
    },
    async list(state, limit) {
      const q = db.selectFrom('incidents').selectAll();
      return (await (state === 'all' ? q : q.where('state', '=', state)).orderBy('created_us', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(
        toIncident,
      );
    },
    async setState(id, state, atUs, extra = {}) {
      const cur = (await byId(id))!;
      await db
        .updateTable('incidents')
        .set({
          state,
          unrouted_reason: extra.unroutedReason === undefined ? cur.unrouted_reason : extra.unroutedReason,
          hold_note: extra.holdNote === undefined ? cur.hold_note : extra.holdNote,
          updated_us: atUs,
        })
        .where('id', '=', id)
        .execute();
      ctx.attested.mark('incidents', id);
    },
    async touch(id, atUs) {
      await db.updateTable('incidents').set({ updated_us: atUs }).where('id', '=', id).execute();
    },
    async addAgency(incidentId, agencyId, how, atUs, by) {
      const added = changedOne(
        await db
          .insertInto('incident_agencies')
          .values({ incident_id: incidentId, agency_id: agencyId, how, routed_us: atUs, routed_by: by })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      if (added) ctx.attested.mark('incident_agencies', `${incidentId}:${agencyId}`);
      return added;
    },
    async agencies(incidentId) {
      const rows = await db
        .selectFrom('incident_agencies as ia')
        .innerJoin('agencies as a', 'a.id', 'ia.agency_id')
        .select(['a.id', 'a.name', 'ia.how', 'a.removed_us'])
        .where('ia.incident_id', '=', incidentId)
        .orderBy('ia.routed_us')
        .orderBy('a.id')
        .execute();
      return rows.map((r) => ({ id: r.id, name: r.name, how: r.how, removed: r.removed_us !== null }));
    },
    async withhold(incidentId, agencyId, status, reason, atUs) {
      const added = changedOne(
        await db
          .insertInto('incident_withheld')
          .values({ incident_id: incidentId, agency_id: agencyId, status, reason, at_us: atUs })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst(),
      );
      if (added) ctx.attested.mark('incident_withheld', `${incidentId}:${agencyId}`);
      return added;
    },
    async withheld(incidentId) {
      const rows = await db
        .selectFrom('incident_withheld as w')
        .innerJoin('agencies as a', 'a.id', 'w.agency_id')
        .select(['w.agency_id', 'a.name', 'w.status', 'w.reason', 'w.at_us'])
        .where('w.incident_id', '=', incidentId)
        .orderBy('w.at_us')
        .orderBy('w.agency_id')
        .execute();
      return rows.map((r) => ({ agencyId: r.agency_id, agencyName: r.name, status: r.status, reason: r.reason, atUs: r.at_us }));
    },
    async addMessage(m: NewMessage) {
      const { id } = await db
        .insertInto('incident_messages')
        .values({
          incident_id: m.incidentId,
          seq: m.seq,
          msg_type: m.msgType,
          identifier: m.identifier,
          sender: m.sender,
          sent_us: m.sentUs,
          changes_json: JSON.stringify(m.changes),
          decision_id: m.decisionId,
          solution_id: m.solutionId,
          facts_json: m.factsJson,
          cap_xml: m.capXml,
          json_body: m.jsonBody,
          eido_json: m.eidoJson ?? null,
          created_by: m.createdBy,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ctx.attested.mark('incident_messages', id);
      return {
        id,
        incidentId: m.incidentId,
        seq: m.seq,
        msgType: m.msgType,
        identifier: m.identifier,
        sender: m.sender,
        sentUs: m.sentUs,
        changes: m.changes,
        decisionId: m.decisionId,
        solutionId: m.solutionId,
        factsJson: m.factsJson,
        createdBy: m.createdBy,
      };
    },
    async messages(incidentId) {
      return (await messages(incidentId).orderBy('seq').execute()).map(toMessage);
    },
    async lastMessage(incidentId) {
      const r = await messages(incidentId).orderBy('seq', 'desc').limit(ONE).executeTakeFirst();
      return r ? toMessage(r) : undefined;
    },
    async body(messageId) {
      const r = await db.selectFrom('incident_messages').select(['cap_xml', 'json_body', 'identifier']).where('id', '=', messageId).executeTakeFirst();
      return r ? { cap: r.cap_xml, json: r.json_body, identifier: r.identifier } : undefined;
    },
  };
}
