import type { Decision } from '../../contract/index.ts';

export interface AlertRecordRow {
  id: number;
  source: string;
  external_id: string;
  format: string;
  detected_us: number;
  /** The centre's clock at import: the wait is counted from the earlier of the two (waitingSinceUs in the contract). */
  imported_us: number;
  machine_label: string | null;
  machine_confidence: number | null;
  machine_rounds: number | null;
  coordinates: 'wgs84' | 'local';
}

export interface SensorRecordRow {
  alert_id: number;
  sensor_id: string;
  lat: number | null;
  lon: number | null;
  elevation_m: number | null;
  x: number;
  y: number;
  z: number | null;
  clip_sha256: string;
  clip_start_us: number;
}

export interface SolutionRecordRow {
  id: number;
  alert_id: number;
  version: number;
  origin: 'machine' | 'reviewer';
  created_by: string;
  created_us: number;
  body_json: string;
}

export interface ClipRecordRow {
  sha256: string;
  bytes: number;
}

/** When an alert went to agencies, as far as the database tells (publishing may be absent). */
export interface PublishedRow {
  alert_id: number;
  published_us: number;
}

/** The tables whose every change is attested in the audit log (src/store/attested.ts says which columns). */
export type AttestedTableName =
  | 'incidents'
  | 'incident_agencies'
  | 'incident_messages'
  | 'deliveries'
  | 'agencies'
  | 'agency_endpoints'
  | 'accounts'
  | 'settings'
  | 'agency_outcome_keys'
  | 'outcomes'
  | 'outcome_links'
  | 'source_statuses'
  | 'intake_keys'
  | 'incident_withheld';

/** Whole-table reads for verification (every version row against the log), the incident history and the statistics. */
export interface AuditReadQueries {
  alerts(): Promise<AlertRecordRow[]>;
  alertsDetectedBetween(fromUs: number, toUs: number): Promise<AlertRecordRow[]>;
  sensors(): Promise<SensorRecordRow[]>;
  solutions(): Promise<SolutionRecordRow[]>;
  decisions(): Promise<Decision[]>;
  decisionsForAlertsDetectedBetween(fromUs: number, toUs: number): Promise<Decision[]>;
  decisionsOf(alertId: number): Promise<Decision[]>;
  /** Everyone who has seen a decision of the alert by making, revising or undoing one. */
  decisionActors(alertId: number): Promise<Set<string>>;
  clips(): Promise<ClipRecordRow[]>;
  /** First publication per alert: any incident that is not merely 'unrouted' (never sent) counts from its creation. */
  incidentPublications(): Promise<PublishedRow[]>;
  /** Every row of an attested table with the digest of its protected columns, as the audit log attests rows. */
  attestedRows(table: AttestedTableName): Promise<{ key: string; digest: string }[]>;
}
