import type { Migration } from './types.ts';

/**
 * Labelling projects: a taxonomy of label classes per project, project clips (plain audio or
 * alert tracks, pointing at content-addressed clips, so one recording may sit in several
 * projects), and labels measured in integer samples so every format round trip is exact.
 */
export const datasetSchema: Migration = {
  version: 40,
  name: 'dataset',
  sql: `
CREATE TABLE dataset_projects (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  -- lower-cased name: project names are unique whatever their case (COLLATE NOCASE knows only ASCII)
  name_key TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
) STRICT;

CREATE TABLE dataset_classes (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES dataset_projects (id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  colour TEXT NOT NULL CHECK (length(colour) = 7 AND colour GLOB '#[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]'),
  hotkey INTEGER CHECK (hotkey BETWEEN 1 AND 9),
  position INTEGER NOT NULL,
  UNIQUE (project_id, name_key),
  UNIQUE (project_id, hotkey)
) STRICT;

CREATE TABLE dataset_clips (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES dataset_projects (id),
  clip_sha256 TEXT NOT NULL REFERENCES clips (sha256),
  origin TEXT NOT NULL CHECK (origin IN ('audio', 'alert')),
  -- 'audio' for plain audio, 'alert:<id>/<sensor>' for an alert track: the same bytes enter a project once per origin
  origin_key TEXT NOT NULL,
  alert_id INTEGER REFERENCES alerts (id),
  sensor_id TEXT,
  channel INTEGER NOT NULL DEFAULT 0 CHECK (channel >= 0),
  clip_start_us INTEGER,
  name TEXT NOT NULL,
  site TEXT NOT NULL,
  sensor_key TEXT NOT NULL,
  added_by TEXT NOT NULL,
  added_us INTEGER NOT NULL,
  UNIQUE (project_id, clip_sha256, origin_key),
  CHECK ((origin = 'alert') = (alert_id IS NOT NULL))
) STRICT;
CREATE INDEX dataset_clips_project ON dataset_clips (project_id, id);

CREATE TABLE dataset_labels (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES dataset_projects (id),
  clip_id INTEGER NOT NULL REFERENCES dataset_clips (id),
  class_id INTEGER NOT NULL REFERENCES dataset_classes (id),
  channel INTEGER NOT NULL CHECK (channel >= 0),
  start_sample INTEGER NOT NULL CHECK (start_sample >= 0),
  end_sample INTEGER NOT NULL CHECK (end_sample > start_sample),
  low_hz REAL,
  high_hz REAL,
  annotator TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL,
  updated_by TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  CHECK ((low_hz IS NULL) = (high_hz IS NULL)),
  CHECK (low_hz IS NULL OR (low_hz >= 0 AND high_hz > low_hz))
) STRICT;
CREATE INDEX dataset_labels_clip ON dataset_labels (clip_id, start_sample);
CREATE INDEX dataset_labels_project ON dataset_labels (project_id, clip_id);
CREATE INDEX dataset_labels_class ON dataset_labels (class_id);

-- A label's clip and class belong to its project: checked by the code, enforced here as well.
CREATE TRIGGER dataset_labels_same_project_insert BEFORE INSERT ON dataset_labels
  WHEN (SELECT project_id FROM dataset_clips WHERE id = NEW.clip_id) IS NOT NEW.project_id
    OR (SELECT project_id FROM dataset_classes WHERE id = NEW.class_id) IS NOT NEW.project_id
  BEGIN SELECT RAISE(ABORT, 'a label''s clip and class must belong to its project'); END;
CREATE TRIGGER dataset_labels_same_project_update BEFORE UPDATE ON dataset_labels
  WHEN (SELECT project_id FROM dataset_clips WHERE id = NEW.clip_id) IS NOT NEW.project_id
    OR (SELECT project_id FROM dataset_classes WHERE id = NEW.class_id) IS NOT NEW.project_id
  BEGIN SELECT RAISE(ABORT, 'a label''s clip and class must belong to its project'); END;

-- Waveform peaks of a clip channel, derived from the audio on first use (plain audio has no alert_sensors peaks).
CREATE TABLE dataset_peaks (
  clip_sha256 TEXT NOT NULL REFERENCES clips (sha256),
  channel INTEGER NOT NULL,
  peaks_per_second REAL NOT NULL,
  peaks BLOB NOT NULL,
  PRIMARY KEY (clip_sha256, channel)
) STRICT;
`,
};
