import type { Db } from './db.ts';
import type { Label, LabelFilter } from '../contract/index.ts';
import { nameKey } from './dataset-projects.ts';

interface LabelRow {
  id: number;
  project_id: number;
  clip_id: number;
  class_id: number;
  class_name: string;
  channel: number;
  start_sample: number;
  end_sample: number;
  sample_rate: number;
  low_hz: number | null;
  high_hz: number | null;
  annotator: string;
  created_us: number;
  updated_us: number;
  updated_by: string;
  version: number;
}

import type { LabelGeometry, NewLabel } from '../kernel/queries/dataset.ts';

// Moved to the store port (src/kernel); re-exported while services move over.
export type { LabelGeometry, NewLabel } from '../kernel/queries/dataset.ts';

const SELECT = `SELECT l.*, k.name AS class_name, f.sample_rate
FROM dataset_labels l
JOIN dataset_classes k ON k.id = l.class_id
JOIN dataset_clips c ON c.id = l.clip_id
JOIN clips f ON f.sha256 = c.clip_sha256`;

const FILTER = `l.project_id = @projectId
  AND (@clipId IS NULL OR l.clip_id = @clipId)
  AND (@clipIds IS NULL OR l.clip_id IN (SELECT value FROM json_each(@clipIds)))
  AND (@labels IS NULL OR k.name_key IN (SELECT value FROM json_each(@labels)))
  AND (@annotators IS NULL OR l.annotator IN (SELECT value FROM json_each(@annotators)))
  AND (@fromUs IS NULL OR l.updated_us >= @fromUs)
  AND (@toUs IS NULL OR l.updated_us < @toUs)`;

export function toLabel(r: LabelRow): Label {
  return {
    id: r.id,
    projectId: r.project_id,
    clipId: r.clip_id,
    classId: r.class_id,
    label: r.class_name,
    channel: r.channel,
    startSample: r.start_sample,
    endSample: r.end_sample,
    sampleRate: r.sample_rate,
    lowHz: r.low_hz,
    highHz: r.high_hz,
    annotator: r.annotator,
    createdUs: r.created_us,
    updatedUs: r.updated_us,
    updatedBy: r.updated_by,
    version: r.version,
  };
}

function filterParams(projectId: number, clipId: number | null, f: LabelFilter) {
  return {
    projectId,
    clipId,
    clipIds: f.clipIds ? JSON.stringify(f.clipIds) : null,
    labels: f.labels ? JSON.stringify(f.labels.map(nameKey)) : null,
    annotators: f.annotators ? JSON.stringify(f.annotators) : null,
    fromUs: f.updatedFromUs ?? null,
    toUs: f.updatedToUs ?? null,
  };
}

export function datasetLabelQueries(db: Db) {
  const insert = db.prepare(`INSERT INTO dataset_labels (project_id, clip_id, class_id, channel, start_sample, end_sample, low_hz, high_hz,
      annotator, created_us, updated_us, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const update = db.prepare(`UPDATE dataset_labels SET class_id = ?, channel = ?, start_sample = ?, end_sample = ?, low_hz = ?, high_hz = ?,
      updated_us = ?, updated_by = ?, version = version + 1 WHERE id = ?`);
  const remove = db.prepare('DELETE FROM dataset_labels WHERE id = ?');
  const byId = db.prepare<[number], LabelRow>(`${SELECT} WHERE l.id = ?`);
  const list = db.prepare<Record<string, unknown>, LabelRow>(`${SELECT} WHERE ${FILTER} ORDER BY l.clip_id, l.start_sample, l.id LIMIT @limit OFFSET @offset`);
  const count = db.prepare<Record<string, unknown>, { n: number }>(
    `SELECT count(*) AS n FROM dataset_labels l JOIN dataset_classes k ON k.id = l.class_id WHERE ${FILTER}`,
  );
  const identical = db.prepare<unknown[], { id: number }>(`SELECT id FROM dataset_labels WHERE clip_id = ? AND class_id = ? AND channel = ?
      AND start_sample = ? AND end_sample = ? AND low_hz IS ? AND high_hz IS ? LIMIT 1`);

  return {
    get(id: number): Label | undefined {
      const r = byId.get(id);
      return r ? toLabel(r) : undefined;
    },
    insert(l: NewLabel): number {
      return Number(
        insert.run(l.projectId, l.clipId, l.classId, l.channel, l.startSample, l.endSample, l.lowHz, l.highHz, l.annotator, l.atUs, l.atUs, l.annotator)
          .lastInsertRowid,
      );
    },
    update(id: number, g: LabelGeometry, by: string, atUs: number): void {
      update.run(g.classId, g.channel, g.startSample, g.endSample, g.lowHz, g.highHz, atUs, by, id);
    },
    delete(id: number): void {
      remove.run(id);
    },
    /** The id of a label on the clip with exactly this geometry and class, if any. */
    findIdentical(clipId: number, g: LabelGeometry): number | undefined {
      return identical.get(clipId, g.classId, g.channel, g.startSample, g.endSample, g.lowHz, g.highHz)?.id;
    },
    list(projectId: number, clipId: number | null, filter: LabelFilter, limit: number, offset: number): Label[] {
      return list.all({ ...filterParams(projectId, clipId, filter), limit, offset }).map(toLabel);
    },
    count(projectId: number, clipId: number | null, filter: LabelFilter): number {
      return count.get(filterParams(projectId, clipId, filter))!.n;
    },
  };
}
