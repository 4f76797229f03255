import type { OutcomeVersion } from '../contract/index.ts';
import type { CoreServices } from '../core/services.ts';
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
 * Records one report as a new outcome version, with its audit entry, in one transaction; then
 * tells the seats. Refuses (writing nothing) an agency the incident did not go to, a replayed
 * callback, or a link used meanwhile. Earlier versions stay as they were.
 */
export function recordOutcome(core: CoreServices, r: OutcomeReport): OutcomeVersion {
  const { store, clock } = core;
  const now = clock.nowUs();
  const outcome = store.tx(() => {
    const incident = store.incidents.get(r.incidentId);
    if (!incident || !store.outcomes.routedTo(r.incidentId, r.agencyId)) throw new UserError('not_found', 'no such incident was sent to this agency');
    if (r.callbackSig && store.outcomes.signatureSeen(r.callbackSig)) throw new UserError('conflict', 'this signed request was received before (a replay)');
    const o = store.outcomes.insertOutcome({
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
    if (r.linkId !== undefined && !store.outcomes.useLink(r.linkId, o.id, now))
      throw new UserError('conflict', 'this link was used, replaced or expired meanwhile');
    store.audit.append({
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
    return o;
  });
  core.events.emit('outcomeReported', { outcome });
  return outcome;
}
