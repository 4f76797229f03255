import type { Db } from './db.ts';
import type { Decision } from '../contract/index.ts';
import { toDecision } from './alerts.ts';

import type { AlertRecordRow, ClipRecordRow, PublishedRow, SensorRecordRow, SolutionRecordRow } from '../kernel/queries/audit-reads.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { AlertRecordRow, ClipRecordRow, PublishedRow, SensorRecordRow, SolutionRecordRow } from '../kernel/queries/audit-reads.ts';

/**
 * Whole-table reads for verification (every version row against the log), the incident
 * history and the statistics. Read-only; statements that depend on tables other domains
 * own (incidents) are prepared only when those tables exist.
 */
export function auditReadQueries(db: Db) {
  const alerts = db.prepare<[], AlertRecordRow>(
    'SELECT id, source, external_id, format, detected_us, imported_us, machine_label, machine_confidence, machine_rounds, coordinates FROM alerts ORDER BY id',
  );
  const alertsDetected = db.prepare<[number, number], AlertRecordRow>(
    'SELECT id, source, external_id, format, detected_us, imported_us, machine_label, machine_confidence, machine_rounds, coordinates FROM alerts WHERE detected_us >= ? AND detected_us < ? ORDER BY id',
  );
  const sensors = db.prepare<[], SensorRecordRow>(
    'SELECT alert_id, sensor_id, lat, lon, elevation_m, x, y, z, clip_sha256, clip_start_us FROM alert_sensors ORDER BY alert_id, sensor_id',
  );
  const solutions = db.prepare<[], SolutionRecordRow>('SELECT * FROM solutions ORDER BY alert_id, version');
  const decisions = db.prepare<[], Parameters<typeof toDecision>[0]>('SELECT * FROM decisions ORDER BY alert_id, version');
  const decisionsDetected = db.prepare<[number, number], Parameters<typeof toDecision>[0]>(
    'SELECT d.* FROM decisions d JOIN alerts a ON a.id = d.alert_id WHERE a.detected_us >= ? AND a.detected_us < ? ORDER BY d.alert_id, d.version',
  );
  const decisionsOf = db.prepare<[number], Parameters<typeof toDecision>[0]>('SELECT * FROM decisions WHERE alert_id = ? ORDER BY version');
  const undoActors = db.prepare<[string], { actor: string }>("SELECT DISTINCT actor FROM audit_log WHERE entity = ? AND action = 'decision.undone'");
  const clips = db.prepare<[], ClipRecordRow>('SELECT sha256, bytes FROM clips ORDER BY sha256');
  const tableColumns = (table: string): string[] => db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];

  return {
    alerts: (): AlertRecordRow[] => alerts.all(),
    alertsDetectedBetween: (fromUs: number, toUs: number): AlertRecordRow[] => alertsDetected.all(fromUs, toUs),
    sensors: (): SensorRecordRow[] => sensors.all(),
    solutions: (): SolutionRecordRow[] => solutions.all(),
    decisions: (): Decision[] => decisions.all().map(toDecision),
    decisionsForAlertsDetectedBetween: (fromUs: number, toUs: number): Decision[] => decisionsDetected.all(fromUs, toUs).map(toDecision),
    decisionsOf: (alertId: number): Decision[] => decisionsOf.all(alertId).map(toDecision),
    /** Everyone who has seen a decision of the alert by making, revising or undoing one. */
    decisionActors: (alertId: number): Set<string> =>
      new Set([...decisionsOf.all(alertId).map((d) => d.decided_by), ...undoActors.all(`alert:${alertId}`).map((r) => r.actor)]),
    clips: (): ClipRecordRow[] => clips.all(),
    /**
     * First publication per alert from an `incidents` table, when publishing is installed:
     * any incident that is not merely 'unrouted' (never sent) counts from its creation.
     */
    incidentPublications(): PublishedRow[] {
      const cols = tableColumns('incidents');
      if (!cols.includes('alert_id') || !cols.includes('created_us')) return [];
      const notUnrouted = cols.includes('state') ? "WHERE state <> 'unrouted'" : '';
      return db.prepare<[], PublishedRow>(`SELECT alert_id, min(created_us) AS published_us FROM incidents ${notUnrouted} GROUP BY alert_id`).all();
    },
  };
}
