import {
  GUNFIRE_CLASSES,
  OUTCOME_FINDINGS,
  type DecisionClass,
  type OutcomeFinding,
  type OutcomeVersion,
  type ProgrammeArea,
  type ProgrammeFigures,
  type ProgrammePeriod,
  type ProgrammeSettings,
} from '../../contract/index.ts';
import type { ProgrammeAlertRow, Store as StorePort, StoreTx } from '../../kernel/store-port.ts';
import { UserError } from '../../util/errors.ts';
import { hasEvidence } from '../findings.ts';
import { readProgrammeSettingsTx } from '../settings.ts';
import { areaHolds, resolveArea, type ResolvedArea } from './area.ts';
import { cellOf } from './grid.ts';
import { latency } from './latency.ts';
import { addDays, dayStartUs, isRealDay, localTime, nightOf } from './zone.ts';

/** The longest period one query covers: ten years of nights is a table a person can still read. */
export const MAX_PERIOD_DAYS = 3660;
const YEAR_DAYS = 365.25;

export interface ResolvedPeriod {
  fromDay: string;
  toDay: string;
  fromUs: number;
  toUs: number;
  days: number;
  timeZone: string;
}

export function resolvePeriod(p: ProgrammePeriod, timeZone: string): ResolvedPeriod {
  if (!isRealDay(p.fromDay) || !isRealDay(p.toDay)) throw new UserError('invalid_input', 'give the period as two calendar days, YYYY-MM-DD');
  if (p.toDay < p.fromDay) throw new UserError('invalid_input', 'the period ends before it starts');
  const days = Math.round((Date.parse(`${p.toDay}T00:00:00Z`) - Date.parse(`${p.fromDay}T00:00:00Z`)) / 86_400_000) + 1;
  if (days > MAX_PERIOD_DAYS) throw new UserError('invalid_input', `a period of at most ${MAX_PERIOD_DAYS} days`);
  return { fromDay: p.fromDay, toDay: p.toDay, fromUs: dayStartUs(p.fromDay, timeZone), toUs: dayStartUs(addDays(p.toDay, 1), timeZone), days, timeZone };
}

const isGunfire = (c: string | null): boolean => c !== null && GUNFIRE_CLASSES.includes(c as DecisionClass);

function wgs84(row: ProgrammeAlertRow): { lat: number; lon: number } | null {
  if (row.coordinates !== 'wgs84' || row.positionJson === null) return null;
  const p = JSON.parse(row.positionJson) as { lat?: unknown; lon?: unknown };
  return typeof p.lat === 'number' && typeof p.lon === 'number' ? { lat: p.lat, lon: p.lon } : null;
}

/** What one confirmed incident's agencies reported, as it stands: each agency's newest version, joined. */
export interface StandingOutcome {
  findings: Set<OutcomeFinding>;
  /** The larger of the agencies' counts: two agencies reporting the same arrest do not make two. */
  arrests: number;
  firearms: number;
  revised: boolean;
}

export function standingOutcomes(versions: readonly OutcomeVersion[]): Map<number, StandingOutcome> {
  const newest = new Map<string, OutcomeVersion>();
  for (const v of versions) {
    const k = `${v.incidentId}:${v.agency.id}`;
    const cur = newest.get(k);
    if (!cur || v.version > cur.version) newest.set(k, v);
  }
  const out = new Map<number, StandingOutcome>();
  for (const v of newest.values()) {
    const s = out.get(v.incidentId) ?? { findings: new Set<OutcomeFinding>(), arrests: 0, firearms: 0, revised: false };
    for (const f of v.findings) s.findings.add(f);
    s.arrests = Math.max(s.arrests, v.arrests);
    s.firearms = Math.max(s.firearms, v.firearms);
    s.revised ||= v.version > 1;
    out.set(v.incidentId, s);
  }
  return out;
}

const share = (n: number, of: number): number | null => (of > 0 ? n / of : null);

/**
 * The programme's figures for alerts detected in a period (whole local days) and an area. Every
 * definition is written out in methods.ts and docs/outcomes/README.md; a test recomputes them
 * from the tables with plain SQL. One read transaction: the settings, the area, the alerts, the
 * outcomes and the seals are one snapshot, so the figures agree with each other.
 */
export function computeFigures(port: StorePort, query: { period: ProgrammePeriod; area: ProgrammeArea }, nowUs: number): Promise<ProgrammeFigures> {
  return port.read(async (tx) => (await programmeFiguresTx(tx, query, nowUs)).figures);
}

/** computeFigures in the caller's transaction, with the settings and area it used (the report needs them). */
export async function programmeFiguresTx(
  tx: StoreTx,
  query: { period: ProgrammePeriod; area: ProgrammeArea },
  nowUs: number,
): Promise<{ figures: ProgrammeFigures; settings: ProgrammeSettings; area: ResolvedArea }> {
  const settings = await readProgrammeSettingsTx(tx);
  const period = resolvePeriod(query.period, settings.timeZone);
  const area = await resolveArea(tx, query.area);
  const cost = settings.yearlyCost === null ? null : { yearly: settings.yearlyCost, currency: settings.currency };
  return { figures: await figuresOf(tx, period, area, settings.cellM, cost, nowUs), settings, area };
}

export async function figuresOf(
  tx: StoreTx,
  period: ResolvedPeriod,
  area: ResolvedArea,
  cellM: number,
  cost: { yearly: number; currency: string } | null,
  nowUs: number,
): Promise<ProgrammeFigures> {
  const tz = period.timeZone;
  const rows = await tx.outcomes.programmeAlerts(period.fromUs, period.toUs);
  const outcomes = standingOutcomes(await tx.outcomes.forAlertsDetectedBetween(period.fromUs, period.toUs));
  const sealed = new Set(await tx.qa.sealedAlertIds());

  const nights = new Map<string, { alerts: number; confirmed: number; rounds: number }>();
  const firstNight = addDays(period.fromDay, -1);
  for (let n = firstNight; n <= period.toDay; n = addDays(n, 1)) nights.set(n, { alerts: 0, confirmed: 0, rounds: 0 });
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, alerts: 0, confirmed: 0, rounds: 0 }));
  const cells = new Map<string, ReturnType<typeof cellOf> & { confirmed: number }>();
  const excluded = { localFrame: 0, unplaced: 0, sealed: 0 };
  const f = { alerts: 0, decided: 0, undecided: 0, confirmed: 0, withdrawn: 0, rounds: 0, roundsUnknown: 0, published: 0, noShotTime: 0, unplacedConfirmed: 0 };
  const toPublished: number[] = [];
  const toDelivered: number[] = [];
  const o = { sent: 0, reported: 0, evidence: 0, withArrest: 0, arrests: 0, withFirearm: 0, firearms: 0, revised: 0 };
  const byFinding = new Map<OutcomeFinding, number>(OUTCOME_FINDINGS.map((x) => [x, 0]));

  for (const row of rows) {
    if (row.coordinates === 'local') {
      excluded.localFrame++;
      continue;
    }
    const at = wgs84(row);
    if (area.shape !== null) {
      if (!at) {
        excluded.unplaced++;
        continue;
      }
      if (!areaHolds(area, at)) continue;
    }
    f.alerts++;
    const night = nights.get(nightOf(row.detectedUs, tz));
    const hour = hours[localTime(row.detectedUs, tz).hour]!;
    if (night) night.alerts++;
    hour.alerts++;
    if (row.decisionClass === null) {
      f.undecided++;
      continue;
    }
    // A decision under blind QA review is sealed until the review is in: held out, and counted.
    if (sealed.has(row.id)) {
      excluded.sealed++;
      continue;
    }
    f.decided++;
    if (!isGunfire(row.decisionClass)) continue;
    if (row.incidentState === 'cancelled') {
      f.withdrawn++;
      continue;
    }
    f.confirmed++;
    const rounds = row.decisionRounds ?? row.solutionRounds;
    if (rounds === null) f.roundsUnknown++;
    else f.rounds += rounds;
    if (night) {
      night.confirmed++;
      night.rounds += rounds ?? 0;
    }
    hour.confirmed++;
    hour.rounds += rounds ?? 0;
    if (at) {
      const c = cellOf(cellM, at.lat, at.lon);
      const cur = cells.get(c.id) ?? { ...c, confirmed: 0 };
      cur.confirmed++;
      cells.set(c.id, cur);
    } else f.unplacedConfirmed++;
    if (row.incidentId === null || row.agencies === 0) continue;
    f.published++;
    o.sent++;
    if (row.shotUs === null) f.noShotTime++;
    else {
      if (row.queuedUs !== null) toPublished.push((row.queuedUs - row.shotUs) / 1e6);
      if (row.deliveredUs !== null) toDelivered.push((row.deliveredUs - row.shotUs) / 1e6);
    }
    const standing = outcomes.get(row.incidentId);
    if (!standing) continue;
    o.reported++;
    for (const x of standing.findings) byFinding.set(x, byFinding.get(x)! + 1);
    if (hasEvidence([...standing.findings])) o.evidence++;
    if (standing.arrests > 0) o.withArrest++;
    if (standing.firearms > 0) o.withFirearm++;
    o.arrests += standing.arrests;
    o.firearms += standing.firearms;
    if (standing.revised) o.revised++;
  }

  const periodCost = cost ? (cost.yearly * period.days) / YEAR_DAYS : null;
  const per = (n: number) => (periodCost !== null && n > 0 ? periodCost / n : null);
  const lastNight = period.toDay;
  return {
    period: { fromDay: period.fromDay, toDay: period.toDay, fromUs: period.fromUs, toUs: period.toUs, timeZone: tz, days: period.days },
    area: { kind: area.kind, name: area.name, agencyId: area.agencyId },
    generatedUs: nowUs,
    alerts: f.alerts,
    excluded,
    decided: f.decided,
    undecided: f.undecided,
    confirmed: f.confirmed,
    withdrawn: f.withdrawn,
    confirmedShare: share(f.confirmed, f.decided),
    rounds: f.rounds,
    roundsUnknown: f.roundsUnknown,
    nights: [...nights].map(([night, v]) => ({ night, partial: night === firstNight || night === lastNight, ...v })),
    hours,
    publication: { published: f.published, shotToPublished: latency(toPublished), shotToDelivered: latency(toDelivered), noShotTime: f.noShotTime },
    outcomes: {
      sentToAgency: o.sent,
      notSent: f.confirmed - o.sent,
      reported: o.reported,
      missing: o.sent - o.reported,
      missingShare: share(o.sent - o.reported, o.sent),
      byFinding: OUTCOME_FINDINGS.map((finding) => ({ finding, incidents: byFinding.get(finding)! })),
      evidence: o.evidence,
      evidenceShareOfReported: share(o.evidence, o.reported),
      evidenceShareOfSent: share(o.evidence, o.sent),
      incidentsWithArrest: o.withArrest,
      arrests: o.arrests,
      incidentsWithFirearm: o.withFirearm,
      firearms: o.firearms,
      revised: o.revised,
    },
    cost:
      cost && periodCost !== null
        ? {
            yearly: cost.yearly,
            currency: cost.currency,
            period: periodCost,
            perConfirmed: per(f.confirmed),
            perEvidence: per(o.evidence),
            perArrest: per(o.arrests),
            perFirearm: per(o.firearms),
          }
        : null,
    grid: {
      cellM,
      cells: [...cells.values()]
        .sort((a, b) => a.row - b.row || a.col - b.col)
        .map(({ id, south, west, north, east, confirmed }) => ({ id, south, west, north, east, confirmed })),
      unplacedConfirmed: f.unplacedConfirmed,
    },
  };
}
