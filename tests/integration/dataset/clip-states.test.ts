import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { Project, ProjectClip } from '../../../src/contract/index.ts';
import { listClipStates, setClipState } from '../../../src/dataset/clip-states.ts';
import { updateTaxonomy } from '../../../src/dataset/projects.ts';
import { projectWithClips } from '../../support/dataset.ts';
import { auditRows, openBackendCore, portTableCounts, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';
import { tempDir } from '../../support/temp.ts';

describe.skipIf(backendUnavailable('clip states'))(`each trainer's clip states and the second bank of class keys (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let project: Project;
  let clips: ProjectClip[];

  beforeAll(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    ({ project, clips } = await projectWithClips(core, join(tmp.dir, 'field'), { clips: 3, wav: () => ({ frames: 1600 }) }));
  });
  afterAll(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('keeps a state per trainer and clip, audits changes, and writes nothing for no change', async () => {
    expect(await listClipStates(core, 'tina', project.id)).toEqual({ trainer: 'tina', states: [] });
    expect(await setClipState(core, 'tina', clips[0]!.id, 'done')).toMatchObject({ clipId: clips[0]!.id, state: 'done' });
    await setClipState(core, 'tina', clips[1]!.id, 'skipped');
    await setClipState(core, 'theo', clips[0]!.id, 'skipped');
    expect((await listClipStates(core, 'tina', project.id)).states.map((s) => [s.clipId, s.state])).toEqual([
      [clips[0]!.id, 'done'],
      [clips[1]!.id, 'skipped'],
    ]);
    expect((await listClipStates(core, 'theo', project.id)).states.map((s) => [s.clipId, s.state])).toEqual([[clips[0]!.id, 'skipped']]);
    const before = await portTableCounts(backend.probe);
    await setClipState(core, 'tina', clips[0]!.id, 'done');
    expect(await portTableCounts(backend.probe)).toEqual(before);
    await setClipState(core, 'tina', clips[0]!.id, 'todo');
    expect((await listClipStates(core, 'tina', project.id)).states.find((s) => s.clipId === clips[0]!.id)!.state).toBe('todo');
    const audit = await auditRows(backend.probe, 'dataset.clip.state');
    expect(audit.map((a) => JSON.parse(a.payload_json) as { state: string })).toHaveLength(4);
  });

  it('refuses an unknown clip or project, changing nothing', async () => {
    const before = await portTableCounts(backend.probe);
    await expect(setClipState(core, 'tina', 999_999, 'done')).rejects.toThrow(/no project clip 999999/);
    await expect(listClipStates(core, 'tina', 999_999)).rejects.toThrow();
    expect(await portTableCounts(backend.probe)).toEqual(before);
  });

  it('gives classes 10-18 keys (the second bank) and keeps every key unique', async () => {
    const withKeys = project.classes.map((c) => ({ id: c.id, name: c.name, colour: c.colour, hotkey: c.hotkey }));
    // The default taxonomy already keys all 14 classes: 1-9, then 10-14.
    expect(withKeys.map((c) => c.hotkey)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const swapped = withKeys.map((c) => (c.hotkey === 1 ? { ...c, hotkey: 18 } : c.hotkey === 14 ? { ...c, hotkey: 1 } : c));
    const updated = await updateTaxonomy(core, 'tina', project.id, swapped);
    expect(updated.classes.find((c) => c.name === 'muzzle_blast')!.hotkey).toBe(18);
    expect(updated.classes.find((c) => c.name === 'not_reviewable')!.hotkey).toBe(1);
    await expect(
      updateTaxonomy(
        core,
        'tina',
        project.id,
        swapped.map((c) => (c.name === 'echo' ? { ...c, hotkey: 18 } : c)),
      ),
    ).rejects.toThrow(/hotkey 18 is given to both/);
  });
});
