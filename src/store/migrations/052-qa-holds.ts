import type { Migration } from './types.ts';

/**
 * Who is giving a blind second review right now: one reviewer at a time per QA task, for a
 * limited time, so two reviewers do not judge the same alert and one of them find, on
 * submitting, that the other was first. A hold is a lease, not a record: it is replaced or
 * deleted freely (the review itself goes to qa_reviews and the audit log).
 */
export const qaHolds: Migration = {
  version: 52,
  name: 'qa-holds',
  sql: `
CREATE TABLE qa_holds (
  alert_id INTEGER PRIMARY KEY REFERENCES qa_samples (alert_id),
  reviewer TEXT NOT NULL,
  until_us INTEGER NOT NULL
);
`,
  postgres: `
CREATE TABLE qa_holds (
  alert_id BIGINT PRIMARY KEY REFERENCES qa_samples (alert_id),
  reviewer TEXT COLLATE "C" NOT NULL,
  until_us BIGINT NOT NULL
);
`,
};
