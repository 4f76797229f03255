import type { Migration } from './types.ts';

/**
 * What agencies report back on incidents: outcome versions (never updated; a late report adds a
 * version), the keys agencies' CADs sign callbacks with, and officers' one-use links. All three
 * are attested in the audit log (src/store/attested.ts): what police reported is part of the record.
 */
export const outcomes: Migration = {
  version: 60,
  name: 'outcomes',
  sql: `
-- A key an agency's CAD signs outcome callbacks with. Separate from the endpoint secrets we sign
-- deliveries with: one direction's key never authenticates the other, and rotating a delivery
-- secret does not break the agency's reporting (docs/outcomes/README.md).
CREATE TABLE agency_outcome_keys (
  id INTEGER PRIMARY KEY,
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  key_id TEXT NOT NULL UNIQUE,
  -- The HMAC key. Stored because a callback is checked with it; never returned after it is issued.
  secret TEXT NOT NULL,
  created_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  retired_us INTEGER,
  retired_by TEXT
) STRICT;
CREATE INDEX agency_outcome_keys_agency ON agency_outcome_keys (agency_id);

-- One row per report; the standing outcome of an incident for an agency is its highest version.
CREATE TABLE outcomes (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  version INTEGER NOT NULL,
  findings_json TEXT NOT NULL,
  arrests INTEGER NOT NULL CHECK (arrests >= 0),
  firearms INTEGER NOT NULL CHECK (firearms >= 0),
  notes TEXT NOT NULL,
  unit TEXT NOT NULL,
  reference TEXT,
  channel TEXT NOT NULL CHECK (channel IN ('callback', 'link', 'demo')),
  reported_us INTEGER NOT NULL,
  received_us INTEGER NOT NULL,
  -- Who reported it: the outcome key (agency CAD) or the link it came through.
  reported_by TEXT NOT NULL,
  -- SHA-256 of a callback's signature: the same signed request twice is a replay, refused.
  callback_sig TEXT UNIQUE,
  UNIQUE (incident_id, agency_id, version)
) STRICT;
CREATE INDEX outcomes_incident ON outcomes (incident_id);

-- An officer's link: only the token's hash is kept, so a copy of the database opens no link.
CREATE TABLE outcome_links (
  id INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  agency_id INTEGER NOT NULL REFERENCES agencies (id),
  token_sha256 TEXT NOT NULL UNIQUE,
  created_us INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  expires_us INTEGER NOT NULL,
  used_us INTEGER,
  outcome_id INTEGER REFERENCES outcomes (id),
  retired_us INTEGER
) STRICT;
CREATE INDEX outcome_links_incident ON outcome_links (incident_id, agency_id);
`,
};
