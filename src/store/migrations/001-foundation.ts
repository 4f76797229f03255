import type { Migration } from './types.ts';

/** The first schema: alerts, their sensors and clips, pulses, solution and decision versions, the audit chain. */
export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  sql: `
CREATE TABLE clips (
  sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
  bytes INTEGER NOT NULL,
  format TEXT NOT NULL,
  sample_rate INTEGER NOT NULL,
  channels INTEGER NOT NULL,
  frames INTEGER NOT NULL,
  added_us INTEGER NOT NULL
) STRICT;

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  format TEXT NOT NULL,
  detected_us INTEGER NOT NULL,
  imported_us INTEGER NOT NULL,
  coordinates TEXT NOT NULL CHECK (coordinates IN ('wgs84', 'local')),
  origin_lat REAL,
  origin_lon REAL,
  machine_label TEXT,
  machine_confidence REAL,
  machine_rounds INTEGER,
  weather_json TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided')),
  UNIQUE (source, external_id)
) STRICT;
CREATE INDEX alerts_status_detected ON alerts (status, detected_us);

CREATE TABLE alert_sensors (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  sensor_id TEXT NOT NULL,
  lat REAL, lon REAL, elevation_m REAL,
  x REAL NOT NULL, y REAL NOT NULL, z REAL,
  clip_sha256 TEXT NOT NULL REFERENCES clips (sha256),
  channel INTEGER NOT NULL DEFAULT 0,
  clip_start_us INTEGER NOT NULL,
  clip_start_iso TEXT NOT NULL,
  full_scale_db_spl REAL,
  peaks_per_second REAL NOT NULL,
  peaks BLOB NOT NULL,
  UNIQUE (alert_id, sensor_id)
) STRICT;

CREATE TABLE pulses (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  sensor_id TEXT NOT NULL,
  offset_s REAL NOT NULL,
  time_us INTEGER NOT NULL,
  snr_db REAL,
  peak_dbfs REAL,
  peak_db_spl REAL,
  shot_index INTEGER,
  origin TEXT NOT NULL CHECK (origin IN ('machine', 'reviewer'))
) STRICT;
CREATE INDEX pulses_alert ON pulses (alert_id);

-- Solutions are versions: the machine's first, then every reviewer re-location; none is ever changed.
CREATE TABLE solutions (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  version INTEGER NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('machine', 'reviewer')),
  created_by TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  body_json TEXT NOT NULL,
  UNIQUE (alert_id, version)
) STRICT;

-- Decisions are versions too; an undo marks a version undone, it never deletes it.
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  version INTEGER NOT NULL,
  class TEXT NOT NULL,
  rounds INTEGER,
  fully_automatic INTEGER NOT NULL DEFAULT 0,
  multiple_shooters INTEGER NOT NULL DEFAULT 0,
  notes TEXT NOT NULL DEFAULT '',
  decided_by TEXT NOT NULL,
  decided_us INTEGER NOT NULL,
  review_ms INTEGER NOT NULL,
  undone_us INTEGER,
  UNIQUE (alert_id, version)
) STRICT;

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_us INTEGER NOT NULL
) STRICT;

-- The audit chain: each entry's hash covers its canonical form and the previous hash.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  payload_json TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
`,
};
