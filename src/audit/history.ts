import { CLASS_LABELS, type Decision, type DecisionClass } from '../contract/index.ts';
import type { AuditRow } from '../kernel/queries/audit.ts';
import type { StoreTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import { formatIsoMicros } from '../util/time.ts';
import { decisionIn, undoIn } from './records-check.ts';

export const HISTORY_KINDS = [
  'imported',
  'solution',
  'decision',
  'decision_revised',
  'decision_undone',
  'qa_sampled',
  'qa_reviewed',
  'qa_adjudicated',
  'qa_seal_opened',
  'published',
  'publish_update',
  'delivery',
  'report',
  'other',
] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

export interface HistoryEvent {
  /** The audit entry that records it; null for a version row the log never recorded (an integrity finding). */
  seq: number | null;
  atUs: number;
  actor: string;
  action: string;
  kind: HistoryKind;
  summary: string;
  decisionId: number | null;
  version: number | null;
  data: unknown;
}

export interface IncidentHistory {
  alertId: number;
  events: HistoryEvent[];
  /** Every decision version, oldest first, undone ones included. */
  decisions: Decision[];
  /** Version rows with no audit entry: should always be empty. */
  unrecorded: string[];
  headSeq: number;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const label = (c: unknown) => CLASS_LABELS[c as DecisionClass] ?? String(c);
const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 100)} %` : 'no confidence');

/** An agency by its name (its id when it has none any more), for sentences a person reads. */
type AgencyName = (id: number) => string;

function describe(
  row: AuditRow,
  p: unknown,
  agencyName: AgencyName,
): { kind: HistoryKind; summary: string; decisionId: number | null; version: number | null } {
  const none = { decisionId: null, version: null };
  const d = decisionIn(row.action, p);
  if (d) {
    const revised = row.action !== 'decision.made';
    return {
      kind: revised ? 'decision_revised' : 'decision',
      decisionId: d.id,
      version: d.version,
      summary: `${revised ? 'Revised to' : 'Decided'} v${d.version}: ${label(d.class)}${d.rounds !== null ? `, ${d.rounds} round${d.rounds === 1 ? '' : 's'}` : ''}${d.notes ? ` (“${d.notes}”)` : ''}${revised ? ` [${row.action}]` : ''}`,
    };
  }
  const u = undoIn(row, p);
  if (u) return { kind: 'decision_undone', summary: `Decision ${u.decisionId} undone`, decisionId: u.decisionId, version: null };
  const q = isObj(p) ? p : {};
  switch (row.action) {
    case 'alert.imported': {
      const m = isObj(q.machine) ? q.machine : null;
      const sensors = Array.isArray(q.sensors) ? q.sensors.length : 0;
      return {
        kind: 'imported',
        ...none,
        summary: `Received from ${String(q.source)} as ${String(q.externalId)} (${String(q.format)}), ${sensors} sensors; machine: ${m ? `${String(m.label)}, ${pct(m.confidence)}${typeof m.rounds === 'number' ? `, ${m.rounds} rounds` : ''}` : 'no classification'}`,
      };
    }
    case 'solution.added': {
      const s = isObj(q.solution) ? q.solution : {};
      const shot = Array.isArray(s.shots) && isObj(s.shots[0]) ? s.shots[0] : null;
      const e = shot && isObj(shot.ellipse95) ? shot.ellipse95 : null;
      return {
        kind: 'solution',
        decisionId: null,
        version: typeof q.version === 'number' ? q.version : null,
        summary: `Solution v${String(q.version)} (${String(q.origin ?? row.actor)}): ${Array.isArray(s.shots) ? s.shots.length : 0} located shot(s)${e ? `, 95 % ellipse ${(2 * Number(e.semiMajorM)).toFixed(1)} m by ${(2 * Number(e.semiMinorM)).toFixed(1)} m (full axes)` : ''}, c = ${Number(s.speedOfSoundMs).toFixed(1)} m/s`,
      };
    }
    case 'pick.moved':
    case 'pick.added':
    case 'pick.removed': {
      const where = `${String(q.sensorId)}, shot ${String(q.shotIndex)}`;
      const shiftMs = typeof q.toOffsetS === 'number' && typeof q.fromOffsetS === 'number' ? (q.toOffsetS - q.fromOffsetS) * 1000 : null;
      const what =
        row.action === 'pick.moved'
          ? `Pick moved on ${where}${shiftMs !== null ? ` by ${shiftMs > 0 ? '+' : ''}${shiftMs.toFixed(2)} ms` : ''}`
          : row.action === 'pick.added'
            ? `Pick added on ${where}`
            : `Sensor ${String(q.sensorId)} dropped from shot ${String(q.shotIndex)}`;
      return {
        kind: 'solution',
        decisionId: null,
        version: typeof q.solutionVersion === 'number' ? q.solutionVersion : null,
        summary: `${what} (solution v${String(q.solutionVersion)})`,
      };
    }
    case 'qa.sampled':
      return {
        kind: 'qa_sampled',
        ...none,
        summary: q.selected
          ? `Selected for blind QA review (draw ${Number(q.draw).toFixed(4)} < share ${String(q.share)})`
          : `Drawn for QA, not selected (draw ${Number(q.draw).toFixed(4)} ≥ share ${String(q.share)})`,
      };
    case 'qa.reviewed': {
      const r = isObj(q.review) ? q.review : {};
      return {
        kind: 'qa_reviewed',
        ...none,
        summary: `Blind QA review: ${label(r.class)} — ${r.agrees ? 'agrees' : 'disagrees'} with decision ${String(r.comparedDecisionId)}`,
      };
    }
    case 'qa.adjudicated': {
      const a = isObj(q.adjudication) ? q.adjudication : {};
      return {
        kind: 'qa_adjudicated',
        ...none,
        summary: `Adjudicated: ${label(a.class)} (upholds ${a.verdict === 'first' ? 'the first decision' : a.verdict === 'second' ? 'the QA review' : 'neither'})`,
      };
    }
    case 'qa.seal_opened':
      return { kind: 'qa_seal_opened', ...none, summary: `Opened the sealed decision (via ${String(q.via)})` };
    case 'report.generated':
      return { kind: 'report', ...none, summary: `Report generated at chain head ${String(q.headSeq)} (sha256 ${String(q.htmlSha256).slice(0, 16)}…)` };
  }
  const agencies = (ids: unknown) => (Array.isArray(ids) && ids.length ? ids.map((id) => agencyName(Number(id))).join(', ') : null);
  const message = typeof q.identifier === 'string' ? ` (message ${q.identifier})` : '';
  if (row.action.startsWith('publish.') || row.action === 'incident.published') {
    const to = agencies(q.agencies);
    return { kind: 'published', ...none, summary: `Published${to ? ` to ${to}` : ''}${message}` };
  }
  if (row.action.startsWith('incident.')) {
    const what = row.action.slice('incident.'.length);
    const changes = Array.isArray(q.changes) && q.changes.length ? `: ${q.changes.join(', ')}` : '';
    const reason = typeof q.note === 'string' && q.note ? ` (“${q.note}”)` : '';
    const routed = what === 'routed' ? agencies(q.agencyIds) : agencies(q.newAgencies);
    return { kind: 'publish_update', ...none, summary: `Incident ${what}${changes}${reason}${routed ? `, to ${routed}` : ''}${message}` };
  }
  if (row.action.startsWith('delivery.')) {
    const to = typeof q.agencyId === 'number' ? ` to ${agencyName(q.agencyId)}` : '';
    return {
      kind: 'delivery',
      ...none,
      summary: `Delivery ${row.action.slice('delivery.'.length)}${to}${typeof q.seq === 'number' ? `, message ${q.seq}` : ''}${typeof q.httpStatus === 'number' ? ` (HTTP ${q.httpStatus})` : ''}`,
    };
  }
  return { kind: 'other', ...none, summary: row.action };
}

/** The names of the agencies the entries mention (routed, re-routed, delivered to), removed ones too. */
async function namesOfAgencies(tx: StoreTx, rows: readonly AuditRow[]): Promise<Map<number, string>> {
  const ids = new Set<number>();
  const add = (v: unknown) => {
    for (const id of (Array.isArray(v) ? v : [v]).map(Number)) if (Number.isSafeInteger(id)) ids.add(id);
  };
  for (const row of rows) {
    if (!/^(incident|delivery|publish)\./.test(row.action)) continue;
    try {
      const p = JSON.parse(row.payload_json) as Record<string, unknown>;
      add(p.agencies);
      add(p.agencyIds);
      add(p.newAgencies);
      add(p.agencyId);
    } catch {
      /* unreadable payloads are verify's business */
    }
  }
  const names = new Map<number, string>();
  for (const id of ids) {
    const agency = await tx.agencies.get(id);
    if (agency) names.set(id, agency.name);
  }
  return names;
}

/**
 * The full timeline of an alert, read from the audit log (its own entries, and those of any
 * incident that names it) and cross-checked with the version tables: every solution and
 * decision version, undos, QA, publications and deliveries, oldest first.
 */
export async function incidentHistory(tx: StoreTx, alertId: number): Promise<IncidentHistory> {
  if (!(await tx.alerts.summary(alertId))) throw new UserError('not_found', `no alert ${alertId}`);
  const rows = new Map<number, AuditRow>();
  for (const r of await tx.audit.aboutAlert(alertId)) rows.set(r.seq, r);
  // Deliveries name only their incident: follow every incident that named this alert.
  const incidents = new Set([...rows.values()].map((r) => /^incident:(\d+)$/.exec(r.entity)?.[1]).filter((x): x is string => x !== undefined));
  for (const i of incidents) for (const r of await tx.audit.forEntity(`incident:${i}`)) rows.set(r.seq, r);
  const agencyNames = await namesOfAgencies(tx, [...rows.values()]);
  const agencyName: AgencyName = (id) => agencyNames.get(id) ?? `agency ${id}`;
  const events: HistoryEvent[] = [...rows.values()]
    .sort((a, b) => a.seq - b.seq)
    .map((row) => {
      let payload: unknown = null;
      try {
        payload = JSON.parse(row.payload_json);
      } catch {
        /* shown as null; verify reports it */
      }
      return { seq: row.seq, atUs: row.at_us, actor: row.actor, action: row.action, ...describe(row, payload, agencyName), data: payload };
    });
  const decisions = await tx.auditReads.decisionsOf(alertId);
  const recordedDecisions = new Set(events.filter((e) => e.kind === 'decision' || e.kind === 'decision_revised').map((e) => e.decisionId));
  const unrecorded: string[] = [];
  for (const d of decisions) {
    if (recordedDecisions.has(d.id)) continue;
    unrecorded.push(`decision ${d.id} (v${d.version})`);
    events.push({
      seq: null,
      atUs: d.decidedUs,
      actor: d.decidedBy,
      action: 'decision.unrecorded',
      kind: 'decision',
      decisionId: d.id,
      version: d.version,
      summary: `Decision v${d.version}: ${label(d.class)} — NOT RECORDED IN THE AUDIT LOG`,
      data: d,
    });
  }
  events.sort((a, b) => a.atUs - b.atUs || (a.seq ?? Infinity) - (b.seq ?? Infinity));
  return { alertId, events, decisions, unrecorded, headSeq: (await tx.audit.recordedHead())?.seq ?? 0 };
}

export const historyLine = (e: HistoryEvent): string => `${formatIsoMicros(e.atUs)}  #${e.seq ?? '—'}  ${e.actor}: ${e.summary}`;
