import { sql } from 'kysely';
import type { NetworkSensor, SensorQueries } from '../../kernel/store-port.ts';
import type { QueryContext } from './context.ts';

/**
 * The sensors of the networks as the alerts tell them: each sensor (per source) where its newest
 * WGS84 alert put it. SQLite takes the bare columns (lat, lon) from the row that holds
 * max(detected_us); PostgreSQL has no bare columns, so DISTINCT ON picks the same row (ties:
 * the first sensor row written, as SQLite's scan meets it first).
 */
export function sensorQueries(ctx: QueryContext): SensorQueries {
  return {
    async network(limit): Promise<NetworkSensor[]> {
      const rows =
        ctx.backend === 'sqlite'
          ? (
              await sql<{ source: string; sensor_id: string; lat: number; lon: number; alerts: number }>`
            SELECT a.source, s.sensor_id, s.lat, s.lon, count(*) AS alerts, max(a.detected_us) AS newest
            FROM alert_sensors s JOIN alerts a ON a.id = s.alert_id
            WHERE a.coordinates = 'wgs84' AND s.lat IS NOT NULL AND s.lon IS NOT NULL
            GROUP BY a.source, s.sensor_id ORDER BY a.source, s.sensor_id LIMIT ${limit}`.execute(ctx.db)
            ).rows
          : (
              await sql<{ source: string; sensor_id: string; lat: number; lon: number; alerts: number }>`
            SELECT source, sensor_id, lat, lon, alerts FROM (
              SELECT DISTINCT ON (a.source, s.sensor_id) a.source, s.sensor_id, s.lat, s.lon,
                count(*) OVER (PARTITION BY a.source, s.sensor_id) AS alerts
              FROM alert_sensors s JOIN alerts a ON a.id = s.alert_id
              WHERE a.coordinates = 'wgs84' AND s.lat IS NOT NULL AND s.lon IS NOT NULL
              ORDER BY a.source, s.sensor_id, a.detected_us DESC, s.id
            ) newest ORDER BY source, sensor_id LIMIT ${limit}`.execute(ctx.db)
            ).rows;
      return rows.map((r) => ({ source: r.source, sensorId: r.sensor_id, lat: r.lat, lon: r.lon, alerts: r.alerts }));
    },
    async reportedBetween(source, fromUs, toUs, limit): Promise<NetworkSensor[]> {
      // Both backends pick each sensor's newest row the same way: the ranked row with the latest detection (ties: the first sensor row written).
      const rows = (
        await sql<{ sensor_id: string; lat: number; lon: number; alerts: number }>`
        SELECT sensor_id, lat, lon, alerts FROM (
          SELECT s.sensor_id, s.lat, s.lon,
            count(*) OVER (PARTITION BY s.sensor_id) AS alerts,
            row_number() OVER (PARTITION BY s.sensor_id ORDER BY a.detected_us DESC, s.id) AS newest
          FROM alert_sensors s JOIN alerts a ON a.id = s.alert_id
          WHERE a.source = ${source} AND a.detected_us BETWEEN ${fromUs} AND ${toUs}
            AND a.coordinates = 'wgs84' AND s.lat IS NOT NULL AND s.lon IS NOT NULL
        ) ranked WHERE newest = 1 ORDER BY sensor_id LIMIT ${limit}`.execute(ctx.db)
      ).rows;
      return rows.map((r) => ({ source, sensorId: r.sensor_id, lat: r.lat, lon: r.lon, alerts: Number(r.alerts) }));
    },
  };
}
