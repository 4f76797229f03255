import type { Db } from './db.ts';

import type { NetworkSensor } from '../kernel/queries/sensors.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { NetworkSensor } from '../kernel/queries/sensors.ts';

/**
 * The sensors of the networks as the alerts tell them: there is no sensor registry, so each
 * sensor (per source) stands where its newest WGS84 alert put it.
 */
export function sensorQueries(db: Db) {
  // SQLite takes the bare columns (lat, lon) from the row that holds max(detected_us).
  const network = db.prepare<[number], { source: string; sensor_id: string; lat: number; lon: number; alerts: number; newest: number }>(
    `SELECT a.source, s.sensor_id, s.lat, s.lon, count(*) AS alerts, max(a.detected_us) AS newest
     FROM alert_sensors s JOIN alerts a ON a.id = s.alert_id
     WHERE a.coordinates = 'wgs84' AND s.lat IS NOT NULL AND s.lon IS NOT NULL
     GROUP BY a.source, s.sensor_id ORDER BY a.source, s.sensor_id LIMIT ?`,
  );
  return {
    network(limit: number): NetworkSensor[] {
      return network.all(limit).map((r) => ({ source: r.source, sensorId: r.sensor_id, lat: r.lat, lon: r.lon, alerts: r.alerts }));
    },
  };
}
