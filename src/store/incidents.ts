import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';

// The synchronous store's own shapes, ahead of the port's (src/kernel/queries), which gains
// these fields when the publishing services move to it.
export type IncidentStateName = 'routed' | 'unrouted' | 'held' | 'cancelled';
export type MsgTypeName = 'Alert' | 'Update' | 'Cancel';
export type CapStatusName = 'Actual' | 'Exercise' | 'Test';

export interface IncidentRecord {
  id: number;
  alertId: number;
  state: IncidentStateName;
  /** The CAP status of every message of the incident, fixed by its source's status when first published. */
  status: CapStatusName;
  unroutedReason: string | null;
  holdNote: string | null;
  createdUs: number;
  updatedUs: number;
}

/** An agency an incident was kept from, and why (it does not accept the incident's status). */
export interface WithheldRecord {
  agencyId: number;
  agencyName: string;
  status: CapStatusName;
  reason: string;
  atUs: number;
}

export interface NewMessage {
  incidentId: number;
  seq: number;
  msgType: MsgTypeName;
  identifier: string;
  sender: string;
  sentUs: number;
  changes: string[];
  decisionId: number | null;
  solutionId: number | null;
  factsJson: string;
  capXml: string;
  jsonBody: string;
  /** NENA EIDO; null only for messages written before EIDO was published. */
  eidoJson: string | null;
  createdBy: string;
}

/** A stored message version, without its rendered bodies (see `body`). */
export type MessageRecord = Omit<NewMessage, 'capXml' | 'jsonBody' | 'eidoJson'> & { id: number };

interface IncidentRow {
  id: number;
  alert_id: number;
  state: IncidentStateName;
  status: CapStatusName;
  unrouted_reason: string | null;
  hold_note: string | null;
  created_us: number;
  updated_us: number;
}
interface MessageRow {
  id: number;
  incident_id: number;
  seq: number;
  msg_type: MsgTypeName;
  identifier: string;
  sender: string;
  sent_us: number;
  changes_json: string;
  decision_id: number | null;
  solution_id: number | null;
  facts_json: string;
  created_by: string;
}

const toIncident = (r: IncidentRow): IncidentRecord => ({
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

const MESSAGE_COLUMNS = 'id, incident_id, seq, msg_type, identifier, sender, sent_us, changes_json, decision_id, solution_id, facts_json, created_by';

/** Incidents, the agencies that have them, and their message versions. */
export function incidentQueries(db: Db, attested: Attestations) {
  const insert = db.prepare('INSERT INTO incidents (alert_id, state, status, unrouted_reason, created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?)');
  const byId = db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE id = ?');
  const byAlert = db.prepare<[number], IncidentRow>('SELECT * FROM incidents WHERE alert_id = ?');
  const addAgency = db.prepare('INSERT OR IGNORE INTO incident_agencies (incident_id, agency_id, how, routed_us, routed_by) VALUES (?, ?, ?, ?, ?)');
  const agencies = db.prepare<[number], { id: number; name: string; how: 'jurisdiction' | 'admin'; removed_us: number | null }>(
    `SELECT a.id, a.name, ia.how, a.removed_us FROM incident_agencies ia JOIN agencies a ON a.id = ia.agency_id WHERE ia.incident_id = ? ORDER BY ia.routed_us, a.id`,
  );
  const insertMessage =
    db.prepare(`INSERT INTO incident_messages (incident_id, seq, msg_type, identifier, sender, sent_us, changes_json, decision_id, solution_id,
    facts_json, cap_xml, json_body, eido_json, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const messages = db.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM incident_messages WHERE incident_id = ? ORDER BY seq`);
  const lastMessage = db.prepare<[number], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM incident_messages WHERE incident_id = ? ORDER BY seq DESC LIMIT 1`);
  const body = db.prepare<[number], { cap_xml: string; json_body: string; eido_json: string | null; identifier: string }>(
    'SELECT cap_xml, json_body, eido_json, identifier FROM incident_messages WHERE id = ?',
  );
  const withhold = db.prepare('INSERT OR IGNORE INTO incident_withheld (incident_id, agency_id, status, reason, at_us) VALUES (?, ?, ?, ?, ?)');
  const withheld = db.prepare<[number], { agency_id: number; name: string; status: CapStatusName; reason: string; at_us: number }>(
    'SELECT w.agency_id, a.name, w.status, w.reason, w.at_us FROM incident_withheld w JOIN agencies a ON a.id = w.agency_id WHERE w.incident_id = ? ORDER BY w.at_us, w.agency_id',
  );

  return {
    create(alertId: number, state: IncidentStateName, status: CapStatusName, unroutedReason: string | null, atUs: number): IncidentRecord {
      const id = Number(insert.run(alertId, state, status, unroutedReason, atUs, atUs).lastInsertRowid);
      attested.mark('incidents', id);
      return toIncident(byId.get(id)!);
    },
    get(id: number): IncidentRecord | undefined {
      const r = byId.get(id);
      return r ? toIncident(r) : undefined;
    },
    byAlert(alertId: number): IncidentRecord | undefined {
      const r = byAlert.get(alertId);
      return r ? toIncident(r) : undefined;
    },
    /** Records that an agency has the incident; false when it already had it. */
    addAgency(incidentId: number, agencyId: number, how: 'jurisdiction' | 'admin', atUs: number, by: string): boolean {
      const added = addAgency.run(incidentId, agencyId, how, atUs, by).changes === 1;
      if (added) attested.mark('incident_agencies', `${incidentId}:${agencyId}`);
      return added;
    },
    agencies(incidentId: number): { id: number; name: string; how: 'jurisdiction' | 'admin'; removed: boolean }[] {
      return agencies.all(incidentId).map((r) => ({ id: r.id, name: r.name, how: r.how, removed: r.removed_us !== null }));
    },
    /** Records that an agency was kept from the incident, and why; false when it already was. */
    withhold(incidentId: number, agencyId: number, status: CapStatusName, reason: string, atUs: number): boolean {
      const added = withhold.run(incidentId, agencyId, status, reason, atUs).changes === 1;
      if (added) attested.mark('incident_withheld', `${incidentId}:${agencyId}`);
      return added;
    },
    withheld(incidentId: number): WithheldRecord[] {
      return withheld.all(incidentId).map((r) => ({ agencyId: r.agency_id, agencyName: r.name, status: r.status, reason: r.reason, atUs: r.at_us }));
    },
    addMessage(m: NewMessage): MessageRecord {
      const id = Number(
        insertMessage.run(
          m.incidentId,
          m.seq,
          m.msgType,
          m.identifier,
          m.sender,
          m.sentUs,
          JSON.stringify(m.changes),
          m.decisionId,
          m.solutionId,
          m.factsJson,
          m.capXml,
          m.jsonBody,
          m.eidoJson,
          m.createdBy,
        ).lastInsertRowid,
      );
      attested.mark('incident_messages', id);
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
    messages(incidentId: number): MessageRecord[] {
      return messages.all(incidentId).map(toMessage);
    },
    lastMessage(incidentId: number): MessageRecord | undefined {
      const r = lastMessage.get(incidentId);
      return r ? toMessage(r) : undefined;
    },
    /** The exact bytes sent for a message, in each format (no EIDO for messages written before it existed). */
    body(messageId: number): { cap: string; json: string; eido: string | null; identifier: string } | undefined {
      const r = body.get(messageId);
      return r ? { cap: r.cap_xml, json: r.json_body, eido: r.eido_json, identifier: r.identifier } : undefined;
    },
  };
}
