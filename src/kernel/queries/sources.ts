/** The status an administrator gave a source of alerts (a sensor network); none means live. */
export type SourceStatus = 'live' | 'exercise' | 'test';

export interface SourceStatusRecord {
  status: SourceStatus;
  note: string | null;
  setUs: number;
  setBy: string;
}

/** Sources' statuses, which fix the CAP status of what their alerts publish. */
export interface SourceQueries {
  /** The status an administrator set, or null for a source nobody marked. */
  statusOf(source: string): Promise<SourceStatus | null>;
  get(source: string): Promise<SourceStatusRecord | undefined>;
  /** Sets a source's status (attested). */
  set(source: string, status: SourceStatus, note: string | null, atUs: number, by: string): Promise<void>;
}
