import type { OutcomeFinding, OutcomeVersion } from '../../contract/index.ts';

export interface NewOutcome {
  incidentId: number;
  agencyId: number;
  findings: OutcomeFinding[];
  arrests: number;
  firearms: number;
  notes: string;
  unit: string;
  reference: string | null;
  channel: OutcomeVersion['channel'];
  reportedUs: number;
  receivedUs: number;
  reportedBy: string;
  /** SHA-256 of the callback's signature (replay guard); null for links and the demo. */
  callbackSig: string | null;
}

export interface OutcomeLinkRecord {
  id: number;
  incidentId: number;
  agencyId: number;
  agencyName: string;
  createdUs: number;
  createdBy: string;
  expiresUs: number;
  usedUs: number | null;
  outcomeId: number | null;
  retiredUs: number | null;
}

export interface NewOutcomeLink {
  incidentId: number;
  agencyId: number;
  tokenSha256: string;
  createdUs: number;
  createdBy: string;
  expiresUs: number;
}

/**
 * What agencies reported back (outcome versions) and the officers' one-use links. The agencies'
 * callback keys and the programme's figures are still the synchronous store's (src/store/outcomes.ts).
 */
export interface OutcomeQueries {
  /** Adds the next version for this incident and agency; take `tx.lock(outcomeLockName(...))` first, so two servers number versions in turn. */
  insertOutcome(o: NewOutcome): Promise<OutcomeVersion>;
  forIncident(incidentId: number): Promise<OutcomeVersion[]>;
  signatureSeen(sigSha256: string): Promise<boolean>;
  /** Whether the incident went to this agency. */
  routedTo(incidentId: number, agencyId: number): Promise<boolean>;
  /** A new link; the live links of the same incident and agency are retired. */
  insertLink(l: NewOutcomeLink): Promise<OutcomeLinkRecord>;
  linkByTokenHash(tokenSha256: string): Promise<OutcomeLinkRecord | undefined>;
  /** Marks a link used by this outcome; false when it was used, retired or expired meanwhile. */
  useLink(id: number, outcomeId: number, atUs: number): Promise<boolean>;
  linksForIncident(incidentId: number): Promise<OutcomeLinkRecord[]>;
}

/** The name `tx.lock` takes before numbering an outcome version or making a link of one incident and agency. */
export const outcomeLockName = (incidentId: number, agencyId: number): string => `outcomes:${incidentId}:${agencyId}`;
