import type { Migration } from './types.ts';

/**
 * The sensors a network has reported lately (`tx.sensors.reportedBetween`) are read on every
 * import, to tell the locator which known sensors heard nothing. Without this index that read
 * scanned every alert ever kept, so each import slowed as the store grew.
 */
export const alertsBySource: Migration = {
  version: 13,
  name: 'alerts-by-source',
  sql: `CREATE INDEX alerts_source_detected ON alerts (source, detected_us);`,
  postgres: `CREATE INDEX alerts_source_detected ON alerts (source, detected_us);`,
};
