import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openCore, type Core } from '../../../../src/core/core.ts';
import { importAudio } from '../../../../src/dataset/import-audio.ts';
import { createLabel, updateLabel } from '../../../../src/dataset/labels.ts';
import { createProject } from '../../../../src/dataset/projects.ts';
import { PostgresStore } from '../../../../src/store/postgres/store.ts';
import { ctl, writeWav } from '../../../support/dataset.ts';
import { backendUnavailable, openTestDatabase, type TestDatabase } from '../../../support/database.ts';
import { auditRows } from '../../../support/backend-core.ts';
import { tempDir } from '../../../support/temp.ts';

/**
 * Two servers on one PostgreSQL database, each with its own data folder (its own clip store):
 * the data set writes that read before they write take turns (tx.lock), so neither duplicates
 * nor silently overwrites the other's work, and each hears the other's changes.
 */
describe.skipIf(backendUnavailable('data sets shared by two servers', 'postgres'))("two servers on one database share the trainers' data sets", () => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestDatabase;
  let a: Core;
  let b: Core;
  beforeEach(async () => {
    tmp = tempDir();
    t = await openTestDatabase('postgres');
    const open = async (name: string) => {
      const port = await PostgresStore.open(t.url, { migrations: false, max: 10 });
      await port.listening();
      return openCore({ dataDir: join(tmp.dir, name), storePort: port });
    };
    [a, b] = [await open('a'), await open('b')];
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await t.close();
    tmp.cleanup();
  });

  it('creates a project name once when both servers try at the same moment', async () => {
    const results = await Promise.allSettled([
      createProject(a, 'tina', { name: 'Range day', description: '', taxonomy: 'default' }),
      createProject(b, 'theo', { name: 'RANGE DAY', description: '', taxonomy: 'empty' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected')!;
    expect(refused.reason).toMatchObject({ code: 'conflict', message: expect.stringMatching(/exists already/) });
    expect(await t.probe.query('SELECT name FROM dataset_projects')).toHaveLength(1);
    expect(await auditRows(t.probe, 'dataset.project.created')).toHaveLength(1);
  });

  it('adds the same audio once when both servers import it into one project at once, and each hears the other', async () => {
    const project = await createProject(a, 'tina', { name: 'Shared', description: '', taxonomy: 'default' });
    const field = join(tmp.dir, 'field');
    for (let i = 0; i < 8; i++) writeWav(join(field, 'site-1', 'mic-1', `rec-${i}.wav`), { seed: i + 1, frames: 1600 });
    const heardByA: number[] = [];
    a.events.subscribe((event, payload) => {
      if (event === 'datasetChanged') heardByA.push(...(payload as { clipIds: number[] }).clipIds);
    });
    const request = { projectId: project.id, paths: [field], onBadFile: 'abort' as const };
    const [ra, rb] = await Promise.all([importAudio(a, 'tina', request, ctl()), importAudio(b, 'theo', request, ctl())]);
    expect(ra.imported + rb.imported).toBe(8);
    expect(ra.duplicates + rb.duplicates).toBe(8);
    expect(await t.probe.query('SELECT id FROM dataset_clips WHERE project_id = ?', project.id)).toHaveLength(8);
    // One audit entry per import that added something, naming exactly the clips it added.
    const entries = (await auditRows(t.probe, 'dataset.audio.imported')).map((e) => JSON.parse(e.payload_json) as { clips: unknown[] });
    expect(entries.reduce((n, e) => n + e.clips.length, 0)).toBe(8);
    // What b added reaches a through NOTIFY, as a's own additions do locally.
    const until = Date.now() + 5000;
    while (heardByA.length < 8 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(heardByA.sort((x, y) => x - y)).toHaveLength(8);
  });

  it('lets one of two edits of a label at the same version through, and refuses the other', async () => {
    const project = await createProject(a, 'tina', { name: 'Edits', description: '', taxonomy: 'default' });
    writeWav(join(tmp.dir, 'one', 'rec.wav'), { frames: 16000 });
    await importAudio(a, 'tina', { projectId: project.id, paths: [join(tmp.dir, 'one')], onBadFile: 'abort' }, ctl());
    const [clip] = await a.storePort.read((tx) => tx.datasetProjects.clips(project.id, 1, 0));
    const label = await createLabel(a, 'tina', {
      clipId: clip!.id,
      classId: project.classes[0]!.id,
      startSample: 100,
      endSample: 900,
      lowHz: null,
      highHz: null,
    });
    const results = await Promise.allSettled([
      updateLabel(a, 'tina', { id: label.id, expectedVersion: label.version, startSample: 200 }),
      updateLabel(b, 'theo', { id: label.id, expectedVersion: label.version, endSample: 1200 }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    const now = await b.storePort.read((tx) => tx.datasetLabels.get(label.id));
    expect(now!.version).toBe(label.version + 1);
    expect(await auditRows(t.probe, 'dataset.label.updated')).toHaveLength(1);
  });
});
