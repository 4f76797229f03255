import type { Db } from './db.ts';
import type { AlertDetail, AlertSummary, Decision, Position, Pulse, Solution, Track } from '../contract/index.ts';

import type { NewAlert, NewPulse, SolutionBody } from '../kernel/queries/alerts.ts';

// The types moved to the store port (src/kernel); re-exported while services move over.
export type { NewAlert, NewClip, NewPulse, NewSensor, SolutionBody } from '../kernel/queries/alerts.ts';

interface AlertRow {
  id: number;
  source: string;
  external_id: string;
  format: string;
  detected_us: number;
  imported_us: number;
  coordinates: 'wgs84' | 'local';
  origin_lat: number | null;
  origin_lon: number | null;
  machine_label: string | null;
  machine_confidence: number | null;
  machine_rounds: number | null;
  weather_json: string | null;
  status: 'pending' | 'decided';
  sensor_count: number;
  location_json: string | null;
  rounds: number | null;
  decision_class: string | null;
  decided_by: string | null;
  decided_us: number | null;
}

// The summary columns: the newest solution's first shot and rounds, and the newest standing decision.
const SUMMARY_SELECT = `
SELECT a.*,
  (SELECT count(*) FROM alert_sensors s WHERE s.alert_id = a.id) AS sensor_count,
  (SELECT json_extract(body_json, '$.shots[0].position') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS location_json,
  (SELECT json_extract(body_json, '$.rounds') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS rounds,
  d.class AS decision_class, d.decided_by, d.decided_us
FROM alerts a
LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)`;

function toSummary(r: AlertRow): AlertSummary {
  return {
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    format: r.format,
    detectedUs: r.detected_us,
    importedUs: r.imported_us,
    sensorCount: r.sensor_count,
    machine: r.machine_label === null ? null : { label: r.machine_label, confidence: r.machine_confidence, rounds: r.machine_rounds },
    status: r.status,
    decision: r.decision_class === null ? null : { class: r.decision_class as Decision['class'], decidedBy: r.decided_by!, decidedUs: r.decided_us! },
    location: r.location_json === null ? null : (JSON.parse(r.location_json) as Position),
    rounds: r.rounds,
  };
}

interface SensorRow {
  sensor_id: string;
  lat: number | null;
  lon: number | null;
  elevation_m: number | null;
  x: number;
  y: number;
  z: number | null;
  clip_sha256: string;
  channel: number;
  clip_start_us: number;
  clip_start_iso: string;
  full_scale_db_spl: number | null;
  peaks_per_second: number;
  bytes: number;
  format: string;
  sample_rate: number;
  channels: number;
  frames: number;
}

interface DecisionRow {
  id: number;
  alert_id: number;
  version: number;
  class: Decision['class'];
  rounds: number | null;
  fully_automatic: number;
  multiple_shooters: number;
  notes: string;
  decided_by: string;
  decided_us: number;
  review_ms: number;
  undone_us: number | null;
}

export function toDecision(r: DecisionRow): Decision {
  return {
    id: r.id,
    alertId: r.alert_id,
    version: r.version,
    class: r.class,
    rounds: r.rounds,
    flags: { fullyAutomatic: r.fully_automatic === 1, multipleShooters: r.multiple_shooters === 1 },
    notes: r.notes,
    decidedBy: r.decided_by,
    decidedUs: r.decided_us,
    reviewMs: r.review_ms,
    undoneUs: r.undone_us,
  };
}

export function alertQueries(db: Db) {
  const insertClip = db.prepare(
    'INSERT INTO clips (sha256, bytes, format, sample_rate, channels, frames, added_us) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
  );
  const insertAlert = db.prepare(`INSERT INTO alerts (source, external_id, format, detected_us, imported_us, coordinates, origin_lat, origin_lon,
      machine_label, machine_confidence, machine_rounds, weather_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSensor = db.prepare(`INSERT INTO alert_sensors (alert_id, sensor_id, lat, lon, elevation_m, x, y, z, clip_sha256, channel,
      clip_start_us, clip_start_iso, full_scale_db_spl, peaks_per_second, peaks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertPulse = db.prepare(`INSERT INTO pulses (alert_id, sensor_id, offset_s, time_us, snr_db, peak_dbfs, peak_db_spl, shot_index, origin)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertSolution = db.prepare(`INSERT INTO solutions (alert_id, version, origin, created_by, created_us, body_json)
      VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM solutions WHERE alert_id = ?), ?, ?, ?, ?)`);
  const byKey = db.prepare<[string, string], { id: number }>('SELECT id FROM alerts WHERE source = ? AND external_id = ?');
  const summaryById = db.prepare<[number], AlertRow>(`${SUMMARY_SELECT} WHERE a.id = ?`);
  const listByStatus = db.prepare<[string, number], AlertRow>(`${SUMMARY_SELECT} WHERE a.status = ? ORDER BY a.detected_us DESC, a.id DESC LIMIT ?`);
  const listAll = db.prepare<[number], AlertRow>(`${SUMMARY_SELECT} ORDER BY a.detected_us DESC, a.id DESC LIMIT ?`);
  const sensors = db.prepare<[number], SensorRow>(
    `SELECT s.*, c.bytes, c.format, c.sample_rate, c.channels, c.frames FROM alert_sensors s JOIN clips c ON c.sha256 = s.clip_sha256
     WHERE s.alert_id = ? ORDER BY s.sensor_id`,
  );
  const peaks = db.prepare<[number], { sensor_id: string; peaks_per_second: number; peaks: Buffer }>(
    'SELECT sensor_id, peaks_per_second, peaks FROM alert_sensors WHERE alert_id = ? ORDER BY sensor_id',
  );
  const pulses = db.prepare<[number], Record<string, unknown>>('SELECT * FROM pulses WHERE alert_id = ? ORDER BY sensor_id, offset_s');
  const solutions = db.prepare<
    [number],
    { id: number; version: number; origin: 'machine' | 'reviewer'; created_by: string; created_us: number; body_json: string }
  >('SELECT * FROM solutions WHERE alert_id = ? ORDER BY version');
  const decisions = db.prepare<[number], DecisionRow>('SELECT * FROM decisions WHERE alert_id = ? ORDER BY version');
  const clipKnown = db.prepare<[string], { sha256: string }>('SELECT sha256 FROM clips WHERE sha256 = ?');

  return {
    findByKey(source: string, externalId: string): number | undefined {
      return byKey.get(source, externalId)?.id;
    },
    clipKnown(sha256: string): boolean {
      return clipKnown.get(sha256) !== undefined;
    },
    /** Inserts an alert with its sensors, clips and machine pulses; call inside a transaction. Returns its id. */
    insert(a: NewAlert): number {
      const id = Number(
        insertAlert.run(
          a.source,
          a.externalId,
          a.format,
          a.detectedUs,
          a.importedUs,
          a.coordinates,
          a.localOrigin?.lat ?? null,
          a.localOrigin?.lon ?? null,
          a.machine?.label ?? null,
          a.machine?.confidence ?? null,
          a.machine?.rounds ?? null,
          a.weather ? JSON.stringify(a.weather) : null,
        ).lastInsertRowid,
      );
      for (const s of a.sensors) {
        insertClip.run(s.clip.sha256, s.clip.bytes, s.clip.format, s.clip.sampleRate, s.clip.channels, s.clip.frames, a.importedUs);
        const geo = 'lat' in s.position ? s.position : null;
        insertSensor.run(
          id,
          s.sensorId,
          geo?.lat ?? null,
          geo?.lon ?? null,
          geo?.elevationM ?? null,
          s.local.x,
          s.local.y,
          s.local.z,
          s.clip.sha256,
          s.channel,
          s.clipStartUs,
          s.clipStartIso,
          s.fullScaleDbSpl,
          s.peaksPerSecond,
          Buffer.from(s.peaks.buffer, s.peaks.byteOffset, s.peaks.byteLength),
        );
      }
      for (const p of a.pulses) this.insertPulse(id, p);
      return id;
    },
    insertPulse(alertId: number, p: NewPulse): number {
      return Number(insertPulse.run(alertId, p.sensorId, p.offsetS, p.timeUs, p.snrDb, p.peakDbfs, p.peakDbSpl, p.shotIndex, p.origin).lastInsertRowid);
    },
    /** Adds a new solution version; earlier versions are never touched. */
    addSolution(alertId: number, origin: 'machine' | 'reviewer', createdBy: string, createdUs: number, body: SolutionBody): Solution {
      const rowId = Number(insertSolution.run(alertId, alertId, origin, createdBy, createdUs, JSON.stringify(body)).lastInsertRowid);
      const row = db.prepare<[number], { version: number }>('SELECT version FROM solutions WHERE id = ?').get(rowId)!;
      return { id: rowId, version: row.version, origin, createdBy, createdUs, ...body };
    },
    summary(id: number): AlertSummary | undefined {
      const r = summaryById.get(id);
      return r ? toSummary(r) : undefined;
    },
    list(status: 'pending' | 'decided' | 'all', limit: number): AlertSummary[] {
      const rows = status === 'all' ? listAll.all(limit) : listByStatus.all(status, limit);
      return rows.map(toSummary);
    },
    detail(id: number): AlertDetail | undefined {
      const r = summaryById.get(id);
      if (!r) return undefined;
      const sols: Solution[] = solutions.all(id).map((s) => ({
        id: s.id,
        version: s.version,
        origin: s.origin,
        createdBy: s.created_by,
        createdUs: s.created_us,
        ...(JSON.parse(s.body_json) as SolutionBody),
      }));
      const used = new Set(sols.at(-1)?.shots.flatMap((shot) => shot.sensorsUsed) ?? []);
      const tracks: Track[] = sensors.all(id).map((s) => ({
        sensorId: s.sensor_id,
        position:
          s.lat !== null && s.lon !== null
            ? { lat: s.lat, lon: s.lon, ...(s.elevation_m !== null ? { elevationM: s.elevation_m } : {}) }
            : { x: s.x, y: s.y, ...(s.z !== null ? { z: s.z } : {}) },
        local: { x: s.x, y: s.y, z: s.z },
        participating: used.has(s.sensor_id),
        clip: {
          sha256: s.clip_sha256,
          bytes: s.bytes,
          format: s.format,
          sampleRate: s.sample_rate,
          channels: s.channels,
          frames: s.frames,
          durationS: s.frames / s.sample_rate,
        },
        channel: s.channel,
        clipStartUs: s.clip_start_us,
        clipStartIso: s.clip_start_iso,
        fullScaleDbSpl: s.full_scale_db_spl,
      }));
      return {
        ...toSummary(r),
        coordinates: r.coordinates,
        localOrigin: r.origin_lat !== null && r.origin_lon !== null ? { lat: r.origin_lat, lon: r.origin_lon } : null,
        weather: r.weather_json ? JSON.parse(r.weather_json) : null,
        tracks,
        pulses: pulses.all(id).map((p) => ({
          id: p.id as number,
          sensorId: p.sensor_id as string,
          offsetS: p.offset_s as number,
          timeUs: p.time_us as number,
          snrDb: p.snr_db as number | null,
          peakDbfs: p.peak_dbfs as number | null,
          peakDbSpl: p.peak_db_spl as number | null,
          shotIndex: p.shot_index as number | null,
          origin: p.origin as Pulse['origin'],
          solutionId: p.solution_id as number | null,
        })),
        solutions: sols,
        decisions: decisions.all(id).map(toDecision),
      };
    },
    peaks(id: number): { sensorId: string; peaksPerSecond: number; peaks: Float32Array }[] {
      return peaks.all(id).map((r) => ({
        sensorId: r.sensor_id,
        peaksPerSecond: r.peaks_per_second,
        peaks: new Float32Array(r.peaks.buffer.slice(r.peaks.byteOffset, r.peaks.byteOffset + r.peaks.byteLength)),
      }));
    },
  };
}
