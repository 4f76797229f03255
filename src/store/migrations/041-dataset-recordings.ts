import type { Migration } from './types.ts';

/**
 * The source recording a plain clip was cut from, when its import said so (every file of one folder
 * cut from one recording): data set splits keep a recording's pieces together, or refuse to part
 * them. Null means the file is a recording of its own. Alert tracks need no column: pieces of one
 * sensor's stream are known by their times.
 */
export const datasetRecordings: Migration = {
  version: 41,
  name: 'dataset-recordings',
  sql: `
ALTER TABLE dataset_clips ADD COLUMN source_recording TEXT;
`,
  postgres: `
ALTER TABLE dataset_clips ADD COLUMN source_recording TEXT COLLATE "C";
`,
};
