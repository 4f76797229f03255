export type IncidentStateName = 'routed' | 'unrouted' | 'held' | 'cancelled';
/** The CAP status of an incident's messages, fixed by its source's status when first published. */
export type CapStatusName = 'Actual' | 'Exercise' | 'Test';
export type MsgTypeName = 'Alert' | 'Update' | 'Cancel';

export interface IncidentRecord {
  id: number;
  alertId: number;
  state: IncidentStateName;
  status: CapStatusName;
  unroutedReason: string | null;
  holdNote: string | null;
  createdUs: number;
  updatedUs: number;
}

export interface NewMessage {
  incidentId: number;
  seq: number;
  msgType: MsgTypeName;
  identifier: string;
  sender: string;
  sentUs: number;
  changes: string[];
  decisionId: number | null;
  solutionId: number | null;
  factsJson: string;
  capXml: string;
  jsonBody: string;
  /** The EIDO body, for agencies that take it; none when not given. */
  eidoJson?: string | null;
  createdBy: string;
}

/** A stored message version, without its rendered bodies (see `body`). */
export type MessageRecord = Omit<NewMessage, 'capXml' | 'jsonBody' | 'eidoJson'> & { id: number };

export interface IncidentAgency {
  id: number;
  name: string;
  how: 'jurisdiction' | 'admin';
  removed: boolean;
}

/** An agency an incident was kept from, and why (it does not accept the incident's status). */
export interface WithheldRecord {
  agencyId: number;
  agencyName: string;
  status: CapStatusName;
  reason: string;
  atUs: number;
}

/** Incidents, the agencies that have them, and their message versions. */
export interface IncidentQueries {
  create(alertId: number, state: IncidentStateName, status: CapStatusName, unroutedReason: string | null, atUs: number): Promise<IncidentRecord>;
  get(id: number): Promise<IncidentRecord | undefined>;
  byAlert(alertId: number): Promise<IncidentRecord | undefined>;
  list(state: IncidentStateName | 'all', limit: number): Promise<IncidentRecord[]>;
  /** Sets the state; a reason or note not given keeps its current value. */
  setState(id: number, state: IncidentStateName, atUs: number, extra?: { unroutedReason?: string | null; holdNote?: string | null }): Promise<void>;
  touch(id: number, atUs: number): Promise<void>;
  /** Records that an agency has the incident; false when it already had it. */
  addAgency(incidentId: number, agencyId: number, how: 'jurisdiction' | 'admin', atUs: number, by: string): Promise<boolean>;
  agencies(incidentId: number): Promise<IncidentAgency[]>;
  /** Records that an agency was kept from the incident, and why; false when it already was. */
  withhold(incidentId: number, agencyId: number, status: CapStatusName, reason: string, atUs: number): Promise<boolean>;
  withheld(incidentId: number): Promise<WithheldRecord[]>;
  addMessage(m: NewMessage): Promise<MessageRecord>;
  messages(incidentId: number): Promise<MessageRecord[]>;
  lastMessage(incidentId: number): Promise<MessageRecord | undefined>;
  /** The exact bytes sent for a message, in each format. */
  body(messageId: number): Promise<{ cap: string; json: string; identifier: string } | undefined>;
}
