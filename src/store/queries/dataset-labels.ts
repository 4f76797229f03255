import { sql, type RawBuilder } from 'kysely';
import type { Label, LabelFilter } from '../../contract/index.ts';
import { nameKey, type DatasetLabelQueries, type LabelGeometry, type NewLabel } from '../../kernel/store-port.ts';
import { inList, type QueryContext, ONE } from './context.ts';

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

export function datasetLabelQueries(ctx: QueryContext): DatasetLabelQueries {
  const { db } = ctx;
  const labels = () =>
    db
      .selectFrom('dataset_labels as l')
      .innerJoin('dataset_classes as k', 'k.id', 'l.class_id')
      .innerJoin('dataset_clips as c', 'c.id', 'l.clip_id')
      .innerJoin('clips as f', 'f.sha256', 'c.clip_sha256')
      .selectAll('l')
      .select(['k.name as class_name', 'f.sample_rate']);

  // The filter's parts that are given; the old SQL said `@x IS NULL OR ...`, which PostgreSQL cannot type.
  const filter = (projectId: number, clipId: number | null, f: LabelFilter): RawBuilder<boolean> => {
    const parts: RawBuilder<boolean>[] = [sql<boolean>`l.project_id = ${projectId}`];
    if (clipId !== null) parts.push(sql<boolean>`l.clip_id = ${clipId}`);
    if (f.clipIds) parts.push(inList(ctx, 'l.clip_id', f.clipIds, 'bigint'));
    if (f.labels) parts.push(inList(ctx, 'k.name_key', f.labels.map(nameKey), 'text'));
    if (f.annotators) parts.push(inList(ctx, 'l.annotator', f.annotators, 'text'));
    if (f.updatedFromUs !== undefined) parts.push(sql<boolean>`l.updated_us >= ${f.updatedFromUs}`);
    if (f.updatedToUs !== undefined) parts.push(sql<boolean>`l.updated_us < ${f.updatedToUs}`);
    return sql<boolean>`${sql.join(parts, sql` AND `)}`;
  };
  const counted = () =>
    db
      .selectFrom('dataset_labels as l')
      .innerJoin('dataset_classes as k', 'k.id', 'l.class_id')
      .select((eb) => eb.fn.countAll<number>().as('n'));

  return {
    async get(id) {
      const r = await labels().where('l.id', '=', id).executeTakeFirst();
      return r ? toLabel(r) : undefined;
    },
    async insert(l: NewLabel) {
      return (
        await db
          .insertInto('dataset_labels')
          .values({
            project_id: l.projectId,
            clip_id: l.clipId,
            class_id: l.classId,
            channel: l.channel,
            start_sample: l.startSample,
            end_sample: l.endSample,
            low_hz: l.lowHz,
            high_hz: l.highHz,
            annotator: l.annotator,
            created_us: l.atUs,
            updated_us: l.atUs,
            updated_by: l.annotator,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    },
    async update(id, g: LabelGeometry, by, atUs) {
      await db
        .updateTable('dataset_labels')
        .set((eb) => ({
          class_id: g.classId,
          channel: g.channel,
          start_sample: g.startSample,
          end_sample: g.endSample,
          low_hz: g.lowHz,
          high_hz: g.highHz,
          updated_us: atUs,
          updated_by: by,
          version: eb('version', '+', 1),
        }))
        .where('id', '=', id)
        .execute();
    },
    async delete(id) {
      await db.deleteFrom('dataset_labels').where('id', '=', id).execute();
    },
    async findIdentical(clipId, g) {
      // IS NOT DISTINCT FROM is SQLite's `IS`: two missing bands are the same band (both dialects know it).
      return (
        await db
          .selectFrom('dataset_labels')
          .select('id')
          .where('clip_id', '=', clipId)
          .where('class_id', '=', g.classId)
          .where('channel', '=', g.channel)
          .where('start_sample', '=', g.startSample)
          .where('end_sample', '=', g.endSample)
          .where('low_hz', 'is not distinct from', g.lowHz)
          .where('high_hz', 'is not distinct from', g.highHz)
          .limit(ONE)
          .executeTakeFirst()
      )?.id;
    },
    async list(projectId, clipId, f, limit, offset) {
      return (
        await labels()
          .where(filter(projectId, clipId, f))
          .orderBy('l.clip_id')
          .orderBy('l.start_sample')
          .orderBy('l.id')
          .limit(limit)
          .offset(offset)
          .execute()
      ).map(toLabel);
    },
    async count(projectId, clipId, f) {
      return (
        await counted()
          .where(filter(projectId, clipId, f))
          .executeTakeFirstOrThrow()
      ).n;
    },
  };
}
