import type { Migration } from './types.ts';

/**
 * A reviewer's picks belong to the solution version solved from them: a second re-location adds
 * a new set beside the first, and each version can be traced to exactly the arrivals it used.
 * Machine picks belong to no version (the machine's solution came from the audio).
 */
export const reviewerPicks: Migration = {
  version: 12,
  name: 'reviewer-picks',
  sql: `
ALTER TABLE pulses ADD COLUMN solution_id INTEGER REFERENCES solutions (id)
  CHECK ((origin = 'reviewer') = (solution_id IS NOT NULL));
CREATE INDEX pulses_solution ON pulses (solution_id) WHERE solution_id IS NOT NULL;
`,
  postgres: `
ALTER TABLE pulses ADD COLUMN solution_id BIGINT REFERENCES solutions (id)
  CHECK ((origin = 'reviewer') = (solution_id IS NOT NULL));
CREATE INDEX pulses_solution ON pulses (solution_id) WHERE solution_id IS NOT NULL;
`,
};
