import { sql, type Selectable } from 'kysely';
import type { LabelClass, Project, ProjectClip } from '../../contract/index.ts';
import { nameKey, type AlertFacts, type ClipFileFacts, type DatasetProjectQueries, type NewProjectClip } from '../../kernel/store-port.ts';
import type { DatasetClassesTable } from '../schema.ts';
import { newestSolutionField } from './alerts.ts';
import { bytesFloats, floatBytes, inList, type QueryContext } from './context.ts';

interface ClipRow {
  id: number;
  project_id: number;
  clip_sha256: string;
  origin: 'audio' | 'alert';
  origin_key: string;
  alert_id: number | null;
  sensor_id: string | null;
  channel: number;
  clip_start_us: number | null;
  name: string;
  site: string;
  sensor_key: string;
  source_recording: string | null;
  added_by: string;
  added_us: number;
  bytes: number;
  format: string;
  sample_rate: number;
  channels: number;
  frames: number;
  label_count: number;
}

const toClass = (r: Selectable<DatasetClassesTable>): LabelClass => ({
  id: r.id,
  name: r.name,
  colour: r.colour,
  hotkey: r.hotkey ?? (r.hotkey_bank2 === null ? null : r.hotkey_bank2 + 9),
  position: r.position,
});

/** The two columns one hotkey 1-18 is kept in: the first bank's 1-9, or the second bank's (migration 042). */
const hotkeyColumns = (hotkey: number | null): { hotkey: number | null; hotkey_bank2: number | null } =>
  hotkey === null ? { hotkey: null, hotkey_bank2: null } : hotkey <= 9 ? { hotkey, hotkey_bank2: null } : { hotkey: null, hotkey_bank2: hotkey - 9 };

/** A solution's first-shot position as the newest-solution query gives it: JSON text, or already parsed by the driver. */
function latLon(position: unknown): { lat: number | null; lon: number | null } {
  const p = typeof position === 'string' ? (JSON.parse(position) as unknown) : position;
  if (p === null || typeof p !== 'object') return { lat: null, lon: null };
  const { lat, lon } = p as { lat?: unknown; lon?: unknown };
  return typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : { lat: null, lon: null };
}

export function toProjectClip(r: ClipRow): ProjectClip {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    origin: r.origin,
    clip: {
      sha256: r.clip_sha256,
      bytes: r.bytes,
      format: r.format,
      sampleRate: r.sample_rate,
      channels: r.channels,
      frames: r.frames,
      durationS: r.frames / r.sample_rate,
    },
    channel: r.channel,
    alertId: r.alert_id,
    sensorId: r.sensor_id,
    clipStartUs: r.clip_start_us,
    site: r.site,
    sensorKey: r.sensor_key,
    sourceRecording: r.source_recording ?? null,
    labelCount: r.label_count,
    addedBy: r.added_by,
    addedUs: r.added_us,
  };
}

/** Projects, their label classes, project clips and cached peaks. */
export function datasetProjectQueries(ctx: QueryContext): DatasetProjectQueries {
  const { db } = ctx;

  const projects = () =>
    db
      .selectFrom('dataset_projects as p')
      .selectAll('p')
      .select((eb) => [
        eb
          .selectFrom('dataset_clips as c')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('c.project_id', '=', 'p.id')
          .as('clip_count'),
        eb
          .selectFrom('dataset_labels as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.project_id', '=', 'p.id')
          .as('label_count'),
      ]);
  const clips = () =>
    db
      .selectFrom('dataset_clips as c')
      .innerJoin('clips as f', 'f.sha256', 'c.clip_sha256')
      .selectAll('c')
      .select(['f.bytes', 'f.format', 'f.sample_rate', 'f.channels', 'f.frames'])
      .select((eb) =>
        eb
          .selectFrom('dataset_labels as l')
          .select((e) => e.fn.countAll<number>().as('n'))
          .whereRef('l.clip_id', '=', 'c.id')
          .as('label_count'),
      );
  const classes = async (projectId: number) =>
    (await db.selectFrom('dataset_classes').selectAll().where('project_id', '=', projectId).orderBy('position').orderBy('id').execute()).map(toClass);
  const asClip = (r: object) => toProjectClip(r as ClipRow);

  const project = async (id: number): Promise<Project | undefined> => {
    const r = await projects().where('p.id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      createdBy: r.created_by,
      createdUs: r.created_us,
      updatedUs: r.updated_us,
      clipCount: r.clip_count ?? 0,
      labelCount: r.label_count ?? 0,
      classes: await classes(r.id),
    };
  };

  return {
    project,
    async projectIdByName(name) {
      return (await db.selectFrom('dataset_projects').select('id').where('name_key', '=', nameKey(name)).executeTakeFirst())?.id;
    },
    async listProjects() {
      const out: Project[] = [];
      for (const r of await projects().orderBy('p.name_key').execute()) out.push((await project(r.id))!);
      return out;
    },
    async insertProject(name, description, by, atUs) {
      return (
        await db
          .insertInto('dataset_projects')
          .values({ name, name_key: nameKey(name), description, created_by: by, created_us: atUs, updated_us: atUs })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },
    async updateProject(id, name, description, atUs) {
      await db
        .updateTable('dataset_projects')
        .set({ name, name_key: nameKey(name), description, updated_us: atUs })
        .where('id', '=', id)
        .execute();
    },
    async touchProject(id, atUs) {
      await db.updateTable('dataset_projects').set({ updated_us: atUs }).where('id', '=', id).execute();
    },

    classes,
    async insertClass(projectId, c) {
      return (
        await db
          .insertInto('dataset_classes')
          .values({ project_id: projectId, name: c.name, name_key: nameKey(c.name), colour: c.colour, ...hotkeyColumns(c.hotkey), position: c.position })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },
    async parkClass(id) {
      // '~' starts no valid name, so the parked key collides with none.
      await db
        .updateTable('dataset_classes')
        .set({ name_key: sql<string>`'~' || id`, hotkey: null, hotkey_bank2: null })
        .where('id', '=', id)
        .execute();
    },
    async updateClass(projectId, id, c) {
      await db
        .updateTable('dataset_classes')
        .set({ name: c.name, name_key: nameKey(c.name), colour: c.colour, ...hotkeyColumns(c.hotkey), position: c.position })
        .where('id', '=', id)
        .where('project_id', '=', projectId)
        .execute();
    },
    async deleteClass(projectId, id) {
      await db.deleteFrom('dataset_classes').where('id', '=', id).where('project_id', '=', projectId).execute();
    },
    async classUsage(id) {
      return (
        await db
          .selectFrom('dataset_labels')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('class_id', '=', id)
          .executeTakeFirstOrThrow()
      ).n;
    },

    async insertClipFile(f: ClipFileFacts, atUs) {
      await db
        .insertInto('clips')
        .values({ sha256: f.sha256, bytes: f.bytes, format: f.format, sample_rate: f.sampleRate, channels: f.channels, frames: f.frames, added_us: atUs })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .execute();
    },
    async clipFile(sha256) {
      const r = await db.selectFrom('clips').selectAll().where('sha256', '=', sha256).executeTakeFirst();
      return r ? { sha256: r.sha256, bytes: r.bytes, format: r.format, sampleRate: r.sample_rate, channels: r.channels, frames: r.frames } : undefined;
    },
    async insertProjectClip(c: NewProjectClip) {
      return (
        await db
          .insertInto('dataset_clips')
          .values({
            project_id: c.projectId,
            clip_sha256: c.sha256,
            origin: c.origin,
            origin_key: c.originKey,
            alert_id: c.alertId,
            sensor_id: c.sensorId,
            channel: c.channel,
            clip_start_us: c.clipStartUs,
            name: c.name,
            site: c.site,
            sensor_key: c.sensorKey,
            source_recording: c.sourceRecording ?? null,
            added_by: c.addedBy,
            added_us: c.addedUs,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },
    async findProjectClip(projectId, sha256, originKey) {
      return db
        .selectFrom('dataset_clips')
        .select(['id', 'name'])
        .where('project_id', '=', projectId)
        .where('clip_sha256', '=', sha256)
        .where('origin_key', '=', originKey)
        .executeTakeFirst();
    },
    async clip(id) {
      const r = await clips().where('c.id', '=', id).executeTakeFirst();
      return r ? asClip(r) : undefined;
    },
    async clips(projectId, limit, offset) {
      return (await clips().where('c.project_id', '=', projectId).orderBy('c.id').limit(limit).offset(offset).execute()).map(asClip);
    },
    async clipsByIds(projectId, ids) {
      return (
        await clips()
          .where('c.project_id', '=', projectId)
          .where(inList(ctx, 'c.id', ids, 'bigint'))
          .orderBy('c.id')
          .execute()
      ).map(asClip);
    },
    async clipCount(projectId) {
      return (
        await db
          .selectFrom('dataset_clips')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('project_id', '=', projectId)
          .executeTakeFirstOrThrow()
      ).n;
    },

    async alertFacts(alertId): Promise<AlertFacts | undefined> {
      const r = (
        await sql<{
          id: number;
          source: string;
          external_id: string;
          detected_us: number;
          d_class: string | null;
          d_rounds: number | null;
          d_by: string | null;
          s_rounds: number | null;
          position: unknown;
        }>`
        SELECT a.id, a.source, a.external_id, a.detected_us, d.class AS d_class, d.rounds AS d_rounds, d.decided_by AS d_by,
          ${newestSolutionField(ctx, 'rounds')} AS s_rounds,
          ${newestSolutionField(ctx, 'position')} AS position
        FROM alerts a
        LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)
        WHERE a.id = ${alertId}`.execute(db)
      ).rows[0];
      return r
        ? {
            alertId: r.id,
            source: r.source,
            externalId: r.external_id,
            detectedUs: r.detected_us,
            decisionClass: r.d_class,
            decisionRounds: r.d_rounds,
            decidedBy: r.d_by,
            solutionRounds: r.s_rounds,
            ...latLon(r.position),
          }
        : undefined;
    },

    async clipStates(projectId, trainer) {
      return (
        await db
          .selectFrom('dataset_clip_states as s')
          .innerJoin('dataset_clips as c', 'c.id', 's.project_clip_id')
          .select(['s.project_clip_id', 's.state', 's.updated_us'])
          .where('c.project_id', '=', projectId)
          .where('s.trainer', '=', trainer)
          .orderBy('s.project_clip_id')
          .execute()
      ).map((r) => ({ clipId: r.project_clip_id, state: r.state, updatedUs: r.updated_us }));
    },
    async clipStateTrainers(projectId) {
      return (
        await db
          .selectFrom('dataset_clip_states as s')
          .innerJoin('dataset_clips as c', 'c.id', 's.project_clip_id')
          .select('s.trainer')
          .distinct()
          .where('c.project_id', '=', projectId)
          .orderBy('s.trainer')
          .execute()
      ).map((r) => r.trainer);
    },
    async clipState(clipId, trainer) {
      const r = await db
        .selectFrom('dataset_clip_states')
        .select('state')
        .where('project_clip_id', '=', clipId)
        .where('trainer', '=', trainer)
        .executeTakeFirst();
      return r?.state ?? 'todo';
    },
    async putClipState(clipId, trainer, state, atUs) {
      await db
        .insertInto('dataset_clip_states')
        .values({ project_clip_id: clipId, trainer, state, updated_us: atUs })
        .onConflict((oc) =>
          oc.columns(['project_clip_id', 'trainer']).doUpdateSet((eb) => ({ state: eb.ref('excluded.state'), updated_us: eb.ref('excluded.updated_us') })),
        )
        .execute();
    },

    async peaks(sha256, channel) {
      const r = await db
        .selectFrom('dataset_peaks')
        .select(['peaks_per_second', 'peaks'])
        .where('clip_sha256', '=', sha256)
        .where('channel', '=', channel)
        .executeTakeFirst();
      return r ? { peaksPerSecond: r.peaks_per_second, peaks: bytesFloats(r.peaks) } : undefined;
    },
    async putPeaks(sha256, channel, peaksPerSecond, peaks) {
      await db
        .insertInto('dataset_peaks')
        .values({ clip_sha256: sha256, channel, peaks_per_second: peaksPerSecond, peaks: floatBytes(peaks) })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
  };
}
