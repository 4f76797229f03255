import type { Migration } from './types.ts';
import { attestAgain } from './attest-again.ts';

/**
 * Publishing a 911 dispatch system can trust:
 * - each alert source (sensor network) has a status an administrator sets: live, exercise or test;
 *   an incident keeps the CAP status it was first published with;
 * - each agency says which statuses it accepts (by default only Actual), and an incident withheld
 *   from an agency for its status says so, with the reason, instead of being queued;
 * - a third format, NENA EIDO, and per-endpoint TLS options (client certificate and key, a
 *   private CA, an HTTP(S) proxy).
 * The endpoint table is rebuilt to widen its format CHECK (SQLite cannot alter one): deliveries
 * reference its rows, so the foreign keys are deferred to the commit, which fails if a row went missing.
 */
export const publishTrust: Migration = {
  version: 32,
  name: 'publish-trust',
  up(db) {
    db.exec(`
CREATE TABLE source_statuses (
  source TEXT PRIMARY KEY,
  status TEXT NOT NULL CHECK (status IN ('live', 'exercise', 'test')),
  note TEXT,
  set_us INTEGER NOT NULL,
  set_by TEXT NOT NULL
) STRICT, WITHOUT ROWID;

ALTER TABLE agencies ADD COLUMN accepts_json TEXT NOT NULL DEFAULT '["Actual"]';
ALTER TABLE incidents ADD COLUMN status TEXT NOT NULL DEFAULT 'Actual' CHECK (status IN ('Actual', 'Exercise', 'Test'));
ALTER TABLE incident_messages ADD COLUMN eido_json TEXT;

CREATE TABLE incident_withheld (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  status TEXT NOT NULL CHECK (status IN ('Actual', 'Exercise', 'Test')),
  reason TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  PRIMARY KEY (incident_id, agency_id)
) STRICT, WITHOUT ROWID;
`);
    // Incidents published before: the status their first message carried.
    db.exec(`UPDATE incidents SET status = coalesce((
      SELECT CASE json_extract(m.json_body, '$.message.status') WHEN 'exercise' THEN 'Exercise' WHEN 'test' THEN 'Test' ELSE 'Actual' END
      FROM incident_messages m WHERE m.incident_id = incidents.id AND json_valid(m.json_body) ORDER BY m.seq LIMIT 1), 'Actual')`);
    db.pragma('defer_foreign_keys = ON');
    db.exec(`
CREATE TEMP TABLE agency_endpoints_before AS SELECT * FROM agency_endpoints;
DROP TABLE agency_endpoints;
CREATE TABLE agency_endpoints (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  url TEXT NOT NULL,
  format TEXT NOT NULL CHECK (format IN ('cap', 'json', 'eido')),
  -- The HMAC key. Stored because the worker must sign with it; never returned by any method.
  secret TEXT NOT NULL,
  retired_us INTEGER,
  -- Mutual TLS: the client certificate (PEM) and its private key (PEM, a secret like the HMAC key).
  client_cert_pem TEXT,
  client_key_pem TEXT,
  -- A private CA (PEM) the endpoint's certificate must chain to, instead of the system's CAs.
  ca_pem TEXT,
  -- An HTTP(S) proxy to reach the endpoint through (CONNECT for https).
  proxy_url TEXT
) STRICT;
INSERT INTO agency_endpoints (id, agency_id, url, format, secret, retired_us) SELECT id, agency_id, url, format, secret, retired_us FROM agency_endpoints_before;
DROP TABLE agency_endpoints_before;
CREATE INDEX agency_endpoints_agency ON agency_endpoints (agency_id);
`);
    attestAgain(
      db,
      ['agencies', 'agency_endpoints', 'incidents', 'incident_messages'],
      'migration 32 added protected columns (agency statuses accepted, endpoint TLS, incident status, EIDO body)',
    );
  },
  // PostgreSQL alters the CHECK in place. Its databases start with this build (the port is new), so
  // no row attested before this step exists there: nothing to attest again.
  postgres: `
CREATE TABLE source_statuses (
  source TEXT COLLATE "C" PRIMARY KEY,
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('live', 'exercise', 'test')),
  note TEXT COLLATE "C",
  set_us BIGINT NOT NULL,
  set_by TEXT COLLATE "C" NOT NULL
);

ALTER TABLE agencies ADD COLUMN accepts_json TEXT COLLATE "C" NOT NULL DEFAULT '["Actual"]';
ALTER TABLE incidents ADD COLUMN status TEXT COLLATE "C" NOT NULL DEFAULT 'Actual' CHECK (status IN ('Actual', 'Exercise', 'Test'));
ALTER TABLE incident_messages ADD COLUMN eido_json TEXT COLLATE "C";

CREATE TABLE incident_withheld (
  incident_id BIGINT NOT NULL REFERENCES incidents (id),
  agency_id BIGINT NOT NULL REFERENCES agencies (id),
  status TEXT COLLATE "C" NOT NULL CHECK (status IN ('Actual', 'Exercise', 'Test')),
  reason TEXT COLLATE "C" NOT NULL,
  at_us BIGINT NOT NULL,
  PRIMARY KEY (incident_id, agency_id)
);

UPDATE incidents SET status = coalesce((
  SELECT CASE m.json_body::jsonb #>> '{message,status}' WHEN 'exercise' THEN 'Exercise' WHEN 'test' THEN 'Test' ELSE 'Actual' END
  FROM incident_messages m WHERE m.incident_id = incidents.id ORDER BY m.seq LIMIT 1), 'Actual');

ALTER TABLE agency_endpoints DROP CONSTRAINT agency_endpoints_format_check;
ALTER TABLE agency_endpoints ADD CONSTRAINT agency_endpoints_format_check CHECK (format IN ('cap', 'json', 'eido'));
ALTER TABLE agency_endpoints ADD COLUMN client_cert_pem TEXT COLLATE "C";
ALTER TABLE agency_endpoints ADD COLUMN client_key_pem TEXT COLLATE "C";
ALTER TABLE agency_endpoints ADD COLUMN ca_pem TEXT COLLATE "C";
ALTER TABLE agency_endpoints ADD COLUMN proxy_url TEXT COLLATE "C";
`,
};
