import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeChannel, parseWav } from '../../../src/audio/wav.ts';
import type { Core } from '../../../src/core/core.ts';
import { openTestCore } from '../../support/test-core.ts';
import type { Project } from '../../../src/contract/index.ts';
import { exportDataset } from '../../../src/dataset/export.ts';
import { addAlertsToProject } from '../../../src/dataset/import-alerts.ts';
import { importAudio } from '../../../src/dataset/import-audio.ts';
import { createLabel } from '../../../src/dataset/labels.ts';
import { createProject } from '../../../src/dataset/projects.ts';
import { importFolder } from '../../../src/ingest/import.ts';
import { audiofolderRows, ctl } from '../../support/dataset.ts';
import { describeIfSharedData, SHARED_DATA } from '../../support/shared-data.ts';
import { tempDir } from '../../support/temp.ts';

// Pittsburgh live-fire recordings (ShotSpotter, Inc., CC BY 4.0), read in place.
describeIfSharedData('the Pittsburgh recordings as a labelling project', () => {
  let tmp: ReturnType<typeof tempDir>;
  let core: Core;
  let project: Project;
  const dev = join(SHARED_DATA, 'pittsburgh-2018', 'dev');

  beforeAll(async () => {
    tmp = tempDir();
    core = await openTestCore({ dataDir: join(tmp.dir, 'data') });
    project = await createProject(core, 'trainer', { name: 'Pittsburgh', description: '', taxonomy: 'default' });
  });
  afterAll(async () => {
    await core.close();
    tmp.cleanup();
  });

  it('imports every WAV of the dev set as plain audio (sites FP1-FP3), ignores the JSON, and its alert tracks join the same recordings', async () => {
    const r = await importAudio(core, 'trainer', { projectId: project.id, paths: [dev], onBadFile: 'abort' }, ctl());
    const wavs = readdirSync(dev, { recursive: true }).filter((f) => String(f).endsWith('.wav'));
    expect(r).toMatchObject({ imported: wavs.length, refused: 0, aborted: false });
    expect(r.ignored).toBeGreaterThan(wavs.length); // sidecars, surveys, pulses, weather
    const clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 10_000, 0));
    expect(new Set(clips.map((c) => c.site))).toEqual(new Set(['FP1', 'FP2', 'FP3']));
    expect(clips.every((c) => c.clip.sampleRate === 12000 && c.clip.channels === 1)).toBe(true);

    const alert = await importFolder(core, join(dev, 'FP1', 'test_001'), 'ingest');
    expect(alert.status).toBe('imported');
    const added = await addAlertsToProject(core, 'trainer', project.id, [alert.alertId!]);
    expect(added.added.length).toBe(readdirSync(join(dev, 'FP1', 'test_001')).filter((f) => f.endsWith('.wav')).length);
    const plainShas = new Set(clips.map((c) => c.clip.sha256));
    expect(added.added.every((c) => plainShas.has(c.clip.sha256) && c.site === 'research')).toBe(true);
  });

  it('labels the loudest moment of each recording and exports by site with no recording in two splits', async () => {
    const clips = await core.storePort.read((tx) => tx.datasetProjects.clips(project.id, 10_000, 0));
    const blast = project.classes.find((c) => c.name === 'muzzle_blast')!;
    for (const clip of clips) {
      const bytes = core.clips.read(clip.clip.sha256);
      const samples = decodeChannel(bytes, parseWav(bytes), 0);
      let peak = 0;
      for (let i = 1; i < samples.length; i++) if (Math.abs(samples[i]!) > Math.abs(samples[peak]!)) peak = i;
      const start = Math.max(0, peak - 60);
      await createLabel(core, 'trainer', {
        clipId: clip.id,
        classId: blast.id,
        startSample: start,
        endSample: Math.min(clip.clip.frames, start + 180),
        lowHz: null,
        highHz: null,
      });
    }
    const out = join(tmp.dir, 'export');
    const result = await exportDataset(
      core,
      'trainer',
      {
        projectId: project.id,
        format: 'audiofolder',
        outDir: out,
        filter: {},
        audiofolder: { unit: 'label', splitBy: 'site', splits: { train: 0.34, validation: 0.33, test: 0.33 }, seed: 'pgh', allowLeaks: false },
      },
      ctl(),
    );
    expect(result.labels).toBe(clips.length);
    const rows = audiofolderRows(out);
    const splitsOf = (key: string) => {
      const m = new Map<string, Set<string>>();
      for (const r of rows) m.set(r[key]!, (m.get(r[key]!) ?? new Set()).add(r.split!));
      return [...m.values()].filter((s) => s.size > 1);
    };
    expect(splitsOf('source_sha256')).toEqual([]);
    expect(splitsOf('site')).toEqual([]);
    // The alert's tracks are FP1's recordings: 'research' and FP1 had to share a split.
    const fp1 = new Set(rows.filter((r) => r.site === 'FP1').map((r) => r.split));
    const research = new Set(rows.filter((r) => r.site === 'research').map((r) => r.split));
    expect([...research]).toEqual([...fp1]);
    expect(rows.filter((r) => r.site === 'research').every((r) => /^2018-12-1[89]T/.test(r.time!))).toBe(true);
  });
});
