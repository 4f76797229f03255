import type { Selectable } from 'kysely';
import type { Pulse } from '../../contract/index.ts';
import type { RelocationQueries, SolutionBody, StoredSolution } from '../../kernel/store-port.ts';
import type { PulsesTable } from '../schema.ts';
import { ONE, type QueryContext } from './context.ts';

const toPulse = (r: Selectable<PulsesTable>): Pulse => ({
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

const stored = (r: { id: number; version: number; origin: 'machine' | 'reviewer'; body_json: string } | undefined): StoredSolution | null =>
  r ? { id: r.id, version: r.version, origin: r.origin, body: JSON.parse(r.body_json) as SolutionBody } : null;

/** Reads and writes of a reviewer's re-location: picks that belong to a solution version. */
export function relocationQueries({ db }: QueryContext): RelocationQueries {
  const newest = (alertId: number) => db.selectFrom('solutions').select(['id', 'version', 'origin', 'body_json']).where('alert_id', '=', alertId);

  return {
    async alert(alertId) {
      const a = await db
        .selectFrom('alerts')
        .select(['status', 'coordinates', 'origin_lat', 'origin_lon', 'weather_json'])
        .where('id', '=', alertId)
        .executeTakeFirst();
      if (!a) return undefined;
      const weather = a.weather_json ? (JSON.parse(a.weather_json) as { temperatureC?: number | null }) : null;
      const sensors = await db
        .selectFrom('alert_sensors as s')
        .innerJoin('clips as c', 'c.sha256', 's.clip_sha256')
        .select(['s.sensor_id', 's.x', 's.y', 's.z', 's.clip_start_us', 'c.frames', 'c.sample_rate'])
        .where('s.alert_id', '=', alertId)
        .orderBy('s.sensor_id')
        .execute();
      return {
        status: a.status,
        coordinates: a.coordinates,
        localOrigin: a.origin_lat !== null && a.origin_lon !== null ? { lat: a.origin_lat, lon: a.origin_lon } : null,
        weatherTemperatureC: typeof weather?.temperatureC === 'number' ? weather.temperatureC : null,
        sensors: sensors.map((s) => ({
          sensorId: s.sensor_id,
          local: { x: s.x, y: s.y, z: s.z },
          clipStartUs: s.clip_start_us,
          durationS: s.frames / s.sample_rate,
          sampleRate: s.sample_rate,
        })),
      };
    },
    newestSolution: async (alertId) => stored(await newest(alertId).orderBy('version', 'desc').limit(ONE).executeTakeFirst()),
    newestMachineSolution: async (alertId) =>
      stored(await newest(alertId).where('origin', '=', 'machine').orderBy('version', 'desc').limit(ONE).executeTakeFirst()),
    machinePulses: async (alertId) =>
      (
        await db
          .selectFrom('pulses')
          .selectAll()
          .where('alert_id', '=', alertId)
          .where('origin', '=', 'machine')
          .orderBy('sensor_id')
          .orderBy('offset_s')
          .execute()
      ).map(toPulse),
    picksOf: async (solutionId) =>
      (await db.selectFrom('pulses').selectAll().where('solution_id', '=', solutionId).orderBy('shot_index').orderBy('sensor_id').execute()).map(toPulse),
    async allReviewerPicks() {
      const withVersion = await db
        .selectFrom('pulses as p')
        .innerJoin('solutions as s', 's.id', 'p.solution_id')
        .selectAll('p')
        .select('s.version')
        .where('p.origin', '=', 'reviewer')
        .orderBy('p.id')
        .execute();
      const orphans = await db
        .selectFrom('pulses as p')
        .leftJoin('solutions as s', 's.id', 'p.solution_id')
        .selectAll('p')
        .where('p.origin', '=', 'reviewer')
        .where('s.id', 'is', null)
        .orderBy('p.id')
        .execute();
      return [
        ...withVersion.map((r) => ({ ...toPulse(r), alertId: r.alert_id, version: r.version })),
        ...orphans.map((r) => ({ ...toPulse(r), alertId: r.alert_id, version: null })),
      ];
    },
    async insertPick(alertId, solutionId, p) {
      return (
        await db
          .insertInto('pulses')
          .values({
            alert_id: alertId,
            sensor_id: p.sensorId,
            offset_s: p.offsetS,
            time_us: p.timeUs,
            snr_db: p.snrDb,
            peak_dbfs: p.peakDbfs,
            peak_db_spl: p.peakDbSpl,
            shot_index: p.shotIndex,
            origin: 'reviewer',
            solution_id: solutionId,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },
  };
}
