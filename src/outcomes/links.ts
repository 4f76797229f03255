import { createHash, randomBytes } from 'node:crypto';
import type { CoreServices } from '../core/services.ts';
import type { IncidentRecord } from '../store/incidents.ts';
import type { OutcomeLinkRecord } from '../store/outcomes.ts';
import { UserError } from '../util/errors.ts';
import type { Findings } from './findings.ts';
import { recordOutcome } from './record.ts';
import { readProgrammeSettings } from './settings.ts';

/** The path an officer opens; the token is 20 base64url characters (120 random bits), short enough to read out. */
export const LINK_PATH = '/o/';
export const LINK_TOKEN = /^[A-Za-z0-9_-]{20}$/;
const tokenHash = (token: string) => createHash('sha256').update(`earwitness-outcome-link/1\n${token}`).digest('hex');

/**
 * A one-use link for an officer of one of the incident's agencies. Only the token's hash is
 * stored; the seat gets the token once. A new link for the same incident and agency retires the
 * live one, so at most one link per incident and agency works at a time.
 */
export function createOutcomeLink(core: CoreServices, incidentId: number, agencyId: number | undefined, actor: string) {
  const { store, clock } = core;
  const incident = store.incidents.get(incidentId);
  if (!incident) throw new UserError('not_found', `no incident ${incidentId}`);
  const agencies = store.incidents.agencies(incidentId);
  if (agencies.length === 0) throw new UserError('conflict', 'this incident went to no agency yet: route it first');
  const agency = agencyId === undefined ? agencies[0]! : agencies.find((a) => a.id === agencyId);
  if (!agency) throw new UserError('invalid_input', `agency ${agencyId} does not have this incident; it went to ${agencies.map((a) => a.name).join(', ')}`);
  const now = clock.nowUs();
  const token = randomBytes(15).toString('base64url');
  const expiresUs = now + Math.round(readProgrammeSettings(store).linkTtlHours * 3600e6);
  const link = store.tx(() => {
    const l = store.outcomes.insertLink({ incidentId, agencyId: agency.id, tokenSha256: tokenHash(token), createdUs: now, createdBy: actor, expiresUs });
    store.audit.append({
      atUs: now,
      actor,
      action: 'outcome.link_created',
      entity: `incident:${incidentId}`,
      payload: { alertId: incident.alertId, incidentId, linkId: l.id, agencyId: agency.id, expiresUs },
    });
    return l;
  });
  return { linkId: link.id, token, path: `${LINK_PATH}${token}`, expiresUs, agency: { id: agency.id, name: agency.name } };
}

export type LinkState = { state: 'unknown' } | { state: 'open' | 'used' | 'expired' | 'replaced'; link: OutcomeLinkRecord; incident: IncidentRecord };

/** What a token opens: an open form, or why not. Unknown, malformed and foreign tokens look alike. */
export function linkState(core: CoreServices, token: string): LinkState {
  if (!LINK_TOKEN.test(token)) return { state: 'unknown' };
  const link = core.store.outcomes.linkByTokenHash(tokenHash(token));
  const incident = link ? core.store.incidents.get(link.incidentId) : undefined;
  if (!link || !incident) return { state: 'unknown' };
  if (link.usedUs !== null) return { state: 'used', link, incident };
  if (link.retiredUs !== null) return { state: 'replaced', link, incident };
  if (link.expiresUs <= core.clock.nowUs()) return { state: 'expired', link, incident };
  return { state: 'open', link, incident };
}

/** Records an officer's report through an open link, using the link up in the same transaction. */
export function submitThroughLink(core: CoreServices, token: string, report: Findings & { notes: string; unit: string }) {
  const s = linkState(core, token);
  if (s.state !== 'open')
    throw new UserError(s.state === 'unknown' ? 'not_found' : 'conflict', `this link is ${s.state === 'unknown' ? 'not known' : s.state}`);
  return recordOutcome(core, {
    ...report,
    incidentId: s.link.incidentId,
    agencyId: s.link.agencyId,
    reference: null,
    channel: 'link',
    reportedUs: null,
    reportedBy: `link:${s.link.id}`,
    linkId: s.link.id,
  });
}
