import type { Migration } from './types.ts';

/**
 * Labelling at a labeller's pace.
 * - Classes 10-18 get keys: a second bank (0, then a digit) beside hotkey 1-9. Its own column so
 *   the first bank's CHECK and UNIQUE stay as they are; a class is on one bank at most.
 * - Each trainer's state of each clip (to do, done, skipped): several trainers label one project,
 *   each works through the clips at their own pace. No row means "to do".
 */
export const datasetKeysStates: Migration = {
  version: 42,
  name: 'dataset-keys-states',
  sql: `
ALTER TABLE dataset_classes ADD COLUMN hotkey_bank2 INTEGER CHECK (hotkey_bank2 IS NULL OR (hotkey_bank2 BETWEEN 1 AND 9 AND hotkey IS NULL));
CREATE UNIQUE INDEX dataset_classes_bank2 ON dataset_classes (project_id, hotkey_bank2);

CREATE TABLE dataset_clip_states (
  project_clip_id INTEGER NOT NULL REFERENCES dataset_clips (id),
  trainer TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('todo', 'done', 'skipped')),
  updated_us INTEGER NOT NULL,
  PRIMARY KEY (project_clip_id, trainer)
) STRICT;
`,
  postgres: `
ALTER TABLE dataset_classes ADD COLUMN hotkey_bank2 BIGINT CHECK (hotkey_bank2 IS NULL OR (hotkey_bank2 BETWEEN 1 AND 9 AND hotkey IS NULL));
CREATE UNIQUE INDEX dataset_classes_bank2 ON dataset_classes (project_id, hotkey_bank2);

CREATE TABLE dataset_clip_states (
  project_clip_id BIGINT NOT NULL REFERENCES dataset_clips (id),
  trainer TEXT COLLATE "C" NOT NULL,
  state TEXT COLLATE "C" NOT NULL CHECK (state IN ('todo', 'done', 'skipped')),
  updated_us BIGINT NOT NULL,
  PRIMARY KEY (project_clip_id, trainer)
);
`,
};
