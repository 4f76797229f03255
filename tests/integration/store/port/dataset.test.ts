import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LabelFilter } from '../../../../src/contract/index.ts';
import type { NewProjectClip } from '../../../../src/kernel/store-port.ts';
import { StoreConstraintError } from '../../../../src/kernel/store-errors.ts';
import { backendUnavailable, openTestDatabase, testBackend, type TestDatabase } from '../../../support/database.ts';
import { hex64, newAlert, solutionBody, T0 } from '../../../support/store-fixtures.ts';

const kind = (k: StoreConstraintError['kind']) => (e: unknown) => e instanceof StoreConstraintError && e.kind === k;
const file = (n: number) => ({ sha256: hex64(9000 + n), bytes: 1000 + n, format: 'pcm24', sampleRate: 48_000, channels: 2, frames: 96_000 });
const projectClip = (projectId: number, n: number, o: Partial<NewProjectClip> = {}): NewProjectClip => ({
  projectId,
  sha256: file(n).sha256,
  origin: 'audio',
  originKey: 'audio',
  alertId: null,
  sensorId: null,
  channel: 0,
  clipStartUs: null,
  name: `clip-${n}.wav`,
  site: 'lab',
  sensorKey: 'mic',
  addedBy: 'tina',
  addedUs: T0 + n,
  ...o,
});

describe.skipIf(backendUnavailable('dataset queries'))(`data set projects, classes, clips and labels (${testBackend()})`, () => {
  let t: TestDatabase;
  beforeEach(async () => (t = await openTestDatabase()));
  afterEach(async () => t.close());

  it('keeps projects unique by their folded name and lists them by it, with their counts and classes', async () => {
    const [b, a] = await t.store.write(async (tx) => [
      await tx.datasetProjects.insertProject('Bravo', 'b', 'tina', T0),
      await tx.datasetProjects.insertProject('Äpfel', '', 'tina', T0 + 1),
    ]);
    await expect(t.store.write((tx) => tx.datasetProjects.insertProject('bravo', '', 'tina', T0))).rejects.toSatisfy(kind('unique'));
    await expect(t.store.write((tx) => tx.datasetProjects.insertProject('äPFEL', '', 'tina', T0))).rejects.toSatisfy(kind('unique'));
    expect(await t.store.read((tx) => tx.datasetProjects.projectIdByName('BRAVO'))).toBe(b);
    expect(await t.store.read((tx) => tx.datasetProjects.projectIdByName('ÄPFEL'))).toBe(a);
    await t.store.write(async (tx) => {
      await tx.datasetProjects.updateProject(b!, 'Charlie', 'c', T0 + 5);
      await tx.datasetProjects.insertClass(b!, { name: 'Shot', colour: '#ff0000', hotkey: 1, position: 2 });
      await tx.datasetProjects.insertClass(b!, { name: 'Echo', colour: '#00ff00', hotkey: null, position: 1 });
      await tx.datasetProjects.insertClipFile(file(1), T0);
      await tx.datasetProjects.insertProjectClip(projectClip(b!, 1));
    });
    const projects = await t.store.read((tx) => tx.datasetProjects.listProjects());
    expect(projects.map((p) => p.name)).toEqual(['Charlie', 'Äpfel']);
    expect(projects[0]).toEqual({
      id: b,
      name: 'Charlie',
      description: 'c',
      createdBy: 'tina',
      createdUs: T0,
      updatedUs: T0 + 5,
      clipCount: 1,
      labelCount: 0,
      classes: [
        { id: 2, name: 'Echo', colour: '#00ff00', hotkey: null, position: 1 },
        { id: 1, name: 'Shot', colour: '#ff0000', hotkey: 1, position: 2 },
      ],
    });
    await t.store.write((tx) => tx.datasetProjects.touchProject(a!, T0 + 7));
    expect((await t.store.read((tx) => tx.datasetProjects.project(a!)))!.updatedUs).toBe(T0 + 7);
    expect(await t.store.read((tx) => tx.datasetProjects.project(99))).toBeUndefined();
  });

  it('keeps class names and hotkeys unique per project, swaps them through a parked class, and checks colours', async () => {
    const p = await t.store.write((tx) => tx.datasetProjects.insertProject('P', '', 'tina', T0));
    const [shot, echo] = await t.store.write(async (tx) => [
      await tx.datasetProjects.insertClass(p, { name: 'Shot', colour: '#ff0000', hotkey: 1, position: 1 }),
      await tx.datasetProjects.insertClass(p, { name: 'Echo', colour: '#00ff00', hotkey: 2, position: 2 }),
    ]);
    await expect(t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'SHOT', colour: '#000000', hotkey: 3, position: 3 }))).rejects.toSatisfy(
      kind('unique'),
    );
    await expect(t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'Other', colour: '#000000', hotkey: 1, position: 3 }))).rejects.toSatisfy(
      kind('unique'),
    );
    await expect(t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'Other', colour: '#GGGGGG', hotkey: null, position: 3 }))).rejects.toSatisfy(
      kind('check'),
    );
    // Keys 10-18 are the second bank's 1-9 (a column of their own); there is no key 19.
    await expect(t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'Other', colour: '#000000', hotkey: 19, position: 3 }))).rejects.toSatisfy(
      kind('check'),
    );
    const tenth = await t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'Tenth', colour: '#0000ff', hotkey: 10, position: 3 }));
    await expect(t.store.write((tx) => tx.datasetProjects.insertClass(p, { name: 'Again', colour: '#000000', hotkey: 10, position: 4 }))).rejects.toSatisfy(
      kind('unique'),
    );
    await t.store.write((tx) => tx.datasetProjects.updateClass(p, tenth, { name: 'Tenth', colour: '#0000ff', hotkey: 18, position: 3 }));
    expect((await t.store.read((tx) => tx.datasetProjects.classes(p))).find((c) => c.id === tenth)?.hotkey).toBe(18);
    await t.store.write(async (tx) => {
      await tx.datasetProjects.parkClass(tenth);
      await tx.datasetProjects.updateClass(p, tenth, { name: 'Tenth', colour: '#0000ff', hotkey: 3, position: 3 });
    });
    expect((await t.store.read((tx) => tx.datasetProjects.classes(p))).find((c) => c.id === tenth)?.hotkey).toBe(3);
    await t.store.write((tx) => tx.datasetProjects.deleteClass(p, tenth));
    await t.store.write(async (tx) => {
      await tx.datasetProjects.parkClass(shot!);
      await tx.datasetProjects.updateClass(p, echo!, { name: 'Shot', colour: '#00ff00', hotkey: 1, position: 1 });
      await tx.datasetProjects.updateClass(p, shot!, { name: 'Echo', colour: '#ff0000', hotkey: 2, position: 2 });
    });
    expect((await t.store.read((tx) => tx.datasetProjects.classes(p))).map((c) => [c.id, c.name, c.hotkey])).toEqual([
      [echo, 'Shot', 1],
      [shot, 'Echo', 2],
    ]);
    await t.store.write((tx) => tx.datasetProjects.deleteClass(p, shot!));
    expect(await t.store.read((tx) => tx.datasetProjects.classes(p))).toHaveLength(1);
  });

  it('records clip files once, adds project clips from audio and alerts, and reads them by page and by ids', async () => {
    const p = await t.store.write((tx) => tx.datasetProjects.insertProject('P', '', 'tina', T0));
    const alertId = await t.store.write(async (tx) => {
      const id = await tx.alerts.insert(newAlert(1));
      await tx.alerts.addSolution(id, 'machine', 'locator', T0, solutionBody(4));
      await tx.decisions.insert({
        alertId: id,
        class: 'gunfire_multiple',
        rounds: 5,
        flags: { fullyAutomatic: false, multipleShooters: false },
        notes: '',
        decidedBy: 'dan',
        decidedUs: T0,
        reviewMs: 1,
      });
      return id;
    });
    const ids = await t.store.write(async (tx) => {
      const out: number[] = [];
      for (let n = 1; n <= 5; n++) {
        await tx.datasetProjects.insertClipFile(file(n), T0);
        await tx.datasetProjects.insertClipFile({ ...file(n), bytes: 1 }, T0 + 1);
        out.push(await tx.datasetProjects.insertProjectClip(projectClip(p, n, n === 4 ? { sourceRecording: 'site-1/mic-2' } : {})));
      }
      const track = newAlert(1).sensors[0]!.clip.sha256;
      out.push(
        await tx.datasetProjects.insertProjectClip(
          projectClip(p, 1, { sha256: track, origin: 'alert', originKey: `alert:${alertId}/S-1`, alertId, sensorId: 'S-1', clipStartUs: T0 + 1 }),
        ),
      );
      return out;
    });
    expect(await t.store.read((tx) => tx.datasetProjects.clipFile(file(2).sha256))).toEqual(file(2));
    await expect(t.store.write((tx) => tx.datasetProjects.insertProjectClip(projectClip(p, 2)))).rejects.toSatisfy(kind('unique'));
    await expect(t.store.write((tx) => tx.datasetProjects.insertProjectClip(projectClip(p, 2, { originKey: 'x', origin: 'alert' })))).rejects.toSatisfy(
      kind('check'),
    );
    await expect(t.store.write((tx) => tx.datasetProjects.insertProjectClip(projectClip(p, 2, { originKey: 'y', sha256: 'e'.repeat(64) })))).rejects.toSatisfy(
      kind('foreign_key'),
    );
    expect(await t.store.read((tx) => tx.datasetProjects.findProjectClip(p, file(3).sha256, 'audio'))).toEqual({ id: ids[2], name: 'clip-3.wav' });
    expect(await t.store.read((tx) => tx.datasetProjects.clip(ids[5]!))).toMatchObject({
      origin: 'alert',
      alertId,
      sensorId: 'S-1',
      clipStartUs: T0 + 1,
      clip: { sampleRate: 8000, durationS: 2 },
      labelCount: 0,
    });
    expect((await t.store.read((tx) => tx.datasetProjects.clips(p, 2, 1))).map((c) => c.id)).toEqual([ids[1], ids[2]]);
    expect((await t.store.read((tx) => tx.datasetProjects.clips(p, 6, 0))).map((c) => c.sourceRecording)).toEqual([
      null,
      null,
      null,
      'site-1/mic-2',
      null,
      null,
    ]);
    expect(await t.store.read((tx) => tx.datasetProjects.clipCount(p))).toBe(6);
    expect((await t.store.read((tx) => tx.datasetProjects.clipsByIds(p, [ids[4]!, ids[0]!, 999]))).map((c) => c.id)).toEqual([ids[0], ids[4]]);
    expect(await t.store.read((tx) => tx.datasetProjects.clipsByIds(p, []))).toEqual([]);
    // A long id list is one parameter, not thousands.
    const many = Array.from({ length: 40_000 }, (_, i) => i + 1);
    expect(await t.store.read((tx) => tx.datasetProjects.clipsByIds(p, many))).toHaveLength(6);
    expect(await t.store.read((tx) => tx.datasetProjects.alertFacts(alertId))).toEqual({
      alertId,
      source: 'test-net',
      externalId: 'A-1',
      detectedUs: T0 + 60_000_000,
      decisionClass: 'gunfire_multiple',
      decisionRounds: 5,
      decidedBy: 'dan',
      solutionRounds: 4,
      lat: 38.61,
      lon: -121.41,
    });
    expect(await t.store.read((tx) => tx.datasetProjects.alertFacts(99))).toBeUndefined();
  });

  it("keeps each trainer's state of each clip: to do without a row, one row per clip and trainer, changed in place", async () => {
    const p = await t.store.write((tx) => tx.datasetProjects.insertProject('P', '', 'tina', T0));
    const other = await t.store.write((tx) => tx.datasetProjects.insertProject('Q', '', 'tina', T0));
    const [a, b, c] = await t.store.write(async (tx) => {
      for (let n = 1; n <= 3; n++) await tx.datasetProjects.insertClipFile(file(n), T0);
      return [
        await tx.datasetProjects.insertProjectClip(projectClip(p, 1)),
        await tx.datasetProjects.insertProjectClip(projectClip(p, 2)),
        await tx.datasetProjects.insertProjectClip(projectClip(other, 3)),
      ];
    });
    expect(await t.store.read((tx) => tx.datasetProjects.clipState(a!, 'tina'))).toBe('todo');
    await t.store.write(async (tx) => {
      await tx.datasetProjects.putClipState(b!, 'tina', 'skipped', T0 + 1);
      await tx.datasetProjects.putClipState(a!, 'tina', 'done', T0 + 2);
      await tx.datasetProjects.putClipState(a!, 'ünal', 'done', T0 + 3);
      await tx.datasetProjects.putClipState(c!, 'zoe', 'done', T0 + 3);
    });
    await t.store.write((tx) => tx.datasetProjects.putClipState(b!, 'tina', 'done', T0 + 4));
    expect(await t.store.read((tx) => tx.datasetProjects.clipStates(p, 'tina'))).toEqual([
      { clipId: a, state: 'done', updatedUs: T0 + 2 },
      { clipId: b, state: 'done', updatedUs: T0 + 4 },
    ]);
    expect(await t.store.read((tx) => tx.datasetProjects.clipState(b!, 'tina'))).toBe('done');
    // By code point, as SQLite compares: 'tina' before 'ünal'; 'zoe' works on another project.
    expect(await t.store.read((tx) => tx.datasetProjects.clipStateTrainers(p))).toEqual(['tina', 'ünal']);
    await expect(t.store.write((tx) => tx.datasetProjects.putClipState(a!, 'tina', 'maybe' as 'done', T0))).rejects.toSatisfy(kind('check'));
    await expect(t.store.write((tx) => tx.datasetProjects.putClipState(999, 'tina', 'done', T0))).rejects.toSatisfy(kind('foreign_key'));
  });

  it('caches derived peaks once per clip channel, exactly', async () => {
    await t.store.write((tx) => tx.datasetProjects.insertClipFile(file(1), T0));
    const peaks = Float32Array.from([0.5, -0.25, 1, -1, 0.1]);
    await t.store.write((tx) => tx.datasetProjects.putPeaks(file(1).sha256, 1, 100, peaks));
    await t.store.write((tx) => tx.datasetProjects.putPeaks(file(1).sha256, 1, 50, Float32Array.from([9])));
    const got = (await t.store.read((tx) => tx.datasetProjects.peaks(file(1).sha256, 1)))!;
    expect([got.peaksPerSecond, Array.from(got.peaks)]).toEqual([100, Array.from(peaks)]);
    expect(await t.store.read((tx) => tx.datasetProjects.peaks(file(1).sha256, 0))).toBeUndefined();
  });

  it('keeps labels in samples: inserts, versions each change, finds an identical one, filters, pages and counts', async () => {
    const { p, q, shot, echo, other, clips } = await t.store.write(async (tx) => {
      const p = await tx.datasetProjects.insertProject('P', '', 'tina', T0);
      const q = await tx.datasetProjects.insertProject('Q', '', 'tina', T0);
      const shot = await tx.datasetProjects.insertClass(p, { name: 'Shot', colour: '#ff0000', hotkey: 1, position: 1 });
      const echo = await tx.datasetProjects.insertClass(p, { name: 'Écho', colour: '#00ff00', hotkey: 2, position: 2 });
      const other = await tx.datasetProjects.insertClass(q, { name: 'Shot', colour: '#ff0000', hotkey: 1, position: 1 });
      const clips: number[] = [];
      for (let n = 1; n <= 2; n++) {
        await tx.datasetProjects.insertClipFile(file(n), T0);
        clips.push(await tx.datasetProjects.insertProjectClip(projectClip(p, n)));
      }
      return { p, q, shot, echo, other, clips };
    });
    const label = (clipId: number, classId: number, start: number, o: { band?: [number, number]; annotator?: string; atUs?: number } = {}) =>
      t.store.write((tx) =>
        tx.datasetLabels.insert({
          projectId: p,
          clipId,
          classId,
          channel: 0,
          startSample: start,
          endSample: start + 100,
          lowHz: o.band?.[0] ?? null,
          highHz: o.band?.[1] ?? null,
          annotator: o.annotator ?? 'tina',
          atUs: o.atUs ?? T0,
        }),
      );
    const l1 = await label(clips[0]!, shot, 500);
    const l2 = await label(clips[0]!, echo, 100, { band: [200, 4000.5], annotator: 'uma', atUs: T0 + 10 });
    const l3 = await label(clips[1]!, shot, 0, { atUs: T0 + 20 });
    expect(await t.store.read((tx) => tx.datasetLabels.get(l2))).toEqual({
      id: l2,
      projectId: p,
      clipId: clips[0],
      classId: echo,
      label: 'Écho',
      channel: 0,
      startSample: 100,
      endSample: 200,
      sampleRate: 48_000,
      lowHz: 200,
      highHz: 4000.5,
      annotator: 'uma',
      createdUs: T0 + 10,
      updatedUs: T0 + 10,
      updatedBy: 'uma',
      version: 1,
    });
    const g = (classId: number, start: number, band: [number, number] | null) => ({
      classId,
      channel: 0,
      startSample: start,
      endSample: start + 100,
      lowHz: band?.[0] ?? null,
      highHz: band?.[1] ?? null,
    });
    expect(await t.store.read((tx) => tx.datasetLabels.findIdentical(clips[0]!, g(shot, 500, null)))).toBe(l1);
    expect(await t.store.read((tx) => tx.datasetLabels.findIdentical(clips[0]!, g(echo, 100, [200, 4000.5])))).toBe(l2);
    expect(await t.store.read((tx) => tx.datasetLabels.findIdentical(clips[0]!, g(echo, 100, null)))).toBeUndefined();
    const list = async (clipId: number | null, f: LabelFilter, limit = 10, offset = 0) =>
      (await t.store.read((tx) => tx.datasetLabels.list(p, clipId, f, limit, offset))).map((l) => l.id);
    const count = (clipId: number | null, f: LabelFilter) => t.store.read((tx) => tx.datasetLabels.count(p, clipId, f));
    expect(await list(null, {})).toEqual([l2, l1, l3]);
    expect(await list(clips[0]!, {})).toEqual([l2, l1]);
    expect(await list(null, { clipIds: [clips[1]!] })).toEqual([l3]);
    expect(await list(null, { clipIds: [] })).toEqual([]);
    expect(await list(null, { labels: ['shot'] })).toEqual([l1, l3]);
    expect(await list(null, { labels: ['ÉCHO'] })).toEqual([l2]);
    expect(await list(null, { annotators: ['uma'] })).toEqual([l2]);
    expect(await list(null, { updatedFromUs: T0 + 10, updatedToUs: T0 + 20 })).toEqual([l2]);
    expect(await list(null, {}, 1, 1)).toEqual([l1]);
    expect(await count(null, {})).toBe(3);
    expect(await count(null, { labels: ['shot'], annotators: ['tina'] })).toBe(2);
    expect(await count(clips[1]!, { labels: ['Écho'] })).toBe(0);
    await t.store.write((tx) => tx.datasetLabels.update(l1, { ...g(echo, 600, [10, 20]), channel: 1 }, 'uma', T0 + 30));
    expect(await t.store.read((tx) => tx.datasetLabels.get(l1))).toMatchObject({
      classId: echo,
      startSample: 600,
      channel: 1,
      lowHz: 10,
      updatedBy: 'uma',
      updatedUs: T0 + 30,
      version: 2,
      annotator: 'tina',
    });
    expect(await t.store.read((tx) => tx.datasetProjects.classUsage(echo))).toBe(2);
    // The database keeps a label's class in its project, and its geometry sane.
    await expect(t.store.write((tx) => tx.datasetLabels.update(l1, g(other, 600, null), 'uma', T0))).rejects.toSatisfy(kind('guard'));
    await expect(label(clips[0]!, other, 1)).rejects.toSatisfy(kind('guard'));
    await expect(
      t.store.write((tx) =>
        tx.datasetLabels.insert({
          projectId: p,
          clipId: clips[0]!,
          classId: shot,
          channel: 0,
          startSample: 10,
          endSample: 5,
          lowHz: null,
          highHz: null,
          annotator: 'x',
          atUs: T0,
        }),
      ),
    ).rejects.toSatisfy(kind('check'));
    await t.store.write((tx) => tx.datasetLabels.delete(l3));
    expect(await t.store.read((tx) => tx.datasetLabels.get(l3))).toBeUndefined();
    void q;
  });
});
