import type { Db } from './db.ts';
import type { Pulse } from '../contract/index.ts';
import type { SolutionBody } from './alerts.ts';

import type { NewReviewerPick, RelocationAlert, StoredSolution } from '../kernel/queries/relocations.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { NewReviewerPick, RelocationAlert, RelocationSensor, StoredSolution } from '../kernel/queries/relocations.ts';

interface PulseRow {
  id: number;
  sensor_id: string;
  offset_s: number;
  time_us: number;
  snr_db: number | null;
  peak_dbfs: number | null;
  peak_db_spl: number | null;
  shot_index: number | null;
  origin: 'machine' | 'reviewer';
  solution_id: number | null;
}

const toPulse = (r: PulseRow): Pulse => ({
  id: r.id,
  sensorId: r.sensor_id,
  offsetS: r.offset_s,
  timeUs: r.time_us,
  snrDb: r.snr_db,
  peakDbfs: r.peak_dbfs,
  peakDbSpl: r.peak_db_spl,
  shotIndex: r.shot_index,
  origin: r.origin,
  solutionId: r.solution_id,
});

/** Reads and writes of a reviewer's re-location: picks that belong to a solution version. Writes run inside store.tx. */
export function relocationQueries(db: Db) {
  const alert = db.prepare<
    [number],
    { status: 'pending' | 'decided'; coordinates: 'wgs84' | 'local'; origin_lat: number | null; origin_lon: number | null; weather_json: string | null }
  >('SELECT status, coordinates, origin_lat, origin_lon, weather_json FROM alerts WHERE id = ?');
  const sensors = db.prepare<
    [number],
    { sensor_id: string; x: number; y: number; z: number | null; clip_start_us: number; frames: number; sample_rate: number }
  >(
    `SELECT s.sensor_id, s.x, s.y, s.z, s.clip_start_us, c.frames, c.sample_rate FROM alert_sensors s JOIN clips c ON c.sha256 = s.clip_sha256
     WHERE s.alert_id = ? ORDER BY s.sensor_id`,
  );
  const newest = db.prepare<[number], { id: number; version: number; origin: 'machine' | 'reviewer'; body_json: string }>(
    'SELECT id, version, origin, body_json FROM solutions WHERE alert_id = ? ORDER BY version DESC LIMIT 1',
  );
  const newestMachine = db.prepare<[number], { id: number; version: number; origin: 'machine' | 'reviewer'; body_json: string }>(
    "SELECT id, version, origin, body_json FROM solutions WHERE alert_id = ? AND origin = 'machine' ORDER BY version DESC LIMIT 1",
  );
  const machinePulses = db.prepare<[number], PulseRow>("SELECT * FROM pulses WHERE alert_id = ? AND origin = 'machine' ORDER BY sensor_id, offset_s");
  const pulsesOfSolution = db.prepare<[number], PulseRow>('SELECT * FROM pulses WHERE solution_id = ? ORDER BY shot_index, sensor_id');
  const allReviewerPicks = db.prepare<[], PulseRow & { alert_id: number; version: number }>(
    "SELECT p.*, s.version FROM pulses p JOIN solutions s ON s.id = p.solution_id WHERE p.origin = 'reviewer' ORDER BY p.id",
  );
  const orphanReviewerPicks = db.prepare<[], PulseRow & { alert_id: number }>(
    "SELECT p.* FROM pulses p LEFT JOIN solutions s ON s.id = p.solution_id WHERE p.origin = 'reviewer' AND s.id IS NULL ORDER BY p.id",
  );
  const insert = db.prepare(`INSERT INTO pulses (alert_id, sensor_id, offset_s, time_us, snr_db, peak_dbfs, peak_db_spl, shot_index, origin, solution_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'reviewer', ?)`);
  const stored = (r: { id: number; version: number; origin: 'machine' | 'reviewer'; body_json: string } | undefined): StoredSolution | null =>
    r ? { id: r.id, version: r.version, origin: r.origin, body: JSON.parse(r.body_json) as SolutionBody } : null;

  return {
    alert(alertId: number): RelocationAlert | undefined {
      const a = alert.get(alertId);
      if (!a) return undefined;
      const weather = a.weather_json ? (JSON.parse(a.weather_json) as { temperatureC?: number | null }) : null;
      return {
        status: a.status,
        coordinates: a.coordinates,
        localOrigin: a.origin_lat !== null && a.origin_lon !== null ? { lat: a.origin_lat, lon: a.origin_lon } : null,
        weatherTemperatureC: typeof weather?.temperatureC === 'number' ? weather.temperatureC : null,
        sensors: sensors.all(alertId).map((s) => ({
          sensorId: s.sensor_id,
          local: { x: s.x, y: s.y, z: s.z },
          clipStartUs: s.clip_start_us,
          durationS: s.frames / s.sample_rate,
          sampleRate: s.sample_rate,
        })),
      };
    },
    /** The newest solution version, whoever made it: the one a re-location starts from. */
    newestSolution: (alertId: number): StoredSolution | null => stored(newest.get(alertId)),
    newestMachineSolution: (alertId: number): StoredSolution | null => stored(newestMachine.get(alertId)),
    machinePulses: (alertId: number): Pulse[] => machinePulses.all(alertId).map(toPulse),
    /** The reviewer's picks a solution version was solved from. */
    picksOf: (solutionId: number): Pulse[] => pulsesOfSolution.all(solutionId).map(toPulse),
    /** Every reviewer pick with the version it belongs to, and any whose version is gone: for audit verify. */
    allReviewerPicks: (): (Pulse & { alertId: number; version: number | null })[] => [
      ...allReviewerPicks.all().map((r) => ({ ...toPulse(r), alertId: r.alert_id, version: r.version })),
      ...orphanReviewerPicks.all().map((r) => ({ ...toPulse(r), alertId: r.alert_id, version: null })),
    ],
    insertPick(alertId: number, solutionId: number, p: NewReviewerPick): number {
      return Number(insert.run(alertId, p.sensorId, p.offsetS, p.timeUs, p.snrDb, p.peakDbfs, p.peakDbSpl, p.shotIndex, solutionId).lastInsertRowid);
    },
  };
}
