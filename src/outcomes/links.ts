import { createHash, randomBytes } from 'node:crypto';
import type { CoreServices } from '../kernel/services.ts';
import { outcomeLockName, type IncidentRecord, type OutcomeLinkRecord } from '../kernel/store-port.ts';
import { UserError } from '../util/errors.ts';
import type { Findings } from './findings.ts';
import { recordOutcome } from './record.ts';
import { readProgrammeSettingsTx } from './settings.ts';

/** The path an officer opens; the token is 20 base64url characters (120 random bits), short enough to read out. */
export const LINK_PATH = '/o/';
export const LINK_TOKEN = /^[A-Za-z0-9_-]{20}$/;
const tokenHash = (token: string) => createHash('sha256').update(`earwitness-outcome-link/1\n${token}`).digest('hex');

/**
 * A one-use link for an officer of one of the incident's agencies. Only the token's hash is
 * stored; the seat gets the token once. A new link for the same incident and agency retires the
 * live one, so at most one link per incident and agency works at a time (under a named lock, so
 * across servers too). One port write: any server of a centre opens the link.
 */
export async function createOutcomeLink(core: CoreServices, incidentId: number, agencyId: number | undefined, actor: string) {
  const { storePort, clock } = core;
  const now = clock.nowUs();
  const token = randomBytes(15).toString('base64url');
  return storePort.write(async (tx) => {
    const incident = await tx.incidents.get(incidentId);
    if (!incident) throw new UserError('not_found', `no incident ${incidentId}`);
    const agencies = await tx.incidents.agencies(incidentId);
    if (agencies.length === 0) throw new UserError('conflict', 'this incident went to no agency yet: route it first');
    const agency = agencyId === undefined ? agencies[0]! : agencies.find((a) => a.id === agencyId);
    if (!agency) throw new UserError('invalid_input', `agency ${agencyId} does not have this incident; it went to ${agencies.map((a) => a.name).join(', ')}`);
    const expiresUs = now + Math.round((await readProgrammeSettingsTx(tx)).linkTtlHours * 3600e6);
    await tx.lock(outcomeLockName(incidentId, agency.id));
    const link = await tx.outcomes.insertLink({ incidentId, agencyId: agency.id, tokenSha256: tokenHash(token), createdUs: now, createdBy: actor, expiresUs });
    await tx.audit.append({
      atUs: now,
      actor,
      action: 'outcome.link_created',
      entity: `incident:${incidentId}`,
      payload: { alertId: incident.alertId, incidentId, linkId: link.id, agencyId: agency.id, expiresUs },
    });
    return { linkId: link.id, token, path: `${LINK_PATH}${token}`, expiresUs, agency: { id: agency.id, name: agency.name } };
  });
}

export type LinkState = { state: 'unknown' } | { state: 'open' | 'used' | 'expired' | 'replaced'; link: OutcomeLinkRecord; incident: IncidentRecord };

/** What a token opens: an open form, or why not. Unknown, malformed and foreign tokens look alike. */
export async function linkState(core: CoreServices, token: string): Promise<LinkState> {
  if (!LINK_TOKEN.test(token)) return { state: 'unknown' };
  const { link, incident } = await core.storePort.read(async (tx) => {
    const link = await tx.outcomes.linkByTokenHash(tokenHash(token));
    return { link, incident: link ? await tx.incidents.get(link.incidentId) : undefined };
  });
  if (!link || !incident) return { state: 'unknown' };
  if (link.usedUs !== null) return { state: 'used', link, incident };
  if (link.retiredUs !== null) return { state: 'replaced', link, incident };
  if (link.expiresUs <= core.clock.nowUs()) return { state: 'expired', link, incident };
  return { state: 'open', link, incident };
}

/** Records an officer's report through an open link, using the link up in the same transaction. */
export async function submitThroughLink(core: CoreServices, token: string, report: Findings & { notes: string; unit: string }) {
  const s = await linkState(core, token);
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
