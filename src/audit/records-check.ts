import type { Decision } from '../contract/index.ts';
import type { AlertRecordRow, AuditRow, QaAdjudication, QaReview, QaSample, SensorRecordRow, SolutionRecordRow, StoreTx } from '../kernel/store-port.ts';
import { ATTESTED_TABLE_NAMES, type AttestedTable } from '../store/attested.ts';
import { canonicalJson } from '../util/canonical.ts';
import type { VerifyProblem } from './problems.ts';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/** The alert id an entry is about: `alert:N`, or `alertId` in its payload. */
export function alertIdOf(row: AuditRow, payload: unknown): number | null {
  const m = /^alert:(\d+)$/.exec(row.entity);
  if (m) return Number(m[1]);
  if (isObj(payload) && typeof payload.alertId === 'number') return payload.alertId;
  return null;
}

/** The decision an entry carries: decision.made holds it whole, decision.revised under `decision`. */
export function decisionIn(action: string, payload: unknown): Decision | null {
  if (!action.startsWith('decision.') || !isObj(payload)) return null;
  const d = isObj(payload.decision) ? payload.decision : payload;
  return typeof d.id === 'number' && typeof d.class === 'string' && typeof d.version === 'number' ? (d as unknown as Decision) : null;
}

/** The decision id an undo entry names, and when it took effect. */
export function undoIn(row: AuditRow, payload: unknown): { decisionId: number; undoneUs: number } | null {
  if (row.action !== 'decision.undone' || !isObj(payload)) return null;
  const inner = isObj(payload.decision) ? payload.decision : null;
  const id =
    typeof payload.decisionId === 'number' ? payload.decisionId : typeof inner?.id === 'number' ? inner.id : typeof payload.id === 'number' ? payload.id : null;
  if (id === null) return null;
  return { decisionId: id, undoneUs: typeof payload.undoneUs === 'number' ? payload.undoneUs : row.at_us };
}

interface Seen<T> {
  seq: number;
  value: T;
}

/**
 * Collects, while the chain is walked, what the log says each version row must hold. Then
 * `check` compares the tables with it: a row changed or deleted behind the log's back, or a
 * row the log never recorded, is named with the entry that should have recorded it.
 */
export class RecordsCollector {
  readonly imports = new Map<number, Seen<Json>>();
  readonly solutions = new Map<string, Seen<Json>>();
  readonly decisions = new Map<number, Seen<Decision>>();
  readonly undos = new Map<number, Seen<number>>();
  readonly qaSamples = new Map<number, Seen<Json>>();
  readonly qaReviews = new Map<number, Seen<Json>>();
  readonly qaAdjudications = new Map<number, Seen<Json>>();
  /** A reviewer's picks by pulse id, as the re-location's solution.added entry lists them. */
  readonly reviewerPicks = new Map<number, Seen<Json> & { alertId: number; version: number }>();
  /** Which entry recorded each clip hash first. */
  readonly clipSeq = new Map<string, number>();
  /** The newest digest the log attests for each row of the attested tables, by `table\0key`. */
  readonly attested = new Map<string, Seen<string | null>>();

  visit = (row: AuditRow): void => {
    let payload: unknown;
    try {
      payload = JSON.parse(row.payload_json);
    } catch {
      return; // the chain walk reports it
    }
    this.visitParsed(row, payload);
  };

  /** `visit` with the payload the chain walk already parsed. */
  visitParsed = (row: AuditRow, payload: unknown): void => {
    const alertId = alertIdOf(row, payload);
    if (!isObj(payload)) return;
    for (const a of Array.isArray(payload.attested) ? payload.attested : []) {
      if (isObj(a) && typeof a.table === 'string' && typeof a.key === 'string') {
        this.attested.set(`${a.table}\u0000${a.key}`, { seq: row.seq, value: typeof a.digest === 'string' ? a.digest : null });
      }
    }
    if (row.action === 'alert.imported' && alertId !== null) {
      this.imports.set(alertId, { seq: row.seq, value: payload });
      for (const s of Array.isArray(payload.sensors) ? payload.sensors : []) {
        if (isObj(s) && typeof s.clipSha256 === 'string' && !this.clipSeq.has(s.clipSha256)) this.clipSeq.set(s.clipSha256, row.seq);
      }
    }
    if (alertId !== null && typeof payload.version === 'number' && isObj(payload.solution)) {
      this.solutions.set(`${alertId}:${payload.version}`, { seq: row.seq, value: payload });
      for (const p of Array.isArray(payload.picks) ? payload.picks : []) {
        if (isObj(p) && typeof p.pulseId === 'number') this.reviewerPicks.set(p.pulseId, { seq: row.seq, value: p, alertId, version: payload.version });
      }
    }
    const d = decisionIn(row.action, payload);
    if (d) this.decisions.set(d.id, { seq: row.seq, value: d });
    const u = undoIn(row, payload);
    if (u) this.undos.set(u.decisionId, { seq: row.seq, value: u.undoneUs });
    if (row.action === 'qa.sampled' && alertId !== null) this.qaSamples.set(alertId, { seq: row.seq, value: payload });
    if (row.action === 'qa.reviewed' && isObj(payload.review) && typeof payload.review.id === 'number')
      this.qaReviews.set(payload.review.id, { seq: row.seq, value: payload.review });
    if (row.action === 'qa.adjudicated' && isObj(payload.adjudication) && typeof payload.adjudication.id === 'number') {
      this.qaAdjudications.set(payload.adjudication.id, { seq: row.seq, value: payload.adjudication });
    }
  };

  /**
   * Reads the version tables and the attested tables in the caller's read transaction (the same
   * snapshot the chain was walked in) and compares each row with what the log recorded.
   */
  async check(tx: StoreTx): Promise<VerifyProblem[]> {
    const out: VerifyProblem[] = [];
    const rec = (table: string, rowId: number, alertId: number | null, seq: number | null, message: string) =>
      out.push({ kind: 'record', table, rowId, alertId, seq, message });
    this.checkAlerts(await tx.auditReads.alerts(), await tx.auditReads.sensors(), rec);
    this.checkSolutions(await tx.auditReads.solutions(), rec);
    this.checkReviewerPicks(await tx.relocations.allReviewerPicks(), rec);
    this.checkDecisions(await tx.auditReads.decisions(), rec);
    this.checkQa({ samples: await tx.qa.samples(), reviews: await tx.qa.reviews(), adjudications: await tx.qa.adjudications() }, rec);
    const attested = new Map<AttestedTable, { key: string; digest: string }[]>();
    for (const table of ATTESTED_TABLE_NAMES) attested.set(table, await tx.auditReads.attestedRows(table));
    this.checkAttested((table) => attested.get(table) ?? [], rec);
    return out.sort((a, b) => ((a as { seq: number | null }).seq ?? Infinity) - ((b as { seq: number | null }).seq ?? Infinity));
  }

  private checkAlerts(alerts: readonly AlertRecordRow[], sensors: readonly SensorRecordRow[], rec: Rec): void {
    const sensorsOf = new Map<number, SensorRecordRow[]>();
    for (const s of sensors) {
      const list = sensorsOf.get(s.alert_id);
      if (list) list.push(s);
      else sensorsOf.set(s.alert_id, [s]);
    }
    const seen = new Set<number>();
    for (const a of alerts) {
      seen.add(a.id);
      const e = this.imports.get(a.id);
      if (!e) {
        rec('alerts', a.id, a.id, null, 'no alert.imported entry records this alert');
        continue;
      }
      const p = e.value;
      const machine = a.machine_label === null ? null : { label: a.machine_label, confidence: a.machine_confidence, rounds: a.machine_rounds };
      const diffs: string[] = [];
      if (p.source !== a.source) diffs.push('source');
      if (p.externalId !== a.external_id) diffs.push('external id');
      if (p.format !== a.format) diffs.push('format');
      if (p.detectedUs !== a.detected_us) diffs.push('detection time');
      if (p.coordinates !== a.coordinates) diffs.push('coordinates');
      if (!same(p.machine, machine)) diffs.push('machine classification');
      const logged = new Map((Array.isArray(p.sensors) ? p.sensors : []).filter(isObj).map((s) => [String(s.sensorId), s]));
      const rows = sensorsOf.get(a.id) ?? [];
      for (const s of rows) {
        const l = logged.get(s.sensor_id);
        if (!l) {
          diffs.push(`sensor ${s.sensor_id} (not in the log)`);
          continue;
        }
        if (l.clipSha256 !== s.clip_sha256) diffs.push(`clip of sensor ${s.sensor_id}`);
        if (l.clipStartUs !== s.clip_start_us) diffs.push(`clip start of sensor ${s.sensor_id}`);
        const pos = isObj(l.position) ? l.position : {};
        const posOk =
          'lat' in pos
            ? pos.lat === s.lat && pos.lon === s.lon && (pos.elevationM ?? null) === s.elevation_m
            : pos.x === s.x && pos.y === s.y && (pos.z ?? null) === s.z;
        if (!posOk) diffs.push(`position of sensor ${s.sensor_id}`);
      }
      if (logged.size !== rows.length) diffs.push(`sensor count (log ${logged.size}, table ${rows.length})`);
      if (diffs.length) rec('alerts', a.id, a.id, e.seq, `differs from its import entry: ${diffs.join(', ')}`);
    }
    for (const [id, e] of this.imports) if (!seen.has(id)) rec('alerts', id, id, e.seq, 'the log records this import but the alert row is gone');
  }

  private checkSolutions(solutions: readonly SolutionRecordRow[], rec: Rec): void {
    const seen = new Set<string>();
    for (const s of solutions) {
      const key = `${s.alert_id}:${s.version}`;
      seen.add(key);
      const e = this.solutions.get(key);
      if (!e) {
        rec('solutions', s.id, s.alert_id, null, `no audit entry records solution version ${s.version}`);
        continue;
      }
      let body: unknown = null;
      try {
        body = JSON.parse(s.body_json);
      } catch {
        /* compared as null */
      }
      const diffs: string[] = [];
      if (!same(body, e.value.solution)) diffs.push('solution body');
      if (e.value.origin !== undefined && e.value.origin !== s.origin) diffs.push('origin');
      if (diffs.length) rec('solutions', s.id, s.alert_id, e.seq, `version ${s.version} differs from its audit entry: ${diffs.join(', ')}`);
    }
    for (const [key, e] of this.solutions) {
      if (!seen.has(key)) {
        const [alertId, version] = key.split(':').map(Number);
        rec('solutions', 0, alertId!, e.seq, `the log records solution version ${version} but the row is gone`);
      }
    }
  }

  private checkReviewerPicks(picks: Awaited<ReturnType<StoreTx['relocations']['allReviewerPicks']>>, rec: Rec): void {
    const seen = new Set<number>();
    for (const p of picks) {
      seen.add(p.id);
      const e = this.reviewerPicks.get(p.id);
      if (!e) {
        rec('pulses', p.id, p.alertId, null, `no audit entry records this reviewer pick (${p.sensorId}, shot ${p.shotIndex})`);
        continue;
      }
      const l = e.value;
      const diffs: string[] = [];
      if (l.sensorId !== p.sensorId) diffs.push('sensor');
      if (l.shotIndex !== p.shotIndex) diffs.push('shot');
      if (l.offsetS !== p.offsetS || l.timeUs !== p.timeUs) diffs.push('time');
      if (e.alertId !== p.alertId || e.version !== p.version) diffs.push('solution version');
      if (diffs.length) rec('pulses', p.id, p.alertId, e.seq, `reviewer pick differs from the re-location entry: ${diffs.join(', ')}`);
    }
    for (const [id, e] of this.reviewerPicks)
      if (!seen.has(id)) rec('pulses', id, e.alertId, e.seq, `the log records this reviewer pick of solution version ${e.version} but the row is gone`);
  }

  private checkDecisions(decisions: readonly Decision[], rec: Rec): void {
    const seen = new Set<number>();
    for (const d of decisions) {
      seen.add(d.id);
      const e = this.decisions.get(d.id);
      if (!e) {
        rec('decisions', d.id, d.alertId, null, `no audit entry records decision version ${d.version}`);
        continue;
      }
      const l = e.value;
      const diffs = (['alertId', 'version', 'class', 'rounds', 'flags', 'notes', 'decidedBy', 'decidedUs', 'reviewMs'] as const).filter(
        (k) => !same(l[k], d[k]),
      );
      if (diffs.length) rec('decisions', d.id, d.alertId, e.seq, `version ${d.version} differs from its audit entry: ${diffs.join(', ')}`);
      const u = this.undos.get(d.id);
      if (d.undoneUs !== null && !u) rec('decisions', d.id, d.alertId, e.seq, `version ${d.version} is marked undone but no decision.undone entry records it`);
      else if (d.undoneUs === null && u)
        rec('decisions', d.id, d.alertId, u.seq, `version ${d.version} was undone (entry ${u.seq}) but the row no longer says so`);
      else if (u && d.undoneUs !== u.value) rec('decisions', d.id, d.alertId, u.seq, `version ${d.version} has a different undo time from its audit entry`);
    }
    for (const [id, e] of this.decisions)
      if (!seen.has(id)) rec('decisions', id, e.value.alertId, e.seq, `the log records decision version ${e.value.version} but the row is gone`);
  }

  /**
   * The attested tables' rows (each with its digest, read in one snapshot with the log) against
   * what the log attests: the store port's side of `check`, which reads its rows asynchronously.
   */
  attestedProblems(rowsOf: (table: AttestedTable) => readonly { key: string; digest: string }[]): VerifyProblem[] {
    const out: VerifyProblem[] = [];
    this.checkAttested(rowsOf, (table, rowId, alertId, seq, message) => out.push({ kind: 'record', table, rowId, alertId, seq, message }));
    return out;
  }

  /** What police received and who may act: each row as the newest entry that attests it. */
  private checkAttested(rowsOf: (table: AttestedTable) => readonly { key: string; digest: string }[], rec: Rec): void {
    const seen = new Set<string>();
    for (const table of ATTESTED_TABLE_NAMES) {
      for (const { key, digest } of rowsOf(table)) {
        const id = `${table}\u0000${key}`;
        seen.add(id);
        const e = this.attested.get(id);
        const what = `${describe(table)} ${key}`;
        if (!e) rec(table, rowIdOf(key), null, null, `no audit entry attests ${what}: it was added or changed behind the log`);
        else if (e.value === null) rec(table, rowIdOf(key), null, e.seq, `${what} was gone when entry ${e.seq} attested it, yet the row is there`);
        else if (e.value !== digest) rec(table, rowIdOf(key), null, e.seq, `${what} differs from what entry ${e.seq} attested`);
      }
    }
    for (const [id, e] of this.attested) {
      if (seen.has(id) || e.value === null) continue;
      const [table, key] = id.split('\u0000') as [AttestedTable, string];
      rec(table, rowIdOf(key), null, e.seq, `entry ${e.seq} attests ${describe(table)} ${key}, but the row is gone`);
    }
  }

  private checkQa(qa: { samples: readonly QaSample[]; reviews: readonly QaReview[]; adjudications: readonly QaAdjudication[] }, rec: Rec): void {
    const seenSamples = new Set<number>();
    for (const s of qa.samples) {
      seenSamples.add(s.alertId);
      const e = this.qaSamples.get(s.alertId);
      if (!e) {
        rec('qa_samples', s.alertId, s.alertId, null, 'no qa.sampled entry records this sampling');
        continue;
      }
      const diffs = (['draw', 'share', 'keyId', 'selected', 'decisionId'] as const).filter((k) => !same(e.value[k], s[k]));
      if (diffs.length) rec('qa_samples', s.alertId, s.alertId, e.seq, `differs from its audit entry: ${diffs.join(', ')}`);
    }
    for (const [id, e] of this.qaSamples) if (!seenSamples.has(id)) rec('qa_samples', id, id, e.seq, 'the log records this sampling but the row is gone');
    const compare = (table: string, rows: readonly { id: number; alertId: number }[], logged: Map<number, Seen<Json>>) => {
      const seen = new Set<number>();
      for (const r of rows) {
        seen.add(r.id);
        const e = logged.get(r.id);
        if (!e) rec(table, r.id, r.alertId, null, 'no audit entry records this row');
        else if (!same(e.value, r)) rec(table, r.id, r.alertId, e.seq, 'differs from its audit entry');
      }
      for (const [id, e] of logged)
        if (!seen.has(id)) rec(table, id, typeof e.value.alertId === 'number' ? e.value.alertId : null, e.seq, 'the log records this row but it is gone');
    };
    compare('qa_reviews', qa.reviews, this.qaReviews);
    compare('qa_adjudications', qa.adjudications, this.qaAdjudications);
  }
}

/** The row id a problem names: the key for integer keys, 0 for composite ones (named in the message). */
const rowIdOf = (key: string): number => (/^\d+$/.test(key) ? Number(key) : 0);

type Rec = (table: string, rowId: number, alertId: number | null, seq: number | null, message: string) => void;

const NAMES: Record<AttestedTable, string> = {
  incidents: 'incident',
  incident_agencies: 'routing of incident:agency',
  incident_messages: 'message',
  deliveries: 'delivery',
  agencies: 'agency',
  agency_endpoints: 'agency endpoint',
  accounts: 'account',
  settings: 'setting',
  agency_outcome_keys: 'outcome key',
  outcomes: 'outcome',
  outcome_links: 'officer link',
  source_statuses: 'status of source',
  intake_keys: 'intake key',
  incident_withheld: 'withholding of incident:agency',
};
const describe = (table: AttestedTable): string => NAMES[table];
