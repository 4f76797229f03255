import type { Migration } from './types.ts';

/**
 * Agencies change in place (name, classes, endpoints, jurisdiction). The jurisdiction revision
 * lets every process (host, CLI) see that a cached parsed boundary is stale. Endpoint rows are
 * never rewritten once deliveries may point at them: a changed URL or format retires the row
 * and adds a new one, so past deliveries still show where they went.
 */
export const agencyEdits: Migration = {
  version: 31,
  name: 'agency-edits',
  sql: `
ALTER TABLE agencies ADD COLUMN jurisdiction_rev INTEGER NOT NULL DEFAULT 1;
ALTER TABLE agencies ADD COLUMN updated_us INTEGER;
ALTER TABLE agencies ADD COLUMN updated_by TEXT;
ALTER TABLE agency_endpoints ADD COLUMN retired_us INTEGER;
`,
  postgres: `
ALTER TABLE agencies ADD COLUMN jurisdiction_rev BIGINT NOT NULL DEFAULT 1;
ALTER TABLE agencies ADD COLUMN updated_us BIGINT;
ALTER TABLE agencies ADD COLUMN updated_by TEXT COLLATE "C";
ALTER TABLE agency_endpoints ADD COLUMN retired_us BIGINT;
`,
};
