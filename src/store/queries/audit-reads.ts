import { sql } from 'kysely';
import type { AlertRecordRow, AuditReadQueries, PublishedRow, SensorRecordRow, SolutionRecordRow } from '../../kernel/store-port.ts';
import { attestedRows } from '../port/attested.ts';
import type { QueryContext } from './context.ts';
import { toDecision } from './rows.ts';

const ALERT_COLUMNS = [
  'id',
  'source',
  'external_id',
  'format',
  'detected_us',
  'imported_us',
  'machine_label',
  'machine_confidence',
  'machine_rounds',
  'coordinates',
] as const;

/** Whole-table reads for verification, the incident history and the statistics. Read-only. */
export function auditReadQueries(ctx: QueryContext): AuditReadQueries {
  const { db } = ctx;
  const decisionsOf = async (alertId: number) =>
    (await db.selectFrom('decisions').selectAll().where('alert_id', '=', alertId).orderBy('version').execute()).map(toDecision);

  /** The columns a table has (an older SQLite file may lack some); PostgreSQL's schema is always complete, but asks the same way. */
  const tableColumns = async (table: string): Promise<string[]> => {
    const rows =
      ctx.backend === 'sqlite'
        ? (await sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`.execute(db)).rows
        : (
            await sql<{
              name: string;
            }>`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`.execute(db)
          ).rows;
    return rows.map((r) => r.name);
  };

  return {
    alerts: async (): Promise<AlertRecordRow[]> => db.selectFrom('alerts').select(ALERT_COLUMNS).orderBy('id').execute(),
    alertsDetectedBetween: async (fromUs, toUs): Promise<AlertRecordRow[]> =>
      db.selectFrom('alerts').select(ALERT_COLUMNS).where('detected_us', '>=', fromUs).where('detected_us', '<', toUs).orderBy('id').execute(),
    sensors: async (): Promise<SensorRecordRow[]> =>
      db
        .selectFrom('alert_sensors')
        .select(['alert_id', 'sensor_id', 'lat', 'lon', 'elevation_m', 'x', 'y', 'z', 'clip_sha256', 'clip_start_us'])
        .orderBy('alert_id')
        .orderBy('sensor_id')
        .execute(),
    solutions: async (): Promise<SolutionRecordRow[]> => db.selectFrom('solutions').selectAll().orderBy('alert_id').orderBy('version').execute(),
    decisions: async () => (await db.selectFrom('decisions').selectAll().orderBy('alert_id').orderBy('version').execute()).map(toDecision),
    decisionsForAlertsDetectedBetween: async (fromUs, toUs) =>
      (
        await db
          .selectFrom('decisions as d')
          .innerJoin('alerts as a', 'a.id', 'd.alert_id')
          .selectAll('d')
          .where('a.detected_us', '>=', fromUs)
          .where('a.detected_us', '<', toUs)
          .orderBy('d.alert_id')
          .orderBy('d.version')
          .execute()
      ).map(toDecision),
    decisionsOf,
    async decisionActors(alertId) {
      const undoers = await db
        .selectFrom('audit_log')
        .select('actor')
        .distinct()
        .where('entity', '=', `alert:${alertId}`)
        .where('action', '=', 'decision.undone')
        .execute();
      return new Set([...(await decisionsOf(alertId)).map((d) => d.decidedBy), ...undoers.map((r) => r.actor)]);
    },
    clips: async () => db.selectFrom('clips').select(['sha256', 'bytes']).orderBy('sha256').execute(),
    async incidentPublications(): Promise<PublishedRow[]> {
      const cols = await tableColumns('incidents');
      if (!cols.includes('alert_id') || !cols.includes('created_us')) return [];
      const notUnrouted = cols.includes('state') ? sql`WHERE state <> 'unrouted'` : sql``;
      return (
        await sql<PublishedRow>`SELECT alert_id, min(created_us) AS published_us FROM incidents ${notUnrouted} GROUP BY alert_id ORDER BY alert_id`.execute(db)
      ).rows;
    },
    attestedRows: (table) => attestedRows(ctx, table),
  };
}
