import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Core } from '../../../src/core/core.ts';
import type { Project, ProjectClip } from '../../../src/contract/index.ts';
import { labellerAgreement, matchOnsets } from '../../../src/dataset/agreement.ts';
import { setClipState } from '../../../src/dataset/clip-states.ts';
import { createLabel } from '../../../src/dataset/labels.ts';
import { projectWithClips } from '../../support/dataset.ts';
import { tempDir } from '../../support/temp.ts';
import { openBackendCore, type BackendCore } from '../../support/backend-core.ts';
import { backendUnavailable, testBackend } from '../../support/database.ts';

describe('onset matching', () => {
  it('matches one to one within the tolerance, as many as any matching can (pairing nearest first would lose one here)', () => {
    expect(matchOnsets([0.1, 0.2, 0.3], [0.1, 0.2, 0.3], 0.01)).toBe(3);
    expect(matchOnsets([0.1, 0.14], [0.13], 0.05)).toBe(1);
    // 0.10 could take 0.14 or 0.06; 0.18 only 0.14: a maximum matching pairs both.
    expect(matchOnsets([0.1, 0.18], [0.06, 0.14], 0.05)).toBe(2);
    expect(matchOnsets([0.18, 0.1], [0.14, 0.06], 0.05)).toBe(2);
    expect(matchOnsets([0.1], [0.2], 0.05)).toBe(0);
    // The tolerance is inclusive, also where seconds from samples land a hair past it (80 samples at 16 kHz).
    expect(matchOnsets([12345 / 16000], [(12345 + 80) / 16000], 0.005)).toBe(1);
    expect(matchOnsets([12345 / 16000], [(12345 + 81) / 16000], 0.005)).toBe(0);
    expect(matchOnsets([], [0.2], 0.05)).toBe(0);
  });
});

describe.skipIf(backendUnavailable("trainers' agreement"))(`trainers' agreement per class (${testBackend()})`, () => {
  let tmp: ReturnType<typeof tempDir>;
  let backend: BackendCore;
  let core: Core;
  let project: Project;
  let clips: ProjectClip[];
  const classId = (name: string) => project.classes.find((c) => c.name === name)!.id;
  const label = (who: string, clip: ProjectClip, name: string, onsetS: number) =>
    createLabel(core, who, {
      clipId: clip.id,
      classId: classId(name),
      channel: 0,
      startSample: Math.round(onsetS * 16000),
      endSample: Math.round(onsetS * 16000) + 160,
      lowHz: null,
      highHz: null,
    });

  beforeAll(async () => {
    tmp = tempDir();
    backend = await openBackendCore(join(tmp.dir, 'data'));
    core = backend.core;
    ({ project, clips } = await projectWithClips(core, join(tmp.dir, 'field'), { clips: 3, wav: () => ({ sampleRate: 16000, frames: 32000 }) }));
    const [one, two, three] = clips as [ProjectClip, ProjectClip, ProjectClip];
    // Clip one: muzzle blasts agree within 10 ms; one echo each, 80 ms apart (outside 50 ms).
    for (const t of [0.1, 0.5, 0.9]) await label('tina', one, 'muzzle_blast', t);
    for (const t of [0.105, 0.51, 0.895]) await label('theo', one, 'muzzle_blast', t);
    await label('tina', one, 'echo', 1.2);
    await label('theo', one, 'echo', 1.28);
    // Clip two: theo marked it done with no labels, tina found a shockwave: a miss, counted.
    await label('tina', two, 'shockwave', 0.3);
    await setClipState(core, 'theo', two.id, 'done');
    // Clip three: only tina worked on it; not compared.
    await label('tina', three, 'noise', 0.4);
  });
  afterAll(async () => {
    await backend.close();
    tmp.cleanup();
  });

  it('compares each pair over the clips both worked on, per class', async () => {
    const r = await labellerAgreement(core, project.id);
    expect(r.trainers).toEqual(['theo', 'tina']);
    expect(r.toleranceMs).toBe(50);
    expect(r.pairs).toHaveLength(1);
    expect(r.pairs[0]).toMatchObject({ a: 'theo', b: 'tina', sharedClips: 2 });
    expect(r.classes).toEqual([
      { label: 'muzzle_blast', matched: 3, events: 6, f: 1 },
      { label: 'shockwave', matched: 0, events: 1, f: 0 },
      { label: 'echo', matched: 0, events: 2, f: 0 },
    ]);
    // A wider tolerance takes the echoes 80 ms apart as one event.
    expect((await labellerAgreement(core, project.id, 100)).classes.find((c) => c.label === 'echo')).toEqual({ label: 'echo', matched: 1, events: 2, f: 1 });
  });

  it('refuses an unknown project', async () => {
    await expect(labellerAgreement(core, 999_999)).rejects.toThrow(/999999/);
  });
});
