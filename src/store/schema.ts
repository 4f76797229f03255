/**
 * The tables as Kysely sees them: one description for both backends (SQLite stores INTEGER and
 * REAL, PostgreSQL BIGINT and DOUBLE PRECISION; both reach JavaScript as numbers, BLOB and BYTEA
 * as Buffers, JSON columns as the exact text written). Generated marks ids and columns with a
 * default, so inserts may leave them out.
 */
import type { ColumnType, Generated } from 'kysely';

type Id = Generated<number>;

export interface ClipsTable {
  sha256: string;
  bytes: number;
  format: string;
  sample_rate: number;
  channels: number;
  frames: number;
  added_us: number;
}

export interface AlertsTable {
  id: Id;
  source: string;
  external_id: string;
  format: string;
  detected_us: number;
  imported_us: number;
  coordinates: 'wgs84' | 'local';
  origin_lat: number | null;
  origin_lon: number | null;
  machine_label: string | null;
  machine_confidence: number | null;
  machine_rounds: number | null;
  weather_json: string | null;
  status: Generated<'pending' | 'decided'>;
}

export interface AlertSensorsTable {
  id: Id;
  alert_id: number;
  sensor_id: string;
  lat: number | null;
  lon: number | null;
  elevation_m: number | null;
  x: number;
  y: number;
  z: number | null;
  clip_sha256: string;
  channel: Generated<number>;
  clip_start_us: number;
  clip_start_iso: string;
  full_scale_db_spl: number | null;
  peaks_per_second: number;
  peaks: Buffer;
}

export interface PulsesTable {
  id: Id;
  alert_id: number;
  sensor_id: string;
  offset_s: number;
  time_us: number;
  snr_db: number | null;
  peak_dbfs: number | null;
  peak_db_spl: number | null;
  shot_index: number | null;
  origin: 'machine' | 'reviewer';
  solution_id: number | null;
}

export interface SolutionsTable {
  id: Id;
  alert_id: number;
  version: number;
  origin: 'machine' | 'reviewer';
  created_by: string;
  created_us: number;
  body_json: string;
}

export interface DecisionsTable {
  id: Id;
  alert_id: number;
  version: number;
  class: string;
  rounds: number | null;
  fully_automatic: Generated<number>;
  multiple_shooters: Generated<number>;
  notes: Generated<string>;
  decided_by: string;
  decided_us: number;
  review_ms: number;
  undone_us: number | null;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  updated_us: number;
}

export interface AuditLogTable {
  seq: number;
  at_us: number;
  actor: string;
  action: string;
  entity: string;
  payload_json: string;
  prev_hash: string;
  hash: string;
}
export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface AccountsTable {
  id: Id;
  name: string;
  display_name: string;
  password_hash: string;
  roles_json: Generated<string>;
  preferences_json: Generated<string>;
  disabled_us: number | null;
  created_us: number;
  created_by: string;
  password_set_us: number;
  last_signin_us: number | null;
}
export interface SigninThrottleTable {
  name_key: string;
  failures: number;
  last_failure_us: number;
  blocked_until_us: number;
}

export interface ClaimsTable {
  alert_id: number;
  account_id: number | null;
  claimed_by: string;
  seat: string;
  claimed_us: number;
  expires_us: number;
}

export interface AgenciesTable {
  id: Id;
  name: string;
  classes_json: string;
  /** The CAP statuses it accepts (migration 32; '["Actual"]' unless given). */
  accepts_json: ColumnType<string, string | undefined, string>;
  jurisdiction_json: string;
  source_type: string;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  polygons: number;
  holes: number;
  vertices: number;
  created_us: number;
  created_by: string;
  removed_us: number | null;
  removed_by: string | null;
  jurisdiction_rev: Generated<number>;
  updated_us: number | null;
  updated_by: string | null;
}
export interface AgencyEndpointsTable {
  id: Id;
  agency_id: number;
  url: string;
  format: string;
  secret: string;
  client_cert_pem: string | null;
  client_key_pem: string | null;
  ca_pem: string | null;
  proxy_url: string | null;
  retired_us: number | null;
}

export interface OutcomesTable {
  id: Id;
  incident_id: number;
  agency_id: number;
  version: number;
  findings_json: string;
  arrests: number;
  firearms: number;
  notes: string;
  unit: string;
  reference: string | null;
  channel: 'callback' | 'link' | 'demo';
  reported_us: number;
  received_us: number;
  reported_by: string;
  callback_sig: string | null;
}

export interface OutcomeLinksTable {
  id: Id;
  incident_id: number;
  agency_id: number;
  token_sha256: string;
  created_us: number;
  created_by: string;
  expires_us: number;
  used_us: number | null;
  outcome_id: number | null;
  retired_us: number | null;
}

export interface AgencyOutcomeKeysTable {
  id: Id;
  agency_id: number;
  key_id: string;
  secret: string;
  created_us: number;
  created_by: string;
  retired_us: number | null;
  retired_by: string | null;
}

export interface IncidentsTable {
  id: Id;
  alert_id: number;
  state: 'routed' | 'unrouted' | 'held' | 'cancelled';
  unrouted_reason: string | null;
  hold_note: string | null;
  created_us: number;
  updated_us: number;
  /** The CAP status of every message of the incident (migration 32; 'Actual' unless given). */
  status: ColumnType<'Actual' | 'Exercise' | 'Test', 'Actual' | 'Exercise' | 'Test' | undefined, never>;
}
export interface IncidentWithheldTable {
  incident_id: number;
  agency_id: number;
  status: 'Actual' | 'Exercise' | 'Test';
  reason: string;
  at_us: number;
}
export interface SourceStatusesTable {
  source: string;
  status: 'live' | 'exercise' | 'test';
  note: string | null;
  set_us: number;
  set_by: string;
}
export interface IncidentAgenciesTable {
  incident_id: number;
  agency_id: number;
  how: 'jurisdiction' | 'admin';
  routed_us: number;
  routed_by: string;
}
export interface IncidentMessagesTable {
  id: Id;
  incident_id: number;
  seq: number;
  msg_type: 'Alert' | 'Update' | 'Cancel';
  identifier: string;
  sender: string;
  sent_us: number;
  changes_json: string;
  decision_id: number | null;
  solution_id: number | null;
  facts_json: string;
  cap_xml: string;
  json_body: string;
  /** The EIDO body, for agencies that take it (migration 32). */
  eido_json: ColumnType<string | null, string | null | undefined, never>;
  created_by: string;
}

export interface DeliveriesTable {
  id: Id;
  incident_id: number;
  message_id: number;
  seq: number;
  agency_id: number;
  endpoint_id: number;
  idempotency_key: string;
  state: 'pending' | 'delivered' | 'failed' | 'cancelled';
  created_us: number;
  window_start_us: number;
  next_attempt_us: number;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until_us: number | null;
  delivered_us: number | null;
  last_status: number | null;
  last_error: string | null;
}
export interface DeliveryAttemptsTable {
  id: Id;
  delivery_id: number;
  attempt: number;
  worker: string;
  started_us: number;
  finished_us: number | null;
  http_status: number | null;
  latency_ms: number | null;
  outcome: 'sending' | 'delivered' | 'retry' | 'failed' | 'interrupted';
  error: string | null;
  response_excerpt: string | null;
}

export interface DatasetProjectsTable {
  id: Id;
  name: string;
  name_key: string;
  description: Generated<string>;
  created_by: string;
  created_us: number;
  updated_us: number;
}
export interface DatasetClassesTable {
  id: Id;
  project_id: number;
  name: string;
  name_key: string;
  colour: string;
  hotkey: number | null;
  /** Keys 10-18 are the second bank's 1-9 (migration 042). */
  hotkey_bank2: Generated<number | null>;
  position: number;
}
export interface DatasetClipStatesTable {
  project_clip_id: number;
  trainer: string;
  state: 'todo' | 'done' | 'skipped';
  updated_us: number;
}
export interface DatasetClipsTable {
  id: Id;
  project_id: number;
  clip_sha256: string;
  origin: 'audio' | 'alert';
  origin_key: string;
  alert_id: number | null;
  sensor_id: string | null;
  channel: Generated<number>;
  clip_start_us: number | null;
  name: string;
  site: string;
  sensor_key: string;
  source_recording: string | null;
  added_by: string;
  added_us: number;
}
export interface DatasetLabelsTable {
  id: Id;
  project_id: number;
  clip_id: number;
  class_id: number;
  channel: number;
  start_sample: number;
  end_sample: number;
  low_hz: number | null;
  high_hz: number | null;
  annotator: string;
  created_us: number;
  updated_us: number;
  updated_by: string;
  version: Generated<number>;
}
export interface DatasetPeaksTable {
  clip_sha256: string;
  channel: number;
  peaks_per_second: number;
  peaks: Buffer;
}

export interface QaSamplesTable {
  alert_id: number;
  draw: number;
  share: number;
  key_id: string;
  selected: number;
  decision_id: number;
  sampled_us: number;
  state: 'not_selected' | 'open' | 'agreed' | 'disputed' | 'adjudicated' | 'cancelled';
  closed_us: number | null;
}
export interface QaReviewsTable {
  id: Id;
  alert_id: number;
  reviewer: string;
  class: string;
  rounds: number | null;
  fully_automatic: number;
  multiple_shooters: number;
  notes: string;
  review_ms: number;
  reviewed_us: number;
  compared_decision_id: number;
  agrees: number;
}
export interface QaAdjudicationsTable {
  id: Id;
  alert_id: number;
  qa_review_id: number;
  auditor: string;
  class: string;
  rounds: number | null;
  notes: string;
  verdict: 'first' | 'second' | 'neither';
  adjudicated_us: number;
}
export interface QaSealViewsTable {
  alert_id: number;
  actor: string;
  first_us: number;
}
export interface QaHoldsTable {
  alert_id: number;
  reviewer: string;
  until_us: number;
}

/** Events too large for one NOTIFY (PostgreSQL): the notification carries the row's id. */
export interface EventOutboxTable {
  id: Id;
  origin: string;
  events_json: string;
  created_us: number;
}

/** A sensor network's push key: its hash, never the key (migration 3). */
export interface IntakeKeysTable {
  id: Id;
  source: string;
  key_sha256: string;
  note: string | null;
  issued_us: number;
  issued_by: string;
  last_used_us: number | null;
  revoked_us: number | null;
  revoked_by: string | null;
}

/** A centre's signed-in seat, by hashes of its secrets (migration 22). */
export interface SeatSessionsTable {
  id_sha256: string;
  browser_sha256: string;
  tag: string;
  account_id: number;
  address: string | null;
  opened_us: number;
  last_activity_us: number;
  locked: number;
  lock_reason: 'requested' | 'idle' | null;
  server: string;
  updated_us: number;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_us: number;
}

export interface Schema {
  clips: ClipsTable;
  alerts: AlertsTable;
  alert_sensors: AlertSensorsTable;
  pulses: PulsesTable;
  solutions: SolutionsTable;
  decisions: DecisionsTable;
  settings: SettingsTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  accounts: AccountsTable;
  signin_throttle: SigninThrottleTable;
  claims: ClaimsTable;
  agencies: AgenciesTable;
  agency_endpoints: AgencyEndpointsTable;
  incidents: IncidentsTable;
  incident_agencies: IncidentAgenciesTable;
  outcomes: OutcomesTable;
  outcome_links: OutcomeLinksTable;
  agency_outcome_keys: AgencyOutcomeKeysTable;
  incident_withheld: IncidentWithheldTable;
  source_statuses: SourceStatusesTable;
  incident_messages: IncidentMessagesTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  dataset_projects: DatasetProjectsTable;
  dataset_classes: DatasetClassesTable;
  dataset_clips: DatasetClipsTable;
  dataset_labels: DatasetLabelsTable;
  dataset_peaks: DatasetPeaksTable;
  dataset_clip_states: DatasetClipStatesTable;
  qa_samples: QaSamplesTable;
  qa_reviews: QaReviewsTable;
  qa_adjudications: QaAdjudicationsTable;
  qa_seal_views: QaSealViewsTable;
  qa_holds: QaHoldsTable;
  event_outbox: EventOutboxTable;
  intake_keys: IntakeKeysTable;
  seat_sessions: SeatSessionsTable;
  schema_migrations: SchemaMigrationsTable;
}
