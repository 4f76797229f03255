import type { OutcomeFinding, OutcomeVersion } from '../../contract/index.ts';
import { sql } from 'kysely';
import type { NewOutcome, NewOutcomeLink, OutcomeKeyRecord, OutcomeLinkRecord, OutcomeQueries, ProgrammeAlertRow } from '../../kernel/store-port.ts';
import { newestSolutionField } from './alerts.ts';
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

interface ProgrammeRow {
  id: number;
  detected_us: number;
  coordinates: 'wgs84' | 'local';
  position_json: string | null;
  solution_rounds: number | null;
  decision_class: string | null;
  decision_rounds: number | null;
  incident_id: number | null;
  incident_state: string | null;
  agencies: number | null;
  queued_us: number | null;
  shot_us: number | null;
  delivered_us: number | null;
}

const toProgrammeRow = (r: ProgrammeRow): ProgrammeAlertRow => ({
  id: r.id,
  detectedUs: r.detected_us,
  coordinates: r.coordinates,
  positionJson: r.position_json,
  solutionRounds: r.solution_rounds,
  decisionClass: r.decision_class,
  decisionRounds: r.decision_rounds,
  incidentId: r.incident_id,
  incidentState: r.incident_state,
  agencies: r.agencies ?? 0,
  queuedUs: r.queued_us,
  shotUs: r.shot_us,
  deliveredUs: r.delivered_us,
});

/** The first message's shot time: SQLite's json_extract, PostgreSQL's `json` operator (a number, as JSON holds it). */
const firstShotTime = (ctx: QueryContext) =>
  ctx.backend === 'sqlite'
    ? sql`(SELECT json_extract(facts_json, '$.shotTimeUs') FROM incident_messages m WHERE m.incident_id = i.id ORDER BY seq LIMIT 1)`
    : sql`(SELECT (facts_json::json ->> 'shotTimeUs')::double precision FROM incident_messages m WHERE m.incident_id = i.id ORDER BY seq LIMIT 1)`;

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

  const keys = () =>
    db
      .selectFrom('agency_outcome_keys as k')
      .innerJoin('agencies as a', 'a.id', 'k.agency_id')
      .select(['k.id', 'k.agency_id', 'a.name as agency_name', 'k.key_id', 'k.created_us', 'k.created_by', 'k.retired_us']);

  return {
    async insertKey(k) {
      const { id } = await db
        .insertInto('agency_outcome_keys')
        .values({ agency_id: k.agencyId, key_id: k.keyId, secret: k.secret, created_us: k.createdUs, created_by: k.createdBy })
        .returning('id')
        .executeTakeFirstOrThrow();
      ctx.attested.mark('agency_outcome_keys', id);
      return toKey((await keys().where('k.id', '=', id).executeTakeFirstOrThrow()) as KeyRow);
    },
    async key(keyId) {
      const r = await keys().where('k.key_id', '=', keyId).executeTakeFirst();
      return r ? toKey(r as KeyRow) : undefined;
    },
    async secretForChecking(keyId) {
      const r = await db
        .selectFrom('agency_outcome_keys as k')
        .innerJoin('agencies as a', 'a.id', 'k.agency_id')
        .select(['k.secret', 'k.agency_id', 'a.removed_us'])
        .where('k.key_id', '=', keyId)
        .where('k.retired_us', 'is', null)
        .executeTakeFirst();
      return r && r.removed_us === null ? { secret: r.secret, agencyId: r.agency_id } : null;
    },
    async keys() {
      return (await keys().orderBy('k.created_us', 'desc').orderBy('k.id', 'desc').execute()).map((r) => toKey(r as KeyRow));
    },
    async retireKey(keyId, atUs, by) {
      const r = await db.selectFrom('agency_outcome_keys').select('id').where('key_id', '=', keyId).executeTakeFirst();
      if (!r) return false;
      const retired = changedOne(
        await db
          .updateTable('agency_outcome_keys')
          .set({ retired_us: atUs, retired_by: by })
          .where('id', '=', r.id)
          .where('retired_us', 'is', null)
          .executeTakeFirst(),
      );
      if (retired) ctx.attested.mark('agency_outcome_keys', r.id);
      return retired;
    },
    async forAlertsDetectedBetween(fromUs, toUs) {
      const rows = await outcomes()
        .innerJoin('alerts as al', 'al.id', 'i.alert_id')
        .where('al.detected_us', '>=', fromUs)
        .where('al.detected_us', '<', toUs)
        .orderBy('o.id')
        .execute();
      return rows.map((r) => toOutcome(r as OutcomeRow));
    },
    async programmeAlerts(fromUs, toUs) {
      const { rows } = await sql<ProgrammeRow>`
SELECT a.id, a.detected_us, a.coordinates,
  ${newestSolutionField(ctx, 'position')} AS position_json,
  ${newestSolutionField(ctx, 'rounds')} AS solution_rounds,
  d.class AS decision_class, d.rounds AS decision_rounds,
  i.id AS incident_id, i.state AS incident_state,
  (SELECT count(*) FROM incident_agencies ia WHERE ia.incident_id = i.id) AS agencies,
  (SELECT min(created_us) FROM deliveries dl WHERE dl.incident_id = i.id) AS queued_us,
  ${firstShotTime(ctx)} AS shot_us,
  (SELECT min(delivered_us) FROM deliveries dl WHERE dl.incident_id = i.id AND dl.state = 'delivered') AS delivered_us
FROM alerts a
LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)
LEFT JOIN incidents i ON i.alert_id = a.id
WHERE a.detected_us >= ${fromUs} AND a.detected_us < ${toUs}
ORDER BY a.id`.execute(db);
      return rows.map(toProgrammeRow);
    },
    async demoPending(source, sinceUs, beforeUs) {
      const { rows } = await sql<{ incident_id: number; agency_id: number; created_us: number; versions: number }>`
SELECT ia.incident_id, ia.agency_id, i.created_us,
  (SELECT count(*) FROM outcomes o WHERE o.incident_id = ia.incident_id AND o.agency_id = ia.agency_id) AS versions
FROM incident_agencies ia JOIN incidents i ON i.id = ia.incident_id JOIN alerts a ON a.id = i.alert_id
WHERE a.source = ${source} AND i.state = 'routed' AND i.created_us >= ${sinceUs} AND i.created_us <= ${beforeUs}
ORDER BY ia.incident_id, ia.agency_id LIMIT 500`.execute(db);
      return rows.map((r) => ({ incidentId: r.incident_id, agencyId: r.agency_id, publishedUs: r.created_us, versions: r.versions }));
    },
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
