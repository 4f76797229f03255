import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import { newSession, type Session } from '../../../src/kernel/session.ts';
import type { Label, Project, ProjectClip } from '../../../src/contract/index.ts';
import { tempDir } from '../../support/temp.ts';
import { projectWithClips } from '../../support/dataset.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';

describe.skipIf(backendUnavailable('projects and labels'))(`projects, taxonomy and labels through the contract (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let trainer: Session;
  let reviewer: Session;
  let project: Project;
  let clips: ProjectClip[];
  const audit = (action: string) => auditRows(backend.probe, action);
  const call = async (s: Session, m: string, input: unknown) => core.dispatch(s, m, input);
  const ok = async <T>(m: string, input: unknown, s: Session = trainer): Promise<T> => {
    const r = await call(s, m, input);
    if (!r.ok) throw new Error(`${m}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const cls = (name: string) => project.classes.find((c) => c.name === name)!;

  beforeEach(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    trainer = newSession('loopback', { name: 'tina', roles: ['trainer'] });
    reviewer = newSession('loopback', { name: 'rob', roles: ['reviewer'] });
    ({ project, clips } = await projectWithClips(core, join(tmp.dir, 'audio'), {
      clips: 2,
      wav: (i) => ({ channels: i + 1, sampleRate: 16000, frames: 32000 }),
    }));
  });
  afterEach(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('starts from the review taxonomy plus pulse labels, every class on its own key (1-9, then the second bank 10-14)', () => {
    const names = project.classes.map((c) => c.name);
    expect(names.slice(0, 4)).toEqual(['muzzle_blast', 'shockwave', 'echo', 'noise']);
    expect(names).toContain('gunfire_single');
    expect(names).toContain('not_reviewable');
    const keys = project.classes.flatMap((c) => (c.hotkey === null ? [] : [c.hotkey]));
    expect([...keys].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
  });

  it('refuses a second project of the same name in another case, and reviewers may not create projects', async () => {
    const dup = await call(trainer, 'createProject', { name: 'TEST PROJECT' });
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call(reviewer, 'createProject', { name: 'other' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await call(trainer, 'createProject', { name: 'bad\nname' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const listed = await ok<{ projects: Project[] }>('listProjects', {}, reviewer);
    expect(listed.projects.map((p) => p.name)).toEqual(['Test project']);
  });

  it('edits the taxonomy in one step: swap hotkeys, rename (labels follow), add, remove; refuses removing a used class', async () => {
    const echo = cls('echo');
    const label = await ok<Label>('createLabel', { clipId: clips[0]!.id, classId: echo.id, startSample: 10, endSample: 20 });
    const next = project.classes.map((c) => ({
      id: c.id,
      name: c.name === 'echo' ? 'reflection' : c.name,
      colour: c.colour,
      hotkey: c.name === 'muzzle_blast' ? 2 : c.name === 'shockwave' ? 1 : c.hotkey,
    }));
    next.push({ id: undefined as unknown as number, name: 'ricochet', colour: '#ABCDEF', hotkey: null });
    const withoutNoise = next.filter((c) => c.name !== 'noise');
    const updated = await ok<Project>('updateTaxonomy', {
      projectId: project.id,
      classes: withoutNoise.map(({ id, ...rest }) => (id ? { id, ...rest } : rest)),
    });
    expect(updated.classes.find((c) => c.name === 'muzzle_blast')!.hotkey).toBe(2);
    expect(updated.classes.find((c) => c.name === 'shockwave')!.hotkey).toBe(1);
    expect(updated.classes.find((c) => c.name === 'ricochet')).toMatchObject({ colour: '#abcdef', position: updated.classes.length - 1 });
    expect(updated.classes.some((c) => c.name === 'noise')).toBe(false);
    expect(((await ok<Label[]>('listLabels', { projectId: project.id })) as unknown as { labels: Label[] }).labels[0]!.label).toBe('reflection');
    expect((await core.storePort.read((tx) => tx.datasetLabels.get(label.id)))!.label).toBe('reflection');

    const withoutReflection = updated.classes.filter((c) => c.name !== 'reflection').map(({ id, name, colour, hotkey }) => ({ id, name, colour, hotkey }));
    const before = await portTableCounts(backend.probe);
    const refused = await call(trainer, 'updateTaxonomy', { projectId: project.id, classes: withoutReflection });
    expect(refused).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!refused.ok && refused.error.message).toMatch(/"reflection" \(1 labels\)/);
    expect(await portTableCounts(backend.probe)).toEqual(before);

    const clash = updated.classes.map(({ id, name, colour }) => ({ id, name, colour, hotkey: 3 }));
    expect(await call(trainer, 'updateTaxonomy', { projectId: project.id, classes: clash })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    const twins = [...updated.classes.map(({ id, name, colour, hotkey }) => ({ id, name, colour, hotkey })), { name: 'RICOCHET', colour: '#000000' }];
    expect(await call(trainer, 'updateTaxonomy', { projectId: project.id, classes: twins })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await call(trainer, 'updateTaxonomy', { projectId: project.id, classes: [{ name: '=cmd', colour: '#000000' }] })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call(reviewer, 'updateTaxonomy', { projectId: project.id, classes: [] })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await audit('dataset.taxonomy.updated')).toHaveLength(1);
  });

  it('creates, resizes, moves, relabels and deletes a label, each with an audit entry naming the change', async () => {
    const clip = clips[1]!; // two channels
    const events: unknown[] = [];
    core.events.subscribe((e, p) => events.push([e, p]));
    const l1 = await ok<Label>('createLabel', {
      clipId: clip.id,
      classId: cls('muzzle_blast').id,
      channel: 1,
      startSample: 1000,
      endSample: 1500,
      lowHz: 200,
      highHz: 4000,
    });
    expect(l1).toMatchObject({
      channel: 1,
      startSample: 1000,
      endSample: 1500,
      lowHz: 200,
      highHz: 4000,
      label: 'muzzle_blast',
      annotator: 'tina',
      version: 1,
      sampleRate: 16000,
    });
    const resized = await ok<Label>('updateLabel', { id: l1.id, expectedVersion: 1, endSample: 1700 });
    const moved = await ok<Label>('updateLabel', { id: l1.id, expectedVersion: 2, startSample: 2000, endSample: 2700 });
    const relabelled = await ok<Label>('updateLabel', { id: l1.id, classId: cls('echo').id, lowHz: null, highHz: null });
    expect([resized.version, moved.version, relabelled.version]).toEqual([2, 3, 4]);
    expect(relabelled).toMatchObject({ label: 'echo', lowHz: null, highHz: null, startSample: 2000, endSample: 2700 });
    const stale = await call(trainer, 'updateLabel', { id: l1.id, expectedVersion: 2, startSample: 0 });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await call(reviewer, 'deleteLabel', { id: l1.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await ok('deleteLabel', { id: l1.id, expectedVersion: 4 });
    expect(await core.storePort.read((tx) => tx.datasetLabels.get(l1.id))).toBeUndefined();
    expect(await audit('dataset.label.created')).toHaveLength(1);
    expect((await audit('dataset.label.updated')).map((a) => JSON.parse(a.payload_json).changes)).toEqual([['resized'], ['moved'], ['relabelled', 'band']]);
    expect(JSON.parse((await audit('dataset.label.deleted'))[0]!.payload_json)).toMatchObject({ id: l1.id, label: 'echo', version: 4 });
    expect(events.filter((e) => (e as [string])[0] === 'datasetChanged')).toHaveLength(5);
  });

  it.each([
    ['a selection past the end of the clip', { startSample: 31990, endSample: 32001 }, /after the clip's last/],
    ['an empty selection', { startSample: 50, endSample: 50 }, /at or before it starts/],
    ['a channel the clip lacks', { channel: 1, startSample: 0, endSample: 10 }, /channel 1 does not exist/],
    ['half a band', { startSample: 0, endSample: 10, lowHz: 100 }, /both a low and a high/],
    ['a band above Nyquist', { startSample: 0, endSample: 10, lowHz: 100, highHz: 8000.01 }, /Nyquist/],
    ['an inverted band', { startSample: 0, endSample: 10, lowHz: 300, highHz: 200 }, /empty/],
  ])('refuses %s and writes nothing', async (_n, extra, message) => {
    const before = await portTableCounts(backend.probe);
    const r = await call(trainer, 'createLabel', { clipId: clips[0]!.id, classId: cls('echo').id, ...extra });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(message);
    expect(await portTableCounts(backend.probe)).toEqual(before);
  });

  it('stores the full band as no band, and a class of another project is refused', async () => {
    const l = await ok<Label>('createLabel', { clipId: clips[0]!.id, classId: cls('echo').id, startSample: 0, endSample: 10, lowHz: 0, highHz: 8000 });
    expect([l.lowHz, l.highHz]).toEqual([null, null]);
    const other = await ok<Project>('createProject', { name: 'Other' });
    const r = await call(trainer, 'createLabel', { clipId: clips[0]!.id, classId: other.classes[0]!.id, startSample: 0, endSample: 10 });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    // The schema holds the same rule even if code forgot it.
    await expect(
      core.storePort.write((tx) =>
        tx.datasetLabels.insert({
          projectId: project.id,
          clipId: clips[0]!.id,
          classId: other.classes[0]!.id,
          channel: 0,
          startSample: 0,
          endSample: 1,
          lowHz: null,
          highHz: null,
          annotator: 'x',
          atUs: 1,
        }),
      ),
    ).rejects.toThrow(/belong to its project/);
  });

  it('lists labels per clip and per project with filters', async () => {
    const mk = (clip: ProjectClip, name: string, start: number) =>
      ok<Label>('createLabel', { clipId: clip.id, classId: cls(name).id, startSample: start, endSample: start + 100 });
    await mk(clips[0]!, 'echo', 500);
    await mk(clips[0]!, 'muzzle_blast', 100);
    await mk(clips[1]!, 'echo', 300);
    const list = async (input: object) => await ok<{ labels: Label[]; total: number }>('listLabels', { projectId: project.id, ...input }, reviewer);
    expect((await list({})).labels.map((l) => [l.clipId, l.startSample])).toEqual([
      [clips[0]!.id, 100],
      [clips[0]!.id, 500],
      [clips[1]!.id, 300],
    ]);
    expect((await list({ clipId: clips[1]!.id })).total).toBe(1);
    expect((await list({ filter: { labels: ['ECHO'] } })).total).toBe(2);
    expect((await list({ filter: { labels: ['echo'], clipIds: [clips[1]!.id] } })).total).toBe(1);
    expect((await list({ filter: { annotators: ['someone else'] } })).total).toBe(0);
    expect((await list({ limit: 1, offset: 1 })).labels.map((l) => l.startSample)).toEqual([500]);
  });

  it('serves peaks of any channel of a plain clip, computed once', async () => {
    const p0 = await ok<{ peaks: number[]; peaksPerSecond: number }>('getProjectClipPeaks', { clipId: clips[1]!.id, channel: 1 }, reviewer);
    expect(p0.peaks.length).toBe(2 * 2000);
    expect(await core.storePort.read((tx) => tx.datasetProjects.peaks(clips[1]!.clip.sha256, 1))).toBeDefined();
    expect(await call(reviewer, 'getProjectClipPeaks', { clipId: clips[1]!.id, channel: 2 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
