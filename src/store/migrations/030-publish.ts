import type { Migration } from './types.ts';

/**
 * Publishing: agencies with their jurisdictions and endpoints, incidents with their message
 * versions, and the transactional outbox (deliveries) with every attempt.
 */
export const publish: Migration = {
  version: 30,
  name: 'publish',
  sql: `
-- Agencies never change in place: an edit is a removal plus an addition, so a delivery row
-- always names the agency and endpoint as they were when it was queued.
CREATE TABLE agencies (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  classes_json TEXT NOT NULL,
  -- A GeoJSON MultiPolygon, validated at import; source_type says what the file held.
  jurisdiction_json TEXT NOT NULL,
  source_type TEXT NOT NULL CHECK (source_type IN ('Polygon', 'MultiPolygon')),
  min_lon REAL NOT NULL, min_lat REAL NOT NULL, max_lon REAL NOT NULL, max_lat REAL NOT NULL,
  polygons INTEGER NOT NULL,
  holes INTEGER NOT NULL,
  vertices INTEGER NOT NULL,
  created_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  removed_us INTEGER,
  removed_by TEXT
) STRICT;
CREATE UNIQUE INDEX agencies_active_name ON agencies (name COLLATE NOCASE) WHERE removed_us IS NULL;

CREATE TABLE agency_endpoints (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  url TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('cap', 'json')),
  -- The HMAC key. Stored because the worker must sign with it; never returned by any method.
  secret TEXT NOT NULL
) STRICT;
CREATE INDEX agency_endpoints_agency ON agency_endpoints (agency_id);

CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL UNIQUE REFERENCES alerts (id),
  state TEXT NOT NULL CHECK (state IN ('routed', 'unrouted', 'held', 'cancelled')),
  unrouted_reason TEXT,
  hold_note TEXT,
  created_us INTEGER NOT NULL,
  updated_us INTEGER NOT NULL
) STRICT;
CREATE INDEX incidents_state ON incidents (state, created_us);

-- Once an agency has an incident it receives every later message of it.
CREATE TABLE incident_agencies (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  how TEXT NOT NULL CHECK (how IN ('jurisdiction', 'admin')),
  routed_us INTEGER NOT NULL,
  routed_by TEXT NOT NULL,
  PRIMARY KEY (incident_id, agency_id)
) STRICT, WITHOUT ROWID;

-- Message versions: the facts and both renderings are fixed when the message is made, so every
-- retry sends the same bytes and an auditor can see exactly what an agency was sent.
CREATE TABLE incident_messages (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  seq INTEGER NOT NULL,
  msg_type TEXT NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  identifier TEXT NOT NULL UNIQUE,
  sender TEXT NOT NULL,
  sent_us INTEGER NOT NULL,
  changes_json TEXT NOT NULL,
  decision_id INTEGER REFERENCES decisions (id),
  solution_id INTEGER REFERENCES solutions (id),
  facts_json TEXT NOT NULL,
  cap_xml TEXT NOT NULL,
  json_body TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (incident_id, seq)
) STRICT;

-- The outbox: one row per message and endpoint. A lease (owner + until) marks a send in flight.
CREATE TABLE deliveries (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  message_id INTEGER NOT NULL REFERENCES incident_messages (id),
  seq INTEGER NOT NULL,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  endpoint_id INTEGER NOT NULL REFERENCES agency_endpoints (id),
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
  created_us INTEGER NOT NULL,
  -- The max age counts from here; an admin retry starts a new window.
  window_start_us INTEGER NOT NULL,
  next_attempt_us INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until_us INTEGER,
  delivered_us INTEGER,
  last_status INTEGER,
  last_error TEXT,
  UNIQUE (message_id, endpoint_id)
) STRICT;
CREATE INDEX deliveries_due ON deliveries (next_attempt_us) WHERE state = 'pending';
CREATE INDEX deliveries_leased ON deliveries (lease_until_us) WHERE lease_owner IS NOT NULL;
CREATE INDEX deliveries_order ON deliveries (incident_id, endpoint_id, seq);
CREATE INDEX deliveries_agency ON deliveries (agency_id, created_us);

CREATE TABLE delivery_attempts (
  id INTEGER PRIMARY KEY,
  delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
  attempt INTEGER NOT NULL,
  worker TEXT NOT NULL,
  started_us INTEGER NOT NULL,
  finished_us INTEGER,
  http_status INTEGER,
  latency_ms REAL,
  outcome TEXT NOT NULL CHECK (outcome IN ('sending', 'delivered', 'retry', 'failed', 'interrupted')),
  error TEXT,
  response_excerpt TEXT,
  UNIQUE (delivery_id, attempt)
) STRICT;
CREATE INDEX delivery_attempts_open ON delivery_attempts (delivery_id) WHERE outcome = 'sending';
`,
};
