import type { OutcomeFinding, OutcomeVersion } from '../contract/index.ts';
import type { Attestations } from './attested.ts';
import type { Db } from './db.ts';

// Moved to the store port (src/kernel); re-exported while the rest of outcomes moves over.
export type { NewOutcome, OutcomeLinkRecord } from '../kernel/queries/outcomes.ts';

export interface OutcomeKeyRecord {
  id: number;
  agencyId: number;
  agencyName: string;
  keyId: string;
  createdUs: number;
  createdBy: string;
  retiredUs: number | null;
}

/** One alert of a period as the programme's figures need it (see src/outcomes/figures). */
export interface ProgrammeAlertRow {
  id: number;
  detectedUs: number;
  coordinates: 'wgs84' | 'local';
  /** The newest solution's first shot, as stored (WGS84 or local metres), JSON text. */
  positionJson: string | null;
  solutionRounds: number | null;
  decisionClass: string | null;
  decisionRounds: number | null;
  incidentId: number | null;
  incidentState: string | null;
  /** Agencies the incident went to. */
  agencies: number;
  /** The first time the incident was queued for an agency. */
  queuedUs: number | null;
  /** The first message's shot time, as sent. */
  shotUs: number | null;
  /** The first delivery an agency acknowledged. */
  deliveredUs: number | null;
}

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

const OUTCOME_SELECT = `SELECT o.id, o.incident_id, i.alert_id, o.agency_id, a.name AS agency_name, o.version, o.findings_json, o.arrests, o.firearms, o.notes, o.unit,
  o.reference, o.channel, o.reported_us, o.received_us FROM outcomes o JOIN incidents i ON i.id = o.incident_id JOIN agencies a ON a.id = o.agency_id`;

const KEY_SELECT = `SELECT k.id, k.agency_id, a.name AS agency_name, k.key_id, k.created_us, k.created_by, k.retired_us FROM agency_outcome_keys k JOIN agencies a ON a.id = k.agency_id`;
interface KeyRow {
  id: number;
  agency_id: number;
  agency_name: string;
  key_id: string;
  created_us: number;
  created_by: string;
  retired_us: number | null;
}
const toKey = (r: KeyRow): OutcomeKeyRecord => ({
  id: r.id,
  agencyId: r.agency_id,
  agencyName: r.agency_name,
  keyId: r.key_id,
  createdUs: r.created_us,
  createdBy: r.created_by,
  retiredUs: r.retired_us,
});

/**
 * Agencies' callback keys, outcome versions as the callback's early checks and the programme's
 * figures read them, and the per-alert rows of those figures. Recording an outcome and the
 * officers' links are on the store port (src/store/queries/outcomes.ts).
 */
export function outcomeQueries(db: Db, attested: Attestations) {
  const insertKey = db.prepare('INSERT INTO agency_outcome_keys (agency_id, key_id, secret, created_us, created_by) VALUES (?, ?, ?, ?, ?)');
  const keyByKeyId = db.prepare<[string], KeyRow>(`${KEY_SELECT} WHERE k.key_id = ?`);
  const secretOf = db.prepare<[string], { secret: string; agency_id: number; removed_us: number | null }>(
    'SELECT k.secret, k.agency_id, a.removed_us FROM agency_outcome_keys k JOIN agencies a ON a.id = k.agency_id WHERE k.key_id = ? AND k.retired_us IS NULL',
  );
  const keys = db.prepare<[], KeyRow>(`${KEY_SELECT} ORDER BY k.created_us DESC, k.id DESC`);
  const retireKey = db.prepare('UPDATE agency_outcome_keys SET retired_us = ?, retired_by = ? WHERE key_id = ? AND retired_us IS NULL');

  const outcomesOf = db.prepare<[number], OutcomeRow>(`${OUTCOME_SELECT} WHERE o.incident_id = ? ORDER BY o.id`);
  const sigSeen = db.prepare<[string], { id: number }>('SELECT id FROM outcomes WHERE callback_sig = ?');
  const outcomesForPeriod = db.prepare<[number, number], OutcomeRow>(
    `${OUTCOME_SELECT} JOIN alerts al ON al.id = i.alert_id WHERE al.detected_us >= ? AND al.detected_us < ? ORDER BY o.id`,
  );

  const demoPending = db.prepare<[string, number, number], { incident_id: number; agency_id: number; created_us: number; versions: number }>(`
SELECT ia.incident_id, ia.agency_id, i.created_us, (SELECT count(*) FROM outcomes o WHERE o.incident_id = ia.incident_id AND o.agency_id = ia.agency_id) AS versions
FROM incident_agencies ia JOIN incidents i ON i.id = ia.incident_id JOIN alerts a ON a.id = i.alert_id
WHERE a.source = ? AND i.state = 'routed' AND i.created_us >= ? AND i.created_us <= ?
ORDER BY ia.incident_id, ia.agency_id LIMIT 500`);

  const routedTo = db.prepare<[number, number], { n: number }>('SELECT count(*) AS n FROM incident_agencies WHERE incident_id = ? AND agency_id = ?');

  const programmeAlerts = db.prepare<[number, number], Record<string, unknown>>(`
SELECT a.id, a.detected_us, a.coordinates,
  (SELECT json_extract(body_json, '$.shots[0].position') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS position_json,
  (SELECT json_extract(body_json, '$.rounds') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS solution_rounds,
  d.class AS decision_class, d.rounds AS decision_rounds,
  i.id AS incident_id, i.state AS incident_state,
  (SELECT count(*) FROM incident_agencies ia WHERE ia.incident_id = i.id) AS agencies,
  (SELECT min(created_us) FROM deliveries dl WHERE dl.incident_id = i.id) AS queued_us,
  (SELECT json_extract(facts_json, '$.shotTimeUs') FROM incident_messages m WHERE m.incident_id = i.id ORDER BY seq LIMIT 1) AS shot_us,
  (SELECT min(delivered_us) FROM deliveries dl WHERE dl.incident_id = i.id AND dl.state = 'delivered') AS delivered_us
FROM alerts a
LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)
LEFT JOIN incidents i ON i.alert_id = a.id
WHERE a.detected_us >= ? AND a.detected_us < ?
ORDER BY a.id`);

  return {
    insertKey(k: { agencyId: number; keyId: string; secret: string; createdUs: number; createdBy: string }): OutcomeKeyRecord {
      const id = Number(insertKey.run(k.agencyId, k.keyId, k.secret, k.createdUs, k.createdBy).lastInsertRowid);
      attested.mark('agency_outcome_keys', id);
      return toKey(keyByKeyId.get(k.keyId)!);
    },
    key(keyId: string): OutcomeKeyRecord | undefined {
      const r = keyByKeyId.get(keyId);
      return r ? toKey(r) : undefined;
    },
    /** What a callback is checked with: the only read of an outcome key's secret. Null for an unknown or retired key, or a removed agency's. */
    secretForChecking(keyId: string): { secret: string; agencyId: number } | null {
      const r = secretOf.get(keyId);
      return r && r.removed_us === null ? { secret: r.secret, agencyId: r.agency_id } : null;
    },
    keys(): OutcomeKeyRecord[] {
      return keys.all().map(toKey);
    },
    retireKey(keyId: string, atUs: number, by: string): boolean {
      const r = keyByKeyId.get(keyId);
      if (!r) return false;
      attested.mark('agency_outcome_keys', r.id);
      return retireKey.run(atUs, by, keyId).changes === 1;
    },

    forIncident(incidentId: number): OutcomeVersion[] {
      return outcomesOf.all(incidentId).map(toOutcome);
    },
    /** Every version reported on incidents of alerts detected in [fromUs, toUs). */
    forAlertsDetectedBetween(fromUs: number, toUs: number): OutcomeVersion[] {
      return outcomesForPeriod.all(fromUs, toUs).map(toOutcome);
    },
    signatureSeen(sigSha256: string): boolean {
      return sigSeen.get(sigSha256) !== undefined;
    },
    /** Incidents of one alert source sent to agencies and published in [sinceUs, beforeUs], with how many versions each agency reported: what the demo's responders answer. */
    demoPending(source: string, sinceUs: number, beforeUs: number): { incidentId: number; agencyId: number; publishedUs: number; versions: number }[] {
      return demoPending
        .all(source, sinceUs, beforeUs)
        .map((r) => ({ incidentId: r.incident_id, agencyId: r.agency_id, publishedUs: r.created_us, versions: r.versions }));
    },
    routedTo(incidentId: number, agencyId: number): boolean {
      return routedTo.get(incidentId, agencyId)!.n > 0;
    },

    /** Alerts detected in [fromUs, toUs), with their location, standing decision, incident and first publication. */
    programmeAlerts(fromUs: number, toUs: number): ProgrammeAlertRow[] {
      return programmeAlerts.all(fromUs, toUs).map((r) => ({
        id: r.id as number,
        detectedUs: r.detected_us as number,
        coordinates: r.coordinates as 'wgs84' | 'local',
        positionJson: r.position_json as string | null,
        solutionRounds: r.solution_rounds as number | null,
        decisionClass: r.decision_class as string | null,
        decisionRounds: r.decision_rounds as number | null,
        incidentId: r.incident_id as number | null,
        incidentState: r.incident_state as string | null,
        agencies: (r.agencies as number | null) ?? 0,
        queuedUs: r.queued_us as number | null,
        shotUs: r.shot_us as number | null,
        deliveredUs: r.delivered_us as number | null,
      }));
    },
  };
}
