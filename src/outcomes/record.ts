import type { OutcomeVersion } from '../contract/index.ts';
import type { CoreServices } from '../kernel/services.ts';
import { outcomeLockName, type WriteTx } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import type { Findings } from './findings.ts';

export interface OutcomeReport extends Findings {
  incidentId: number;
  agencyId: number;
  notes: string;
  unit: string;
  reference: string | null;
  channel: OutcomeVersion['channel'];
  /** When the agency says it found this; defaults to when it arrived. */
  reportedUs: number | null;
  /** Who it came through, for the audit log: `agency:3/ok_…` (a callback key), `link:12`, `demo-agency:3`. */
  reportedBy: string;
  callbackSig?: string | null;
  /** The officer link it came through: used up in the same transaction, or nothing is written. */
  linkId?: number;
}

/**
 * Records one report as a new outcome version, with its audit entry, in one port write that
 * announces it (`outcomeReported`, with `tx.emit`, so every server's seats hear it). Refuses
 * (writing nothing) an agency the incident did not go to, a replayed callback, or a link used
 * meanwhile. Versions of one incident and agency are numbered under a named lock, so two servers
 * recording at once take turns. Earlier versions stay as they were.
 */
export async function recordOutcome(core: CoreServices, r: OutcomeReport): Promise<OutcomeVersion> {
  const now = core.clock.nowUs();
  return core.storePort.write((tx) => recordOutcomeTx(tx, r, now));
}

/** recordOutcome inside the caller's write. */
export async function recordOutcomeTx(tx: WriteTx, r: OutcomeReport, now: number): Promise<OutcomeVersion> {
  await tx.lock(outcomeLockName(r.incidentId, r.agencyId));
  const incident = await tx.incidents.get(r.incidentId);
  if (!incident || !(await tx.outcomes.routedTo(r.incidentId, r.agencyId))) throw new UserError('not_found', 'no such incident was sent to this agency');
  if (r.callbackSig && (await tx.outcomes.signatureSeen(r.callbackSig))) throw new UserError('conflict', 'this signed request was received before (a replay)');
  const o = await tx.outcomes.insertOutcome({
    incidentId: r.incidentId,
    agencyId: r.agencyId,
    findings: r.findings,
    arrests: r.arrests,
    firearms: r.firearms,
    notes: r.notes,
    unit: r.unit,
    reference: r.reference,
    channel: r.channel,
    reportedUs: r.reportedUs ?? now,
    receivedUs: now,
    reportedBy: r.reportedBy,
    callbackSig: r.callbackSig ?? null,
  });
  if (r.linkId !== undefined && !(await tx.outcomes.useLink(r.linkId, o.id, now)))
    throw new UserError('conflict', 'this link was used, replaced or expired meanwhile');
  await tx.audit.append({
    atUs: now,
    actor: r.reportedBy,
    action: 'outcome.reported',
    entity: `incident:${r.incidentId}`,
    payload: {
      alertId: incident.alertId,
      incidentId: r.incidentId,
      outcomeId: o.id,
      agencyId: r.agencyId,
      version: o.version,
      findings: o.findings,
      arrests: o.arrests,
      firearms: o.firearms,
      notes: o.notes,
      unit: o.unit,
      reference: o.reference,
      channel: o.channel,
      reportedUs: o.reportedUs,
      ...(r.linkId !== undefined ? { linkId: r.linkId } : {}),
    },
  });
  tx.emit('outcomeReported', { outcome: o });
  return o;
}
