import type { Migration } from './types.ts';

/**
 * QA sampling: every decided alert gets one sampling record (selected or not, with the keyed
 * draw that chose it); a selected one gets a blind second review by another reviewer, and a
 * disagreement an auditor's adjudication. Reviews and adjudications are never changed.
 */
export const qa: Migration = {
  version: 51,
  name: 'qa',
  sql: `
CREATE TABLE qa_samples (
  alert_id INTEGER PRIMARY KEY REFERENCES alerts (id),
  draw REAL NOT NULL CHECK (draw >= 0 AND draw < 1),
  share REAL NOT NULL CHECK (share >= 0 AND share <= 1),
  key_id TEXT NOT NULL,
  selected INTEGER NOT NULL CHECK (selected IN (0, 1)),
  decision_id INTEGER NOT NULL REFERENCES decisions (id),
  sampled_us INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('not_selected', 'open', 'agreed', 'disputed', 'adjudicated', 'cancelled')),
  closed_us INTEGER
) STRICT;
CREATE INDEX qa_samples_state ON qa_samples (state);

CREATE TABLE qa_reviews (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL UNIQUE REFERENCES qa_samples (alert_id),
  reviewer TEXT NOT NULL,
  class TEXT NOT NULL,
  rounds INTEGER,
  fully_automatic INTEGER NOT NULL,
  multiple_shooters INTEGER NOT NULL,
  notes TEXT NOT NULL,
  review_ms INTEGER NOT NULL,
  reviewed_us INTEGER NOT NULL,
  compared_decision_id INTEGER NOT NULL REFERENCES decisions (id),
  agrees INTEGER NOT NULL CHECK (agrees IN (0, 1))
) STRICT;

CREATE TABLE qa_adjudications (
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL UNIQUE REFERENCES qa_samples (alert_id),
  qa_review_id INTEGER NOT NULL REFERENCES qa_reviews (id),
  auditor TEXT NOT NULL,
  class TEXT NOT NULL,
  rounds INTEGER,
  notes TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK (verdict IN ('first', 'second', 'neither')),
  adjudicated_us INTEGER NOT NULL
) STRICT;

-- Auditors and admins who opened a sealed decision: they are no longer blind to it.
CREATE TABLE qa_seal_views (
  alert_id INTEGER NOT NULL REFERENCES alerts (id),
  actor TEXT NOT NULL,
  first_us INTEGER NOT NULL,
  PRIMARY KEY (alert_id, actor)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER qa_reviews_no_update BEFORE UPDATE ON qa_reviews BEGIN SELECT RAISE(ABORT, 'QA reviews are never changed'); END;
CREATE TRIGGER qa_reviews_no_delete BEFORE DELETE ON qa_reviews BEGIN SELECT RAISE(ABORT, 'QA reviews are never deleted'); END;
CREATE TRIGGER qa_adjudications_no_update BEFORE UPDATE ON qa_adjudications BEGIN SELECT RAISE(ABORT, 'adjudications are never changed'); END;
CREATE TRIGGER qa_adjudications_no_delete BEFORE DELETE ON qa_adjudications BEGIN SELECT RAISE(ABORT, 'adjudications are never deleted'); END;
CREATE TRIGGER qa_samples_no_delete BEFORE DELETE ON qa_samples BEGIN SELECT RAISE(ABORT, 'QA samples are never deleted'); END;
`,
};
