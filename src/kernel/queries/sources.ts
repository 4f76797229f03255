/** The status an administrator gave a source of alerts (a sensor network); none means live. */
export type SourceStatus = 'live' | 'exercise' | 'test';

export interface SourceStatusRecord {
  status: SourceStatus;
  note: string | null;
  setUs: number;
  setBy: string;
}

/** A source of alerts (a sensor network) with the status an administrator gave it, if any. */
export interface SourceRecord {
  source: string;
  status: SourceStatus | null;
  note: string | null;
  setUs: number | null;
  setBy: string | null;
  /** Alerts in the store from this source, and the newest one's detection time. */
  alerts: number;
  newestUs: number | null;
}

/** Sources' statuses, which fix the CAP status of what their alerts publish. */
export interface SourceQueries {
  /** Every source seen in alerts or given a status, by name (bytewise). */
  list(): Promise<SourceRecord[]>;
  /** The status an administrator set, or null for a source nobody marked. */
  statusOf(source: string): Promise<SourceStatus | null>;
  get(source: string): Promise<SourceStatusRecord | undefined>;
  /** Sets a source's status (attested). */
  set(source: string, status: SourceStatus, note: string | null, atUs: number, by: string): Promise<void>;
}
