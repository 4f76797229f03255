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

export interface OutcomeKeyRecord {
  id: number;
  agencyId: number;
  agencyName: string;
  keyId: string;
  createdUs: number;
  createdBy: string;
  retiredUs: number | null;
}

export interface NewOutcomeKey {
  agencyId: number;
  keyId: string;
  secret: string;
  createdUs: number;
  createdBy: string;
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

/** An incident of the demo network sent to an agency, with how many versions that agency reported. */
export interface DemoPendingRow {
  incidentId: number;
  agencyId: number;
  publishedUs: number;
  versions: number;
}

/**
 * What agencies reported back (outcome versions), the officers' one-use links, the agencies'
 * callback keys, and the per-alert rows of the programme's figures.
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

  insertKey(k: NewOutcomeKey): Promise<OutcomeKeyRecord>;
  key(keyId: string): Promise<OutcomeKeyRecord | undefined>;
  /** What a callback is checked with: the only read of a key's secret. Null for an unknown or retired key, or a removed agency's. */
  secretForChecking(keyId: string): Promise<{ secret: string; agencyId: number } | null>;
  /** Every key, newest first. */
  keys(): Promise<OutcomeKeyRecord[]>;
  /** Retires a live key; false when it is unknown or already retired. */
  retireKey(keyId: string, atUs: number, by: string): Promise<boolean>;

  /** Every version reported on incidents of alerts detected in [fromUs, toUs). */
  forAlertsDetectedBetween(fromUs: number, toUs: number): Promise<OutcomeVersion[]>;
  /** Alerts detected in [fromUs, toUs), with their location, standing decision, incident and first publication. */
  programmeAlerts(fromUs: number, toUs: number): Promise<ProgrammeAlertRow[]>;
  /** Routed incidents of one alert source created in [sinceUs, beforeUs], per agency (at most 500): what the demo's responders answer. */
  demoPending(source: string, sinceUs: number, beforeUs: number): Promise<DemoPendingRow[]>;
}

/** The name `tx.lock` takes before numbering an outcome version or making a link of one incident and agency. */
export const outcomeLockName = (incidentId: number, agencyId: number): string => `outcomes:${incidentId}:${agencyId}`;
