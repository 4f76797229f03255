import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { AlertDetail, AlertSummary, Decision, Position, Pulse, Solution, Track } from '../../contract/index.ts';
import type { AlertQueries, NewAlert, NewPulse, SolutionBody } from '../../kernel/store-port.ts';
import type { AlertSensorsTable, AlertsTable, ClipsTable, PulsesTable } from '../schema.ts';
import { bytesFloats, floatBytes, type QueryContext } from './context.ts';
import { bound, prepared, type Params } from './prepared.ts';
import { toDecision, type DecisionRow } from './rows.ts';

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

/**
 * A field of the newest solution's JSON body. SQLite's json_extract; PostgreSQL's `json` (not
 * `jsonb`) operators, which hand back a sub-object as the exact text it was written with.
 */
export function newestSolutionField(ctx: QueryContext, field: 'position' | 'rounds'): RawBuilder<unknown> {
  if (ctx.backend === 'sqlite') {
    const path = field === 'position' ? '$.shots[0].position' : '$.rounds';
    return sql`(SELECT json_extract(body_json, ${sql.lit(path)}) FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1)`;
  }
  return field === 'position'
    ? sql`(SELECT (body_json::json -> 'shots' -> 0 -> 'position')::text FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1)`
    : sql`(SELECT (body_json::json ->> 'rounds')::double precision FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1)`;
}

// The summary columns: the newest solution's first shot and rounds, and the newest standing decision.
const summarySelect = (ctx: QueryContext) => sql`
SELECT a.*,
  (SELECT count(*) FROM alert_sensors s WHERE s.alert_id = a.id) AS sensor_count,
  ${newestSolutionField(ctx, 'position')} AS location_json,
  ${newestSolutionField(ctx, 'rounds')} AS rounds,
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
    location: r.location_json === null ? null : (JSON.parse(r.location_json) as Position | null),
    rounds: r.rounds,
  };
}

/** Rows inserted per statement where PostgreSQL takes a batch (each is one round trip). */
const BATCH = 500;

// What every import and decision runs, compiled once per backend (prepared.ts).
type Row<T> = Omit<Selectable<T>, 'id'>;
const ALERT_COLUMNS = [
  'source',
  'external_id',
  'format',
  'detected_us',
  'imported_us',
  'coordinates',
  'origin_lat',
  'origin_lon',
  'machine_label',
  'machine_confidence',
  'machine_rounds',
  'weather_json',
] as const;
const CLIP_COLUMNS = ['sha256', 'bytes', 'format', 'sample_rate', 'channels', 'frames', 'added_us'] as const;
const SENSOR_COLUMNS = [
  'alert_id',
  'sensor_id',
  'lat',
  'lon',
  'elevation_m',
  'x',
  'y',
  'z',
  'clip_sha256',
  'channel',
  'clip_start_us',
  'clip_start_iso',
  'full_scale_db_spl',
  'peaks_per_second',
  'peaks',
] as const;
const PULSE_COLUMNS = ['alert_id', 'sensor_id', 'offset_s', 'time_us', 'snr_db', 'peak_dbfs', 'peak_db_spl', 'shot_index', 'origin'] as const;

const byKey = prepared((ctx, p: Params<{ source: string; externalId: string }>) =>
  ctx.db.selectFrom('alerts').select('id').where('source', '=', p('source')).where('external_id', '=', p('externalId')),
);
const summaryOf = prepared((ctx, p: Params<{ id: number }>) => sql<AlertRow>`${summarySelect(ctx)} WHERE a.id = ${p('id')}`);
const lockAlert = prepared((ctx, p: Params<{ id: number }>) => {
  const q = ctx.db.selectFrom('alerts').select('id').where('id', '=', p('id'));
  return ctx.backend === 'postgres' ? q.forUpdate() : q;
});
const insertAlert = prepared((ctx, p: Params<Pick<Row<AlertsTable>, (typeof ALERT_COLUMNS)[number]>>) =>
  ctx.db.insertInto('alerts').values(bound(p, ALERT_COLUMNS)).returning('id'),
);
const insertClip = prepared((ctx, p: Params<ClipsTable>) =>
  ctx.db
    .insertInto('clips')
    .values(bound(p, CLIP_COLUMNS))
    .onConflict((oc) => oc.column('sha256').doNothing()),
);
const insertSensor = prepared((ctx, p: Params<Pick<Row<AlertSensorsTable>, (typeof SENSOR_COLUMNS)[number]>>) =>
  ctx.db.insertInto('alert_sensors').values(bound(p, SENSOR_COLUMNS)),
);
const insertPulseRow = prepared((ctx, p: Params<Pick<Row<PulsesTable>, (typeof PULSE_COLUMNS)[number]>>) =>
  ctx.db.insertInto('pulses').values(bound(p, PULSE_COLUMNS)).returning('id'),
);
const insertSolution = prepared((ctx, p: Params<{ alertId: number; origin: 'machine' | 'reviewer'; createdBy: string; createdUs: number; bodyJson: string }>) =>
  ctx.db
    .insertInto('solutions')
    .values((eb) => ({
      alert_id: p('alertId'),
      version: eb
        .selectFrom('solutions')
        .select(sql<number>`coalesce(max(version), 0) + 1`.as('v'))
        .where('alert_id', '=', p('alertId')),
      origin: p('origin'),
      created_by: p('createdBy'),
      created_us: p('createdUs'),
      body_json: p('bodyJson'),
    }))
    .returning(['id', 'version']),
);

export function alertQueries(ctx: QueryContext): AlertQueries {
  const { db } = ctx;
  const pg = ctx.backend === 'postgres';

  const summaryRow = async (id: number): Promise<AlertRow | undefined> => (await summaryOf(ctx, { id })).rows[0];
  const lock = async (id: number): Promise<boolean> => (await lockAlert(ctx, { id })).rows.length > 0;

  const insertPulses = async (alertId: number, pulses: readonly NewPulse[]): Promise<void> => {
    if (pulses.length === 0) return;
    if (!pg) {
      for (const p of pulses) await insertPulse(alertId, p);
      return;
    }
    for (let i = 0; i < pulses.length; i += BATCH) {
      const part = pulses.slice(i, i + BATCH);
      // unnest keeps one statement text for any batch size (one prepared statement, no parameter limit).
      await sql`INSERT INTO pulses (alert_id, sensor_id, offset_s, time_us, snr_db, peak_dbfs, peak_db_spl, shot_index, origin)
        SELECT ${alertId}, * FROM unnest(${part.map((p) => p.sensorId)}::text[], ${part.map((p) => p.offsetS)}::double precision[],
          ${part.map((p) => p.timeUs)}::bigint[], ${part.map((p) => p.snrDb)}::double precision[], ${part.map((p) => p.peakDbfs)}::double precision[],
          ${part.map((p) => p.peakDbSpl)}::double precision[], ${part.map((p) => p.shotIndex)}::bigint[], ${part.map((p) => p.origin)}::text[])`.execute(db);
    }
  };

  const insertPulse = async (alertId: number, p: NewPulse): Promise<number> =>
    (
      await insertPulseRow(ctx, {
        alert_id: alertId,
        sensor_id: p.sensorId,
        offset_s: p.offsetS,
        time_us: p.timeUs,
        snr_db: p.snrDb,
        peak_dbfs: p.peakDbfs,
        peak_db_spl: p.peakDbSpl,
        shot_index: p.shotIndex,
        origin: p.origin,
      })
    ).rows[0]!.id;

  return {
    async findByKey(source, externalId) {
      return (await byKey(ctx, { source, externalId })).rows[0]?.id;
    },
    async clipKnown(sha256) {
      return (await db.selectFrom('clips').select('sha256').where('sha256', '=', sha256).executeTakeFirst()) !== undefined;
    },
    lock,
    async insert(a: NewAlert) {
      const id = (
        await insertAlert(ctx, {
          source: a.source,
          external_id: a.externalId,
          format: a.format,
          detected_us: a.detectedUs,
          imported_us: a.importedUs,
          coordinates: a.coordinates,
          origin_lat: a.localOrigin?.lat ?? null,
          origin_lon: a.localOrigin?.lon ?? null,
          machine_label: a.machine?.label ?? null,
          machine_confidence: a.machine?.confidence ?? null,
          machine_rounds: a.machine?.rounds ?? null,
          weather_json: a.weather ? JSON.stringify(a.weather) : null,
        })
      ).rows[0]!.id;
      for (const s of a.sensors) {
        await insertClip(ctx, {
          sha256: s.clip.sha256,
          bytes: s.clip.bytes,
          format: s.clip.format,
          sample_rate: s.clip.sampleRate,
          channels: s.clip.channels,
          frames: s.clip.frames,
          added_us: a.importedUs,
        });
      }
      const sensorRows = a.sensors.map((s) => {
        const geo = 'lat' in s.position ? s.position : null;
        return {
          alert_id: id,
          sensor_id: s.sensorId,
          lat: geo?.lat ?? null,
          lon: geo?.lon ?? null,
          elevation_m: geo?.elevationM ?? null,
          x: s.local.x,
          y: s.local.y,
          z: s.local.z,
          clip_sha256: s.clip.sha256,
          channel: s.channel,
          clip_start_us: s.clipStartUs,
          clip_start_iso: s.clipStartIso,
          full_scale_db_spl: s.fullScaleDbSpl,
          peaks_per_second: s.peaksPerSecond,
          peaks: floatBytes(s.peaks),
        };
      });
      if (pg && sensorRows.length > 0) await db.insertInto('alert_sensors').values(sensorRows).execute();
      else for (const row of sensorRows) await insertSensor(ctx, row);
      await insertPulses(id, a.pulses);
      return id;
    },
    insertPulse,
    async addSolution(alertId, origin, createdBy, createdUs, body: SolutionBody): Promise<Solution> {
      // Two writers numbering versions of one alert at once would both take max + 1: the row lock orders them.
      await lock(alertId);
      const row = (await insertSolution(ctx, { alertId, origin, createdBy, createdUs, bodyJson: JSON.stringify(body) })).rows[0]!;
      return { id: row.id, version: row.version, origin, createdBy, createdUs, ...body };
    },
    async summary(id) {
      const r = await summaryRow(id);
      return r ? toSummary(r) : undefined;
    },
    async list(status, limit) {
      const where = status === 'all' ? sql`` : sql`WHERE a.status = ${status}`;
      const rows = (await sql<AlertRow>`${summarySelect(ctx)} ${where} ORDER BY a.detected_us DESC, a.id DESC LIMIT ${limit}`.execute(db)).rows;
      return rows.map(toSummary);
    },
    async detail(id): Promise<AlertDetail | undefined> {
      const r = await summaryRow(id);
      if (!r) return undefined;
      const solutionRows = await db.selectFrom('solutions').selectAll().where('alert_id', '=', id).orderBy('version').execute();
      const sols: Solution[] = solutionRows.map((s) => ({
        id: s.id,
        version: s.version,
        origin: s.origin,
        createdBy: s.created_by,
        createdUs: s.created_us,
        ...(JSON.parse(s.body_json) as SolutionBody),
      }));
      const used = new Set(sols.at(-1)?.shots.flatMap((shot) => shot.sensorsUsed) ?? []);
      const sensorRows = await db
        .selectFrom('alert_sensors as s')
        .innerJoin('clips as c', 'c.sha256', 's.clip_sha256')
        .select([
          's.sensor_id',
          's.lat',
          's.lon',
          's.elevation_m',
          's.x',
          's.y',
          's.z',
          's.clip_sha256',
          's.channel',
          's.clip_start_us',
          's.clip_start_iso',
          's.full_scale_db_spl',
          'c.bytes',
          'c.format',
          'c.sample_rate',
          'c.channels',
          'c.frames',
        ])
        .where('s.alert_id', '=', id)
        .orderBy('s.sensor_id')
        .execute();
      const tracks: Track[] = sensorRows.map((s) => ({
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
      const pulseRows = await db.selectFrom('pulses').selectAll().where('alert_id', '=', id).orderBy('sensor_id').orderBy('offset_s').execute();
      const decisionRows = await db.selectFrom('decisions').selectAll().where('alert_id', '=', id).orderBy('version').execute();
      return {
        ...toSummary(r),
        coordinates: r.coordinates,
        localOrigin: r.origin_lat !== null && r.origin_lon !== null ? { lat: r.origin_lat, lon: r.origin_lon } : null,
        weather: r.weather_json ? JSON.parse(r.weather_json) : null,
        tracks,
        pulses: pulseRows.map((p): Pulse => ({
          id: p.id,
          sensorId: p.sensor_id,
          offsetS: p.offset_s,
          timeUs: p.time_us,
          snrDb: p.snr_db,
          peakDbfs: p.peak_dbfs,
          peakDbSpl: p.peak_db_spl,
          shotIndex: p.shot_index,
          origin: p.origin,
          solutionId: p.solution_id,
        })),
        solutions: sols,
        decisions: decisionRows.map((d) => toDecision(d as DecisionRow)),
      };
    },
    async peaks(id) {
      const rows = await db
        .selectFrom('alert_sensors')
        .select(['sensor_id', 'peaks_per_second', 'peaks'])
        .where('alert_id', '=', id)
        .orderBy('sensor_id')
        .execute();
      return rows.map((r) => ({ sensorId: r.sensor_id, peaksPerSecond: r.peaks_per_second, peaks: bytesFloats(r.peaks) }));
    },
  };
}
