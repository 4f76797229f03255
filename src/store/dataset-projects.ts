import type { Db } from './db.ts';
import type { NewClip } from '../kernel/queries/alerts.ts';
import type { LabelClass, Project, ProjectClip } from '../contract/index.ts';

interface ProjectRow {
  id: number;
  name: string;
  description: string;
  created_by: string;
  created_us: number;
  updated_us: number;
  clip_count: number;
  label_count: number;
}

interface ClassRow {
  id: number;
  project_id: number;
  name: string;
  colour: string;
  hotkey: number | null;
  /** Keys 10-18 are the second bank's 1-9 (migration 042). */
  hotkey_bank2: number | null;
  position: number;
}

/** The two columns one hotkey 1-18 is kept in: the first bank's 1-9, or the second bank's. */
const hotkeyColumns = (hotkey: number | null): [number | null, number | null] =>
  hotkey === null ? [null, null] : hotkey <= 9 ? [hotkey, null] : [null, hotkey - 9];

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

// The synchronous store's own shapes, ahead of the port's (src/kernel/queries/dataset.ts), which
// gains the source recording when the dataset services move to it.
export interface NewProjectClip {
  projectId: number;
  sha256: string;
  origin: 'audio' | 'alert';
  originKey: string;
  alertId: number | null;
  sensorId: string | null;
  channel: number;
  clipStartUs: number | null;
  name: string;
  site: string;
  sensorKey: string;
  /** The recording a plain clip was cut from, when its import said so; null: a recording of its own. */
  sourceRecording?: string | null;
  addedBy: string;
  addedUs: number;
}

/** A clip file's facts, as the clips table holds them (the same shape ingest inserts). */
export type ClipFileFacts = NewClip;

/** What an export writes about the alert a track came from. */
export interface AlertFacts {
  alertId: number;
  source: string;
  externalId: string;
  detectedUs: number;
  decisionClass: string | null;
  decisionRounds: number | null;
  decidedBy: string | null;
  solutionRounds: number | null;
  /** The newest solution's first shot, when it is on the globe (local frames are not comparable between alerts). */
  lat: number | null;
  lon: number | null;
}

const PROJECT_SELECT = `SELECT p.*,
  (SELECT count(*) FROM dataset_clips c WHERE c.project_id = p.id) AS clip_count,
  (SELECT count(*) FROM dataset_labels l WHERE l.project_id = p.id) AS label_count
FROM dataset_projects p`;

const CLIP_SELECT = `SELECT c.*, f.bytes, f.format, f.sample_rate, f.channels, f.frames,
  (SELECT count(*) FROM dataset_labels l WHERE l.clip_id = c.id) AS label_count
FROM dataset_clips c JOIN clips f ON f.sha256 = c.clip_sha256`;

// One key for names on both stores: the port's (two spellings of a name must collide on both).
export { nameKey } from '../kernel/queries/dataset.ts';
import { nameKey } from '../kernel/queries/dataset.ts';

const toClass = (r: ClassRow): LabelClass => ({
  id: r.id,
  name: r.name,
  colour: r.colour,
  hotkey: r.hotkey ?? (r.hotkey_bank2 === null ? null : r.hotkey_bank2 + 9),
  position: r.position,
});

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
    sourceRecording: r.source_recording,
    labelCount: r.label_count,
    addedBy: r.added_by,
    addedUs: r.added_us,
  };
}

/** Projects, their label classes, project clips and cached peaks. */
export function datasetProjectQueries(db: Db) {
  const insertProject = db.prepare('INSERT INTO dataset_projects (name, name_key, description, created_by, created_us, updated_us) VALUES (?, ?, ?, ?, ?, ?)');
  const updateProject = db.prepare('UPDATE dataset_projects SET name = ?, name_key = ?, description = ?, updated_us = ? WHERE id = ?');
  const touchProject = db.prepare('UPDATE dataset_projects SET updated_us = ? WHERE id = ?');
  const projectById = db.prepare<[number], ProjectRow>(`${PROJECT_SELECT} WHERE p.id = ?`);
  const projectIdByKey = db.prepare<[string], { id: number }>('SELECT id FROM dataset_projects WHERE name_key = ?');
  const allProjects = db.prepare<[], ProjectRow>(`${PROJECT_SELECT} ORDER BY p.name_key`);

  const classes = db.prepare<[number], ClassRow>('SELECT * FROM dataset_classes WHERE project_id = ? ORDER BY position, id');
  const insertClass = db.prepare(
    'INSERT INTO dataset_classes (project_id, name, name_key, colour, hotkey, hotkey_bank2, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const updateClass = db.prepare(
    'UPDATE dataset_classes SET name = ?, name_key = ?, colour = ?, hotkey = ?, hotkey_bank2 = ?, position = ? WHERE id = ? AND project_id = ?',
  );
  // Frees the unique name and hotkey of a class before a swap writes the final values ('~' starts no valid name).
  const parkClass = db.prepare("UPDATE dataset_classes SET name_key = '~' || id, hotkey = NULL, hotkey_bank2 = NULL WHERE id = ?");
  const deleteClass = db.prepare('DELETE FROM dataset_classes WHERE id = ? AND project_id = ?');
  const classUsage = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM dataset_labels WHERE class_id = ?');

  const insertClipFile = db.prepare(
    'INSERT INTO clips (sha256, bytes, format, sample_rate, channels, frames, added_us) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING',
  );
  const clipFile = db.prepare<[string], { sha256: string; bytes: number; format: string; sample_rate: number; channels: number; frames: number }>(
    'SELECT * FROM clips WHERE sha256 = ?',
  );
  const insertProjectClip = db.prepare(`INSERT INTO dataset_clips (project_id, clip_sha256, origin, origin_key, alert_id, sensor_id, channel, clip_start_us,
      name, site, sensor_key, source_recording, added_by, added_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const clipById = db.prepare<[number], ClipRow>(`${CLIP_SELECT} WHERE c.id = ?`);
  const clipsOfProject = db.prepare<[number, number, number], ClipRow>(`${CLIP_SELECT} WHERE c.project_id = ? ORDER BY c.id LIMIT ? OFFSET ?`);
  const clipsByIds = db.prepare<[number, string], ClipRow>(`${CLIP_SELECT} WHERE c.project_id = ? AND c.id IN (SELECT value FROM json_each(?)) ORDER BY c.id`);
  const countClips = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM dataset_clips WHERE project_id = ?');
  const findClip = db.prepare<[number, string, string], { id: number; name: string }>(
    'SELECT id, name FROM dataset_clips WHERE project_id = ? AND clip_sha256 = ? AND origin_key = ?',
  );

  const alertFacts = db.prepare<
    [number],
    {
      id: number;
      source: string;
      external_id: string;
      detected_us: number;
      d_class: string | null;
      d_rounds: number | null;
      d_by: string | null;
      s_rounds: number | null;
      lat: number | null;
      lon: number | null;
    }
  >(`
    SELECT a.id, a.source, a.external_id, a.detected_us, d.class AS d_class, d.rounds AS d_rounds, d.decided_by AS d_by,
      (SELECT json_extract(body_json, '$.rounds') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS s_rounds,
      (SELECT json_extract(body_json, '$.shots[0].position.lat') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS lat,
      (SELECT json_extract(body_json, '$.shots[0].position.lon') FROM solutions v WHERE v.alert_id = a.id ORDER BY version DESC LIMIT 1) AS lon
    FROM alerts a
    LEFT JOIN decisions d ON d.id = (SELECT id FROM decisions WHERE alert_id = a.id AND undone_us IS NULL ORDER BY version DESC LIMIT 1)
    WHERE a.id = ?`);

  const clipStates = db.prepare<[number, string], { clip_id: number; state: 'todo' | 'done' | 'skipped'; updated_us: number }>(
    `SELECT s.project_clip_id AS clip_id, s.state, s.updated_us FROM dataset_clip_states s JOIN dataset_clips c ON c.id = s.project_clip_id
     WHERE c.project_id = ? AND s.trainer = ? ORDER BY s.project_clip_id`,
  );
  const putClipState = db.prepare(`INSERT INTO dataset_clip_states (project_clip_id, trainer, state, updated_us) VALUES (?, ?, ?, ?)
    ON CONFLICT (project_clip_id, trainer) DO UPDATE SET state = excluded.state, updated_us = excluded.updated_us`);
  const clipStateTrainers = db.prepare<[number], { trainer: string }>(
    'SELECT DISTINCT s.trainer FROM dataset_clip_states s JOIN dataset_clips c ON c.id = s.project_clip_id WHERE c.project_id = ? ORDER BY s.trainer',
  );
  const clipState = db.prepare<[number, string], { state: 'todo' | 'done' | 'skipped' }>(
    'SELECT state FROM dataset_clip_states WHERE project_clip_id = ? AND trainer = ?',
  );

  const getPeaks = db.prepare<[string, number], { peaks_per_second: number; peaks: Buffer }>(
    'SELECT peaks_per_second, peaks FROM dataset_peaks WHERE clip_sha256 = ? AND channel = ?',
  );
  const putPeaks = db.prepare('INSERT INTO dataset_peaks (clip_sha256, channel, peaks_per_second, peaks) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING');

  const project = (id: number): Project | undefined => {
    const r = projectById.get(id);
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      createdBy: r.created_by,
      createdUs: r.created_us,
      updatedUs: r.updated_us,
      clipCount: r.clip_count,
      labelCount: r.label_count,
      classes: classes.all(r.id).map(toClass),
    };
  };

  return {
    project,
    projectIdByName(name: string): number | undefined {
      return projectIdByKey.get(nameKey(name))?.id;
    },
    listProjects(): Project[] {
      return allProjects.all().map((r) => project(r.id)!);
    },
    insertProject(name: string, description: string, by: string, atUs: number): number {
      return Number(insertProject.run(name, nameKey(name), description, by, atUs, atUs).lastInsertRowid);
    },
    updateProject(id: number, name: string, description: string, atUs: number): void {
      updateProject.run(name, nameKey(name), description, atUs, id);
    },
    touchProject(id: number, atUs: number): void {
      touchProject.run(atUs, id);
    },

    classes(projectId: number): LabelClass[] {
      return classes.all(projectId).map(toClass);
    },
    insertClass(projectId: number, c: { name: string; colour: string; hotkey: number | null; position: number }): number {
      return Number(insertClass.run(projectId, c.name, nameKey(c.name), c.colour, ...hotkeyColumns(c.hotkey), c.position).lastInsertRowid);
    },
    parkClass(id: number): void {
      parkClass.run(id);
    },
    updateClass(projectId: number, id: number, c: { name: string; colour: string; hotkey: number | null; position: number }): void {
      updateClass.run(c.name, nameKey(c.name), c.colour, ...hotkeyColumns(c.hotkey), c.position, id, projectId);
    },
    deleteClass(projectId: number, id: number): void {
      deleteClass.run(id, projectId);
    },
    classUsage(id: number): number {
      return classUsage.get(id)!.n;
    },

    /** One trainer's states of a project's clips (clips without a row are to do). */
    clipStates(projectId: number, trainer: string): { clipId: number; state: 'todo' | 'done' | 'skipped'; updatedUs: number }[] {
      return clipStates.all(projectId, trainer).map((r) => ({ clipId: r.clip_id, state: r.state, updatedUs: r.updated_us }));
    },
    /** Everyone who has a state for a clip of the project. */
    clipStateTrainers(projectId: number): string[] {
      return clipStateTrainers.all(projectId).map((r) => r.trainer);
    },
    clipState(clipId: number, trainer: string): 'todo' | 'done' | 'skipped' {
      return clipState.get(clipId, trainer)?.state ?? 'todo';
    },
    putClipState(clipId: number, trainer: string, state: 'todo' | 'done' | 'skipped', atUs: number): void {
      putClipState.run(clipId, trainer, state, atUs);
    },

    /** Records a clip file's facts (once per content hash). */
    insertClipFile(f: ClipFileFacts, atUs: number): void {
      insertClipFile.run(f.sha256, f.bytes, f.format, f.sampleRate, f.channels, f.frames, atUs);
    },
    clipFile(sha256: string): ClipFileFacts | undefined {
      const r = clipFile.get(sha256);
      return r ? { sha256: r.sha256, bytes: r.bytes, format: r.format, sampleRate: r.sample_rate, channels: r.channels, frames: r.frames } : undefined;
    },
    insertProjectClip(c: NewProjectClip): number {
      return Number(
        insertProjectClip.run(
          c.projectId,
          c.sha256,
          c.origin,
          c.originKey,
          c.alertId,
          c.sensorId,
          c.channel,
          c.clipStartUs,
          c.name,
          c.site,
          c.sensorKey,
          c.sourceRecording ?? null,
          c.addedBy,
          c.addedUs,
        ).lastInsertRowid,
      );
    },
    findProjectClip(projectId: number, sha256: string, originKey: string): { id: number; name: string } | undefined {
      return findClip.get(projectId, sha256, originKey);
    },
    clip(id: number): ProjectClip | undefined {
      const r = clipById.get(id);
      return r ? toProjectClip(r) : undefined;
    },
    clips(projectId: number, limit: number, offset: number): ProjectClip[] {
      return clipsOfProject.all(projectId, limit, offset).map(toProjectClip);
    },
    clipsByIds(projectId: number, ids: readonly number[]): ProjectClip[] {
      return clipsByIds.all(projectId, JSON.stringify(ids)).map(toProjectClip);
    },
    clipCount(projectId: number): number {
      return countClips.get(projectId)!.n;
    },

    alertFacts(alertId: number): AlertFacts | undefined {
      const r = alertFacts.get(alertId);
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
            lat: r.lat,
            lon: r.lon,
          }
        : undefined;
    },

    peaks(sha256: string, channel: number): { peaksPerSecond: number; peaks: Float32Array } | undefined {
      const r = getPeaks.get(sha256, channel);
      if (!r) return undefined;
      return { peaksPerSecond: r.peaks_per_second, peaks: new Float32Array(r.peaks.buffer.slice(r.peaks.byteOffset, r.peaks.byteOffset + r.peaks.byteLength)) };
    },
    /** Derived data, the same for everyone: cached without an audit entry. */
    putPeaks(sha256: string, channel: number, peaksPerSecond: number, peaks: Float32Array): void {
      putPeaks.run(sha256, channel, peaksPerSecond, Buffer.from(peaks.buffer, peaks.byteOffset, peaks.byteLength));
    },
  };
}
